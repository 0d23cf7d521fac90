import { describe, expect, it } from 'vitest';
import { applyPatch, patchTypeFromContentType, permissivePatchSchema, type JsonObject } from '../../src/endpoints/patch/index.js';
import { thrownStatus as thrown } from '../support/errors.js';

function unsupported(message: string, details?: object): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason: 'UnsupportedMediaType',
    ...(details ? { details } : {}),
    code: 415,
  };
}

const builtIn = { allowStrategic: true };
const custom = { allowStrategic: false };

describe('patchTypeFromContentType', () => {
  it.each([
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/merge-patch+json; charset=utf-8', 'merge'],
    ['application/json-patch+json;charset=UTF-8', 'json'],
  ])('built-in: %s → %s', (contentType, type) => {
    expect(patchTypeFromContentType(contentType, builtIn)).toBe(type);
  });

  it.each([
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
  ])('custom resource: %s → %s', (contentType, type) => {
    expect(patchTypeFromContentType(contentType, custom)).toBe(type);
  });

  it.each([['application/json'], ['text/plain'], [undefined], [''], ['Application/Merge-Patch+Json'], ['application/apply-patch+yaml']])(
    'built-in: %j is refused by the route, as go-restful does (message "415: Unsupported Media Type", empty details)',
    (contentType) => {
      expect(thrown(() => patchTypeFromContentType(contentType, builtIn)).status).toEqual(unsupported('415: Unsupported Media Type', {}));
    },
  );

  it('built-in without a body length: go-restful falls through to its Accept check and says so', () => {
    for (const contentLength of ['0', 0]) {
      expect(thrown(() => patchTypeFromContentType('application/json', { ...builtIn, contentLength })).status).toEqual(
        unsupported('415: Unsupported Media Type\n\nAvailable representations: ', {}),
      );
    }
    expect(thrown(() => patchTypeFromContentType('application/json', { ...builtIn, contentLength: '17' })).status.message).toBe(
      '415: Unsupported Media Type',
    );
  });

  it('built-in: a list go-restful accepts but the handler does not gets the handler\'s message', () => {
    expect(thrown(() => patchTypeFromContentType('text/plain, application/merge-patch+json', builtIn)).status).toEqual(
      unsupported(
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json',
      ),
    );
  });

  it.each([['application/strategic-merge-patch+json'], ['application/json'], [undefined], ['application/apply-patch+yaml']])(
    'custom resource: %j → 415 listing the accepted types',
    (contentType) => {
      expect(thrown(() => patchTypeFromContentType(contentType, custom)).status).toEqual(
        unsupported('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json'),
      );
    },
  );

  it('with server-side apply on, the lists are kube\'s own (crd_handler.go, installer.go)', () => {
    expect(patchTypeFromContentType('application/apply-patch+yaml', { allowStrategic: false, allowApply: true })).toBe('apply');
    expect(patchTypeFromContentType('application/apply-patch+yaml', { allowStrategic: true, allowApply: true })).toBe('apply');
    expect(thrown(() => patchTypeFromContentType('application/strategic-merge-patch+json', { allowStrategic: false, allowApply: true })).status).toEqual(
      unsupported(
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
      ),
    );
  });
});

describe('applyPatch', () => {
  const configMap: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', finalizers: ['a'] }, data: { k: 'v' } };

  it('dispatches each patch type', () => {
    expect(applyPatch('json', configMap, '[{"op":"replace","path":"/data/k","value":"j"}]', builtIn).data).toEqual({ k: 'j' });
    expect(applyPatch('merge', configMap, '{"data":{"k":null,"m":"1"}}', builtIn).data).toEqual({ m: '1' });
    const smp = applyPatch('strategic', configMap, '{"data":{"s":"2"},"metadata":{"finalizers":["b"]}}', { allowStrategic: true, schema: permissivePatchSchema });
    expect(smp.data).toEqual({ k: 'v', s: '2' });
    expect((smp.metadata as JsonObject).finalizers).toEqual(['b']);
  });

  it('refuses strategic merge patch for custom resources with kube\'s 415', () => {
    expect(thrown(() => applyPatch('strategic', configMap, '{}', custom)).status).toEqual(
      unsupported('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json'),
    );
  });

  it('refuses apply until server-side apply is plugged in, then calls it', () => {
    expect(thrown(() => applyPatch('apply', configMap, 'data: {}', custom)).code).toBe(415);
    const applied = applyPatch('apply', configMap, 'x', { ...custom, serverSideApply: (current) => ({ ...current, applied: true }) });
    expect(applied.applied).toBe(true);
  });
});
