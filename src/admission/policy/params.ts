// The parameter objects of a binding (kube's CollectParams): the policy's paramKind is looked up
// through discovery (apiVersion + kind → resource), the binding's paramRef picks objects by name or
// label selector from storage. Configuration errors carry kube's texts.
import type { Storage, StoredObject } from '../../storage/interface.js';
import type { DiscoveryRegistry } from '../../aggregator/discovery/index.js';
import { storageKey, storagePrefix } from '../../registry/resource.js';
import { labelSelectorFromMeta } from '../../registry/selectors/label-selector.js';
import type { ParamKind, ParamRef } from '../../kube-apis/admissionregistration/types.js';

/** The resource a paramKind names. */
export interface ParamResource {
  group: string;
  resource: string;
  namespaced: boolean;
}

/** The objects to evaluate with ([null] without params), or a configuration error. */
export type ParamsResult = { params: Array<StoredObject | null> } | { error: string };

export interface ParamLookup {
  /** The resource of a paramKind; undefined when it is not served. */
  resolve(kind: ParamKind): ParamResource | undefined;
  /** The binding's params for a request in `requestNamespace` ('' for cluster-scoped requests). */
  collect(resource: ParamResource, ref: ParamRef | null | undefined, requestNamespace: string): Promise<ParamsResult>;
}

export function storageParamLookup(storage: Storage, discovery: DiscoveryRegistry): ParamLookup {
  return {
    resolve(kind) {
      const apiVersion = kind.apiVersion ?? '';
      const slash = apiVersion.indexOf('/');
      const group = slash < 0 ? '' : apiVersion.slice(0, slash);
      const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
      const found = discovery.resourceList(group, version)?.find((r) => r.kind === kind.kind && !r.name.includes('/'));
      return found ? { group, resource: found.name, namespaced: found.namespaced } : undefined;
    },
    async collect(def, ref, requestNamespace) {
      // A binding without paramRef evaluates its policy with null params.
      if (!ref) return { params: [null] };
      let namespace = '';
      if (def.namespaced) {
        namespace = ref.namespace || requestNamespace;
        if (!namespace) return { error: 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' };
      } else if (ref.namespace) return { error: 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`' };
      let params: StoredObject[];
      if (ref.name) {
        const obj = await storage.get(storageKey(def, namespace, ref.name), { ignoreNotFound: true });
        params = obj ? [obj] : [];
      } else {
        let selector;
        try {
          selector = labelSelectorFromMeta(ref.selector ?? {});
        } catch (err) {
          return { error: (err as Error).message };
        }
        const prefix = def.namespaced ? `${storagePrefix(def)}${namespace}/` : storagePrefix(def);
        const { items } = await storage.list(prefix, { recursive: true });
        params = items.filter((item) => selector.matches(item.metadata.labels ?? {}));
      }
      if (params.length === 0 && ref.parameterNotFoundAction === 'Deny') return { error: 'no params found for policy binding with `Deny` parameterNotFoundAction' };
      return { params };
    },
  };
}
