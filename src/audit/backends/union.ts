// Several backends receive every event (kube's union backend).
import type { AuditBackend } from '../types.js';

export function unionBackend(backends: AuditBackend[]): AuditBackend | undefined {
  if (backends.length === 0) return undefined;
  if (backends.length === 1) return backends[0];
  return {
    processEvents: (events) => {
      // Every backend gets the events, whatever the others answered.
      let ok = true;
      for (const backend of backends) ok = backend.processEvents(events) && ok;
      return ok;
    },
    shutdown: async () => {
      await Promise.all(backends.map((b) => b.shutdown()));
    },
  };
}
