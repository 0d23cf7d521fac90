// The audit annotations admission webhooks leave (kube's webhook dispatchers): a webhook's own
// auditAnnotations as `<webhook>/<key>`; for each mutating webhook called,
// `mutation.webhook.admission.k8s.io/round_<r>_index_<i>` ({configuration, webhook, mutated}) and, at
// Request level, `patch.webhook.admission.k8s.io/round_<r>_index_<i>` ({configuration, webhook, patch,
// patchType}); a failure let through by failurePolicy Ignore as
// `failed-open.(mutation|validating).webhook.admission.k8s.io/round_<r>_index_<i>` = the webhook's name.
import type { AdmissionAttributes } from '../interface.js';
import { goJSON } from '../policy/audit-annotations.js';

export function recordWebhookAnnotations(attrs: AdmissionAttributes, webhook: string, annotations: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(annotations ?? {})) attrs.addAuditAnnotation?.(`${webhook}/${key}`, value);
}

const roundIndex = (round: number, index: number) => `round_${round}_index_${index}`;

export function recordMutation(attrs: AdmissionAttributes, round: number, index: number, configuration: string, webhook: string, mutated: boolean): void {
  attrs.addAuditAnnotation?.(`mutation.webhook.admission.k8s.io/${roundIndex(round, index)}`, goJSON({ configuration, webhook, mutated }));
}

export function recordPatch(attrs: AdmissionAttributes, round: number, index: number, configuration: string, webhook: string, patch: unknown): void {
  attrs.addAuditAnnotation?.(`patch.webhook.admission.k8s.io/${roundIndex(round, index)}`, goJSON({ configuration, webhook, patch, patchType: 'JSONPatch' }), 'Request');
}

export function recordFailedOpen(attrs: AdmissionAttributes, kind: 'mutation' | 'validating', round: number, index: number, webhook: string): void {
  attrs.addAuditAnnotation?.(`failed-open.${kind}.webhook.admission.k8s.io/${roundIndex(round, index)}`, webhook);
}
