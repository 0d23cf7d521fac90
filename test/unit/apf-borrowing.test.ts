// Borrowing between priority levels (kube's KEP-1040 as its APF controller implements it): the fair
// allocation, and a busy level that runs more than its nominal seats while another level is idle and
// gives them back when the lender gets busy.
import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { allocateConcurrency, currentLimits, newSeatDemandStats } from '../../src/server/flowcontrol/borrowing.js';
import { APFConfigController } from '../../src/server/flowcontrol/config-controller.js';
import { cancelOnAbort, type Admission } from '../../src/server/flowcontrol/queue-set.js';
import { ONE_SEAT } from '../../src/server/flowcontrol/work-estimator.js';
import { MemoryStorage } from '../../src/storage/memory/index.js';
import { Store, type RequestContext } from '../../src/registry/store.js';
import { AdmissionChain } from '../../src/admission/interface.js';
import { flowSchemas, priorityLevelConfigurations } from '../../src/kube-apis/flowcontrol/resources.js';
import { MANDATORY_NAMES } from '../../src/kube-apis/flowcontrol/bootstrap.js';
import type { RequestInfo } from '../../src/server/request-info.js';

describe('fair allocation', () => {
  it('gives each item one proportion of its target, clipped to its bounds, summing to what is required', () => {
    const { allocations } = allocateConcurrency(20, [
      { lower: 5, upper: 25, target: 5 },
      { lower: 5, upper: 30, target: 5 },
      { lower: 5, upper: 25, target: 15 },
    ]);
    expect(allocations.map((a) => Math.round(a * 1000) / 1000)).toEqual([5, 5, 10]);
    // Bounds that leave no room decide alone.
    expect(allocateConcurrency(10, [{ lower: 4, upper: 8, target: 8 }, { lower: 6, upper: 6, target: 6 }]).allocations).toEqual([4, 6]);
    expect(allocateConcurrency(14, [{ lower: 4, upper: 8, target: 4 }, { lower: 6, upper: 6, target: 6 }]).allocations).toEqual([8, 6]);
    // Without bounds in the way, in proportion to the targets.
    expect(allocateConcurrency(30, [{ lower: 0, upper: 100, target: 1 }, { lower: 0, upper: 100, target: 2 }]).allocations).toEqual([10, 20]);
    expect(() => allocateConcurrency(5, [{ lower: 4, upper: 8, target: 4 }, { lower: 6, upper: 6, target: 6 }])).toThrow('lower bounds sum to 10, which is higher than the required sum of 5');
  });

  it('lets the exempt level keep what it used, and limited levels their minimum when that is all there is', () => {
    const demand = (hw: number) => ({ ...newSeatDemandStats(), highWatermark: hw, smoothed: hw });
    const levels = [
      { exempt: true, nominalLimit: 0, minLimit: 0, maxLimit: 20, currentLimit: 0, demand: demand(3) },
      { exempt: false, nominalLimit: 10, minLimit: 5, maxLimit: 30, currentLimit: 10, demand: demand(0) },
      { exempt: false, nominalLimit: 10, minLimit: 10, maxLimit: 30, currentLimit: 10, demand: demand(20) },
    ];
    // 20 nominal seats: the exempt level used 3, the idle level lends 5 of its 10.
    expect(currentLimits(levels, 20)).toEqual([3, 5, 15]);
  });
});

describe('borrowing between priority levels', () => {
  let controller: APFConfigController | undefined;
  afterEach(() => controller?.stop());
  const rc: RequestContext = { user: { name: 'admin', groups: ['system:masters'] }, dryRun: false, fieldManager: 'test', subresource: '' };
  const never = cancelOnAbort(new AbortController().signal);
  const info: RequestInfo = { isResourceRequest: true, path: '/api/v1/namespaces/a/configmaps', verb: 'list', apiPrefix: 'api', apiGroup: '', apiVersion: 'v1', namespace: 'a', resource: 'configmaps', subresource: '', name: '', parts: [] };
  const level = (name: string, shares: number, lendablePercent: number) => ({
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
    kind: 'PriorityLevelConfiguration',
    metadata: { name },
    spec: { type: 'Limited', limited: { nominalConcurrencyShares: shares, lendablePercent, limitResponse: { type: 'Queue', queuing: { queues: 1, handSize: 1, queueLengthLimit: 100 } } } },
  });
  const settle = () => new Promise((r) => setTimeout(r, 30));

  it('lends an idle level\'s seats to a busy one, and takes them back when the lender gets busy', async () => {
    const storage = new MemoryStorage();
    const admission = new AdmissionChain();
    const fsStore = new Store(flowSchemas, storage, admission);
    const plStore = new Store(priorityLevelConfigurations, storage, admission);
    // 20 seats: catch-all (5 shares, lends nothing), lender (10 shares, lends half), borrower (5 shares).
    controller = new APFConfigController(fsStore, plStore, 20, pino({ level: 'silent' }));
    await controller.start();
    for (const store of [fsStore, plStore]) {
      for (const o of (await store.list('', {})).items) {
        const name = o.metadata!.name as string;
        if (!MANDATORY_NAMES.flowSchemas.has(name)) await store.delete('', name, {}, rc);
      }
    }
    await plStore.create('', level('lender', 10, 50), rc);
    await plStore.create('', level('borrower', 5, 0), rc);
    await expect.poll(() => [...controller!.levels.keys()].sort()).toEqual(['borrower', 'catch-all', 'exempt', 'lender']);
    const lender = controller.levels.get('lender')!;
    const borrower = controller.levels.get('borrower')!;
    expect([lender.nominalLimit, borrower.nominalLimit, controller.levels.get('catch-all')!.nominalLimit]).toEqual([10, 5, 5]);

    const acquire = (qs: typeof lender.queueSet) => Promise.resolve(qs.acquire({ flowSchema: 'fs', distinguisher: '', hash: () => 1n, estimate: ONE_SEAT, userName: 'u', info }, 60_000, never));
    const releaseAll = async (admissions: Array<Promise<Admission>>) => {
      for (const a of await Promise.all(admissions)) if (a.admitted) a.release();
    };

    // The borrower floods: 15 requests for its 5 seats.
    controller.updateBorrowing();
    const flood = Array.from({ length: 15 }, () => acquire(borrower.queueSet));
    await settle();
    controller.updateBorrowing();
    // It now runs twice its nominal seats, lent by the idle lender (the catch-all lends nothing).
    expect(borrower.queueSet.concurrencyLimit).toBe(10);
    expect(borrower.queueSet.executing).toBe(10);
    expect(lender.queueSet.concurrencyLimit).toBe(5);

    // The lender gets busy: it asks for all of its 10 seats.
    const lenderWork = Array.from({ length: 10 }, () => acquire(lender.queueSet));
    await settle();
    expect(lender.queueSet.executing).toBe(5);
    controller.updateBorrowing();
    expect(lender.queueSet.concurrencyLimit).toBe(10);
    expect(lender.queueSet.executing).toBe(10);
    expect(borrower.queueSet.concurrencyLimit).toBe(5);
    // The borrower's running requests finish; no more than its nominal seats run after them.
    await releaseAll(flood.slice(0, 10));
    expect(borrower.queueSet.executing).toBe(5);
    expect(borrower.queueSet.waiting).toBe(0);
    await releaseAll([...flood.slice(10), ...lenderWork]);
    expect(borrower.queueSet.inUse + lender.queueSet.inUse).toBe(0);
  });
});
