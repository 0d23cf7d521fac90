// The CRD controllers' conditions as kube's naming and non-structural-schema controllers set them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { customResourceDefinitions } from '../../src/apiextensions/crd-resource.js';
import { storageKey } from '../../src/registry/resource.js';

const GROUP = 'names.example.com';
const schema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } } };

function crd(names: Record<string, unknown>, versions: unknown[] = [{ name: 'v1', served: true, storage: true, schema }]) {
  return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${names.plural}.${GROUP}` }, spec: { group: GROUP, scope: 'Namespaced', names, versions } };
}

describe('CRD conditions', () => {
  let server: TestServer;
  const json = async (method: string, path: string, body?: unknown) => {
    const res = await server.request(method, path, { body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: res.text ? res.json() : undefined };
  };
  const conditions = async (name: string, type: string) => {
    for (let i = 0; i < 100; i++) {
      const got = (await json('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)).body;
      const found = got?.status?.conditions?.find((c: any) => c.type === type);
      if (found) return { got, found };
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${name} never got ${type}`);
  };

  beforeAll(async () => {
    server = await startTestServer();
    expect((await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd({ plural: 'foxes', kind: 'Fox', shortNames: ['fx'] }))).status).toBe(201);
    expect((await conditions(`foxes.${GROUP}`, 'Established')).found.status).toBe('True');
  });
  afterAll(async () => server?.close());

  it("reports a singular that another CRD of the group holds, and does not serve the CRD", async () => {
    await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd({ plural: 'hounds', singular: 'foxes', kind: 'Hound' }));
    const { got, found } = await conditions(`hounds.${GROUP}`, 'NamesAccepted');
    expect(found).toMatchObject({ status: 'False', reason: 'SingularConflict', message: '"foxes" is already in use' });
    expect(got.status.conditions.find((c: any) => c.type === 'Established')).toMatchObject({ status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' });
    // The names that did not conflict are accepted; the conflicting one is not.
    expect(got.status.acceptedNames).toEqual({ plural: 'hounds', kind: 'Hound', listKind: 'HoundList' });
    expect((await json('GET', `/apis/${GROUP}/v1/namespaces/default/hounds`)).status).toBe(404);
  });

  it('reports kind and short name conflicts with their own reasons', async () => {
    await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd({ plural: 'vixens', kind: 'Fox' }));
    // Kind and listKind both conflict: kube's controller reports the last name it checked.
    expect((await conditions(`vixens.${GROUP}`, 'NamesAccepted')).found).toMatchObject({ status: 'False', reason: 'ListKindConflict', message: '"FoxList" is already in use' });
    await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd({ plural: 'kits', kind: 'Fox', listKind: 'KitList' }));
    expect((await conditions(`kits.${GROUP}`, 'NamesAccepted')).found).toMatchObject({ status: 'False', reason: 'KindConflict', message: '"Fox" is already in use' });
    await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd({ plural: 'wolves', kind: 'Wolf', shortNames: ['fx', 'foxes'] }));
    expect((await conditions(`wolves.${GROUP}`, 'NamesAccepted')).found).toMatchObject({
      status: 'False',
      reason: 'ShortNamesConflict',
      message: '["fx" is already in use, "foxes" is already in use]',
    });
  });

  it('sets NonStructuralSchema for a CRD stored with a schema that breaks the structural rules', async () => {
    // v1 refuses such schemas on write; CRDs stored by older servers can still hold them.
    const legacy = crd({ plural: 'oldies', kind: 'Oldie' }, [
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } } } },
    ]) as any;
    legacy.metadata.uid = 'legacy-uid';
    legacy.metadata.creationTimestamp = '2020-01-01T00:00:00Z';
    legacy.status = { conditions: [], acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
    await server.api.storage.create(storageKey(customResourceDefinitions, '', `oldies.${GROUP}`), legacy);
    const { found } = await conditions(`oldies.${GROUP}`, 'NonStructuralSchema');
    expect(found).toMatchObject({
      status: 'True',
      reason: 'Violations',
      message: 'spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    });
  });
});
