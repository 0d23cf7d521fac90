// What the REST handlers need from the server beyond the store.
export interface EndpointDeps {
  /** kube's request body limit (3 MiB). */
  maxRequestBodyBytes: number;
  /** kube's --min-request-timeout (1800 s): a watch without timeoutSeconds lasts between this and twice it. */
  minRequestTimeoutSeconds: number;
  /** Interval of periodic BOOKMARK events for watches that allow them (kube: about a minute). */
  bookmarkIntervalMs: number;
}

export const DEFAULT_ENDPOINT_DEPS: EndpointDeps = {
  maxRequestBodyBytes: 3 * 1024 * 1024,
  minRequestTimeoutSeconds: 1800,
  bookmarkIntervalMs: 60_000,
};
