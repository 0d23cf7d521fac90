// The discovery documents as kube serializes them; property order follows the Go structs
// (k8s.io/apimachinery/pkg/apis/meta/v1 types.go, k8s.io/api/apidiscovery/v2 types.go), so JSON output
// has kube's key order.

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

/** metav1.APIResource: singularName, namespaced, kind and verbs are always written; the rest only when set. */
export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind?: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind?: GroupVersionKind;
  scope: 'Cluster' | 'Namespaced';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources?: APIResourceDiscovery[];
  freshness?: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  /** Go's ObjectMeta with an unset creationTimestamp: `{"name":...,"creationTimestamp":null}`. */
  metadata: { name?: string; creationTimestamp: null };
  versions?: APIVersionDiscovery[];
}
