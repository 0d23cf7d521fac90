// Priority and fairness pieces as kube defines them: FlowSchema matching, the bootstrap schemas'
// classification, nominal concurrency, shuffle sharding, the fair queue set and Retry-After.
import { describe, expect, it } from 'vitest';
import { matchesFlowSchema, matchesNonResourceURL, flowDistinguisher } from '../../src/server/flowcontrol/matching.js';
import { nominalConcurrencyLimits } from '../../src/server/flowcontrol/concurrency.js';
import { dealHand, flowHash } from '../../src/server/flowcontrol/shuffle-shard.js';
import { QueueSet, cancelOnAbort, type Admission } from '../../src/server/flowcontrol/queue-set.js';
import { ONE_SEAT } from '../../src/server/flowcontrol/work-estimator.js';
import { DroppedRequestsTracker } from '../../src/server/flowcontrol/dropped-requests.js';
import { MANDATORY_FLOW_SCHEMAS, SUGGESTED_FLOW_SCHEMAS, MANDATORY_PRIORITY_LEVELS, SUGGESTED_PRIORITY_LEVELS } from '../../src/kube-apis/flowcontrol/bootstrap.js';
import type { RequestInfo } from '../../src/server/request-info.js';
import type { UserInfo } from '../../src/auth/user.js';

function resource(over: Partial<RequestInfo> = {}): RequestInfo {
  return { isResourceRequest: true, path: '/api/v1/namespaces/default/pods', verb: 'list', apiPrefix: 'api', apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'pods', subresource: '', name: '', parts: [], ...over };
}
function nonResource(path: string, verb = 'get'): RequestInfo {
  return { isResourceRequest: false, path, verb, apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '', parts: [] };
}
const user = (name: string, ...groups: string[]): UserInfo => ({ name, groups: [...groups, 'system:authenticated'] });

/** The bootstrap schema a request lands in, by matchingPrecedence then name. */
function classify(u: UserInfo, info: RequestInfo): string {
  const all = [...MANDATORY_FLOW_SCHEMAS, ...SUGGESTED_FLOW_SCHEMAS].sort(
    (a, b) => a.spec.matchingPrecedence! - b.spec.matchingPrecedence! || a.metadata.name.localeCompare(b.metadata.name),
  );
  return all.find((fs) => matchesFlowSchema(u, info, fs.spec))!.metadata.name;
}

