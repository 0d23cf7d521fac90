// kube's `log` check (healthz.LogHealthz): once first asked, flush the log every minute; the check
// fails with "logging blocked" when no flush has completed for two minutes.
import type { HealthCheckFn } from './types.js';

const FLUSH_INTERVAL_MS = 60_000;
const BLOCKED_AFTER_MS = 2 * 60_000;

/** Flushes buffered log output and calls `done` once it is written (pino: `(done) => logger.flush(done)`). */
export type FlushLog = (done: (err?: Error) => void) => void;

export interface LogCheck {
  check: HealthCheckFn;
  /** Stops the flush timer. */
  stop(): void;
}

export function createLogCheck(flushLog: FlushLog = (done) => done()): LogCheck {
  let lastVerified = 0;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    lastVerified = Date.now();
    timer = setInterval(() => {
      flushLog((err) => {
        if (!err) lastVerified = Date.now();
      });
    }, FLUSH_INTERVAL_MS);
    // Health bookkeeping must never keep the process alive.
    timer.unref();
  };

  return {
    check: () => {
      if (timer === undefined) start();
      if (Date.now() - lastVerified < BLOCKED_AFTER_MS) return;
      throw new Error('logging blocked');
    },
    stop: () => {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
