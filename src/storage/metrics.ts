// Storage metrics with kube's names (k8s.io/apiserver/pkg/storage/etcd3/metrics and
// storage/cacher/metrics): request latency, counts and errors per operation, group and resource
// (etcd_request_duration_seconds, etcd_requests_total, etcd_request_errors_total), objects per
// resource (apiserver_storage_objects), and the watch cache's levels and counters. Latency is
// recorded by a thin per-resource decorator; everything else is read when /metrics is scraped, so
// the hot paths only bump plain numbers.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Storage, StoredObject, TryUpdate, Preconditions, GetOptions, ListOptions, WatchOptions } from './interface.js';
import { Cacher, type CacheStats } from './cacher/index.js';
import { MemoryStorage } from './memory/index.js';

export interface StorageMetrics {
  /** Wraps the storage a resource's store uses, labelling its operations with the resource
   *  ("configmaps", or group-qualified as kube prints it: "leases.coordination.k8s.io"). */
  forResource(storage: Storage, resource: string): Storage;
  /** Counts objects of a resource at scrape time. */
  countObjects(resource: string, count: () => Promise<number>): void;
}

// kube's etcd request buckets.
const BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

/** "leases.coordination.k8s.io" → {group: "coordination.k8s.io", resource: "leases"}. */
function splitResource(qualified: string): { group: string; resource: string } {
  const dot = qualified.indexOf('.');
  return dot === -1 ? { group: '', resource: qualified } : { group: qualified.slice(dot + 1), resource: qualified.slice(0, dot) };
}

/** The cache counters of whatever the server runs on (the watch cache, or the memory store, which is its own cache). */
function cacheStatsOf(storage: Storage): CacheStats | undefined {
  if (storage instanceof Cacher) return storage.stats();
  if (storage instanceof MemoryStorage) {
    const s = storage.stats();
    // Every write is an event of its own store.
    return { ...s, eventsReceived: s.revision, initializations: 1 };
  }
  return undefined;
}

/**
 * `source`: the storage the server runs on (preferred: watch cache metrics are read from it), or,
 * as before, a function counting its watchers.
 */
export function registerStorageMetrics(registry: Registry, source: Storage | (() => number)): StorageMetrics {
  const stats = (): CacheStats | undefined => (typeof source === 'function' ? undefined : cacheStatsOf(source));
  const watchers = (): number => (typeof source === 'function' ? source() : (stats()?.watchers ?? 0));
  const labelNames = ['operation', 'group', 'resource'] as const;
  const duration = new Histogram({
    name: 'etcd_request_duration_seconds',
    help: 'Etcd request latency in seconds for each operation and object type.',
    labelNames,
    buckets: BUCKETS,
    registers: [registry],
  });
  const requests = new Counter({ name: 'etcd_requests_total', help: 'Etcd request counts for each operation and object type.', labelNames, registers: [registry] });
  const failures = new Counter({ name: 'etcd_request_errors_total', help: 'Etcd failed request counts for each operation and object type.', labelNames, registers: [registry] });
  const counters = new Map<string, () => Promise<number>>();
  new Gauge({
    name: 'apiserver_storage_objects',
    help: '[STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.',
    labelNames: ['resource'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [resource, count] of counters) this.set({ resource }, await count().catch(() => -1));
    },
  });
  new Gauge({
    name: 'apiserver_registered_watchers',
    help: 'Number of currently registered watchers served from storage.',
    registers: [registry],
    collect() {
      this.set(watchers());
    },
  });
  const level = (name: string, help: string, read: (s: CacheStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const s = stats();
        if (s) this.set(read(s));
      },
    });
  const total = (name: string, help: string, read: (s: CacheStats) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const s = stats();
        if (!s) return;
        this.reset();
        this.inc(read(s));
      },
    });
  level('apiserver_watch_cache_resource_version', 'Current resource version of watch cache.', (s) => s.revision % 1e15);
  level('apiserver_watch_cache_capacity', 'Events the watch cache holds for watches that start in the past.', (s) => s.windowEvents);
  total('apiserver_watch_cache_events_received_total', 'Counter of events received in watch cache.', (s) => s.eventsReceived);
  total('apiserver_watch_cache_events_dispatched_total', 'Counter of events dispatched in watch cache.', (s) => s.eventsDispatched);
  total('apiserver_watch_cache_initializations_total', 'Counter of watch cache initializations.', (s) => s.initializations);
  total('apiserver_terminated_watchers_total', 'Counter of watchers closed due to unresponsiveness.', (s) => s.terminatedWatchers);

  const time = <T>(operation: string, labels: { group: string; resource: string }, work: () => Promise<T>): Promise<T> => {
    const all = { operation, ...labels };
    const end = duration.startTimer(all);
    requests.inc(all);
    return work().then(
      (value) => {
        end();
        return value;
      },
      (err: unknown) => {
        end();
        failures.inc(all);
        throw err;
      },
    );
  };

  return {
    countObjects: (resource, count) => counters.set(resource, count),
    forResource(storage, qualified) {
      const gr = splitResource(qualified);
      return {
        create: (key: string, obj: StoredObject) => time('create', gr, () => storage.create(key, obj)),
        get: (key: string, opts?: GetOptions) => time('get', gr, () => storage.get(key, opts)),
        list: (key: string, opts?: ListOptions) => time('list', gr, () => storage.list(key, opts)),
        guaranteedUpdate: (key: string, pre: Preconditions | undefined, fn: TryUpdate, opts?: { ignoreNotFound?: boolean }) =>
          time('update', gr, () => storage.guaranteedUpdate(key, pre, fn, opts)),
        delete: (key: string, pre?: Preconditions, validate?: (current: StoredObject) => void | Promise<void>) => time('delete', gr, () => storage.delete(key, pre, validate)),
        watch: (key: string, opts?: WatchOptions) => storage.watch(key, opts),
        currentRevision: () => storage.currentRevision(),
        compact: (revision: number) => storage.compact(revision),
        checkHealth: () => storage.checkHealth(),
        close: () => storage.close(),
      };
    },
  };
}
