// Custom resources through mutating webhooks as kube-apiserver runs them: the body is pruned and
// defaulted when decoded, so webhooks never see unknown fields and do see defaults; what a webhook
// returns is defaulted again (the next webhook sees those defaults, and still sees unknown fields the
// earlier one added: kube prunes only when writing), and pruned before it is stored; on create, update
// and patch alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { startWebhookServer, type WebhookServer } from '../support/webhook-server.js';

const json = { 'content-type': 'application/json' };
const WIDGETS = '/apis/prune.example.com/v1/namespaces/default/widgets';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        size: { type: 'integer', default: 1 },
        color: { type: 'string' },
        logging: { type: 'object', properties: { level: { type: 'string', default: 'info' } } },
      },
    },
  },
};

const jsonPatch = (ops: unknown[]) => ({ patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(ops)).toString('base64') });

describe('custom resources and mutating webhooks: pruning and defaulting', () => {
  let server: TestServer;
  let hooks: WebhookServer;
  const post = (path: string, body: unknown) => server.request('POST', path, { headers: json, body: JSON.stringify(body) });

  beforeAll(async () => {
    [server, hooks] = await Promise.all([startTestServer(), startWebhookServer()]);
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.prune.example.com' },
      spec: { group: 'prune.example.com', scope: 'Namespaced', names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
    };
    expect((await post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd)).status).toBe(201);
    // The first webhook adds an unknown field and an object whose field has a default; the second only records.
    hooks.handle('/add', (request) => (request.object.spec.logging ? {} : jsonPatch([{ op: 'add', path: '/spec/added', value: 'by-webhook' }, { op: 'add', path: '/spec/logging', value: {} }])));
    hooks.handle('/record', () => ({}));
    const webhook = (name: string, path: string) => ({
      name,
      clientConfig: { url: hooks.url(path), caBundle: hooks.caBundle },
      rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: ['prune.example.com'], apiVersions: ['v1'], resources: ['widgets'] }],
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
    });
    const config = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'prune' }, webhooks: [webhook('add.prune.example.com', '/add'), webhook('record.prune.example.com', '/record')] };
    expect((await post('/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations', config)).status).toBe(201);
    // Wait for discovery of the CRD and for the webhooks to apply.
    for (let i = 0; i < 200 && !(hooks.received.get('/record')?.length); i++) {
      await post(`${WIDGETS}?dryRun=All`, { apiVersion: 'prune.example.com/v1', kind: 'Widget', metadata: { name: 'probe' }, spec: {} });
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(hooks.received.get('/record')?.length).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await hooks?.close();
    await server?.close();
  });

  it('on create: webhooks see the body pruned and defaulted; what they add is defaulted, then pruned when stored', async () => {
    hooks.received.clear();
    const res = await post(WIDGETS, { apiVersion: 'prune.example.com/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { color: 'red', unknown: 'x' }, extra: true });
    expect(res.status, res.text).toBe(201);
    const first = hooks.received.get('/add')![0].request.object;
    expect(first.spec).toEqual({ color: 'red', size: 1 });
    expect(first.extra).toBeUndefined();
    const second = hooks.received.get('/record')![0].request.object;
    expect(second.spec).toEqual({ color: 'red', size: 1, added: 'by-webhook', logging: { level: 'info' } });
    expect(res.json().spec).toEqual({ color: 'red', size: 1, logging: { level: 'info' } });
    expect((await server.request('GET', `${WIDGETS}/w1`)).json().spec).toEqual({ color: 'red', size: 1, logging: { level: 'info' } });
  });

  it('on update and patch: the same', async () => {
    const current = (await server.request('GET', `${WIDGETS}/w1`)).json();
    hooks.received.clear();
    const put = await server.request('PUT', `${WIDGETS}/w1`, { headers: json, body: JSON.stringify({ ...current, spec: { color: 'blue', unknown: 'y' } }) });
    expect(put.status, put.text).toBe(200);
    const seen = hooks.received.get('/add')![0].request.object;
    expect(seen.spec).toEqual({ color: 'blue', size: 1 });
    expect(hooks.received.get('/record')![0].request.object.spec).toEqual({ color: 'blue', size: 1, added: 'by-webhook', logging: { level: 'info' } });
    expect(put.json().spec).toEqual({ color: 'blue', size: 1, logging: { level: 'info' } });

    hooks.received.clear();
    const patched = await server.request('PATCH', `${WIDGETS}/w1`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { logging: null, size: 3, bogus: 1 } }) });
    expect(patched.status, patched.text).toBe(200);
    expect(hooks.received.get('/add')![0].request.object.spec).toEqual({ color: 'blue', size: 3 });
    expect(patched.json().spec).toEqual({ color: 'blue', size: 3, logging: { level: 'info' } });
    expect((await server.request('GET', `${WIDGETS}/w1`)).json().spec).toEqual({ color: 'blue', size: 3, logging: { level: 'info' } });
  });
});
