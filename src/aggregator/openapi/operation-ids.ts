// Operation IDs and tags as kube derives them from the route (k8s.io/apiserver/pkg/endpoints/openapi
// GetOperationIDAndTags, ToValidOperationID): "/api/v1" counts as group "core", ".k8s.io" is dropped
// from group names, and the rest is camel-cased: listCoreV1NamespacedConfigMap, coordination_v1.

/** kube's ToValidOperationID: letters, '_' and (not first) digits kept; anything else capitalises the next letter. */
export function toValidOperationID(s: string, capitalizeFirst: boolean): string {
  let out = '';
  let capitalize = capitalizeFirst;
  let i = 0;
  for (const ch of s) {
    const isLetter = /\p{L}/u.test(ch);
    if (isLetter || ch === '_' || (i !== 0 && /\p{Nd}/u.test(ch))) {
      out += capitalize ? ch.toUpperCase() : ch;
      capitalize = false;
    } else {
      capitalize = true;
    }
    i += ch.length;
  }
  return out;
}

/** The part after the verb: "CoreV1", "CoordinationV1", "RbacAuthorizationV1". */
export function groupVersionOperationPart(group: string, version: string): string {
  const name = group ? group.replace(/\.k8s\.io$/, '') : 'core';
  return toValidOperationID(name, true) + toValidOperationID(version, true);
}

/** The tag of every operation of a group-version: "core_v1", "coordination_v1", "flowcontrolApiserver_v1". */
export function groupVersionTag(group: string, version: string): string {
  const name = group ? group.replace(/\.k8s\.io$/, '') : 'core';
  return `${toValidOperationID(name, false)}_${toValidOperationID(version, false)}`;
}

/** verb + group-version + rest, e.g. ("list", "", "v1", "NamespacedConfigMap") → listCoreV1NamespacedConfigMap. */
export function operationId(verb: string, group: string, version: string, rest: string): string {
  return verb + groupVersionOperationPart(group, version) + toValidOperationID(rest, true);
}
