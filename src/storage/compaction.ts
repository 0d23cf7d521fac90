// Compaction on a timer, as kube asks etcd to: each tick compacts up to the revision seen at the
// previous tick, so that watchers always have at least one interval of history to resume from.
import type { Logger } from 'pino';
import type { Storage } from './interface.js';

export interface Compactor {
  stop(): void;
}

export function startCompaction(storage: Storage, intervalSeconds: number, logger: Logger): Compactor {
  if (intervalSeconds <= 0) return { stop: () => undefined };
  let previous = 0;
  const timer = setInterval(() => {
    void (async () => {
      const current = await storage.currentRevision();
      if (previous > 0) await storage.compact(previous);
      previous = current;
    })().catch((err: unknown) => logger.warn({ err }, 'storage compaction failed'));
  }, intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
