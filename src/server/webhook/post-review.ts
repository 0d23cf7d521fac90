// One call of a review webhook (TokenReview, SubjectAccessReview) through its kubeconfig client: the
// parsed JSON answer, client-go's error for a non-2xx answer (what the retries look at), or the
// transport's error under Go's `Post "<server>": ` prefix with its code kept.
import type { WebhookClient } from './kubeconfig-client.js';
import { webhookResponseError } from './response-error.js';

/** One POST of the review: a non-2xx answer is client-go's error for it; transport errors keep Go's prefix. */
export async function postReview(client: WebhookClient, body: string, timeoutMs: number): Promise<unknown> {
  let response;
  try {
    response = await client.post(body, timeoutMs);
  } catch (err) {
    const wrapped = new Error(`Post "${client.server}": ${(err as Error).message}`) as NodeJS.ErrnoException;
    wrapped.code = (err as NodeJS.ErrnoException).code;
    throw wrapped;
  }
  if (response.status < 200 || response.status >= 300) throw webhookResponseError(response.status, response.text, response.headers);
  try {
    return JSON.parse(response.text);
  } catch (err) {
    throw new Error(`could not decode the webhook's response: ${(err as Error).message}`);
  }
}
