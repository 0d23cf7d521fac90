// The generic store's object-metadata rules, on the memory backend.
import { beforeEach, describe, expect, it } from 'vitest';
import { Store, type RequestContext } from '../../src/registry/store.js';
import { AdmissionChain } from '../../src/admission/interface.js';
import { defineResource } from '../../src/kube-apis/define.js';
import { createStorage } from '../../src/storage/factory.js';
import type { Storage } from '../../src/storage/interface.js';
import { rejectedStatus as rejection } from '../support/errors.js';
import { specChanged } from '../../src/registry/store.js';

const widgets = defineResource({
  group: 'example.com',
  version: 'v1',
  resource: 'widgets',
  kind: 'Widget',
  namespaced: true,
  strategy: { validate: () => [], validateUpdate: () => [], generationChanged: specChanged },
});

const rc: RequestContext = { user: { name: 'alice', groups: ['system:authenticated'] }, dryRun: false, fieldManager: 'test-manager', subresource: '' };

describe('Store', () => {
  let storage: Storage;
  let store: Store;
  beforeEach(async () => {
    storage = await createStorage({ backend: 'memory' });
    store = new Store(widgets, storage, new AdmissionChain());
  });

  it('fills server-owned metadata on create and refuses a duplicate with AlreadyExists', async () => {
    const created = await store.create('default', { metadata: { name: 'w1', uid: 'mine', resourceVersion: '99' }, spec: { size: 1 } }, rc);
    expect(created.apiVersion).toBe('example.com/v1');
    expect(created.kind).toBe('Widget');
    expect(created.metadata.namespace).toBe('default');
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.uid).not.toBe('mine');
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created.metadata.generation).toBe(1);
    expect(Number(created.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(created.metadata.managedFields).toEqual([
      expect.objectContaining({ manager: 'test-manager', operation: 'Update', apiVersion: 'example.com/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { '.': {}, 'f:size': {} } } }),
    ]);
    const err = await rejection(store.create('default', { metadata: { name: 'w1' } }, rc));
    expect(err.status).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'widgets.example.com "w1" already exists' });
  });

  it('generates names from generateName', async () => {
    const created = await store.create('default', { metadata: { generateName: 'w-' } }, rc);
    expect(created.metadata.name).toMatch(/^w-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('refuses a body whose namespace differs from the request\'s', async () => {
    const err = await rejection(store.create('default', { metadata: { name: 'w', namespace: 'other' } }, rc));
    expect(err.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' });
  });

  it('bumps generation on spec changes only, and answers a stale resourceVersion with Conflict', async () => {
    const created = await store.create('default', { metadata: { name: 'w' }, spec: { size: 1 } }, rc);
    const labelled = await store.update('default', 'w', (cur) => ({ ...cur!, metadata: { ...cur!.metadata, labels: { a: 'b' } } }), rc);
    expect(labelled.object.metadata.generation).toBe(1);
    const resized = await store.update('default', 'w', (cur) => ({ ...cur!, spec: { size: 2 } }), rc);
    expect(resized.object.metadata.generation).toBe(2);
    const err = await rejection(store.update('default', 'w', () => ({ metadata: { name: 'w', resourceVersion: created.metadata.resourceVersion }, spec: { size: 3 } }), rc));
    expect(err.status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on widgets.example.com "w": the object has been modified; please apply your changes to the latest version and try again',
    });
  });

  it('writes nothing for an update that changes nothing', async () => {
    const created = await store.create('default', { metadata: { name: 'w' }, spec: { size: 1 } }, rc);
    const same = await store.update('default', 'w', (cur) => structuredClone(cur!), { ...rc, fieldManager: 'someone-else' });
    expect(same.object.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    expect(same.object.metadata.managedFields).toEqual(created.metadata.managedFields);
  });

  it('does not create on PUT when the strategy does not allow it', async () => {
    const err = await rejection(store.update('default', 'missing', () => ({ metadata: { name: 'missing' } }), rc));
    expect(err.status).toMatchObject({ code: 404, reason: 'NotFound', message: 'widgets.example.com "missing" not found' });
  });

  it('deletes at once without finalizers, and waits for finalizers with a deletionTimestamp', async () => {
    await store.create('default', { metadata: { name: 'plain' } }, rc);
    const gone = await store.delete('default', 'plain', {}, rc);
    expect(gone.deleted).toBe(true);
    expect((await rejection(store.get('default', 'plain'))).status.code).toBe(404);

    await store.create('default', { metadata: { name: 'held', finalizers: ['example.com/hold'] } }, rc);
    const pending = await store.delete('default', 'held', {}, rc);
    expect(pending.deleted).toBe(false);
    expect(pending.object.metadata.deletionTimestamp).toBeDefined();
    expect(pending.object.metadata.deletionGracePeriodSeconds).toBe(0);
    const stillThere = await store.get('default', 'held');
    expect(stillThere.metadata.deletionTimestamp).toBeDefined();
    const released = await store.update('default', 'held', (cur) => ({ ...cur!, metadata: { ...cur!.metadata, finalizers: [] } }), rc);
    expect(released.object.metadata.name).toBe('held');
    expect((await rejection(store.get('default', 'held'))).status.code).toBe(404);
  });

  it('adds the foregroundDeletion and orphan finalizers for those propagation policies', async () => {
    await store.create('default', { metadata: { name: 'fg' } }, rc);
    const fg = await store.delete('default', 'fg', { propagationPolicy: 'Foreground' }, rc);
    expect(fg.deleted).toBe(false);
    expect(fg.object.metadata.finalizers).toEqual(['foregroundDeletion']);
    await store.create('default', { metadata: { name: 'or' } }, rc);
    const orphan = await store.delete('default', 'or', { propagationPolicy: 'Orphan' }, rc);
    expect(orphan.object.metadata.finalizers).toEqual(['orphan']);
  });

  it('checks delete preconditions', async () => {
    await store.create('default', { metadata: { name: 'w' } }, rc);
    const err = await rejection(store.delete('default', 'w', { preconditions: { uid: 'not-it' } }, rc));
    expect(err.status.code).toBe(409);
    // kube's rest.BeforeDelete names the kind, not the resource.
    expect(err.status.message).toMatch(/^Operation cannot be fulfilled on Widget.example.com "w": the UID in the precondition \(not-it\) does not match the UID in record \([0-9a-f-]+\)\. The object might have been deleted and then recreated$/);
  });

  it('stores nothing on dry run', async () => {
    const dry = await store.create('default', { metadata: { name: 'dry' } }, { ...rc, dryRun: true });
    expect(dry.metadata.uid).toBeDefined();
    expect(dry.metadata.resourceVersion).toBeUndefined();
    expect((await rejection(store.get('default', 'dry'))).status.code).toBe(404);
  });
});
