// What client-go makes of a webhook's non-2xx answer (rest.Result.Error over
// newUnstructuredResponseError and apierrors.NewGenericServerResponse): a Status body with status
// Failure is that Status; anything else gets the code's reason and message, with Retry-After's
// seconds. The reason decides whether kube's webhook clients retry.
import type { IncomingHttpHeaders } from 'node:http';

export class WebhookStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    /** details.retryAfterSeconds (the Retry-After header, or the Status's own). */
    readonly retryAfterSeconds = 0,
  ) {
    super(message);
    this.name = 'WebhookStatusError';
  }
}

/** client-go's maxUnstructuredResponseTextBytes. */
const MAX_TEXT_BYTES = 2048;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function header(headers: IncomingHttpHeaders | undefined, name: string): string {
  const value = headers?.[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** client-go's retryAfterSeconds: an integer Retry-After, else nothing. */
function retryAfterSeconds(headers: IncomingHttpHeaders | undefined): number {
  const text = header(headers, 'retry-after');
  return /^[+-]?\d+$/.test(text) ? Number(text) : 0;
}

/** client-go's isTextResponse: no content type, or a text/* one. */
function isTextResponse(headers: IncomingHttpHeaders | undefined): boolean {
  const contentType = header(headers, 'content-type');
  return contentType === '' || contentType.trim().toLowerCase().startsWith('text/');
}

/** apierrors.NewGenericServerResponse's reason and message for a code. */
function genericReasonAndMessage(code: number, serverMessage: string): [string, string] {
  switch (code) {
    case 409:
      return ['AlreadyExists', 'the server reported a conflict']; // the webhooks POST
    case 404:
      return ['NotFound', 'the server could not find the requested resource'];
    case 400:
      return ['BadRequest', 'the server rejected our request for an unknown reason'];
    case 401:
      return ['Unauthorized', 'the server has asked for the client to provide credentials'];
    case 403:
      return ['Forbidden', serverMessage];
    case 406:
      return ['NotAcceptable', serverMessage === '' || serverMessage === 'unknown' ? 'the server was unable to respond with a content type that the client supports' : serverMessage];
    case 415:
      return ['UnsupportedMediaType', serverMessage];
    case 405:
      return ['MethodNotAllowed', 'the server does not allow this method on the requested resource'];
    case 422:
      return ['Invalid', 'the server rejected our request due to an error in our request'];
    case 503:
      return ['ServiceUnavailable', 'the server is currently unable to handle the request'];
    case 504:
      return ['Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request'];
    case 429:
      return ['TooManyRequests', 'the server has received too many requests and has asked us to try again later'];
    default:
      if (code >= 500) return ['InternalError', `an error on the server (${JSON.stringify(serverMessage)}) has prevented the request from succeeding`];
      return ['', `the server responded with the status code ${code} but did not return more information`];
  }
}

export function webhookResponseError(code: number, text: string, headers?: IncomingHttpHeaders): WebhookStatusError {
  try {
    const status: unknown = JSON.parse(text);
    if (isRecord(status) && status.kind === 'Status' && status.status === 'Failure') {
      const details = isRecord(status.details) ? status.details : {};
      return new WebhookStatusError(
        typeof status.code === 'number' ? status.code : 0,
        typeof status.reason === 'string' ? status.reason : '',
        typeof status.message === 'string' ? status.message : '',
        typeof details.retryAfterSeconds === 'number' ? details.retryAfterSeconds : 0,
      );
    }
  } catch {
    // not a Status: the generic error below
  }
  const body = Buffer.from(text, 'utf8').subarray(0, MAX_TEXT_BYTES).toString('utf8');
  const serverMessage = isTextResponse(headers) ? body.trim() : 'unknown';
  const [reason, message] = genericReasonAndMessage(code, serverMessage);
  return new WebhookStatusError(code, reason, message, retryAfterSeconds(headers));
}
