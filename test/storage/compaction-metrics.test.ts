// The compaction timer (kube compacts to the revision seen at the previous tick, keeping one
// interval of history) and the storage metrics as /metrics shows them.
import { afterEach, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { Registry } from 'prom-client';
import { startCompaction } from '../../src/storage/compaction.js';
import { registerStorageMetrics } from '../../src/storage/metrics.js';
import { MemoryStorage } from '../../src/storage/memory/index.js';
import { Cacher } from '../../src/storage/cacher/index.js';

const cm = (name: string) => ({ metadata: { name, namespace: 'ns' } });

describe('compaction timer', () => {
  afterEach(() => vi.useRealTimers());

  it('compacts each tick to the revision seen at the tick before, and stops', async () => {
    vi.useFakeTimers();
    const storage = new MemoryStorage();
    const compact = vi.spyOn(storage, 'compact');
    const compactor = startCompaction(storage, 60, pino({ level: 'silent' }));
    await storage.create('/registry/cm/ns/a', cm('a')); // revision 1
    await vi.advanceTimersByTimeAsync(60_000); // sees 1, compacts nothing yet
    expect(compact).not.toHaveBeenCalled();
    await storage.create('/registry/cm/ns/b', cm('b')); // revision 2
    await vi.advanceTimersByTimeAsync(60_000);
    expect(compact).toHaveBeenLastCalledWith(1);
    expect(storage.horizon).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(compact).toHaveBeenLastCalledWith(2);
    compactor.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(compact).toHaveBeenCalledTimes(2);
    await storage.close();
  });
});

describe('storage metrics', () => {
  it('labels request latency by operation, group and resource, and reads counts at scrape time', async () => {
    const registry = new Registry();
    const cache = await Cacher.create(new MemoryStorage());
    const metrics = registerStorageMetrics(registry, cache);
    const leases = metrics.forResource(cache, 'leases.coordination.k8s.io');
    metrics.countObjects('leases.coordination.k8s.io', async () => (await cache.list('/registry/leases/', { resourceVersion: '0' })).items.length);
    const w = await cache.watch('/registry/leases/', { resourceVersion: '0' });
    await leases.create('/registry/leases/ns/a', cm('a'));
    await leases.get('/registry/leases/ns/missing').catch(() => undefined);
    const text = await registry.metrics();
    expect(text).toContain('etcd_request_duration_seconds_count{operation="create",group="coordination.k8s.io",resource="leases"} 1');
    expect(text).toContain('etcd_requests_total{operation="get",group="coordination.k8s.io",resource="leases"} 1');
    expect(text).toContain('etcd_request_errors_total{operation="get",group="coordination.k8s.io",resource="leases"} 1');
    expect(text).toContain('apiserver_storage_objects{resource="leases.coordination.k8s.io"} 1');
    expect(text).toContain('apiserver_registered_watchers 1');
    expect(text).toMatch(/apiserver_watch_cache_resource_version 1\n/);
    expect(text).toMatch(/apiserver_watch_cache_events_received_total 1\n/);
    expect(text).toMatch(/apiserver_watch_cache_events_dispatched_total 1\n/);
    expect(text).toMatch(/apiserver_watch_cache_initializations_total 1\n/);
    w.stop();
    await cache.close();
  });
});
