// kube's APF debug endpoints as a client sees them: /debug/api_priority_and_fairness/dump_priority_levels,
// dump_queues and dump_requests, in kube's comma-and-tab columns aligned by Go's tabwriter, authorized
// as non-resource URLs; and the seats APF estimates for a list over many objects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';

const FC = '/apis/flowcontrol.apiserver.k8s.io/v1';
const DEBUG = '/debug/api_priority_and_fairness';
const JSON_BODY = { 'content-type': 'application/json' };

/** A dump as rows of cells (kube separates cells with ",\t", which the tabwriter pads with spaces). */
function parse(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(/,\s*/).map((c) => c.trim()));
}

describe('APF debug endpoints', () => {
  let server: TestServer;
  let dir: string;
  const as = (user: string) => ({ authorization: `Bearer ${user}-token` });
  const post = (path: string, body: unknown) => server.request('POST', path, { body: JSON.stringify(body), headers: JSON_BODY });
  const slow = (user: string, ms: number) => server.anonymous('GET', `/apis/test.kube-chain.io/v1/slow?ms=${ms}`, { headers: as(user) });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kc-apf-debug-'));
    const tokenAuthFile = join(dir, 'tokens.csv');
    await writeFile(tokenAuthFile, ['noisy', 'lister', 'viewer'].map((u) => `${u}-token,${u},uid-${u}`).join('\n'));
    server = await startTestServer({ maxRequestsInflight: 2, maxMutatingRequestsInflight: 1, tokenAuthFile, etcdCountMetricPollPeriodSeconds: 0.2 });
    server.chain.kubeAPIServer.rest.set('/apis/test.kube-chain.io/v1', async (ctx) => {
      await new Promise((r) => setTimeout(r, Number(ctx.query.ms ?? 100)));
      ctx.body = 'done';
    });
    const created = await Promise.all([
      post('/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'apf-test' }, rules: [{ apiGroups: ['test.kube-chain.io', ''], resources: ['*'], verbs: ['get', 'list'] }] }),
      post('/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
        metadata: { name: 'apf-test' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'apf-test' },
        subjects: [{ kind: 'User', name: 'noisy' }, { kind: 'User', name: 'lister' }],
      }),
      post(`${FC}/prioritylevelconfigurations`, { metadata: { name: 'one' }, spec: { type: 'Limited', limited: { nominalConcurrencyShares: 1, borrowingLimitPercent: 0, limitResponse: { type: 'Queue', queuing: { queues: 4, handSize: 1, queueLengthLimit: 50 } } } } }),
      post(`${FC}/flowschemas`, { metadata: { name: 'one' }, spec: { priorityLevelConfiguration: { name: 'one' }, matchingPrecedence: 500, distinguisherMethod: { type: 'ByUser' }, rules: [{ subjects: [{ kind: 'User', user: { name: 'noisy' } }], resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }] }] } }),
      post(`${FC}/prioritylevelconfigurations`, { metadata: { name: 'lists' }, spec: { type: 'Limited', limited: { nominalConcurrencyShares: 1, limitResponse: { type: 'Reject' } } } }),
      post(`${FC}/flowschemas`, { metadata: { name: 'lists' }, spec: { priorityLevelConfiguration: { name: 'lists' }, matchingPrecedence: 500, rules: [{ subjects: [{ kind: 'User', user: { name: 'lister' } }], resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }] }] } }),
    ]);
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    // The configuration controller picks the new objects up from its watch.
    for (let i = 0; i < 100 && !parse((await server.request('GET', `${DEBUG}/dump_priority_levels`)).text).some((r) => r[0] === 'one'); i++) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('dumps the priority levels, one row each, in kube\'s columns', async () => {
    const res = await server.request('GET', `${DEBUG}/dump_priority_levels`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = res.text.split('\n');
    // Go's tabwriter: each column padded to its widest cell plus one space.
    expect(lines[0]).toBe('PriorityLevelName, ActiveQueues, IsIdle, IsQuiescing, WaitingRequests, ExecutingRequests, DispatchedRequests, RejectedRequests, TimedoutRequests, CancelledRequests');
    const rows = parse(res.text);
    expect(rows.map((r) => r[0])).toEqual(['PriorityLevelName', 'catch-all', 'exempt', 'global-default', 'leader-election', 'lists', 'node-high', 'one', 'system', 'workload-high', 'workload-low']);
    expect(rows.find((r) => r[0] === 'one')).toEqual(['one', '0', 'true', 'false', '0', '0', expect.stringMatching(/^\d+$/), '0', '0', '0']);
    // The admin's own request is running in the exempt level.
    expect(rows.find((r) => r[0] === 'exempt')!.slice(1, 6)).toEqual(['0', 'false', 'false', '0', '1']);
    // Every row has every cell, so every column starts at the same offset on every line.
    const starts = (line: string) => [...line.matchAll(/,\s+/g)].map((m) => m.index! + m[0].length);
    for (const line of lines.slice(1, -1)) expect(starts(line)).toEqual(starts(lines[0]));
    expect(res.text.endsWith('\n')).toBe(true);
  });

  it('dumps queues and requests, waiting ones with their place in their queue', async () => {
    const holding = slow('noisy', 1500);
    const waiting = [slow('noisy', 10), slow('noisy', 10)];
    await expect.poll(async () => parse((await server.request('GET', `${DEBUG}/dump_priority_levels`)).text).find((r) => r[0] === 'one')?.[4], { timeout: 5000 }).toBe('2');
    const queues = await server.request('GET', `${DEBUG}/dump_queues`);
    // "Index," is narrower than the tabwriter's minimum width of 8.
    expect(queues.text.split('\n')[0]).toMatch(/^PriorityLevelName, Index,  PendingRequests, ExecutingRequests, SeatsInUse, NextDispatchR, +InitialSeatsSum, MaxSeatsSum, TotalWorkSum$/);
    const ones = parse(queues.text).filter((r) => r[0] === 'one');
    expect(ones.map((r) => r[1])).toEqual(['0', '1', '2', '3']);
    // One flow, one queue (hand size 1): two waiting, one running, each a seat and 3 ms of work.
    const busy = ones.find((r) => r[2] === '2')!;
    expect(busy).toEqual(['one', busy[1], '2', '1', '1', expect.stringMatching(/^\d+\.\d{8}ss$/), '2', '2', '0.00600000ss']);

    const requests = await server.request('GET', `${DEBUG}/dump_requests?includeRequestDetails=1`);
    const requestLines = requests.text.split('\n');
    expect(requestLines[0].split(/,\s+/)).toEqual(['PriorityLevelName', 'FlowSchemaName', 'QueueIndex', 'RequestIndexInQueue', 'FlowDistingsher', 'ArriveTime', 'InitialSeats', 'FinalSeats', 'AdditionalLatency', 'StartTime', 'UserName', 'Verb', 'APIPath', 'Namespace', 'Name', 'APIVersion', 'Resource', 'SubResource']);
    const starts = (line: string) => [...line.matchAll(/,\s+/g)].map((m) => m.index! + m[0].length);
    for (const line of requestLines.slice(1, -1)) expect(starts(line)).toEqual(starts(requestLines[0]));
    const mine = parse(requests.text).filter((r) => r[0] === 'one');
    const time = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;
    expect(mine).toEqual([
      ['one', 'one', busy[1], '0', 'noisy', expect.stringMatching(time), '1', '0', '0s', '0001-01-01T00:00:00Z', 'noisy', 'list', '/apis/test.kube-chain.io/v1/slow', '', '', 'test.kube-chain.io/v1', 'slow', ''],
      ['one', 'one', busy[1], '1', 'noisy', expect.stringMatching(time), '1', '0', '0s', '0001-01-01T00:00:00Z', 'noisy', 'list', '/apis/test.kube-chain.io/v1/slow', '', '', 'test.kube-chain.io/v1', 'slow', ''],
      ['one', 'one', busy[1], '-1', 'noisy', expect.stringMatching(time), '1', '0', '0s', expect.stringMatching(time), 'noisy', 'list', '/apis/test.kube-chain.io/v1/slow', '', '', 'test.kube-chain.io/v1', 'slow', ''],
    ]);
    // The dump's own request, in a level without queues.
    const self = parse(requests.text).find((r) => r[12] === `${DEBUG}/dump_requests`)!;
    expect(self.slice(0, 5)).toEqual(['exempt', 'exempt', '-1', '-1', '']);
    expect(self.slice(11, 13)).toEqual(['get', `${DEBUG}/dump_requests`]);
    // Without details, ten columns.
    expect(parse((await server.request('GET', `${DEBUG}/dump_requests`)).text)[0]).toHaveLength(10);
    expect((await Promise.all([holding, ...waiting])).map((r) => r.status)).toEqual([200, 200, 200]);
  }, 20000);

  it('authorizes the dumps as non-resource URLs', async () => {
    const res = await server.anonymous('GET', `${DEBUG}/dump_queues`, { headers: as('viewer') });
    expect(res.status).toBe(403);
    expect(res.json().message).toBe(`forbidden: User "viewer" cannot get path "${DEBUG}/dump_queues"`);
    expect((await server.request('GET', `${DEBUG}/nope`)).status).toBe(404);
  });

  it('estimates a list over many objects at one seat per 100 of them', async () => {
    await post('/api/v1/namespaces', { metadata: { name: 'many' } });
    for (let i = 0; i < 120; i += 40) {
      await Promise.all(Array.from({ length: 40 }, (_, j) => post('/api/v1/namespaces/many/configmaps', { metadata: { name: `cm-${i + j}` } })));
    }
    const bucket = async (le: string) => {
      const series = `apiserver_flowcontrol_work_estimated_seats_bucket{le="${le}",priority_level="lists",flow_schema="lists"}`;
      const line = (await server.request('GET', '/metrics')).text.split('\n').find((l) => l.startsWith(`${series} `));
      return line ? Number(line.slice(series.length + 1)) : 0;
    };
    // Counted on the next poll: then a list of every configmap (at least the 120) takes 2 seats or more.
    await expect
      .poll(async () => {
        expect((await server.anonymous('GET', '/api/v1/configmaps', { headers: as('lister') })).status).toBe(200);
        return (await bucket('+Inf')) - (await bucket('1'));
      }, { timeout: 5000 })
      .toBeGreaterThan(0);
    // One object: one seat.
    const before = await bucket('1');
    expect((await server.anonymous('GET', '/api/v1/namespaces/many/configmaps?fieldSelector=metadata.name%3Dcm-1', { headers: as('lister') })).status).toBe(200);
    expect(await bucket('1')).toBe(before + 1);
  }, 30000);
});
