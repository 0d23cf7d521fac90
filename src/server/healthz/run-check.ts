// Runs one health check with a deadline, so a hanging check (a storage ping that never answers)
// cannot hang /readyz. Synchronous checks are answered synchronously: /healthz stays cheap.
import type { CheckOutcome, HealthCheckFn } from './types.js';

export function runCheck(check: HealthCheckFn, name: string, timeoutMs: number): CheckOutcome | Promise<CheckOutcome> {
  let result: Promise<void> | void;
  try {
    result = check();
  } catch (err) {
    return reasonOf(err);
  }
  if (!isPromiseLike(result)) return undefined;
  return withDeadline(result, name, timeoutMs);
}

function withDeadline(pending: PromiseLike<void>, name: string, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise<CheckOutcome>((resolve) => {
    const timer = setTimeout(
      () => resolve(`health check "${name}" did not complete within ${formatSeconds(timeoutMs)}`),
      timeoutMs,
    );
    timer.unref();
    pending.then(
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
      (err: unknown) => {
        clearTimeout(timer);
        resolve(reasonOf(err));
      },
    );
  });
}

/** What Go's %v prints for an error: its message. */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

function isPromiseLike(value: unknown): value is PromiseLike<void> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
