// Conversion strategy Webhook: a ConversionReview to the CRD's webhook for every object not yet in
// the desired version, checked as kube's webhookConverter checks the answer (uid, count, apiVersion,
// kind, name/namespace/uid kept; only labels and annotations of metadata may change).
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../registry/resource.js';
import { StatusError } from '../../endpoints/status.js';
import { postToWebhook, WebhookCallError, type WebhookClientConfig } from '../../webhook/client.js';
import type { ServiceResolver } from '../../webhook/service-resolver.js';
import { validateLabels, validateAnnotations } from '../../registry/validation/object-meta.js';
import { aggregateText } from '../../registry/validation/field-errors.js';

/** kube calls conversion webhooks with a fixed 30s timeout (the `?timeout=30s` on the request). */
export const CONVERSION_WEBHOOK_TIMEOUT_MS = 30_000;

export interface WebhookConversion {
  clientConfig: WebhookClientConfig;
  conversionReviewVersions: string[];
  resolver?: ServiceResolver;
  timeoutMs?: number;
}

class ConversionFailure extends Error {}

function gvkText(apiVersion: string, kind: string): string {
  return `${apiVersion}, Kind=${kind}`;
}

function reviewResponse(review: any, uid: string, apiVersion: string): unknown[] {
  const expected = `apiextensions.k8s.io/${apiVersion}`;
  if (review?.apiVersion !== expected || review?.kind !== 'ConversionReview') {
    throw new ConversionFailure(`expected webhook response of ${expected}, Kind=ConversionReview, got ${review?.apiVersion ?? ''}, Kind=${review?.kind ?? ''}`);
  }
  const response = review.response;
  if (!response) throw new ConversionFailure('no response provided');
  if (response.uid !== uid) throw new ConversionFailure(`expected response.uid=${JSON.stringify(uid)}, got ${JSON.stringify(response.uid ?? '')}`);
  if (response.result?.status !== 'Success') {
    if (response.result?.message) throw new ConversionFailure(response.result.message);
    throw new ConversionFailure(`response.result.status was '${response.result?.status ?? ''}', not 'Success'`);
  }
  return Array.isArray(response.convertedObjects) ? response.convertedObjects : [];
}

/** kube's restoreObjectMeta: metadata from the original, labels and annotations from the webhook. */
function restoreObjectMeta(original: KubeObject, converted: Record<string, any>): string | undefined {
  const answered = converted.metadata;
  if (answered === undefined) return 'missing metadata in converted object';
  if (typeof answered !== 'object' || answered === null || Array.isArray(answered)) return `invalid metadata of type ${typeof answered} in converted object`;
  const meta: Record<string, any> = structuredClone(original.metadata ?? {});
  for (const field of ['labels', 'annotations'] as const) {
    const value = answered[field];
    if (value === undefined || value === null) {
      delete meta[field];
      continue;
    }
    if (typeof value !== 'object' || Array.isArray(value)) return `invalid metadata.${field} of type ${Array.isArray(value) ? '[]interface {}' : typeof value} in converted object`;
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'string') return `metadata.${field}[${k}] must be a string, but is ${typeof v} in converted object`;
    const before = meta[field] ?? {};
    const changed = Object.keys(before).length !== Object.keys(value).length || Object.entries(value).some(([k, v]) => before[k] !== v);
    if (changed) {
      const errors = field === 'labels' ? validateLabels(value as Record<string, string>, 'metadata.labels') : validateAnnotations(value as Record<string, string>, 'metadata.annotation');
      if (errors.length > 0) return aggregateText(errors);
    }
    meta[field] = value;
  }
  converted.metadata = meta;
  return undefined;
}

function checkConverted(original: KubeObject, converted: any, toAPIVersion: string, index: number): string | undefined {
  const prefix = `returned invalid converted object at index ${index}`;
  if (typeof converted !== 'object' || converted === null || Array.isArray(converted)) return `${prefix}: invalid type, expected=Unstructured, got=${typeof converted}`;
  if (converted.apiVersion !== toAPIVersion) return `${prefix}: invalid groupVersion (expected ${toAPIVersion}, received ${converted.apiVersion ?? ''})`;
  if (converted.kind !== original.kind) return `${prefix}: invalid kind (expected ${original.kind}, received ${converted.kind ?? ''})`;
  const m = converted.metadata ?? {};
  const o = original.metadata ?? {};
  if ((m.name ?? '') !== (o.name ?? '')) return `${prefix}: must have the same name: ${o.name ?? ''} != ${m.name ?? ''}`;
  if ((m.namespace ?? '') !== (o.namespace ?? '')) return `${prefix}: must have the same namespace: ${o.namespace ?? ''} != ${m.namespace ?? ''}`;
  if ((m.uid ?? '') !== (o.uid ?? '')) return `${prefix}: must have the same UID: ${o.uid ?? ''} != ${m.uid ?? ''}`;
  const metaError = restoreObjectMeta(original, converted);
  if (metaError) return `returned invalid metadata in object at index ${index}: ${metaError}`;
  return undefined;
}

/** Converts through the webhook; the StatusError it throws is what kube answers (500, no reason). */
export async function convertByWebhook(config: WebhookConversion, objects: KubeObject[], toAPIVersion: string, listKind?: string): Promise<KubeObject[]> {
  const pending = objects.map((obj, i) => ({ obj, i })).filter(({ obj }) => obj.apiVersion !== toAPIVersion);
  if (pending.length === 0) return objects;
  const first = pending[0].obj;
  const gvk = gvkText(first.apiVersion, listKind ?? first.kind);
  const fail = (text: string) => new StatusError(500, '', `conversion webhook for ${gvk} ${text}`);
  const reviewVersion = config.conversionReviewVersions.find((v) => v === 'v1' || v === 'v1beta1');
  if (!reviewVersion) throw fail('failed: no supported conversion review versions');
  const uid = randomUUID();
  const review = {
    kind: 'ConversionReview',
    apiVersion: `apiextensions.k8s.io/${reviewVersion}`,
    request: { uid, desiredAPIVersion: toAPIVersion, objects: pending.map(({ obj }) => obj) },
  };
  let converted: unknown[];
  try {
    const answer = await postToWebhook(config.clientConfig, review, { timeoutMs: config.timeoutMs ?? CONVERSION_WEBHOOK_TIMEOUT_MS, timeoutQuery: '30s', resolver: config.resolver });
    converted = reviewResponse(answer, uid, reviewVersion);
  } catch (err) {
    if (err instanceof WebhookCallError || err instanceof ConversionFailure) throw fail(`failed: ${err.message}`);
    throw err;
  }
  if (converted.length !== pending.length) throw fail(`returned ${converted.length} objects, expected ${pending.length}`);
  const result = [...objects];
  pending.forEach(({ obj, i }, index) => {
    const out = converted[index] as Record<string, any>;
    const problem = checkConverted(obj, out, toAPIVersion, index);
    if (problem) throw fail(problem);
    result[i] = out as KubeObject;
  });
  return result;
}
