// kube's log backend: one JSON line per event, to a rotating file or (path "-") to stdout. A failed
// write is a "log" plugin error; the backend then answers false, which only --audit-log-mode
// blocking-strict turns into a refused request (blocking, the default, ignores it).
import type { AuditBackend, AuditEvent, PluginErrorHandler } from '../types.js';
import { encodeEventLine } from '../encode.js';
import { RotatingFile, type RotationOptions } from './rotating-file.js';

export const LOG_PLUGIN = 'log';

export function createLogBackend(path: string, rotation: RotationOptions, onPluginError: PluginErrorHandler): AuditBackend {
  if (path === '-') {
    return {
      processEvents: (events: AuditEvent[]) => {
        for (const event of events) process.stdout.write(encodeEventLine(event));
        return true;
      },
      shutdown: async () => undefined,
    };
  }
  const file = new RotatingFile(path, rotation);
  return {
    processEvents(events) {
      let ok = true;
      for (const event of events) {
        try {
          file.write(encodeEventLine(event));
        } catch (err) {
          onPluginError(LOG_PLUGIN, err as Error, 1);
          ok = false;
        }
      }
      return ok;
    },
    shutdown: async () => file.close(),
  };
}

/** kube's ignoreErrorsBackend (mode blocking): errors are counted and logged, the request goes on. */
export function ignoreErrors(backend: AuditBackend): AuditBackend {
  return {
    processEvents: (events) => {
      backend.processEvents(events);
      return true;
    },
    shutdown: () => backend.shutdown(),
  };
}
