// kube's log backend: one JSON line per event, to a rotating file or (path "-") to stdout.
import type { AuditBackend, AuditEvent } from '../types.js';
import { encodeEventLine } from '../encode.js';
import { RotatingFile, type RotationOptions } from './rotating-file.js';

export function createLogBackend(path: string, rotation: RotationOptions, onError: (err: Error) => void): AuditBackend {
  if (path === '-') {
    return {
      processEvents: (events: AuditEvent[]) => {
        for (const event of events) process.stdout.write(encodeEventLine(event));
      },
      shutdown: async () => undefined,
    };
  }
  const file = new RotatingFile(path, rotation);
  return {
    processEvents(events) {
      for (const event of events) {
        try {
          file.write(encodeEventLine(event));
        } catch (err) {
          // kube logs "Unable to write audit event" and goes on serving.
          onError(err as Error);
        }
      }
    },
    shutdown: async () => file.close(),
  };
}
