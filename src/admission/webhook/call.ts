// One webhook call: the dry-run rule, the AdmissionReview, the HTTPS POST within the webhook's
// timeout, and the checks of its answer. Failures are ErrCallingWebhook (failurePolicy decides).
import type { AdmissionAttributes } from '../interface.js';
import type { ServiceResolver } from '../../webhook/service-resolver.js';
import { postToWebhook } from '../../webhook/client.js';
import { admissionReviewVersion, buildAdmissionReview, verifyAdmissionResponse, type AdmissionResponse } from './review.js';
import { dryRunUnsupported, ErrCallingWebhook } from './errors.js';
import { matchAttributes, type WebhookInvocation } from './invocations.js';

const DEFAULT_TIMEOUT_SECONDS = 10;

export async function callWebhook(invocation: WebhookInvocation, attrs: AdmissionAttributes, mutating: boolean, resolver?: ServiceResolver): Promise<AdmissionResponse> {
  const hook = invocation.hook;
  const name = hook.name ?? '';
  if (attrs.dryRun) {
    if (!hook.sideEffects) throw new ErrCallingWebhook(name, 'Webhook SideEffects is nil');
    if (hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') throw dryRunUnsupported(name);
  }
  const match = matchAttributes(attrs);
  const version = admissionReviewVersion(hook.admissionReviewVersions);
  const { uid, review } = buildAdmissionReview(
    { ...attrs, kind: match.kind, resource: match.resource, namespace: match.namespace, object: attrs.object },
    invocation,
    version,
  );
  let answer: unknown;
  try {
    const timeoutSeconds = hook.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    answer = await postToWebhook(hook.clientConfig ?? {}, review, { timeoutMs: timeoutSeconds * 1000, timeoutQuery: `${timeoutSeconds}s`, resolver });
  } catch (err) {
    throw new ErrCallingWebhook(name, `failed to call webhook: ${(err as Error).message}`);
  }
  try {
    return verifyAdmissionResponse(uid, mutating, version, answer);
  } catch (err) {
    throw new ErrCallingWebhook(name, `received invalid webhook response: ${(err as Error).message}`);
  }
}
