// kube's webhook authorizer (k8s.io/apiserver/plugin/pkg/authorizer/webhook): each decision is a
// SubjectAccessReview (authorization.k8s.io, --authorization-webhook-version v1beta1 by default as
// kube-apiserver, or v1) POSTed to the server of the --authorization-webhook-config-file kubeconfig.
// status.allowed → Allow, status.denied → Deny, otherwise NoOpinion (the next authorizer decides).
// Answers are cached by the review's spec: allowed ones for --authorization-webhook-cache-authorized-ttl
// (5m), the others for --authorization-webhook-cache-unauthorized-ttl (30s). Transient failures (5xx, 429,
// connection resets) are retried with kube's backoff; a webhook that still fails is an evaluation error: without an Allow from another authorizer the request is a 500, as in kube.
import type { AuthorizationAttributes, AuthorizationResult, Authorizer } from '../authorizer.js';
import { loadKubeconfigClient, type WebhookClient } from '../../server/webhook/kubeconfig-client.js';
import { DEFAULT_WEBHOOK_RETRY_BACKOFF, shouldRetryWebhook, withExponentialBackoff, type Backoff } from '../../server/webhook/retry-backoff.js';
import { postReview } from '../../server/webhook/post-review.js';
import { asError } from '../aggregate-error.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface WebhookAuthorizerOptions {
  version: 'v1' | 'v1beta1';
  authorizedTTLMs: number;
  unauthorizedTTLMs: number;
  /** kube's webhook request timeout (30 s). */
  timeoutMs?: number;
  now?: () => number;
  /** kube's DefaultRetryBackoff unless given. */
  retryBackoff?: Backoff;
  /** Tests replace the wait between retries. */
  sleep?: (ms: number) => Promise<void>;
}

/** The SubjectAccessReview spec kube builds from the request's attributes. */
export function subjectAccessReviewSpec(attrs: AuthorizationAttributes, version: 'v1' | 'v1beta1'): Record<string, unknown> {
  const spec: Record<string, unknown> = attrs.isResourceRequest
    ? {
        resourceAttributes: {
          namespace: attrs.namespace || undefined,
          verb: attrs.verb,
          group: attrs.apiGroup || undefined,
          version: attrs.apiVersion || undefined,
          resource: attrs.resource || undefined,
          subresource: attrs.subresource || undefined,
          name: attrs.name || undefined,
        },
      }
    : { nonResourceAttributes: { path: attrs.path, verb: attrs.verb } };
  // v1beta1 calls the user's groups "group"; v1 "groups".
  spec.user = attrs.user.name;
  spec[version === 'v1' ? 'groups' : 'group'] = attrs.user.groups;
  if (attrs.user.extra && Object.keys(attrs.user.extra).length > 0) spec.extra = attrs.user.extra;
  if (attrs.user.uid) spec.uid = attrs.user.uid;
  return JSON.parse(JSON.stringify(spec));
}

export function webhookAuthorizer(client: WebhookClient, options: WebhookAuthorizerOptions): Authorizer {
  const apiVersion = `authorization.k8s.io/${options.version}`;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { result: AuthorizationResult; expires: number }>();
  return {
    async authorize(attrs) {
      const spec = subjectAccessReviewSpec(attrs, options.version);
      const key = JSON.stringify(spec);
      const cached = cache.get(key);
      if (cached && cached.expires > now()) return cached.result;
      const review = { kind: 'SubjectAccessReview', apiVersion, metadata: { creationTimestamp: null }, spec, status: { allowed: false } };
      let status: Record<string, unknown>;
      const payload = JSON.stringify(review);
      try {
        // kube retries transient failures (5xx, 429, resets) with DefaultRetryBackoff before giving up.
        const body = await withExponentialBackoff(options.retryBackoff ?? DEFAULT_WEBHOOK_RETRY_BACKOFF, () => postReview(client, payload, options.timeoutMs ?? 30_000), shouldRetryWebhook, { sleep: options.sleep });
        status = isRecord(body) && isRecord(body.status) ? body.status : {};
      } catch (err) {
        return { decision: 'NoOpinion', reason: '', error: asError(err) };
      }
      const reason = typeof status.reason === 'string' ? status.reason : '';
      const result: AuthorizationResult =
        status.allowed === true ? { decision: 'Allow', reason } : status.denied === true ? { decision: 'Deny', reason } : { decision: 'NoOpinion', reason };
      if (typeof status.evaluationError === 'string' && status.evaluationError && result.decision !== 'Allow') result.error = new Error(status.evaluationError);
      if (cache.size > 10_000) cache.clear();
      cache.set(key, { result, expires: now() + (result.decision === 'Allow' ? options.authorizedTTLMs : options.unauthorizedTTLMs) });
      return result;
    },
  };
}

export function webhookAuthorizerFromFile(file: string, options: WebhookAuthorizerOptions): Authorizer {
  return webhookAuthorizer(loadKubeconfigClient(file), options);
}
