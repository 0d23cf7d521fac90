// Warnings an authenticator raises about a request (kube adds them to the request's context); the
// authentication filter turns them into Warning headers.
import type { IncomingMessage } from 'node:http';

const warnings = new WeakMap<IncomingMessage, string[]>();

export function addRequestWarning(req: IncomingMessage, text: string): void {
  const list = warnings.get(req);
  if (list) list.push(text);
  else warnings.set(req, [text]);
}

export function takeRequestWarnings(req: IncomingMessage): string[] {
  const list = warnings.get(req) ?? [];
  warnings.delete(req);
  return list;
}
