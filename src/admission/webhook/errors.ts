// kube's webhook error shapes (webhook/errors and webhookutil.ErrCallingWebhook).
import { newBadRequest, newInternalError, StatusError, type StatusDetails, type StatusReason } from '../../endpoints/status.js';
import type { AdmissionResponse } from './review.js';

/** The webhook could not be called or answered badly: failurePolicy decides. */
export class ErrCallingWebhook extends Error {
  constructor(readonly webhookName: string, reason: string) {
    super(`failed calling webhook ${JSON.stringify(webhookName)}: ${reason}`);
  }
}

/** failurePolicy Fail: `Internal error occurred: failed calling webhook "<name>": <reason>`. */
export function callFailure(err: ErrCallingWebhook): StatusError {
  return newInternalError(err);
}

/** ToStatusErr: the webhook's own Status, its message prefixed with who denied the request. */
export function webhookDenied(webhookName: string, result: AdmissionResponse['status']): StatusError {
  const deniedBy = `admission webhook ${JSON.stringify(webhookName)} denied the request`;
  const status = result ?? {};
  const code = typeof status.code === 'number' && status.code >= 400 ? status.code : 400;
  let message: string;
  if (status.message) message = `${deniedBy}: ${status.message}`;
  else if (status.reason) message = `${deniedBy}: ${status.reason}`;
  else message = `${deniedBy} without explanation`;
  const details = status.details && typeof status.details === 'object' ? (status.details as StatusDetails) : undefined;
  return new StatusError(code, (status.reason ?? '') as StatusReason, message, details);
}

/** NewDryRunUnsupportedErr */
export function dryRunUnsupported(webhookName: string): StatusError {
  return newBadRequest(`admission webhook ${JSON.stringify(webhookName)} does not support dry run`);
}
