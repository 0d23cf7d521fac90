// kube's webhook retries (k8s.io/apiserver/pkg/util/webhook: WithExponentialBackoff over
// wait.ExponentialBackoffWithContext, DefaultShouldRetry): a call is made at most `steps` times;
// between two calls it waits `duration` (growing by `factor`, plus up to `jitter` of itself at
// random); only errors kube deems transient are retried; the last error is the answer.
import { WebhookStatusError } from './response-error.js';

export interface Backoff {
  durationMs: number;
  factor: number;
  jitter: number;
  steps: number;
}

/** DefaultRetryBackoff of the token and authorization webhooks: 500 ms, ×1.5, 20 % jitter, 5 calls. */
export const DEFAULT_WEBHOOK_RETRY_BACKOFF: Backoff = { durationMs: 500, factor: 1.5, jitter: 0.2, steps: 5 };

/**
 * webhook.DefaultShouldRetry: a connection reset, or an answer whose reason is InternalError (500 and
 * other 5xx without a Status), Timeout (504) or TooManyRequests (429), or that asks to be retried
 * (Retry-After, or the ServerTimeout reason). Refused connections, timeouts of the call itself and
 * other answers are final.
 */
export function shouldRetryWebhook(err: unknown): boolean {
  if (err instanceof WebhookStatusError) {
    if (err.reason === 'InternalError' || err.reason === 'Timeout' || err.reason === 'TooManyRequests' || err.reason === 'ServerTimeout') return true;
    return err.retryAfterSeconds > 0;
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET';
}

export interface BackoffControls {
  /** Stops retrying (the request went away); the last error is the answer. */
  signal?: AbortSignal;
  /** Tests replace the clock and the dice. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export async function withExponentialBackoff<T>(
  backoff: Backoff,
  call: () => Promise<T>,
  shouldRetry: (err: unknown) => boolean = shouldRetryWebhook,
  controls: BackoffControls = {},
): Promise<T> {
  const sleep = controls.sleep ?? defaultSleep;
  const random = controls.random ?? Math.random;
  let duration = backoff.durationMs;
  let lastError: unknown;
  for (let step = 0; step < Math.max(1, backoff.steps); step++) {
    try {
      return await call();
    } catch (err) {
      lastError = err;
      if (!shouldRetry(err)) throw err;
    }
    if (step === backoff.steps - 1 || controls.signal?.aborted) break;
    const wait = backoff.jitter > 0 ? duration + random() * backoff.jitter * duration : duration;
    duration *= backoff.factor;
    await sleep(wait);
    if (controls.signal?.aborted) break;
  }
  throw lastError;
}
