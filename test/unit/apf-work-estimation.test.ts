// kube's APF work estimation (k8s.io/apiserver/pkg/util/flowcontrol/request, 1.32) and what seats
// wider than one do in a queue set: a wide request waits for its seats without being overtaken, one
// wider than the level runs alone, and final seats stay taken for the additional latency.
import { describe, expect, it } from 'vitest';
import { WorkEstimator, ONE_SEAT, type WorkEstimate } from '../../src/server/flowcontrol/work-estimator.js';
import { ObjectCountTracker } from '../../src/server/flowcontrol/object-counts.js';
import { WatchTracker } from '../../src/server/flowcontrol/watch-tracker.js';
import { QueueSet, cancelOnAbort, type Admission } from '../../src/server/flowcontrol/queue-set.js';
import { dealHand, flowHash } from '../../src/server/flowcontrol/shuffle-shard.js';
import type { RequestInfo } from '../../src/server/request-info.js';

function info(over: Partial<RequestInfo> = {}): RequestInfo {
  return { isResourceRequest: true, path: '/api/v1/namespaces/default/configmaps', verb: 'list', apiPrefix: 'api', apiGroup: '', apiVersion: 'v1', namespace: 'default', resource: 'configmaps', subresource: '', name: '', parts: [], ...over };
}
const params = (q: Record<string, string> = {}) => (name: string) => q[name];
const seats = (n: number): WorkEstimate => ({ initialSeats: n, finalSeats: 0, additionalLatencyMs: 0 });

function estimatorWith(counts: Record<string, number>, now = () => 0) {
  const tracker = new ObjectCountTracker(now);
  for (const [k, v] of Object.entries(counts)) tracker.set(k, v);
  const watches = new WatchTracker();
  return { estimator: new WorkEstimator(tracker, watches), watches, tracker };
}

describe('list work estimation', () => {
  const { estimator } = estimatorWith({ configmaps: 550, 'deployments.apps': 120 });

  it('costs one seat per 100 objects the list processes, at most 10', () => {
    // A consistent list (no resourceVersion) is served from the watch cache: every stored object.
    expect(estimator.estimate(info(), params(), 0)).toEqual(seats(6));
    expect(estimator.estimate(info({ apiGroup: 'apps', resource: 'deployments' }), params(), 0)).toEqual(seats(2));
    // From the cache a limit does not help: the cache still walks everything.
    expect(estimator.estimate(info(), params({ limit: '10', resourceVersion: '0' }), 0)).toEqual(seats(6));
    // From storage (continue, exact revision, legacy exact with a limit): twice the page.
    expect(estimator.estimate(info(), params({ limit: '100', continue: 'abc' }), 0)).toEqual(seats(2));
    expect(estimator.estimate(info(), params({ limit: '100', resourceVersion: '12' }), 0)).toEqual(seats(2));
    expect(estimator.estimate(info(), params({ limit: '500', resourceVersion: '12', resourceVersionMatch: 'Exact' }), 0)).toEqual(seats(10));
    // ... and with a selector, everything stored plus the page.
    expect(estimator.estimate(info(), params({ limit: '100', continue: 'abc', labelSelector: 'a=b' }), 0)).toEqual(seats(7));
    const big = estimatorWith({ configmaps: 100_000 }).estimator;
    expect(big.estimate(info(), params(), 0)).toEqual(seats(10));
  });

  it('costs one seat for a list of one object, an unknown resource, or a watch without initial events', () => {
    expect(estimator.estimate(info({ name: 'one' }), params(), 0)).toEqual(ONE_SEAT);
    expect(estimator.estimate(info(), params({ fieldSelector: 'metadata.name=one' }), 0)).toEqual(ONE_SEAT);
    expect(estimator.estimate(info({ resource: 'widgets', apiGroup: 'example.com' }), params(), 0)).toEqual(ONE_SEAT);
    expect(estimator.estimate(info({ verb: 'watch' }), params({ resourceVersion: '42' }), 0)).toEqual(ONE_SEAT);
    // A watch that starts with the current state costs what the list would.
    expect(estimator.estimate(info({ verb: 'watch' }), params(), 0)).toEqual(seats(6));
    expect(estimator.estimate(info({ verb: 'watch' }), params({ resourceVersion: '42', sendInitialEvents: 'true' }), 0)).toEqual(seats(6));
  });

  it('assumes the worst for a stale count or options kube cannot parse, within the level\'s cap', () => {
    let now = 0;
    const { estimator: e, tracker } = estimatorWith({}, () => now);
    tracker.set('configmaps', 5);
    expect(e.estimate(info(), params(), 0)).toEqual(ONE_SEAT);
    now += 3 * 60_000 + 1;
    expect(e.estimate(info(), params(), 0)).toEqual(seats(10));
    expect(estimator.estimate(info(), params({ limit: 'ten' }), 0)).toEqual(seats(10));
    expect(estimator.estimate(info(), params(), 3)).toEqual(seats(3));
    expect(estimator.estimate(info({ verb: 'get', name: 'x' }), params(), 0)).toEqual(ONE_SEAT);
  });
});