describe('FlowSchema matching', () => {
  it('classifies requests into kube\'s bootstrap schemas', () => {
    expect(classify(user('admin', 'system:masters'), resource())).toBe('exempt');
    expect(classify({ name: 'system:anonymous', groups: ['system:unauthenticated'] }, nonResource('/healthz'))).toBe('probes');
    expect(classify(user('alice'), nonResource('/healthz'))).toBe('probes');
    expect(classify(user('alice'), nonResource('/healthz', 'post'))).toBe('global-default');
    expect(classify(user('system:kube-controller-manager'), resource({ apiGroup: 'coordination.k8s.io', resource: 'leases', verb: 'update', namespace: 'kube-system' }))).toBe('system-leader-election');
    expect(classify(user('system:kube-controller-manager'), resource())).toBe('kube-controller-manager');
    expect(classify(user('system:node:n1', 'system:nodes'), resource({ resource: 'nodes', subresource: 'status', namespace: '' }))).toBe('system-node-high');
    expect(classify(user('system:node:n1', 'system:nodes'), resource())).toBe('system-nodes');
    expect(classify(user('system:serviceaccount:kube-system:foo', 'system:serviceaccounts'), resource())).toBe('kube-system-service-accounts');
    // "kube-system2" is another namespace, not a prefix match.
    expect(classify(user('system:serviceaccount:kube-system2:foo', 'system:serviceaccounts'), resource())).toBe('service-accounts');
    expect(classify(user('alice'), resource())).toBe('global-default');
  });

  it('matches resources with their subresource, cluster scope and namespaces', () => {
    const spec = {
      priorityLevelConfiguration: { name: 'x' },
      rules: [{ subjects: [{ kind: 'User' as const, user: { name: 'alice' } }], resourceRules: [{ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments/scale'], namespaces: ['team-a'] }] }],
    };
    const scale = resource({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale', verb: 'get', namespace: 'team-a' });
    expect(matchesFlowSchema(user('alice'), scale, spec)).toBe(true);
    expect(matchesFlowSchema(user('bob'), scale, spec)).toBe(false);
    expect(matchesFlowSchema(user('alice'), { ...scale, subresource: '' }, spec)).toBe(false);
    expect(matchesFlowSchema(user('alice'), { ...scale, namespace: 'team-b' }, spec)).toBe(false);
    // A cluster-scoped request needs clusterScope: true.
    expect(matchesFlowSchema(user('alice'), { ...scale, namespace: '' }, spec)).toBe(false);
    // A wildcard counts only as the list's only member.
    const mixed = { ...spec, rules: [{ ...spec.rules[0], resourceRules: [{ verbs: ['*', 'get'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'] }] }] };
    expect(matchesFlowSchema(user('alice'), resource({ verb: 'list' }), mixed)).toBe(false);
    expect(matchesFlowSchema(user('alice'), resource({ verb: 'get' }), { ...mixed, rules: [{ ...mixed.rules[0], resourceRules: [{ verbs: ['get'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'] }] }] })).toBe(true);
  });

  it('matches non-resource URLs as kube does, including its prefix rule', () => {
    expect(matchesNonResourceURL(['/healthz'], '/healthz')).toBe(true);
    expect(matchesNonResourceURL(['/healthz'], '/healthz/etcd')).toBe(true);
    expect(matchesNonResourceURL(['/healthz'], '/healthzz')).toBe(false);
    expect(matchesNonResourceURL(['/apis/*'], '/apis')).toBe(false);
    expect(matchesNonResourceURL(['/apis/*'], '/apis/apps')).toBe(true);
    expect(matchesNonResourceURL(['*'], '/anything')).toBe(true);
  });

  it('splits flows by user or namespace', () => {
    const base = { priorityLevelConfiguration: { name: 'x' } };
    expect(flowDistinguisher({ ...base, distinguisherMethod: { type: 'ByUser' } }, user('alice'), resource())).toBe('alice');
    expect(flowDistinguisher({ ...base, distinguisherMethod: { type: 'ByNamespace' } }, user('alice'), resource())).toBe('default');
    expect(flowDistinguisher(base, user('alice'), resource())).toBe('');
  });
});

describe('concurrency and shuffle sharding', () => {
  it('shares the server limit by nominalConcurrencyShares, rounding up', () => {
    const shares = new Map<string, number>();
    for (const pl of [...MANDATORY_PRIORITY_LEVELS, ...SUGGESTED_PRIORITY_LEVELS]) {
      shares.set(pl.metadata.name, pl.spec.limited?.nominalConcurrencyShares ?? pl.spec.exempt?.nominalConcurrencyShares ?? 0);
    }
    // kube's defaults: 400 + 200 seats over 245 shares.
    expect(Object.fromEntries(nominalConcurrencyLimits(600, shares))).toEqual({
      'catch-all': 13, exempt: 0, system: 74, 'node-high': 98, 'leader-election': 25, 'workload-high': 98, 'workload-low': 245, 'global-default': 49,
    });
  });

  it('deals distinct queues, the same for the same flow', () => {
    const hash = flowHash('global-default', 'alice');
    const hand = dealHand(hash, 128, 6);
    expect(new Set(hand).size).toBe(6);
    expect(hand.every((q) => q >= 0 && q < 128)).toBe(true);
    expect(dealHand(flowHash('global-default', 'alice'), 128, 6)).toEqual(hand);
    expect(dealHand(flowHash('global-default', 'bob'), 128, 6)).not.toEqual(hand);
  });
});

describe('queue set', () => {
  const neverSignal = new AbortController().signal;
  const never = cancelOnAbort(neverSignal);
  const flow = (hash: bigint) => ({ flowSchema: 'fs', distinguisher: String(hash), hash: () => hash, estimate: ONE_SEAT, userName: 'u', info: resource() });

  it('runs within its seats, rejects at once without queuing', async () => {
    const qs = new QueueSet({ concurrencyLimit: 1 });
    const first = await qs.acquire(flow(1n), 1000, never);
    expect(first.admitted).toBe(true);
    expect(await qs.acquire(flow(2n), 1000, never)).toEqual({ admitted: false, reason: 'concurrency-limit' });
    if (first.admitted) first.release();
    expect((await qs.acquire(flow(2n), 1000, never)).admitted).toBe(true);
  });

  it('serves flows in turn, not in arrival order', async () => {
    const qs = new QueueSet({ concurrencyLimit: 1, queuing: { queues: 8, handSize: 1, queueLengthLimit: 10 } });
    const noisy = flowHash('fs', 'noisy');
    const quiet = flowHash('fs', 'quiet');
    // The two flows' single-queue hands must differ for this test to mean anything.
    expect(dealHand(noisy, 8, 1)).not.toEqual(dealHand(quiet, 8, 1));
    const holder = await qs.acquire(flow(noisy), 1000, never);
    const order: string[] = [];
    // Each admitted request records its turn and finishes on the next tick.
    const run = (hash: bigint, label: string) =>
      Promise.resolve(qs.acquire(flow(hash), 1000, never)).then((a: Admission) => {
        order.push(label);
        if (a.admitted) setImmediate(a.release);
      });
    const waiters = [...[1, 2, 3, 4].map((i) => run(noisy, `noisy${i}`)), run(quiet, 'quiet')];
    expect(qs.waiting).toBe(5);
    if (holder.admitted) holder.release();
    await Promise.all(waiters);
    expect(order).toHaveLength(5);
    // The quiet flow's only request goes second, right after one of the flood's.
    expect(order.indexOf('quiet')).toBeLessThanOrEqual(1);
  });

  it('rejects a full queue, and waiters that time out or whose client leaves', async () => {
    const qs = new QueueSet({ concurrencyLimit: 1, queuing: { queues: 1, handSize: 1, queueLengthLimit: 1 } });
    const holder = await qs.acquire(flow(1n), 1000, never);
    const cancel = new AbortController();
    const waiting = qs.acquire(flow(1n), 1000, cancelOnAbort(cancel.signal));
    expect(await qs.acquire(flow(1n), 1000, never)).toEqual({ admitted: false, reason: 'queue-full' });
    cancel.abort();
    expect(await waiting).toEqual({ admitted: false, reason: 'cancelled' });
    expect(await qs.acquire(flow(1n), 20, never)).toEqual({ admitted: false, reason: 'time-out' });
    expect(qs.waiting).toBe(0);
    if (holder.admitted) holder.release();
    expect(qs.inUse).toBe(0);
  });
});

describe('Retry-After', () => {
  it('starts at 1, doubles under sustained rejections and comes back down', () => {
    let now = 1000;
    const tracker = new DroppedRequestsTracker(() => now);
    expect(tracker.retryAfter('pl')).toBe(1);
    for (let s = 0; s < 4; s++) {
      for (let i = 0; i < 10; i++) tracker.record('pl');
      now++;
    }
    tracker.record('pl');
    expect(tracker.retryAfter('pl')).toBeGreaterThan(1);
    const high = tracker.retryAfter('pl');
    now += 100;
    tracker.record('pl');
    now++;
    tracker.record('pl');
    expect(tracker.retryAfter('pl')).toBeLessThan(high);
    expect(tracker.retryAfter('other')).toBe(1);
  });
});
