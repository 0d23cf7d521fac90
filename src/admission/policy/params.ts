// The parameter objects of a binding (paramRef): by name or label selector, of the policy's paramKind,
// looked up through discovery (apiVersion + kind → resource) and read from storage.
import type { Storage, StoredObject } from '../../storage/interface.js';
import type { DiscoveryRegistry } from '../../aggregator/discovery/index.js';
import { storageKey, storagePrefix } from '../../registry/resource.js';
import { labelSelectorFromMeta } from '../../registry/selectors/label-selector.js';
import type { ParamKind, ParamRef } from '../../kube-apis/admissionregistration/types.js';

export interface ParamLookup {
  /** The params to evaluate with: undefined when the paramKind is not served. */
  find(kind: ParamKind, ref: ParamRef, requestNamespace: string): Promise<StoredObject[] | undefined>;
}

export function storageParamLookup(storage: Storage, discovery: DiscoveryRegistry): ParamLookup {
  return {
    async find(kind, ref, requestNamespace) {
      const apiVersion = kind.apiVersion ?? '';
      const slash = apiVersion.indexOf('/');
      const group = slash < 0 ? '' : apiVersion.slice(0, slash);
      const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
      const resource = discovery.resourceList(group, version)?.find((r) => r.kind === kind.kind && !r.name.includes('/'));
      if (!resource) return undefined;
      const def = { group, resource: resource.name, namespaced: resource.namespaced };
      const namespace = def.namespaced ? ref.namespace || requestNamespace : '';
      if (def.namespaced && !namespace) return [];
      if (ref.name) {
        const obj = await storage.get(storageKey(def, namespace, ref.name), { ignoreNotFound: true });
        return obj ? [obj] : [];
      }
      const selector = labelSelectorFromMeta(ref.selector);
      const prefix = def.namespaced ? `${storagePrefix(def)}${namespace}/` : storagePrefix(def);
      const { items } = await storage.list(prefix, { recursive: true });
      return items.filter((item) => selector.matches(item.metadata.labels ?? {}));
    },
  };
}
