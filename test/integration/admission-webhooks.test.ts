// Admission webhooks end to end: HTTPS webhook servers started by the test, configured through the
// admissionregistration.k8s.io/v1 API, called for built-ins and custom resources as kube calls them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { startWebhookServer, type WebhookServer } from '../support/webhook-server.js';

const json = { 'content-type': 'application/json' };
const CM = '/api/v1/namespaces/default/configmaps';
const VWC = '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations';
const MWC = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';

function webhook(name: string, url: string, caBundle: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    clientConfig: { url, caBundle },
    rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

function configMap(name: string, labels: Record<string, string>) {
  return JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: 'b' } });
}

describe('admission webhooks', () => {
  let server: TestServer;
  let hooks: WebhookServer;

  beforeAll(async () => {
    [server, hooks] = await Promise.all([startTestServer(), startWebhookServer()]);
  });
  afterAll(async () => {
    await hooks?.close();
    await server?.close();
  });

  /** Creates a configuration and waits until a dry-run probe reaches the webhook at `path`. */
  async function configure(collection: string, kind: string, name: string, webhooks: unknown[], probe: { labels: Record<string, string>; path: string }) {
    const res = await server.request('POST', collection, { headers: json, body: JSON.stringify({ apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name }, webhooks }) });
    expect(res.status, res.text).toBe(201);
    const before = hooks.received.get(probe.path)?.length ?? 0;
    for (let i = 0; i < 100 && (hooks.received.get(probe.path)?.length ?? 0) === before; i++) {
      await server.request('POST', `${CM}?dryRun=All`, { headers: json, body: configMap(`probe-${i}`, probe.labels) });
      if ((hooks.received.get(probe.path)?.length ?? 0) === before) await new Promise((r) => setTimeout(r, 20));
    }
    expect(hooks.received.get(probe.path)?.length ?? 0).toBeGreaterThan(before);
    return res.json();
  }

  it('serves the configurations with kube defaults and prints NAME WEBHOOKS AGE', async () => {
    const created = await configure(VWC, 'ValidatingWebhookConfiguration', 'defaults', [webhook('defaults.test.kube-chain.io', hooks.url('/allow'), hooks.caBundle, { objectSelector: { matchLabels: { hook: 'defaults' } } })], { labels: { hook: 'defaults' }, path: '/allow' });
    expect(created.metadata.generation).toBe(1);
    expect(created.webhooks[0]).toMatchObject({ failurePolicy: 'Fail', matchPolicy: 'Equivalent', namespaceSelector: {}, timeoutSeconds: 10 });
    expect(created.webhooks[0].rules[0].scope).toBe('*');
    const table = await server.request('GET', `${VWC}/defaults`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    const t = table.json();
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Webhooks', 'Age']);
    expect(t.rows[0].cells.slice(0, 2)).toEqual(['defaults', 1]);
  });

  it('refuses invalid configurations with kube field errors', async () => {
    const bad = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'bad' },
      webhooks: [
        { name: 'short', clientConfig: { url: 'http://example.com/x' }, sideEffects: 'Some', admissionReviewVersions: ['v2'], timeoutSeconds: 31, rules: [] },
        { name: 'short', clientConfig: {}, admissionReviewVersions: ['v1'] },
      ],
    };
    const res = await server.request('POST', VWC, { headers: json, body: JSON.stringify(bad) });
    expect(res.status).toBe(422);
    const status = res.json();
    expect(status.reason).toBe('Invalid');
    expect(status.details.causes.map((c: any) => `${c.field}: ${c.message}`)).toEqual([
      'webhooks[0].name: Invalid value: "short": should be a domain with at least three segments separated by dots',
      'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
      'webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds',
      "webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme; desired format: https://host[/path]",
      'webhooks[0].admissionReviewVersions: Invalid value: []string{"v2"}: must include at least one of v1, v1beta1',
      'webhooks[1].name: Invalid value: "short": should be a domain with at least three segments separated by dots',
      'webhooks[1].sideEffects: Required value: must specify one of None, NoneOnDryRun',
      'webhooks[1].clientConfig: Required value: exactly one of url or service is required',
      'webhooks[1].name: Duplicate value: "short"',
    ]);
  });

  it('a validating webhook that denies: kube\'s message, the webhook\'s code, warnings passed on', async () => {
    hooks.handle('/deny', (request) =>
      request.object.metadata.name.startsWith('probe')
        ? { allowed: true }
        : { allowed: false, status: { code: 403, message: 'configmaps named like this are not welcome' }, warnings: ['think twice'] },
    );
    await configure(VWC, 'ValidatingWebhookConfiguration', 'deny', [webhook('deny.test.kube-chain.io', hooks.url('/deny'), hooks.caBundle, { objectSelector: { matchLabels: { hook: 'deny' } } })], { labels: { hook: 'deny' }, path: '/deny' });
    const res = await server.request('POST', CM, { headers: json, body: configMap('denied', { hook: 'deny' }) });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'admission webhook "deny.test.kube-chain.io" denied the request: configmaps named like this are not welcome',
      code: 403,
    });
    expect(res.headers.warning).toBe('299 - "think twice"');
    expect((await server.request('GET', `${CM}/denied`)).status).toBe(404);
    // Objects the selector does not pick are not sent.
    expect((await server.request('POST', CM, { headers: json, body: configMap('other', { hook: 'none' }) })).status).toBe(201);
  });

  it('sends the AdmissionReview v1 request kube builds', async () => {
    hooks.received.delete('/allow');
    const res = await server.request('POST', `${CM}?fieldManager=tester`, { headers: json, body: configMap('reviewed', { hook: 'defaults' }) });
    expect(res.status).toBe(201);
    const [review] = hooks.received.get('/allow')!;
    expect(review.url).toBe('/allow?timeout=10s');
    expect(review.apiVersion).toBe('admission.k8s.io/v1');
    expect(review.kind).toBe('AdmissionReview');
    const r = review.request;
    expect(r.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(r).toMatchObject({
      kind: { group: '', version: 'v1', kind: 'ConfigMap' },
      resource: { group: '', version: 'v1', resource: 'configmaps' },
      requestKind: { group: '', version: 'v1', kind: 'ConfigMap' },
      requestResource: { group: '', version: 'v1', resource: 'configmaps' },
      name: 'reviewed',
      namespace: 'default',
      operation: 'CREATE',
      oldObject: null,
      dryRun: false,
      options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1', fieldManager: 'tester' },
    });
    expect(r.userInfo.username).toBe('kube-chain-admin');
    expect(r.userInfo.groups).toContain('system:masters');
    expect(r.object).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'reviewed', namespace: 'default' }, data: { a: 'b' } });
    expect(r.subResource).toBeUndefined();

    // An update carries the old object; dryRun is passed on.
    hooks.received.delete('/allow');
    const updated = await server.request('PATCH', `${CM}/reviewed?dryRun=All`, { headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ data: { a: 'c' } }) });
    expect(updated.status).toBe(200);
    const update = hooks.received.get('/allow')![0].request;
    expect(update).toMatchObject({ operation: 'UPDATE', dryRun: true, object: { data: { a: 'c' } }, oldObject: { data: { a: 'b' } } });
    expect(update.options).toEqual({ kind: 'PatchOptions', apiVersion: 'meta.k8s.io/v1', dryRun: ['All'] });
  });

  it('a webhook that hangs with failurePolicy Ignore costs at most its timeout', async () => {
    hooks.handle('/hang-ignore', (request) => (request.object.metadata.name.startsWith('probe') ? { allowed: true } : 'hang'));
    await configure(VWC, 'ValidatingWebhookConfiguration', 'hang-ignore', [webhook('hang-ignore.test.kube-chain.io', hooks.url('/hang-ignore'), hooks.caBundle, { timeoutSeconds: 1, failurePolicy: 'Ignore', objectSelector: { matchLabels: { hook: 'hang-ignore' } } })], { labels: { hook: 'hang-ignore' }, path: '/hang-ignore' });
    const started = Date.now();
    const res = await server.request('POST', CM, { headers: json, body: configMap('slow-but-fine', { hook: 'hang-ignore' }) });
    const took = Date.now() - started;
    expect(res.status).toBe(201);
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(5000);
  });

  it('a webhook that hangs with failurePolicy Fail: kube\'s internal error after its timeout', async () => {
    hooks.handle('/hang-fail', (request) => (request.object.metadata.name.startsWith('probe') ? { allowed: true } : 'hang'));
    await configure(VWC, 'ValidatingWebhookConfiguration', 'hang-fail', [webhook('hang-fail.test.kube-chain.io', hooks.url('/hang-fail'), hooks.caBundle, { timeoutSeconds: 1, objectSelector: { matchLabels: { hook: 'hang-fail' } } })], { labels: { hook: 'hang-fail' }, path: '/hang-fail' });
    const res = await server.request('POST', CM, { headers: json, body: configMap('refused', { hook: 'hang-fail' }) });
    expect(res.status).toBe(500);
    const text = `failed calling webhook "hang-fail.test.kube-chain.io": failed to call webhook: Post "${hooks.url('/hang-fail')}?timeout=1s": context deadline exceeded`;
    expect(res.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Internal error occurred: ${text}`, reason: 'InternalError', details: { causes: [{ message: text }] }, code: 500 });
  });

  it('a webhook that is down follows its failurePolicy', async () => {
    const res = await server.request('POST', VWC, {
      headers: json,
      body: JSON.stringify({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'down' }, webhooks: [webhook('down.test.kube-chain.io', 'https://127.0.0.1:1/down', hooks.caBundle, { objectSelector: { matchLabels: { hook: 'down' } } })] }),
    });
    expect(res.status).toBe(201);
    let last;
    for (let i = 0; i < 100; i++) {
      last = await server.request('POST', `${CM}?dryRun=All`, { headers: json, body: configMap('down', { hook: 'down' }) });
      if (last.status !== 201) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(last!.status).toBe(500);
    expect(last!.json().message).toBe('Internal error occurred: failed calling webhook "down.test.kube-chain.io": failed to call webhook: Post "https://127.0.0.1:1/down?timeout=10s": dial tcp 127.0.0.1:1: connect: connection refused');
  });

  it('a webhook behind a Service is reached at one of its endpoints, as <name>.<namespace>.svc', async () => {
    const service = (name: string) => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name },
      webhooks: [{ ...webhook(`${name}.test.kube-chain.io`, '', hooks.caBundle, { objectSelector: { matchLabels: { hook: name } } }), clientConfig: { service: { namespace: 'default', name: 'hook', path: '/svc' }, caBundle: hooks.caBundle } }],
    });
    // No Service yet: kube's dial error, under failurePolicy Fail.
    expect((await server.request('POST', VWC, { headers: json, body: JSON.stringify(service('svc-missing')) })).status).toBe(201);
    let res!: Awaited<ReturnType<TestServer['request']>>;
    for (let i = 0; i < 100; i++) {
      res = await server.request('POST', `${CM}?dryRun=All`, { headers: json, body: configMap('svc', { hook: 'svc-missing' }) });
      if (res.status !== 201) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(res.json().message).toBe('Internal error occurred: failed calling webhook "svc-missing.test.kube-chain.io": failed to call webhook: Post "https://hook.default.svc:443/svc?timeout=10s": service "hook" not found');
    // A Service whose Endpoints point at the test's webhook server.
    const port = Number(new URL(hooks.url('/')).port);
    await server.api.storage.create('/registry/services/default/hook', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook', namespace: 'default', uid: 'svc-uid' }, spec: { ports: [{ name: 'https', port: 443, targetPort: port }] } });
    await server.api.storage.create('/registry/endpoints/default/hook', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'hook', namespace: 'default', uid: 'ep-uid' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port }] }] });
    hooks.handle('/svc', () => ({ allowed: false, status: { message: 'reached through the service' } }));
    const denied = await server.request('POST', `${CM}?dryRun=All`, { headers: json, body: configMap('svc', { hook: 'svc-missing' }) });
    expect(denied.json().message).toBe('admission webhook "svc-missing.test.kube-chain.io" denied the request: reached through the service');
    expect(hooks.received.get('/svc')!.at(-1).url).toBe('/svc?timeout=10s');
  });

  it('a mutating webhook adds a label with a JSONPatch; validating webhooks see the result', async () => {
    hooks.handle('/mutate', (request) => {
      const hasLabels = request.object.metadata.labels !== undefined;
      const patch = hasLabels ? [{ op: 'add', path: '/metadata/labels/mutated', value: 'yes' }] : [{ op: 'add', path: '/metadata/labels', value: { mutated: 'yes' } }];
      return { patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64'), warnings: ['mutated it'] };
    });
    await configure(MWC, 'MutatingWebhookConfiguration', 'mutate', [webhook('mutate.test.kube-chain.io', hooks.url('/mutate'), hooks.caBundle, { objectSelector: { matchLabels: { hook: 'mutate' } } })], { labels: { hook: 'mutate' }, path: '/mutate' });
    const res = await server.request('POST', CM, { headers: json, body: configMap('mutated', { hook: 'mutate' }) });
    expect(res.status, res.text).toBe(201);
    expect(res.json().metadata.labels).toEqual({ hook: 'mutate', mutated: 'yes' });
    expect(res.headers.warning).toBe('299 - "mutated it"');
    const stored = (await server.request('GET', `${CM}/mutated`)).json();
    expect(stored.metadata.labels).toEqual({ hook: 'mutate', mutated: 'yes' });
    // The mutating webhook saw the object before the server set uid and creationTimestamp, as in kube.
    const seen = hooks.received.get('/mutate')!.at(-1).request.object;
    expect(seen.metadata.uid).toBeUndefined();
  });

  it('mutating webhooks see earlier mutations (objectSelector re-checked) and IfNeeded ones are called again', async () => {
    const patchLabel = (key: string) => ({ patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify([{ op: 'add', path: `/metadata/labels/${key}`, value: 'yes' }])).toString('base64') });
    hooks.handle('/first', (request) => (request.object.metadata.labels.first ? {} : patchLabel('first')));
    hooks.handle('/second', (request) => (request.object.metadata.labels.second ? {} : patchLabel('second')));
    await configure(MWC, 'MutatingWebhookConfiguration', 'chain', [
      webhook('first.test.kube-chain.io', hooks.url('/first'), hooks.caBundle, { reinvocationPolicy: 'IfNeeded', objectSelector: { matchLabels: { hook: 'chain' } } }),
      // Picks only objects the first webhook labelled.
      webhook('second.test.kube-chain.io', hooks.url('/second'), hooks.caBundle, { objectSelector: { matchLabels: { first: 'yes' } } }),
    ], { labels: { hook: 'chain' }, path: '/first' });
    hooks.received.delete('/first');
    hooks.received.delete('/second');
    const res = await server.request('POST', CM, { headers: json, body: configMap('chained', { hook: 'chain' }) });
    expect(res.status, res.text).toBe(201);
    expect(res.json().metadata.labels).toEqual({ hook: 'chain', first: 'yes', second: 'yes' });
    expect(hooks.received.get('/second')).toHaveLength(1);
    const firstCalls = hooks.received.get('/first')!;
    expect(firstCalls).toHaveLength(2);
    expect(firstCalls[1].request.object.metadata.labels).toEqual({ hook: 'chain', first: 'yes', second: 'yes' });
  });

  it('custom resources go through the webhooks too', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.hooks.example.com' },
      spec: {
        group: 'hooks.example.com',
        scope: 'Namespaced',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
      },
    };
    expect((await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { headers: json, body: JSON.stringify(crd) })).status).toBe(201);
    hooks.handle('/gadgets', (request) => (request.object?.spec?.size > 10 ? { allowed: false, status: { message: 'too big' } } : { allowed: true }));
    const res = await server.request('POST', VWC, {
      headers: json,
      body: JSON.stringify({
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'gadgets' },
        webhooks: [{ ...webhook('gadgets.test.kube-chain.io', hooks.url('/gadgets'), hooks.caBundle), rules: [{ operations: ['*'], apiGroups: ['hooks.example.com'], apiVersions: ['*'], resources: ['gadgets'] }] }],
      }),
    });
    expect(res.status).toBe(201);
    const gadgets = '/apis/hooks.example.com/v1/namespaces/default/gadgets';
    const body = (name: string, size: number) => JSON.stringify({ apiVersion: 'hooks.example.com/v1', kind: 'Gadget', metadata: { name }, spec: { size } });
    let denied;
    for (let i = 0; i < 200; i++) {
      denied = await server.request('POST', `${gadgets}?dryRun=All`, { headers: json, body: body('big', 11) });
      if (denied.status === 400) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(denied!.json().message).toBe('admission webhook "gadgets.test.kube-chain.io" denied the request: too big');
    expect(denied!.status).toBe(400);
    expect((await server.request('POST', gadgets, { headers: json, body: body('small', 1) })).status).toBe(201);
    hooks.received.delete('/gadgets');
    expect((await server.request('DELETE', `${gadgets}/small`)).status).toBe(200);
    const review = hooks.received.get('/gadgets')![0].request;
    expect(review).toMatchObject({ operation: 'DELETE', object: null, oldObject: { metadata: { name: 'small' } }, kind: { group: 'hooks.example.com', version: 'v1', kind: 'Gadget' }, options: { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1' } });
  });
});
