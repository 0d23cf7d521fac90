// The converter of a CRD's versions, from spec.conversion: None or Webhook.
import type { KubeObject } from '../../registry/resource.js';
import type { VersionConverter } from '../../registry/conversion.js';
import type { ServiceResolver } from '../../webhook/service-resolver.js';
import { convertNone } from './none.js';
import { convertByWebhook } from './webhook.js';

export function converterFor(crd: KubeObject, resolver?: ServiceResolver): VersionConverter {
  const spec = crd.spec;
  const storage = (spec.versions as Array<{ name: string; storage?: boolean }>).find((v) => v.storage)?.name ?? spec.versions[0].name;
  const storageAPIVersion = `${spec.group}/${storage}`;
  const webhook = spec.conversion?.strategy === 'Webhook' ? spec.conversion.webhook : undefined;
  if (!webhook) return { storageAPIVersion, convert: async (objects, to) => convertNone(objects, to) };
  const config = { clientConfig: webhook.clientConfig ?? {}, conversionReviewVersions: webhook.conversionReviewVersions ?? [], resolver };
  return { storageAPIVersion, convert: (objects, to, listKind) => convertByWebhook(config, objects, to, listKind) };
}
