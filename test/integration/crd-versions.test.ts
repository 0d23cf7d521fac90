// Multi-version CRDs over HTTP: objects stored in the storage version and served in the requested one
// (conversion None and Webhook, with kube's errors when the webhook fails), selectable fields and
// deprecation warnings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { startHttpsBackend, type HttpsBackend } from '../support/https-backend.js';
import { conversionWebhook } from '../support/conversion-webhook.js';
import { generateCA, issueCert } from '../../src/server/serving/certs.js';
import { storageKey } from '../../src/registry/resource.js';

const GROUP = 'stable.example.com';

function crdFor(plural: string, kind: string, conversion: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) {
  const schema = (specProps: Record<string, unknown>) => ({
    openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: specProps }, status: { type: 'object', properties: { ready: { type: 'boolean' } } } } },
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural, kind },
      ...(conversion ? { conversion } : {}),
      versions: [
        { name: 'v1beta1', served: true, storage: false, deprecated: true, schema: schema({ size: { type: 'integer' }, color: { type: 'string' } }), ...extra },
        { name: 'v1', served: true, storage: true, schema: schema({ replicas: { type: 'integer' }, color: { type: 'string' } }), selectableFields: [{ jsonPath: '.spec.color' }] },
      ],
    },
  };
}

/** A conversion webhook: v1beta1 spec.size <-> v1 spec.replicas. */
function convert(obj: any, to: string): any {
  const out = structuredClone(obj);
  out.apiVersion = to;
  const spec = out.spec ?? {};
  if (to.endsWith('/v1') && 'size' in spec) {
    spec.replicas = spec.size;
    delete spec.size;
  } else if (to.endsWith('/v1beta1') && 'replicas' in spec) {
    spec.size = spec.replicas;
    delete spec.replicas;
  }
  return out;
}

