// Counts requests in flight so that shutdown can wait for them (bounded) before closing connections.
import type { Server } from 'node:https';

export interface RequestTracker {
  inFlight(): number;
  /** Resolves when no request is in flight, or after timeoutMs. */
  drain(timeoutMs: number): Promise<void>;
}

export function trackConnections(server: Server): RequestTracker {
  let active = 0;
  let onIdle: (() => void) | undefined;
  server.on('request', (_req, res) => {
    active++;
    res.once('close', () => {
      active--;
      if (active === 0) onIdle?.();
    });
  });
  return {
    inFlight: () => active,
    drain(timeoutMs) {
      if (active === 0) return Promise.resolve();
      return new Promise<void>((resolveDrain) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          onIdle = undefined;
          resolveDrain();
        }
        onIdle = done;
      });
    },
  };
}
