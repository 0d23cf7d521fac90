// kube's webhook backend in batch mode (plugin/pkg/audit/buffered + webhook): events are buffered and
// sent as one audit.k8s.io/v1 EventList when maxBatchSize events are waiting or maxBatchWait has passed
// since the first of them. A failed send is retried with exponential backoff from initialBackoff; a full
// buffer drops events (kube counts them as audit errors of plugin "buffered"), so the server never
// waits on the webhook; a batch that still fails after its retries is an error of plugin "webhook".
import type { AuditBackend, AuditEvent, PluginErrorHandler } from '../types.js';
import { encodeEventList } from '../encode.js';
import type { WebhookClient } from '../../server/webhook/kubeconfig-client.js';

export interface WebhookBatchOptions {
  maxBatchSize: number;
  maxBatchWaitMs: number;
  bufferSize: number;
  initialBackoffMs: number;
  /** Attempts per batch, the first included. */
  maxAttempts: number;
  timeoutMs: number;
}

export const DEFAULT_WEBHOOK_BATCH: WebhookBatchOptions = {
  maxBatchSize: 400,
  maxBatchWaitMs: 30_000,
  bufferSize: 10_000,
  initialBackoffMs: 10_000,
  maxAttempts: 4,
  timeoutMs: 30_000,
};

export function createWebhookBackend(client: WebhookClient, options: WebhookBatchOptions, onPluginError: PluginErrorHandler): AuditBackend {
  let buffer: AuditEvent[] = [];
  let timer: NodeJS.Timeout | undefined;
  const sending = new Set<Promise<void>>();
  let stopped = false;

  const send = async (batch: AuditEvent[]) => {
    const body = encodeEventList(batch);
    let backoff = options.initialBackoffMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await client.post(body, options.timeoutMs);
        if (res.status >= 200 && res.status < 300) return;
        throw new Error(`the server responded with status ${res.status}: ${res.text.slice(0, 200)}`);
      } catch (err) {
        if (attempt >= options.maxAttempts || stopped) {
          onPluginError('webhook', err as Error, batch.length);
          return;
        }
        await new Promise((r) => setTimeout(r, backoff).unref());
        backoff *= 2;
      }
    }
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (buffer.length > 0) {
      const batch = buffer.slice(0, options.maxBatchSize);
      buffer = buffer.slice(batch.length);
      const p = send(batch).finally(() => sending.delete(p));
      sending.add(p);
    }
  };

  return {
    processEvents(events) {
      // The batch mode never refuses a request: what cannot be buffered is counted and dropped.
      if (stopped) {
        onPluginError('buffered', new Error('audit backend shut down'), events.length);
        return true;
      }
      for (const event of events) {
        if (buffer.length >= options.bufferSize) {
          onPluginError('buffered', new Error('audit buffer queue blocked'), 1);
          continue;
        }
        buffer.push(event);
        if (buffer.length >= options.maxBatchSize) flush();
      }
      if (buffer.length > 0 && !timer) {
        timer = setTimeout(flush, options.maxBatchWaitMs);
        timer.unref();
      }
      return true;
    },
    async shutdown() {
      flush();
      stopped = true;
      await Promise.all([...sending]);
    },
  };
}
