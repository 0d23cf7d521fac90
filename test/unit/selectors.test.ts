// Label and field selectors as kube parses and matches them (k8s.io/apimachinery labels and fields).
import { describe, expect, it } from 'vitest';
import { parseLabelSelector, labelSelectorFromMeta } from '../../src/registry/selectors/label-selector.js';
import { parseFieldSelector, validateFieldSelector } from '../../src/registry/selectors/field-selector.js';
import { thrownStatus } from '../support/errors.js';

function badRequest(fn: () => unknown): string {
  const { status } = thrownStatus(fn);
  expect(status.code).toBe(400);
  expect(status.reason).toBe('BadRequest');
  return status.message ?? '';
}

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', n: '5' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['app notin (web,db)', false],
    ['missing notin (a)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app=web,tier=front', true],
    ['app=web, tier=back', false],
    ['n>4', true],
    ['n<4', false],
    ['x in (in,notin)', false],
    ['', true],
    ['tier in ()', false],
  ])('%j matches: %s', (text, expected) => {
    expect(parseLabelSelector(text).matches(labels)).toBe(expected);
  });

  it.each([
    ['a in (', "unable to parse requirement: found '', expected: ',', ')' or identifier"],
    ['a in b', "unable to parse requirement: found 'b' expected: '('"],
    ['a,', "found '', expected: identifier after ','"],
    ['=a', "found '=', expected: !, identifier, or 'end of string'"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a=b=c', "found '=', expected: ',' or 'end of string'"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
  ])('%j → 400 %j', (text, message) => {
    expect(badRequest(() => parseLabelSelector(text))).toBe(message);
  });

  it('validates keys and values with kube\'s messages', () => {
    expect(badRequest(() => parseLabelSelector('-a=b'))).toBe(
      `unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
    expect(badRequest(() => parseLabelSelector('a=-b'))).toMatch(/^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-b": a valid label must be an empty string/);
  });

  it('prints in kube\'s canonical form, sorted by key', () => {
    expect(parseLabelSelector('z=1, a in (y,x), !b').toString()).toBe('a in (x,y),!b,z=1');
  });

  it('converts metav1.LabelSelector', () => {
    const sel = labelSelectorFromMeta({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] });
    expect(sel.matches(labels)).toBe(true);
    expect(sel.matches({ app: 'web' })).toBe(false);
  });
});

describe('field selectors', () => {
  const fields = { 'metadata.name': 'a,b', 'metadata.namespace': 'default', type: 'Opaque' };
  it.each([
    ['metadata.name=a\\,b', true],
    ['metadata.namespace==default', true],
    ['metadata.namespace!=default', false],
    ['metadata.namespace=default,type=Opaque', true],
    ['type=Other', false],
    ['', true],
  ])('%j matches: %s', (text, expected) => {
    expect(parseFieldSelector(text).matches(fields)).toBe(expected);
  });

  it('refuses what it cannot parse, and fields a resource does not support', () => {
    expect(badRequest(() => parseFieldSelector('metadata.name'))).toBe("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
    expect(badRequest(() => parseFieldSelector('a=b\\x'))).toBe('invalid field selector: invalid escape sequence: \\x');
    expect(badRequest(() => validateFieldSelector(parseFieldSelector('spec.x=1'), ['metadata.name'], 'configmaps'))).toBe('field label not supported: spec.x');
  });

  it('knows the exact-match value', () => {
    expect(parseFieldSelector('metadata.name=x,type!=y').requiresExactMatch('metadata.name')).toBe('x');
  });
});
