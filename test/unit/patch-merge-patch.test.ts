import { describe, expect, it } from 'vitest';
import { applyMergePatch } from '../../src/endpoints/patch/merge-patch.js';
import type { JsonObject } from '../../src/endpoints/patch/json-value.js';
import { thrownStatus as thrown } from '../support/errors.js';

function deployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'front' } },
    spec: {
      replicas: 2,
      template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }, { name: 'sidecar', image: 'envoy' }] } },
    },
  };
}

describe('applyMergePatch', () => {
  it('merges objects, replaces scalars and deletes with null, leaving the original untouched', () => {
    const original = deployment();
    const out = applyMergePatch(original, JSON.stringify({ metadata: { labels: { tier: null, env: 'prod' } }, spec: { replicas: 3 } }));
    expect(out.metadata).toEqual({ name: 'web', namespace: 'default', labels: { app: 'web', env: 'prod' } });
    expect((out.spec as JsonObject).replicas).toBe(3);
    expect(original).toEqual(deployment());
  });

  it('replaces lists as a whole (no merge by key)', () => {
    const out = applyMergePatch(deployment(), JSON.stringify({ spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } } }));
    expect(out.spec).toMatchObject({ template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } });
  });

  it('prunes nulls from added objects, also inside arrays, but keeps nulls that are array elements', () => {
    const out = applyMergePatch(
      deployment(),
      JSON.stringify({ status: { ready: null, conditions: [{ type: 'Available', reason: null }, null] }, metadata: { annotations: { a: null, b: '1' } } }),
    );
    expect(out.status).toEqual({ conditions: [{ type: 'Available' }, null] });
    expect((out.metadata as JsonObject).annotations).toEqual({ b: '1' });
  });

  it('an object replacing a scalar has its nulls pruned', () => {
    const out = applyMergePatch(deployment(), JSON.stringify({ spec: { replicas: { a: 1, b: null } } }));
    expect((out.spec as JsonObject).replicas).toEqual({ a: 1 });
  });

  it('an array replacing an object keeps nulls inside its objects (evanphx returns the patch as is)', () => {
    const out = applyMergePatch(deployment(), JSON.stringify({ metadata: { labels: [{ a: null }] } }));
    expect((out.metadata as JsonObject).labels).toEqual([{ a: null }]);
  });

  it('a "__proto__" key is data, never a prototype', () => {
    const out = applyMergePatch(deployment(), '{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}},"__proto__":{"x":"1"}}');
    expect(Object.keys((out.metadata as JsonObject).labels as JsonObject)).toContain('__proto__');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(out)).__proto__).toEqual({ x: '1' });
  });

  it('deleting a missing key is no error; an empty patch changes nothing', () => {
    expect(applyMergePatch(deployment(), '{"nope":null}')).toEqual(deployment());
    expect(applyMergePatch(deployment(), Buffer.from('{}'))).toEqual(deployment());
  });

  it.each([[''], ['{'], ['null'], ['"x"'], ['42'], ['true'], ['{"a":1} {"b":2}']])('%j → 400 Invalid JSON Patch', (body) => {
    expect(thrown(() => applyMergePatch(deployment(), body)).status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Invalid JSON Patch',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it('an array patch replaces the document, which then fails to decode as an object (422)', () => {
    const err = thrown(() => applyMergePatch(deployment(), '[{"a":null},null]'));
    expect(err.code).toBe(422);
    expect(err.status.reason).toBe('Invalid');
    expect(err.status.message).toBe(
      ' "" is invalid: patch: Invalid value: "[{},null]": couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
    );
    expect(err.status.details?.causes?.[0]?.field).toBe('patch');
  });
});