describe('mutating work estimation', () => {
  it('adds final seats for the watches a change reaches: one per 10, for 5 ms of work each', () => {
    const { estimator, watches } = estimatorWith({});
    const create = info({ verb: 'create' });
    const forget: Array<() => void> = [];
    for (let i = 0; i < 9; i++) forget.push(watches.register(info({ verb: 'watch', namespace: '' }), undefined));
    expect(estimator.estimate(create, params(), 0)).toEqual(ONE_SEAT);
    // A watch in the object's namespace counts; one in another namespace or on another object does not.
    forget.push(watches.register(info({ verb: 'watch' }), undefined));
    watches.register(info({ verb: 'watch', namespace: 'other' }), undefined);
    watches.register(info({ verb: 'watch', name: 'someone-else' }), undefined);
    expect(estimator.estimate(create, params(), 0)).toEqual({ initialSeats: 1, finalSeats: 1, additionalLatencyMs: 5 });
    expect(estimator.estimate(info({ verb: 'update', name: 'someone-else' }), params(), 0)).toEqual({ initialSeats: 1, finalSeats: 2, additionalLatencyMs: 5 });
    // Reads never notify anyone; a service account token changes nothing watched.
    expect(estimator.estimate(info({ verb: 'get', name: 'x' }), params(), 0)).toEqual(ONE_SEAT);
    expect(estimator.estimate(info({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: 'x' }), params(), 0)).toEqual(ONE_SEAT);
    for (let i = 0; i < 240; i++) forget.push(watches.register(info({ verb: 'watch', namespace: '' }), undefined));
    // 250 watches: 25 seats' worth, capped at 10 and spread over 12.5 ms.
    expect(estimator.estimate(create, params(), 0)).toEqual({ initialSeats: 1, finalSeats: 10, additionalLatencyMs: 12.5 });
    expect(estimator.estimate(create, params(), 5)).toEqual({ initialSeats: 1, finalSeats: 5, additionalLatencyMs: 25 });
    forget.forEach((f) => f());
    expect(estimator.estimate(create, params(), 0)).toEqual(ONE_SEAT);
  });

  it('leaves out pod watches pinned to a node', () => {
    const watches = new WatchTracker();
    const pods = info({ resource: 'pods', verb: 'watch', namespace: '' });
    watches.register(pods, 'spec.nodeName=node-1');
    watches.register(pods, 'status.phase=Running');
    expect(watches.interestedWatchCount(info({ resource: 'pods', verb: 'update', name: 'p' }))).toBe(1);
  });
});

describe('shuffle sharding', () => {
  it('deals distinct cards, the same for the same hash', () => {
    for (const name of ['alice', 'bob', 'carol', 'dave']) {
      const hand = dealHand(flowHash('global-default', name), 128, 6);
      expect(new Set(hand).size).toBe(6);
      expect(hand.every((c) => c >= 0 && c < 128)).toBe(true);
    }
    for (let h = 0n; h < 200n; h++) expect(new Set(dealHand(h * 7919n, 8, 8)).size).toBe(8);
  });
});

