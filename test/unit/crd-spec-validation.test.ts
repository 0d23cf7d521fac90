// kube's CRD checks beyond the schema (apiextensions validation.go) and its webhook client config rules.
import { describe, expect, it } from 'vitest';
import { fieldErrorText } from '../../src/registry/validation/field-errors.js';
import { validateDeprecationWarning, validatePrinterColumn, validateSubresources, validateSelectableFields } from '../../src/apiextensions/crd-spec-validation.js';
import { validateCABundle, validateWebhookService, validateWebhookURL } from '../../src/registry/validation/webhook-client-config.js';

const texts = (errors: ReturnType<typeof validatePrinterColumn>) => errors.map(fieldErrorText);

describe('CRD printer columns, subresources and deprecation', () => {
  it('checks printer column type, format and JSONPath', () => {
    expect(texts(validatePrinterColumn('c', { name: 'A', type: 'text', format: 'hex', jsonPath: 'spec.a' }))).toEqual([
      'c.type: Invalid value: "text": must be one of boolean,date,integer,number,string',
      'c.format: Invalid value: "hex": must be one of byte,date,date-time,double,float,int32,int64,password',
      'c.JSONPath: Invalid value: "spec.a": must be a simple json path starting with .',
    ]);
    expect(texts(validatePrinterColumn('c', {}))).toEqual(['c.name: Required value', 'c.type: Required value: must be one of boolean,date,integer,number,string', 'c.JSONPath: Required value']);
  });

  it('keeps scale paths under .spec and .status', () => {
    expect(texts(validateSubresources('s', { scale: { specReplicasPath: '.status.r', statusReplicasPath: '.spec.r', labelSelectorPath: '.metadata.x' } }))).toEqual([
      's.scale.specReplicasPath: Invalid value: ".status.r": should be a json path under .spec',
      's.scale.statusReplicasPath: Invalid value: ".spec.r": should be a json path under .status',
      's.scale.labelSelectorPath: Invalid value: ".metadata.x": should be a json path under either .spec or .status',
    ]);
    expect(texts(validateSubresources('s', { scale: {} }))).toEqual(['s.scale.specReplicasPath: Required value', 's.scale.statusReplicasPath: Required value']);
  });

  it('allows a deprecation warning only on deprecated versions, printable and short', () => {
    expect(texts(validateDeprecationWarning('w', false, 'x'))).toEqual(['w: Invalid value: "x": can only be set for deprecated versions']);
    expect(texts(validateDeprecationWarning('w', true, ''))).toEqual(['w: Invalid value: "": must not be an empty string']);
    expect(texts(validateDeprecationWarning('w', true, 'a\tb'))).toEqual(['w: Invalid value: "a\\tb": must only contain printable UTF-8 characters; control character found at index 1']);
    expect(texts(validateDeprecationWarning('w', true, 'x'.repeat(257)))[0]).toMatch(/must be <= 256 characters long$/);
    expect(validateDeprecationWarning('w', true, 'use v2 — really')).toEqual([]);
  });

  it('counts selectable fields and refuses duplicates and more than 8', () => {
    const schema = { type: 'object', properties: { spec: { type: 'object', properties: Object.fromEntries([...'abcdefghi'].map((c) => [c, { type: 'string' }])) } } };
    const nine = [...'abcdefghi'].map((c) => ({ jsonPath: `.spec.${c}` }));
    expect(texts(validateSelectableFields('f', nine, schema))).toEqual(['f: Too many: 9: must have at most 8 items']);
    expect(texts(validateSelectableFields('f', [{ jsonPath: '.spec.a' }, { jsonPath: '.spec.a' }, { jsonPath: '.spec[0]' }], schema))).toEqual([
      'f[1].jsonPath: Duplicate value: ".spec.a"',
      'f[2].jsonPath: Invalid value: ".spec[0]": is an invalid path: array notation is not allowed',
    ]);
  });
});

describe('webhook client config', () => {
  it("checks URLs as kube's ValidateWebhookURL", () => {
    expect(validateWebhookURL('u', 'https://example.com/convert', true)).toEqual([]);
    expect(texts(validateWebhookURL('u', 'https://user@example.com/x#frag', true))).toEqual([
      'u: Invalid value: "user": user information is not permitted in the URL',
      'u: Invalid value: "frag": fragments are not permitted in the URL',
    ]);
    expect(texts(validateWebhookURL('u', 'https:///path', true))).toEqual(['u: Invalid value: "": host must be specified; desired format: https://host[/path]']);
  });

  it("checks Service references as kube's ValidateWebhookService", () => {
    expect(texts(validateWebhookService('s', '', '', 'no-slash/Bad_', 70000))).toEqual([
      's.name: Required value: service name is required',
      's.namespace: Required value: service namespace is required',
      's.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive',
      's.path: Invalid value: "no-slash/Bad_": must start with a \'/\'',
      "s.path: Invalid value: \"no-slash/Bad_\": segment[1]: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
  });

  it('refuses a caBundle that holds no certificate', () => {
    expect(texts(validateCABundle('ca', Buffer.from('not pem').toString('base64')))).toEqual([
      `ca: Invalid value: "${Buffer.from('not pem').toString('base64')}": unable to load root certificates: unable to parse bytes as PEM block`,
    ]);
  });
});
