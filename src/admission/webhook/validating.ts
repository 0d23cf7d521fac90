// kube's ValidatingAdmissionWebhook: every matching webhook is called in parallel; any denial or
// (failurePolicy Fail) failure refuses the request; warnings go to the client.
import type { AdmissionAttributes, AdmissionPlugin } from '../interface.js';
import type { ObjectCache } from '../object-cache.js';
import { callWebhook } from './call.js';
import { callFailure, ErrCallingWebhook, webhookDenied } from './errors.js';
import { webhookInvocations, type MatchDeps, type WebhookInvocation } from './invocations.js';

async function validateWith(invocation: WebhookInvocation, attrs: AdmissionAttributes, deps: MatchDeps): Promise<void> {
  const hook = invocation.hook;
  let response;
  try {
    response = await callWebhook(invocation, attrs, false, deps.resolver);
  } catch (err) {
    if (err instanceof ErrCallingWebhook) {
      if (hook.failurePolicy === 'Ignore') return;
      throw callFailure(err);
    }
    throw err;
  }
  for (const warning of response.warnings ?? []) attrs.warn?.(warning);
  if (!response.allowed) throw webhookDenied(hook.name ?? '', response.status);
}

export function validatingAdmissionWebhook(configs: ObjectCache, deps: MatchDeps): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionWebhook',
    async validate(attrs) {
      const invocations = await webhookInvocations(configs, attrs, deps);
      if (invocations.length === 0) return;
      const results = await Promise.allSettled(invocations.map((invocation) => validateWith(invocation, attrs, deps)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