describe('CRD versions and conversion', () => {
  let server: TestServer;
  let webhook: HttpsBackend;
  const reviews: any[] = [];

  const json = async (method: string, path: string, body?: unknown) => {
    const res = await server.request(method, path, { body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    return { status: res.status, body: res.text ? res.json() : undefined, headers: res.headers };
  };
  const established = async (name: string) => {
    for (let i = 0; i < 100; i++) {
      const crd = (await json('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`)).body;
      if (crd?.status?.conditions?.some((c: any) => c.type === 'Established' && c.status === 'True')) return crd;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${name} never became Established`);
  };

  beforeAll(async () => {
    server = await startTestServer();
    webhook = await startHttpsBackend(conversionWebhook(convert, reviews));
  });
  afterAll(async () => {
    await webhook?.close();
    await server?.close();
  });

  it('stores objects of any served version in the storage version (conversion None)', async () => {
    expect((await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crdFor('gadgets', 'Gadget', undefined))).status).toBe(201);
    const crd = await established(`gadgets.${GROUP}`);
    expect(crd.spec.conversion).toEqual({ strategy: 'None' });
    expect(crd.spec.names).toMatchObject({ singular: 'gadget', listKind: 'GadgetList' });
    const created = await json('POST', `/apis/${GROUP}/v1beta1/namespaces/default/gadgets`, { apiVersion: `${GROUP}/v1beta1`, kind: 'Gadget', metadata: { name: 'g1' }, spec: { color: 'red' } });
    expect(created.status).toBe(201);
    expect(created.body.apiVersion).toBe(`${GROUP}/v1beta1`);
    const asV1 = await json('GET', `/apis/${GROUP}/v1/namespaces/default/gadgets/g1`);
    expect(asV1.body).toMatchObject({ apiVersion: `${GROUP}/v1`, spec: { color: 'red' } });
    const list = await json('GET', `/apis/${GROUP}/v1beta1/namespaces/default/gadgets`);
    expect(list.body.items.map((i: any) => i.apiVersion)).toEqual([`${GROUP}/v1beta1`]);
  });

  it('warns on every request to a deprecated version, with kube default text', async () => {
    const res = await json('GET', `/apis/${GROUP}/v1beta1/namespaces/default/gadgets`);
    expect(res.headers.warning).toBe(`299 - "${GROUP}/v1beta1 Gadget is deprecated"`);
    expect((await json('GET', `/apis/${GROUP}/v1/namespaces/default/gadgets`)).headers.warning).toBeUndefined();
  });

  it('selects custom resources by their selectableFields', async () => {
    await json('POST', `/apis/${GROUP}/v1/namespaces/default/gadgets`, { apiVersion: `${GROUP}/v1`, kind: 'Gadget', metadata: { name: 'g2' }, spec: { color: 'blue' } });
    const blue = await json('GET', `/apis/${GROUP}/v1/namespaces/default/gadgets?fieldSelector=spec.color%3Dblue`);
    expect(blue.body.items.map((i: any) => i.metadata.name)).toEqual(['g2']);
    const notBlue = await json('GET', `/apis/${GROUP}/v1/namespaces/default/gadgets?fieldSelector=spec.color!%3Dblue`);
    expect(notBlue.body.items.map((i: any) => i.metadata.name)).toEqual(['g1']);
    // v1beta1 declares no selectable fields: kube's converter refuses the label.
    const refused = await json('GET', `/apis/${GROUP}/v1beta1/namespaces/default/gadgets?fieldSelector=spec.color%3Dblue`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('field label not supported: spec.color');
  });

  it('refuses invalid conversion settings and selectable fields with kube messages', async () => {
    const bad = crdFor('bads', 'Bad', { strategy: 'Webhook', webhook: { clientConfig: { url: 'http://example.com/convert?x=1' }, conversionReviewVersions: ['v2'] } });
    (bad.spec.versions[1] as any).selectableFields = [{ jsonPath: '.spec.missing' }, { jsonPath: '.metadata.name' }, { jsonPath: '.spec' }];
    const res = await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', bad);
    expect(res.status).toBe(422);
    expect(res.body.details.causes.map((c: any) => `${c.field}: ${c.message}`)).toEqual([
      'spec.versions[1].selectableFields[0].jsonPath: Invalid value: ".spec.missing": is an invalid path: does not refer to a valid field',
      'spec.versions[1].selectableFields[1].jsonPath: Invalid value: ".metadata.name": is an invalid path: does not refer to a valid field',
      'spec.versions[1].selectableFields[2].jsonPath: Invalid value: ".spec": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
      "spec.conversion.webhookClientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired format: https://host[/path]",
      'spec.conversion.webhookClientConfig.url: Invalid value: "x=1": query parameters are not permitted in the URL',
      'spec.conversion.conversionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1',
    ]);
    const noConfig = crdFor('bads', 'Bad', { strategy: 'Webhook' });
    const res2 = await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', noConfig);
    expect(res2.body.message).toBe(
      'CustomResourceDefinition.apiextensions.k8s.io "bads.stable.example.com" is invalid: [spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook, spec.conversion.conversionReviewVersions: Required value]',
    );
  });

  it('converts through the webhook: writes in the storage version, reads, lists and watches in the requested one', async () => {
    const conversion = { strategy: 'Webhook', webhook: { clientConfig: { url: `${webhook.url}/convert`, caBundle: webhook.caBundle }, conversionReviewVersions: ['v1'] } };
    expect((await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crdFor('widgets', 'Widget', conversion))).status).toBe(201);
    await established(`widgets.${GROUP}`);
    reviews.length = 0;
    const created = await json('POST', `/apis/${GROUP}/v1beta1/namespaces/default/widgets`, { apiVersion: `${GROUP}/v1beta1`, kind: 'Widget', metadata: { name: 'w1' }, spec: { size: 3 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ apiVersion: `${GROUP}/v1beta1`, spec: { size: 3 } });
    // One review to store it as v1, one to answer in v1beta1.
    expect(reviews.map((r) => r.request.desiredAPIVersion)).toEqual([`${GROUP}/v1`, `${GROUP}/v1beta1`]);
    expect(reviews[0]).toMatchObject({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview' });
    expect(webhook.requests.at(-1)?.url).toBe('/convert?timeout=30s');

    reviews.length = 0;
    const asV1 = await json('GET', `/apis/${GROUP}/v1/namespaces/default/widgets/w1`);
    expect(asV1.body).toMatchObject({ apiVersion: `${GROUP}/v1`, spec: { replicas: 3 } });
    expect(reviews).toHaveLength(0); // already stored as v1

    await json('POST', `/apis/${GROUP}/v1/namespaces/default/widgets`, { apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name: 'w2' }, spec: { replicas: 5 } });
    reviews.length = 0;
    const list = await json('GET', `/apis/${GROUP}/v1beta1/namespaces/default/widgets`);
    expect(list.body.items.map((i: any) => [i.apiVersion, i.spec.size])).toEqual([[`${GROUP}/v1beta1`, 3], [`${GROUP}/v1beta1`, 5]]);
    expect(reviews).toHaveLength(1); // a list is converted in one review
    expect(reviews[0].request.objects).toHaveLength(2);

    // An update through v1beta1 sees the stored object as v1beta1 and stores the result as v1.
    const patch = await server.request('PATCH', `/apis/${GROUP}/v1beta1/namespaces/default/widgets/w1`, {
      body: JSON.stringify({ spec: { size: 4 } }),
      headers: { 'content-type': 'application/merge-patch+json' },
    });
    expect(patch.status).toBe(200);
    expect(patch.json().spec).toEqual({ size: 4 });
    expect((await json('GET', `/apis/${GROUP}/v1/namespaces/default/widgets/w1`)).body.spec).toEqual({ replicas: 4 });
  });

  it('streams watch events converted to the requested version', async () => {
    const res = await server.request('GET', `/apis/${GROUP}/v1beta1/namespaces/default/widgets?watch=true&timeoutSeconds=1`);
    const events = res.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => [e.type, e.object.apiVersion, e.object.spec.size])).toEqual([
      ['ADDED', `${GROUP}/v1beta1`, 4],
      ['ADDED', `${GROUP}/v1beta1`, 5],
    ]);
  });

  it('keeps metadata the webhook must not change, and takes its labels', async () => {
    webhook.handler = (req, res) => {
      const review = JSON.parse(req.body);
      const convertedObjects = review.request.objects.map((o: any) => {
        const out = convert(o, review.request.desiredAPIVersion);
        out.metadata.labels = { converted: 'yes' };
        out.metadata.finalizers = ['sneaky'];
        return out;
      });
      res.end(JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid: review.request.uid, convertedObjects, result: { status: 'Success' } } }));
    };
    const got = (await json('GET', `/apis/${GROUP}/v1beta1/namespaces/default/widgets/w2`)).body;
    expect(got.metadata.labels).toEqual({ converted: 'yes' });
    expect(got.metadata.finalizers).toBeUndefined();
  });

  it("answers kube's errors when the webhook fails", async () => {
    const get = () => json('GET', `/apis/${GROUP}/v1beta1/namespaces/default/widgets/w2`);
    webhook.handler = (req, res) => {
      const review = JSON.parse(req.body);
      res.end(JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid: review.request.uid, result: { status: 'Failure', message: 'spec.size cannot be converted' } } }));
    };
    const failed = await get();
    expect(failed.status).toBe(500);
    expect(failed.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `conversion webhook for ${GROUP}/v1, Kind=Widget failed: spec.size cannot be converted`, code: 500 });

    webhook.handler = (_req, res) => res.end(JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid: 'other', result: { status: 'Success' } } }));
    expect((await get()).body.message).toMatch(new RegExp(`^conversion webhook for ${GROUP}/v1, Kind=Widget failed: expected response.uid="[0-9a-f-]+", got "other"$`));

    const list = await json('GET', `/apis/${GROUP}/v1beta1/namespaces/default/widgets`);
    expect(list.body.message).toMatch(new RegExp(`^conversion webhook for ${GROUP}/v1, Kind=WidgetList failed: expected response.uid`));

    const port = webhook.port;
    await webhook.close();
    const down = await get();
    expect(down.status).toBe(500);
    expect(down.body.message).toBe(`conversion webhook for ${GROUP}/v1, Kind=Widget failed: Post "https://127.0.0.1:${port}/convert?timeout=30s": dial tcp 127.0.0.1:${port}: connect: connection refused`);
    // Reads in the storage version need no webhook.
    expect((await json('GET', `/apis/${GROUP}/v1/namespaces/default/widgets/w2`)).status).toBe(200);
  });

  it('verifies the webhook against its caBundle', async () => {
    const other = await startHttpsBackend((_req, res) => res.end('{}'));
    const conversion = { strategy: 'Webhook', webhook: { clientConfig: { url: `${other.url}/convert`, caBundle: webhook.caBundle }, conversionReviewVersions: ['v1'] } };
    await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crdFor('doodads', 'Doodad', conversion));
    await established(`doodads.${GROUP}`);
    const res = await json('POST', `/apis/${GROUP}/v1beta1/namespaces/default/doodads`, { apiVersion: `${GROUP}/v1beta1`, kind: 'Doodad', metadata: { name: 'd1' }, spec: { size: 1 } });
    expect(res.status).toBe(500);
    expect(res.body.message).toBe(`conversion webhook for ${GROUP}/v1beta1, Kind=Doodad failed: Post "${other.url}/convert?timeout=30s": tls: failed to verify certificate: x509: certificate signed by unknown authority`);
    expect(other.requests).toHaveLength(0);
    // Nothing was stored.
    expect((await json('GET', `/apis/${GROUP}/v1/namespaces/default/doodads`)).body.items).toEqual([]);
    await other.close();
  });

  it('reaches a webhook behind a Service at its endpoints, verifying the <service>.<namespace>.svc name', async () => {
    const ca = await generateCA('conv-ca');
    const leaf = await issueCert(ca, { subject: { commonName: 'conv' }, usage: 'server', dnsNames: ['conv.default.svc'] });
    const reviewsSeen: any[] = [];
    const backend = await startHttpsBackend(conversionWebhook(convert, reviewsSeen), 0, { caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem });
    try {
      const conversion = { strategy: 'Webhook', webhook: { clientConfig: { service: { namespace: 'default', name: 'conv', path: '/convert' }, caBundle: backend.caBundle }, conversionReviewVersions: ['v1'] } };
      const created = await json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crdFor('sprockets', 'Sprocket', conversion));
      expect(created.body.spec.conversion.webhook.clientConfig.service.port).toBe(443);
      await established(`sprockets.${GROUP}`);
      const sprocket = { apiVersion: `${GROUP}/v1beta1`, kind: 'Sprocket', metadata: { name: 's1' }, spec: { size: 2 } };
      const noService = await json('POST', `/apis/${GROUP}/v1beta1/namespaces/default/sprockets`, sprocket);
      expect(noService.body.message).toBe(`conversion webhook for ${GROUP}/v1beta1, Kind=Sprocket failed: Post "https://conv.default.svc:443/convert?timeout=30s": service "conv" not found`);
      // The Service and its Endpoints, as a selector-less Service pointing out of the cluster is set up
      // (written to storage directly: this test is about the conversion client, not the core API).
      const meta = (name: string) => ({ name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' });
      await server.api.storage.create(storageKey({ group: '', resource: 'services', namespaced: true }, 'default', 'conv'), {
        apiVersion: 'v1', kind: 'Service', metadata: meta('conv'), spec: { ports: [{ name: 'https', port: 443, targetPort: 8443 }] },
      });
      const noEndpoints = await json('POST', `/apis/${GROUP}/v1beta1/namespaces/default/sprockets`, sprocket);
      expect(noEndpoints.body.message).toBe(`conversion webhook for ${GROUP}/v1beta1, Kind=Sprocket failed: Post "https://conv.default.svc:443/convert?timeout=30s": no endpoints available for service "conv"`);
      await server.api.storage.create(storageKey({ group: '', resource: 'endpoints', namespaced: true }, 'default', 'conv'), {
        apiVersion: 'v1', kind: 'Endpoints', metadata: meta('conv'), subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: backend.port }] }],
      });
      const stored = await json('POST', `/apis/${GROUP}/v1beta1/namespaces/default/sprockets`, sprocket);
      expect(stored.status).toBe(201);
      expect(backend.requests[0].url).toBe('/convert?timeout=30s');
      expect(backend.requests[0].headers.host).toBe('conv.default.svc:443');
      expect((await json('GET', `/apis/${GROUP}/v1/namespaces/default/sprockets/s1`)).body.spec).toEqual({ replicas: 2 });
    } finally {
      await backend.close();
    }
  });
});
