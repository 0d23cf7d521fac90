// Field selectors against kube-apiserver 1.32's own answers: every expected value below is what
// k8s.io/apimachinery v0.32 (fields.ParseSelector, String, Matches, RequiresExactMatch, and Transform
// through runtime.DefaultMetaV1FieldSelectorConversion) returned for the same input; kube-apiserver
// answers a bad `fieldSelector` with a 400 BadRequest carrying that text.
import { describe, expect, it } from 'vitest';
import {
  escapeFieldValue,
  fieldLabelNotSupportedMessage,
  hasOwnFieldLabelConversion,
  parseFieldSelector,
  validateFieldSelector,
} from '../../src/registry/selectors/field-selector.js';
import { thrownStatus } from '../support/errors.js';

/** The field sets every parsed selector is matched against. */
const FIELD_SETS: Record<string, string>[] = [{"metadata.name": "a,b", "metadata.namespace": "default", "type": "Opaque"}, {}, {"metadata.name": "x", "type": ""}, {"metadata.name": "a=b\\c"}];

/**
 * [selector, kube's String(), Empty(), RequiresExactMatch("metadata.name") (null: none),
 *  Matches(FIELD_SETS[i]), the error of a kind without its own field label conversion (null: none)].
 */
const PARSED: Array<[string, string, boolean, string | null, boolean[], string | null]> = [
  ["", "", true, null, [true,true,true,true], null],
  ["metadata.name=x", "metadata.name=x", false, "x", [false,false,true,false], null],
  ["metadata.name==x", "metadata.name=x", false, "x", [false,false,true,false], null],
  ["metadata.name!=x", "metadata.name!=x", false, null, [true,true,false,true], null],
  ["metadata.name=a\\,b", "metadata.name=a\\,b", false, "a,b", [true,false,false,false], null],
  ["metadata.name=a\\=b\\\\c", "metadata.name=a\\=b\\\\c", false, "a=b\\c", [false,false,false,true], null],
  ["=", "", true, null, [true,true,true,true], null],
  ["=x", "=x", false, null, [false,false,false,false], "\"\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["x=", "x=", false, null, [true,true,true,true], "\"x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["a=b,,c=d", "a=b,c=d", false, null, [false,false,false,false], "\"a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["b=1,a=2", "a=2,b=1", false, null, [false,false,false,false], "\"a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["metadata.name=x,metadata.name=y", "metadata.name=x,metadata.name=y", false, "x", [false,false,false,false], null],
  ["metadata.name!=x,metadata.name=y", "metadata.name!=x,metadata.name=y", false, "y", [false,false,false,false], null],
  ["type=Opaque,metadata.namespace=default", "metadata.namespace=default,type=Opaque", false, null, [true,false,false,false], "\"type\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["a!b=c", "a!b=c", false, null, [false,false,false,false], "\"a!b\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["foo=bar", "foo=bar", false, null, [false,false,false,false], "\"foo\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["spec.x=1,metadata.name=a", "metadata.name=a,spec.x=1", false, "a", [false,false,false,false], "\"spec.x\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["a=b\\,", "a=b\\,", false, null, [false,false,false,false], "\"a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["a==", "a=", false, null, [true,true,true,true], "\"a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  ["a!=", "a!=", false, null, [false,false,false,false], "\"a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  [",", "", true, null, [true,true,true,true], null],
  ["a=ü", "a=ü", false, null, [false,false,false,false], "\"a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""],
  [",metadata.name=x,", "metadata.name=x", false, "x", [false,false,true,false], null],
];

/** [selector, the message of kube's 400]. */
const REFUSED: Array<[string, string]> = [
  ["metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
  ["a=b\\x", "invalid field selector: invalid escape sequence: \\x"],
  ["a=b\\", "invalid field selector: invalid escape sequence: \\"],
  ["a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"],
  ["a=b=c", "invalid field selector: unescaped character in value: 61"],
  ["a\\=b=c", "invalid field selector: unescaped character in value: 61"],
  ["a!=b=c", "invalid field selector: unescaped character in value: 61"],
  ["a==b!=c", "invalid field selector: unescaped character in value: 61"],
  ["a=\\ü", "invalid field selector: invalid escape sequence: \\ü"],
];

function badRequest(fn: () => unknown): string {
  const { status } = thrownStatus(fn);
  expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'BadRequest', code: 400 });
  return status.message ?? '';
}

const META_FIELDS = ['metadata.name', 'metadata.namespace'];

describe('parseFieldSelector', () => {
  it.each(PARSED)('%j prints as %j', (text, printed, empty, exact, matches, unsupported) => {
    const selector = parseFieldSelector(text);
    expect(selector.toString()).toBe(printed);
    expect(selector.isEmpty()).toBe(empty);
    expect(selector.requiresExactMatch('metadata.name') ?? null).toBe(exact);
    expect(FIELD_SETS.map((fields) => selector.matches(fields))).toEqual(matches);
    if (unsupported === null) expect(() => validateFieldSelector(selector, META_FIELDS, 'configmaps')).not.toThrow();
    else expect(badRequest(() => validateFieldSelector(selector, META_FIELDS, 'configmaps'))).toBe(unsupported);
  });

  it.each(REFUSED)('%j is a 400: %s', (text, message) => {
    expect(badRequest(() => parseFieldSelector(text))).toBe(message);
  });

  it('escapes values as fields.EscapeValue', () => {
    expect(escapeFieldValue('a\\b,c=d')).toBe('a\\\\b\\,c\\=d');
  });
});

describe('validateFieldSelector: the wording of the kind\'s ConvertFieldLabel', () => {
  const selector = parseFieldSelector('spec.x=1,metadata.name=a');

  it.each([
    // Kinds with their own conversion func (pkg/apis/core/v1/conversion.go, pkg/apis/events/v1).
    ['secrets', true],
    ['namespaces', true],
    ['events', true],
    ['pods', true],
    ['events.events.k8s.io', true],
    // Custom resources: apiextensions' crConverter says the same.
    ['widgets.example.com', true],
    // Every other built-in kind falls back to runtime.DefaultMetaV1FieldSelectorConversion.
    ['configmaps', false],
    ['serviceaccounts', false],
    ['leases.coordination.k8s.io', false],
    ['roles.rbac.authorization.k8s.io', false],
  ] as const)('%s has its own conversion: %s', (resource, own) => {
    expect(hasOwnFieldLabelConversion(resource.includes('.') ? { group: resource.slice(resource.indexOf('.') + 1), resource: resource.split('.')[0] } : { group: '', resource })).toBe(own);
    const message = badRequest(() => validateFieldSelector(selector, ['metadata.name'], resource));
    expect(message).toBe(own ? 'field label not supported: spec.x' : '"spec.x" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('takes a GroupResource too, and reports the first unsupported term in sorted order', () => {
    expect(badRequest(() => validateFieldSelector(parseFieldSelector('z=1,b=2'), ['metadata.name'], { group: '', resource: 'secrets' }))).toBe('field label not supported: b');
    expect(fieldLabelNotSupportedMessage('a"b', false)).toBe('"a\\"b" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('accepts supported fields', () => {
    expect(() => validateFieldSelector(parseFieldSelector('type=Opaque,metadata.name=a'), ['metadata.name', 'type'], 'secrets')).not.toThrow();
  });
});