describe('seats wider than one', () => {
  const never = cancelOnAbort(new AbortController().signal);
  const request = (estimate: WorkEstimate, hash = 1n) => ({ flowSchema: 'fs', distinguisher: '', hash: () => hash, estimate, userName: 'u', info: info() });

  it('waits for all its seats, and narrower requests queued after it do not overtake it', async () => {
    const qs = new QueueSet({ concurrencyLimit: 4, queuing: { queues: 1, handSize: 1, queueLengthLimit: 50 } });
    const a = (await qs.acquire(request(ONE_SEAT), 1000, never)) as Admission;
    const b = (await qs.acquire(request(ONE_SEAT), 1000, never)) as Admission;
    expect(qs.inUse).toBe(2);
    const order: string[] = [];
    const wide = Promise.resolve(qs.acquire(request(seats(3)), 1000, never)).then((x) => (order.push('wide'), x));
    const narrow = Promise.resolve(qs.acquire(request(ONE_SEAT), 1000, never)).then((x) => (order.push('narrow'), x));
    await new Promise((r) => setTimeout(r, 10));
    // Two seats are free, but the wide request at the head needs three.
    expect(order).toEqual([]);
    expect(qs.waiting).toBe(2);
    if (a.admitted) a.release();
    const w = await wide;
    expect(w.admitted).toBe(true);
    expect(qs.inUse).toBe(4);
    if (b.admitted) b.release();
    const n = await narrow;
    expect(order).toEqual(['wide', 'narrow']);
    if (w.admitted) w.release();
    if (n.admitted) n.release();
    expect(qs.inUse).toBe(0);
  });

  it('runs a request wider than the whole level alone, and rejects it on a Reject level while others run', async () => {
    const qs = new QueueSet({ concurrencyLimit: 2 });
    const huge = (await qs.acquire(request(seats(5)), 1000, never)) as Admission;
    expect(huge.admitted).toBe(true);
    expect(await qs.acquire(request(ONE_SEAT), 1000, never)).toEqual({ admitted: false, reason: 'concurrency-limit' });
    if (huge.admitted) huge.release();
    const one = (await qs.acquire(request(ONE_SEAT), 1000, never)) as Admission;
    expect(await qs.acquire(request(seats(5)), 1000, never)).toEqual({ admitted: false, reason: 'concurrency-limit' });
    if (one.admitted) one.release();
  });

  it('keeps final seats taken for the additional latency after the request ends', async () => {
    const qs = new QueueSet({ concurrencyLimit: 3 });
    const write = (await qs.acquire(request({ initialSeats: 1, finalSeats: 3, additionalLatencyMs: 40 }), 1000, never)) as Admission;
    expect(qs.inUse).toBe(3);
    if (write.admitted) write.release();
    expect(qs.executing).toBe(0);
    expect(qs.inUse).toBe(3);
    expect(await qs.acquire(request(ONE_SEAT), 1000, never)).toEqual({ admitted: false, reason: 'concurrency-limit' });
    await new Promise((r) => setTimeout(r, 80));
    expect(qs.inUse).toBe(0);
  });
});

describe('a level that lent all its seats', () => {
  it('queues its requests until borrowing gives it seats again', async () => {
    const qs = new QueueSet({ concurrencyLimit: 0, queuing: { queues: 1, handSize: 1, queueLengthLimit: 5 } });
    const never = cancelOnAbort(new AbortController().signal);
    const waiting = Promise.resolve(qs.acquire({ flowSchema: 'fs', distinguisher: '', hash: () => 1n, estimate: ONE_SEAT, userName: 'u', info: info() }, 1000, never));
    expect(qs.waiting).toBe(1);
    qs.setConcurrencyLimit(1);
    const admitted = await waiting;
    expect(admitted.admitted).toBe(true);
    if (admitted.admitted) admitted.release();
  });
});
