// kube's webhook token authenticator (k8s.io/apiserver/plugin/pkg/authenticator/token/webhook): the
// token goes to a remote service as a TokenReview (authentication.k8s.io, --authentication-token-
// webhook-version v1beta1 by default as kube-apiserver, or v1) POSTed to the server of the
// --authentication-token-webhook-config-file kubeconfig; status.authenticated decides, status.user is
// the user, status.error a refusal's reason. Transient failures (5xx, 429, connection resets) are
// retried with kube's backoff; a webhook that still fails, answers garbage or times out is a failed
// authentication (401), never a server error.
import type { TokenAuthenticator } from '../token-authenticator.js';
import type { AuthenticationResult } from '../authenticator.js';
import type { UserInfo } from '../user.js';
import { loadKubeconfigClient, type WebhookClient } from '../../server/webhook/kubeconfig-client.js';
import { postReview } from '../../server/webhook/post-review.js';
import { DEFAULT_WEBHOOK_RETRY_BACKOFF, shouldRetryWebhook, withExponentialBackoff, type Backoff } from '../../server/webhook/retry-backoff.js';

export interface WebhookTokenAuthenticatorOptions {
  version: 'v1' | 'v1beta1';
  /** The API audiences, sent as spec.audiences and required of the answer. */
  apiAudiences: string[];
  /** kube's webhook request timeout (30 s). */
  timeoutMs?: number;
  /** kube's DefaultRetryBackoff unless given. */
  retryBackoff?: Backoff;
  /** Tests replace the wait between retries. */
  sleep?: (ms: number) => Promise<void>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function userOf(status: Record<string, unknown>): UserInfo {
  const u = isRecord(status.user) ? status.user : {};
  const user: UserInfo = { name: typeof u.username === 'string' ? u.username : '', groups: strings(u.groups) };
  if (typeof u.uid === 'string' && u.uid) user.uid = u.uid;
  if (isRecord(u.extra)) {
    const extra: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(u.extra)) extra[k] = strings(v);
    if (Object.keys(extra).length > 0) user.extra = extra;
  }
  return user;
}

export function webhookTokenAuthenticator(client: WebhookClient, options: WebhookTokenAuthenticatorOptions): TokenAuthenticator {
  const apiVersion = `authentication.k8s.io/${options.version}`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const backoff = options.retryBackoff ?? DEFAULT_WEBHOOK_RETRY_BACKOFF;
  return {
    async authenticateToken(token, requestedAudiences): Promise<AuthenticationResult | null> {
      // What the request wants the token for (a TokenReview's spec.audiences), else the API audiences.
      const wanted = requestedAudiences ?? options.apiAudiences;
      const review: Record<string, unknown> = { kind: 'TokenReview', apiVersion, metadata: { creationTimestamp: null }, spec: { token }, status: { user: {} } };
      if (wanted.length > 0) (review.spec as Record<string, unknown>).audiences = wanted;
      const payload = JSON.stringify(review);
      // kube retries transient failures (5xx, 429, resets) with DefaultRetryBackoff before giving up.
      const body = await withExponentialBackoff(backoff, () => postReview(client, payload, timeoutMs), shouldRetryWebhook, { sleep: options.sleep });
      const status = isRecord(body) && isRecord(body.status) ? body.status : {};
      let audiences: string[] | undefined;
      if (wanted.length > 0) {
        const got = strings(status.audiences);
        // An answer without audiences is taken to be for the API server (kube's implicit audiences).
        audiences = wanted.filter((a) => (got.length === 0 ? options.apiAudiences : got).includes(a));
        if (audiences.length === 0) return null;
      }
      if (status.authenticated !== true) {
        if (typeof status.error === 'string' && status.error) throw new Error(status.error);
        return null;
      }
      const user = userOf(status);
      if (!user.name) throw new Error('webhook token authenticator: the webhook authenticated the token but returned no username');
      return audiences ? { user, audiences } : { user };
    },
  };
}

export function webhookTokenAuthenticatorFromFile(file: string, options: WebhookTokenAuthenticatorOptions): TokenAuthenticator {
  return webhookTokenAuthenticator(loadKubeconfigClient(file), options);
}
