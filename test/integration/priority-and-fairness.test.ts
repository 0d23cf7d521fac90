// API Priority and Fairness as clients see it: kube's bootstrap configuration, the PF headers, 429 with
// Retry-After from a full level, fair queuing that keeps a quiet user served while another floods,
// validation, the Dangling condition and the metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { startTestServer, type TestServer } from '../support/server.js';

const FC = '/apis/flowcontrol.apiserver.k8s.io/v1';
const JSON_BODY = { 'content-type': 'application/json' };
const everything = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }];

describe('priority and fairness', () => {
  let server: TestServer;
  let dir: string;
  const as = (user: string) => ({ authorization: `Bearer ${user}-token` });
  const slow = (user: string, ms: number) => server.anonymous('GET', `/apis/test.kube-chain.io/v1/slow?ms=${ms}`, { headers: as(user) });
  const post = (path: string, body: unknown) => server.request('POST', path, { body: JSON.stringify(body), headers: JSON_BODY });
  const metricValue = async (series: string) => {
    const line = (await server.request('GET', '/metrics')).text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };
  const uidOf = async (resource: string, name: string) => (await server.request('GET', `${FC}/${resource}/${name}`)).json().metadata.uid as string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kc-apf-'));
    const tokenAuthFile = join(dir, 'tokens.csv');
    await writeFile(tokenAuthFile, ['tiny', 'noisy', 'quiet', 'carol'].map((u) => `${u}-token,${u},uid-${u}`).join('\n'));
    // A server concurrency limit of 3 seats: each level gets at least one; the test levels borrow none.
    // AlwaysAllow: the token users reach the test routes without RBAC bindings.
    server = await startTestServer({ maxRequestsInflight: 2, maxMutatingRequestsInflight: 1, tokenAuthFile, authorizationMode: ['AlwaysAllow'] });
    server.chain.kubeAPIServer.rest.set('/apis/test.kube-chain.io/v1', async (ctx) => {
      await new Promise((r) => setTimeout(r, Number(ctx.query.ms ?? 100)));
      ctx.body = 'done';
    });
    const created = await Promise.all([
      post(`${FC}/prioritylevelconfigurations`, { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: { name: 'tiny' }, spec: { type: 'Limited', limited: { nominalConcurrencyShares: 1, borrowingLimitPercent: 0, limitResponse: { type: 'Reject' } } } }),
      post(`${FC}/flowschemas`, { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name: 'tiny' }, spec: { priorityLevelConfiguration: { name: 'tiny' }, matchingPrecedence: 500, rules: [{ subjects: [{ kind: 'User', user: { name: 'tiny' } }], resourceRules: everything }] } }),
      post(`${FC}/prioritylevelconfigurations`, { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: { name: 'fair' }, spec: { type: 'Limited', limited: { nominalConcurrencyShares: 1, borrowingLimitPercent: 0, limitResponse: { type: 'Queue', queuing: { queues: 16, handSize: 2, queueLengthLimit: 50 } } } } }),
      post(`${FC}/flowschemas`, {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
        kind: 'FlowSchema',
        metadata: { name: 'fair' },
        spec: { priorityLevelConfiguration: { name: 'fair' }, matchingPrecedence: 600, distinguisherMethod: { type: 'ByUser' }, rules: [{ subjects: [{ kind: 'User', user: { name: 'noisy' } }, { kind: 'User', user: { name: 'quiet' } }], resourceRules: everything }] },
      }),
    ]);
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const fairUID = created[2].json().metadata.uid;
    // The configuration controller picks the new objects up from its watch.
    for (let i = 0; i < 100 && (await slow('quiet', 1)).headers['x-kubernetes-pf-prioritylevel-uid'] !== fairUID; i++) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates kube\'s mandatory and suggested configuration, shown with kubectl\'s columns', async () => {
    const table = await server.request('GET', `${FC}/prioritylevelconfigurations`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    const rows = table.json().rows.map((r: any) => r.cells.slice(0, 6));
    expect(table.json().columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Type', 'NominalConcurrencyShares', 'Queues', 'HandSize', 'QueueLengthLimit', 'Age']);
    expect(rows).toEqual([
      ['catch-all', 'Limited', 5, '<none>', '<none>', '<none>'],
      ['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>'],
      ['fair', 'Limited', 1, 16, 2, 50],
      ['global-default', 'Limited', 20, 128, 6, 50],
      ['leader-election', 'Limited', 10, 16, 4, 50],
      ['node-high', 'Limited', 40, 64, 6, 50],
      ['system', 'Limited', 30, 64, 6, 50],
      ['tiny', 'Limited', 1, '<none>', '<none>', '<none>'],
      ['workload-high', 'Limited', 40, 128, 6, 50],
      ['workload-low', 'Limited', 100, 128, 6, 50],
    ]);
    const schemas = await server.request('GET', `${FC}/flowschemas`, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    expect(schemas.json().columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'PriorityLevel', 'MatchingPrecedence', 'DistinguisherMethod', 'Age', 'MissingPL']);
    const byName = Object.fromEntries(schemas.json().rows.map((r: any) => [r.cells[0], r.cells]));
    expect(Object.keys(byName).sort()).toEqual([
      'catch-all', 'exempt', 'fair', 'global-default', 'kube-controller-manager', 'kube-scheduler', 'kube-system-service-accounts',
      'probes', 'service-accounts', 'system-leader-election', 'system-node-high', 'system-nodes', 'tiny',
    ]);
    expect(byName['exempt']).toEqual(['exempt', 'exempt', '1', '<none>', expect.any(String), 'False']);
    expect(byName['kube-system-service-accounts']).toEqual(['kube-system-service-accounts', 'workload-high', '900', 'ByNamespace', expect.any(String), 'False']);
    const exempt = (await server.request('GET', `${FC}/flowschemas/exempt`)).json();
    expect(exempt.metadata.annotations).toEqual({ 'apf.kubernetes.io/autoupdate-spec': 'true' });
    expect(exempt.status.conditions).toEqual([
      { type: 'Dangling', status: 'False', lastTransitionTime: expect.any(String), reason: 'Found', message: 'This FlowSchema references the PriorityLevelConfiguration object named "exempt" and it exists' },
    ]);
  });

  it('answers with the UIDs of the matched FlowSchema and priority level', async () => {
    const admin = await server.request('GET', '/api/v1/namespaces');
    expect(admin.headers['x-kubernetes-pf-flowschema-uid']).toBe(await uidOf('flowschemas', 'exempt'));
    expect(admin.headers['x-kubernetes-pf-prioritylevel-uid']).toBe(await uidOf('prioritylevelconfigurations', 'exempt'));
    const probe = await server.anonymous('GET', '/healthz');
    expect(probe.headers['x-kubernetes-pf-flowschema-uid']).toBe(await uidOf('flowschemas', 'probes'));
    const carol = await server.anonymous('GET', '/api/v1/namespaces', { headers: as('carol') });
    expect(carol.headers['x-kubernetes-pf-flowschema-uid']).toBe(await uidOf('flowschemas', 'global-default'));
    expect(carol.headers['x-kubernetes-pf-prioritylevel-uid']).toBe(await uidOf('prioritylevelconfigurations', 'global-default'));
  });

  it('rejects with 429 and Retry-After when a Reject level is full', async () => {
    const holding = slow('tiny', 600);
    await new Promise((r) => setTimeout(r, 150));
    const rejected = await slow('tiny', 1);
    expect(rejected.status).toBe(429);
    expect(rejected.headers['retry-after']).toBe('1');
    expect(rejected.headers['x-kubernetes-pf-prioritylevel-uid']).toBe(await uidOf('prioritylevelconfigurations', 'tiny'));
    expect(rejected.json()).toEqual({
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Too many requests, please try again later.', reason: 'TooManyRequests', details: { retryAfterSeconds: 1 }, code: 429,
    });
    // Another level is not affected, and the admin is exempt.
    expect((await slow('carol', 1)).status).toBe(200);
    expect((await server.request('GET', '/apis/test.kube-chain.io/v1/slow?ms=1')).status).toBe(200);
    expect((await holding).status).toBe(200);
    const metrics = (await server.request('GET', '/metrics')).text;
    expect(metrics).toContain('apiserver_flowcontrol_rejected_requests_total{priority_level="tiny",flow_schema="tiny",reason="concurrency-limit"} 1');
    expect(metrics).toMatch(/apiserver_flowcontrol_dispatched_requests_total\{priority_level="tiny",flow_schema="tiny"\} [1-9]/);
    expect(metrics).toContain('apiserver_flowcontrol_nominal_limit_seats{priority_level="tiny"} 1');
    expect(metrics).toContain('# TYPE apiserver_flowcontrol_current_inqueue_requests gauge');
    expect(metrics).toContain('apiserver_flowcontrol_request_wait_duration_seconds_bucket');
  });

  it('keeps a quiet user served while a noisy one floods the same level', async () => {
    // One seat. The bound is counted in the flood's requests rather than in seconds, so that a slow
    // machine cannot make it flaky: served first-come, each quiet request would wait for every flood
    // request queued before it (about 30); fairly queued, for about one per queue the flood holds (2).
    const FLOOD = 40;
    let floodDone = 0;
    const flood = Array.from({ length: FLOOD }, () => slow('noisy', 100).then((r) => (floodDone++, r)));
    await expect.poll(() => metricValue('apiserver_flowcontrol_current_inqueue_requests{priority_level="fair",flow_schema="fair"}'), { timeout: 10000 }).toBeGreaterThanOrEqual(20);
    const servedBefore: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = floodDone;
      const res = await slow('quiet', 1);
      expect(res.status).toBe(200);
      servedBefore.push(floodDone - before);
    }
    expect(Math.max(...servedBefore)).toBeLessThanOrEqual(6);
    expect(floodDone).toBeLessThan(FLOOD / 2);
    const results = await Promise.all(flood);
    expect(results.every((r) => r.status === 200)).toBe(true);
  }, 30000);

  it('holds a watch\'s seat while it sends its initial events, and gives it back after', async () => {
    // 40 configmaps of 100 kB: more initial events than the sockets buffer, so a client that does not
    // read keeps the watch initializing.
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 40; i += 10) {
      const made = await Promise.all(Array.from({ length: 10 }, (_, j) => post('/api/v1/namespaces/default/configmaps', { metadata: { name: `big-${i + j}` }, data: { big } })));
      expect(made.map((r) => r.status)).toEqual(Array(10).fill(201));
    }
    const url = new URL(`${server.url}/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=30`);
    let response: IncomingMessage | undefined;
    const req = https.request(url, { ca: server.tls.caPem, headers: as('tiny') }, (res) => {
      res.pause();
      response = res;
    });
    req.end();
    try {
      await expect.poll(() => response?.statusCode, { timeout: 10000 }).toBe(200);
      // tiny's only seat is the watch's: another request of the level is rejected.
      await new Promise((r) => setTimeout(r, 100));
      const executing = 'apiserver_flowcontrol_current_executing_requests{priority_level="tiny",flow_schema="tiny"}';
      expect(await metricValue(executing)).toBe(1);
      expect((await slow('tiny', 1)).status).toBe(429);
      // Once the client has read the initial events, the watch stays open without its seat.
      let received = '';
      response!.on('data', (chunk) => (received += chunk));
      response!.resume();
      await expect.poll(() => received.split('\n').filter((l) => l.includes('"ADDED"')).length, { timeout: 10000 }).toBe(40);
      await expect.poll(() => metricValue(executing), { timeout: 5000 }).toBe(0);
      expect((await slow('tiny', 1)).status).toBe(200);
      expect(response!.complete).toBe(false);
    } finally {
      req.destroy();
      await Promise.all(Array.from({ length: 40 }, (_, i) => server.request('DELETE', `/api/v1/namespaces/default/configmaps/big-${i}`)));
    }
  }, 30000);

  it('validates FlowSchemas and PriorityLevelConfigurations as kube does', async () => {
    const bad = await post(`${FC}/flowschemas`, {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'FlowSchema',
      metadata: { name: 'bad' },
      spec: { priorityLevelConfiguration: { name: '' }, matchingPrecedence: 20000, rules: [{ subjects: [], resourceRules: [{ verbs: ['get', '*'], apiGroups: [], resources: ['pods'] }] }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.json().message).toBe(
      'FlowSchema.flowcontrol.apiserver.k8s.io "bad" is invalid: [spec.matchingPrecedence: Invalid value: 20000: must not be greater than 10000, ' +
        'spec.priorityLevelConfiguration.name: Required value: must reference a priority level, spec.rules[0].subjects: Required value: subjects must contain at least one value, ' +
        `spec.rules[0].resourceRules[0].verbs: Invalid value: []string{"get", "*"}: if '*' is present, must not specify other verbs, ` +
        'spec.rules[0].resourceRules[0].apiGroups: Required value: resource rules must supply at least one api group, ' +
        'spec.rules[0].resourceRules[0].namespaces: Required value: resource rules that are not cluster scoped must supply at least one namespace]',
    );
    const badLevel = await post(`${FC}/prioritylevelconfigurations`, {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'PriorityLevelConfiguration',
      metadata: { name: 'bad' },
      spec: { type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: { queues: 4, handSize: 8 } } } },
    });
    expect(badLevel.status).toBe(422);
    expect(badLevel.json().message).toBe(
      'PriorityLevelConfiguration.flowcontrol.apiserver.k8s.io "bad" is invalid: spec.limited.limitResponse.queuing.handSize: Invalid value: 8: should not be greater than queues (4)',
    );
    const exempt = (await server.request('GET', `${FC}/prioritylevelconfigurations/exempt`)).json();
    exempt.spec = { type: 'Limited', limited: { nominalConcurrencyShares: 1, limitResponse: { type: 'Reject' } } };
    const changed = await server.request('PUT', `${FC}/prioritylevelconfigurations/exempt`, { body: JSON.stringify(exempt), headers: JSON_BODY });
    expect(changed.status).toBe(422);
    expect(changed.json().message).toContain(`spec.type: Invalid value: "Limited": type must be 'Exempt' if and only if name is 'exempt'`);
    expect(changed.json().message).toContain("spec of 'exempt' must equal the fixed value");
  });

  it('marks a FlowSchema whose priority level is missing as Dangling', async () => {
    const res = await post(`${FC}/flowschemas`, {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
      kind: 'FlowSchema',
      metadata: { name: 'orphan' },
      spec: { priorityLevelConfiguration: { name: 'nowhere' }, rules: [{ subjects: [{ kind: 'Group', group: { name: 'nobody' } }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/version'] }] }] },
    });
    expect(res.status).toBe(201);
    expect(res.json().spec.matchingPrecedence).toBe(1000);
    await expect
      .poll(async () => (await server.request('GET', `${FC}/flowschemas/orphan`)).json().status?.conditions?.[0], { timeout: 5000 })
      .toEqual({ type: 'Dangling', status: 'True', lastTransitionTime: expect.any(String), reason: 'NotFound', message: 'This FlowSchema references the PriorityLevelConfiguration object named "nowhere" but there is no such object' });
  });
});
