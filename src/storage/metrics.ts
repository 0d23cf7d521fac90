// Storage metrics with kube's names: operation latency (etcd_request_duration_seconds{operation,type}),
// objects per resource (apiserver_storage_objects{resource}) and watchers. Latency is recorded by a
// thin per-resource decorator; counts are taken when /metrics is scraped.
import { Gauge, Histogram, type Registry } from 'prom-client';
import type { Storage, StoredObject, TryUpdate, Preconditions, GetOptions, ListOptions, WatchOptions } from './interface.js';

export interface StorageMetrics {
  /** Wraps the storage a resource's store uses, labelling its operations with the resource. */
  forResource(storage: Storage, resource: string): Storage;
  /** Counts objects of a resource at scrape time. */
  countObjects(resource: string, count: () => Promise<number>): void;
}

// kube's etcd request buckets (k8s.io/apiserver/pkg/storage/etcd3/metrics).
const BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

export function registerStorageMetrics(registry: Registry, watchers: () => number): StorageMetrics {
  const duration = new Histogram({
    name: 'etcd_request_duration_seconds',
    help: 'Storage request latency in seconds for each operation and object type.',
    labelNames: ['operation', 'type'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const counters = new Map<string, () => Promise<number>>();
  new Gauge({
    name: 'apiserver_storage_objects',
    help: '[STABLE] Number of stored objects at the time of last check split by kind.',
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

  const time = <T>(operation: string, type: string, work: () => Promise<T>): Promise<T> => {
    const end = duration.startTimer({ operation, type });
    return work().finally(() => end());
  };

  return {
    countObjects: (resource, count) => counters.set(resource, count),
    forResource(storage, type) {
      return {
        create: (key: string, obj: StoredObject) => time('create', type, () => storage.create(key, obj)),
        get: (key: string, opts?: GetOptions) => time('get', type, () => storage.get(key, opts)),
        list: (key: string, opts?: ListOptions) => time('list', type, () => storage.list(key, opts)),
        guaranteedUpdate: (key: string, pre: Preconditions | undefined, fn: TryUpdate, opts?: { ignoreNotFound?: boolean }) =>
          time('update', type, () => storage.guaranteedUpdate(key, pre, fn, opts)),
        delete: (key: string, pre?: Preconditions, validate?: (current: StoredObject) => void | Promise<void>) => time('delete', type, () => storage.delete(key, pre, validate)),
        watch: (key: string, opts?: WatchOptions) => storage.watch(key, opts),
        currentRevision: () => storage.currentRevision(),
        compact: (revision: number) => storage.compact(revision),
        checkHealth: () => storage.checkHealth(),
        close: () => storage.close(),
      };
    },
  };
}
