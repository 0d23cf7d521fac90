// Storage errors as the Status a client sees (kube's storage/errors/storage.go, storage/errors.go,
// etcd3/errors.go and the watch cache's freshness wait).
import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/storage/interface.js';
import { storageErrorToStatus } from '../../src/storage/errors.js';
import { MemoryStorage } from '../../src/storage/memory/index.js';
import { Cacher } from '../../src/storage/cacher/index.js';

const gr = { group: '', resource: 'configmaps' };

describe('storageErrorToStatus', () => {
  it('maps a missing key and a taken key to NotFound and AlreadyExists', () => {
    const missing = storageErrorToStatus(new StorageError('KeyNotFound', '/registry/configmaps/ns/a', 'key not found'), gr, 'a');
    expect(missing.status).toMatchObject({ code: 404, reason: 'NotFound', message: 'configmaps "a" not found', details: { name: 'a', kind: 'configmaps' } });
    const taken = storageErrorToStatus(new StorageError('KeyExists', '/registry/configmaps/ns/a', 'key exists'), { group: 'apps', resource: 'deployments' }, 'a');
    expect(taken.status).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'deployments.apps "a" already exists' });
  });

  it('quotes kube\'s StorageError in the Conflict of a failed precondition', () => {
    const err = new StorageError('InvalidObj', '/registry/configmaps/ns/a', 'Precondition failed: UID in precondition: x, UID in object meta: y');
    const status = storageErrorToStatus(err, gr, 'a').status;
    expect(status).toMatchObject({ code: 409, reason: 'Conflict', details: { name: 'a', kind: 'configmaps' } });
    expect(status.message).toBe(
      'Operation cannot be fulfilled on configmaps "a": StorageError: invalid object, Code: 4, Key: /registry/configmaps/ns/a, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: x, UID in object meta: y',
    );
  });

  it('answers a lost optimistic-lock race with the object-modified Conflict', () => {
    const status = storageErrorToStatus(new StorageError('ResourceVersionConflicts', '/registry/configmaps/ns/a', ''), gr, 'a').status;
    expect(status.message).toBe('Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('answers a bad continue token with 400 and a compacted one with 410 carrying kube\'s fresh token', () => {
    const bad = storageErrorToStatus(new StorageError('InvalidContinue', '', 'continue key is not valid: illegal base64 data at input byte 7'), gr, '');
    expect(bad.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'invalid continue token: continue key is not valid: illegal base64 data at input byte 7' });
    const expired = storageErrorToStatus(new StorageError('Expired', '', 'The provided continue parameter is too old', 3, 9, 'TOKEN'), gr, '');
    expect(expired.status).toMatchObject({ code: 410, reason: 'Expired', message: 'The provided continue parameter is too old', metadata: { continue: 'TOKEN' } });
    const watch = storageErrorToStatus(new StorageError('Expired', '', 'too old resource version: 3 (9)'), gr, '');
    expect(watch.status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 3 (9)', reason: 'Expired', code: 410 });
  });

  it('answers a resourceVersion ahead of the store with kube\'s 504 and Retry-After 1', () => {
    const err = storageErrorToStatus(new StorageError('TooLargeResourceVersion', '', 'Too large resource version: 99, current: 5', 99, 5), gr, '');
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Timeout: Too large resource version: 99, current: 5',
      reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      code: 504,
    });
    expect(err.headers['Retry-After']).toBe('1');
  });

  it('answers a refused request with 400 as given, and an unreachable backend with a 5xx', () => {
    const bad = storageErrorToStatus(new StorageError('BadRequest', '', 'specifying resource version is not allowed when using continue'), gr, '');
    expect(bad.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'specifying resource version is not allowed when using continue' });
    const down = storageErrorToStatus(new StorageError('Unreachable', '', 'storage is unreachable'), gr, 'a');
    expect(down.code).toBeGreaterThanOrEqual(500);
    expect(storageErrorToStatus(new StorageError('Internal', '', 'boom'), gr, 'a').code).toBe(500);
  });
});

describe('a resourceVersion that is not a number', () => {
  const storage = new MemoryStorage();
  const statusOf = async (promise: Promise<unknown>, name = '') => {
    const err = await promise.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    return storageErrorToStatus(err as StorageError, gr, name).status;
  };

  it('is a 400 for a list, a 422 for a watch and a 500 for a get, with the versioner\'s message', async () => {
    const body = 'Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax';
    expect(await statusOf(storage.list('/registry/configmaps/', { resourceVersion: 'abc' }))).toMatchObject({
      code: 400,
      reason: 'BadRequest',
      message: `invalid resource version: resourceVersion: ${body}`,
    });
    expect(await statusOf(storage.watch('/registry/configmaps/', { resourceVersion: 'abc' }))).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: `configmaps "" is invalid: resourceVersion: ${body}`,
      details: { kind: 'configmaps', causes: [{ reason: 'FieldValueInvalid', message: body, field: 'resourceVersion' }] },
    });
    expect((await statusOf(storage.get('/registry/configmaps/ns/a', { resourceVersion: '-1' }), 'a')).code).toBe(500);
    expect((await statusOf(storage.list('/registry/configmaps/', { resourceVersion: '99999999999999999999' }))).message).toBe(
      'invalid resource version: resourceVersion: Invalid value: "99999999999999999999": strconv.ParseUint: parsing "99999999999999999999": value out of range',
    );
  });

  it('is refused the same way through the watch cache', async () => {
    const cache = await Cacher.create(new MemoryStorage());
    expect((await statusOf(cache.list('/registry/configmaps/', { resourceVersion: 'x1' }))).code).toBe(400);
    expect((await statusOf(cache.watch('/registry/configmaps/', { resourceVersion: 'x1' }))).code).toBe(422);
    await cache.close();
  });
});
