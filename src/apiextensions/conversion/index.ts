// The converter of a CRD's versions, from spec.conversion: None or Webhook. Objects converted into
// the storage version are pruned and defaulted by the storage version's schema, as kube does when it
// decodes them from storage, so every stored object carries the storage version's defaults.
import type { KubeObject } from '../../registry/resource.js';
import type { VersionConverter } from '../../registry/conversion.js';
import type { ServiceResolver } from '../../webhook/service-resolver.js';
import { compileVersionSchema, type CompiledSchema } from '../schema/index.js';
import { convertNone } from './none.js';
import { convertByWebhook } from './webhook.js';

export function converterFor(crd: KubeObject, resolver?: ServiceResolver): VersionConverter {
  const spec = crd.spec;
  const versions = spec.versions as Array<Record<string, any>>;
  const storageVersion = versions.find((v) => v.storage) ?? versions[0];
  const storageAPIVersion = `${spec.group}/${storageVersion.name}`;
  const webhook = spec.conversion?.strategy === 'Webhook' ? spec.conversion.webhook : undefined;
  const config = webhook && { clientConfig: webhook.clientConfig ?? {}, conversionReviewVersions: webhook.conversionReviewVersions ?? [], resolver };
  const convert = (objects: KubeObject[], to: string, listKind?: string): Promise<KubeObject[]> =>
    config ? convertByWebhook(config, objects, to, listKind) : Promise.resolve(convertNone(objects, to));
  let storageSchema: CompiledSchema | undefined;
  return {
    storageAPIVersion,
    async convert(objects, to, listKind) {
      const converted = await convert(objects, to, listKind);
      if (to !== storageAPIVersion) return converted;
      storageSchema ??= compileVersionSchema(storageVersion.schema?.openAPIV3Schema, { group: spec.group, version: storageVersion.name, kind: spec.names.kind });
      return converted.map((obj, i) => {
        if (obj === objects[i]) return obj;
        const copy = structuredClone(obj);
        storageSchema!.prune(copy);
        storageSchema!.applyDefaults(copy);
        return copy;
      });
    },
  };
}
