// kube's ValidatingAdmissionWebhook: every matching webhook is called in parallel; any denial or
// (failurePolicy Fail) failure refuses the request; warnings go to the client.
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectCache } from '../object-cache.js';
import { callWebhook } from './call.js';
import { recordFailedOpen, recordWebhookAnnotations } from './audit-annotations.js';
import { callFailure, ErrCallingWebhook, webhookDenied } from './errors.js';
import { webhookInvocations, type MatchDeps, type WebhookInvocation } from './invocations.js';

/** One webhook; `index` is its position among the webhooks this request calls (kube's failed-open annotation). */
async function validateWith(invocation: WebhookInvocation, index: number, attrs: AdmissionAttributes, deps: MatchDeps): Promise<void> {
  const hook = invocation.hook;
  let response;
  try {
    response = await callWebhook(invocation, attrs, false, deps.resolver);
  } catch (err) {
    if (err instanceof ErrCallingWebhook) {
      if (hook.failurePolicy === 'Ignore') {
        recordFailedOpen(attrs, 'validating', 0, index, hook.name ?? '');
        return;
      }
      throw callFailure(err);
    }
    throw err;
  }
  recordWebhookAnnotations(attrs, hook.name ?? '', response.auditAnnotations);
  for (const warning of response.warnings ?? []) attrs.warn?.(warning);
  if (!response.allowed) throw webhookDenied(hook.name ?? '', response.status);
}

export function validatingAdmissionWebhook(configs: ObjectCache, deps: MatchDeps): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionWebhook',
    async validate(attrs) {
      const invocations = await webhookInvocations(configs, attrs, deps);
      if (invocations.length === 0) return;
      const results = await Promise.allSettled(invocations.map((invocation, index) => validateWith(invocation, index, attrs, deps)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
