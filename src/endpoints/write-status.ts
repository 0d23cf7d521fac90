// Writes a Status object as the response, the one way every error leaves the server.
import type { Context } from 'koa';
import { StatusError, type Status } from './status.js';
import { RequestAudit } from '../audit/request-audit.js';

export function writeStatus(ctx: Context, status: Status, headers: Record<string, string> = {}): void {
  ctx.status = status.code;
  const audit = ctx.state?.audit;
  if (audit instanceof RequestAudit) audit.logResponseObject(status);
  for (const [name, value] of Object.entries(headers)) ctx.set(name, value);
  ctx.body = JSON.stringify(status);
  // Set after the body, so that Koa does not add a charset: kube answers plain application/json.
  ctx.set('Content-Type', 'application/json');
}

export function writeStatusError(ctx: Context, err: StatusError): void {
  writeStatus(ctx, err.status, err.headers);
}
