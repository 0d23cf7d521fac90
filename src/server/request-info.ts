// The shape of kube-apiserver's RequestInfo (k8s.io/apiserver/pkg/endpoints/request.RequestInfo).
// The factory that fills it lives in filters/request-info.ts.

export interface RequestInfo {
  /** True for /api and /apis requests that name a resource (or a discovery path under them is false). */
  isResourceRequest: boolean;
  /** The URL path, always set. */
  path: string;
  /** Resource requests: get, list, watch, create, update, patch, delete, deletecollection, proxy.
   *  Non-resource requests: the lower-cased HTTP method. */
  verb: string;
  /** "api" or "apis" for resource requests, else "". */
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  /** The path segments after the api prefix (kube's Parts). */
  parts: string[];
}
