// Reads an audit log file (JSON lines) the way the audit tests wait for it: the log backend writes
// after the response, so the event is polled for.
import { readFile } from 'node:fs/promises';

/** The ResponseComplete event of `auditID` in the log at `logPath`, once it has been written. */
export async function responseCompleteEvent(logPath: string, auditID: string): Promise<any> {
  for (let i = 0; i < 100; i++) {
    const lines = (await readFile(logPath, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const found = lines.find((e) => e.auditID === auditID && e.stage === 'ResponseComplete');
    if (found) return found;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ResponseComplete event for ${auditID}`);
}
