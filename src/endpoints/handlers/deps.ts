// What the REST handlers need from the server beyond the store.
import type { KubeContext } from '../../server/context.js';
import type { Store } from '../../registry/store.js';

/** A subresource served by its own code (serviceaccounts/token), registered per server. */
export type SubresourceHandler = (ctx: KubeContext, store: Store, deps: EndpointDeps) => Promise<void>;

/** The key of a registered subresource handler: "<group>/<resource>/<subresource>". */
export function subresourceHandlerKey(group: string, resource: string, subresource: string): string {
  return `${group}/${resource}/${subresource}`;
}
export interface EndpointDeps {
  /** kube's request body limit (3 MiB). */
  maxRequestBodyBytes: number;
  /** kube's --min-request-timeout (1800 s): a watch without timeoutSeconds lasts between this and twice it. */
  minRequestTimeoutSeconds: number;
  /** Interval of periodic BOOKMARK events for watches that allow them (kube: about a minute). */
  bookmarkIntervalMs: number;
  /** Subresources whose definition says `handler: 'registered'`, by subresourceHandlerKey. */
  subresourceHandlers?: Map<string, SubresourceHandler>;
}

export const DEFAULT_ENDPOINT_DEPS: EndpointDeps = {
  maxRequestBodyBytes: 3 * 1024 * 1024,
  minRequestTimeoutSeconds: 1800,
  bookmarkIntervalMs: 60_000,
};
