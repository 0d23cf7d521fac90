// Which requests kube-apiserver counts in apiserver_request_* and with which labels
// (k8s.io/apiserver/pkg/endpoints/metrics/metrics.go: CleanScope, CanonicalVerb, cleanVerb, cleanDryRun).
import type { RequestInfo } from '../request-info.js';

export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

/** What the labels are made of: the request line, its Content-Type and its request info. */
export interface LabelledRequest {
  method: string;
  /** The raw query string, without "?". */
  querystring: string;
  /** The request's Content-Type; only PATCH needs it (APPLY). */
  contentType: string | undefined;
  info: RequestInfo | undefined;
}

/** A request whose handler has answered. */
export interface FinishedRequest extends LabelledRequest {
  /** Set (ctx.state.unrouted) by the final NotFound handler: no route took the request, kube counts none. */
  unrouted: boolean;
}

export const APISERVER_COMPONENT = 'apiserver';
const OTHER_METHOD = 'other';
const APPLY_PATCH_TYPE = 'application/apply-patch+yaml';

/** Health roots are instrumented by kube with the path as subresource and an empty component. */
const HEALTH_ROOTS = new Set(['/healthz', '/livez', '/readyz']);
const CONNECT_SUBRESOURCES = new Set(['log', 'exec', 'portforward', 'attach', 'proxy']);
const VALID_VERBS = new Set([
  'APPLY', 'CONNECT', 'CREATE', 'DELETE', 'DELETECOLLECTION', 'GET', 'LIST', 'PATCH', 'POST', 'PROXY', 'PUT', 'UPDATE', 'WATCH', 'WATCHLIST',
]);

/**
 * The labels kube's handler instrumentation (InstrumentRouteFunc / InstrumentHandlerFunc) records a
 * request under, or undefined when kube records none: requests no route took, and non-resource paths
 * other than the health roots.
 */
export function requestLabels(req: FinishedRequest): RequestLabels | undefined {
  const info = req.info;
  const scope = info ? cleanScope(info) : '';
  if (info?.isResourceRequest) {
    if (req.unrouted) return undefined;
    return resourceLabels(req, info, scope);
  }
  const path = info?.path ?? '';
  if (HEALTH_ROOTS.has(path)) return labelsForNonResource(req, scope, path, '');
  return undefined;
}

/** The labels of a request the in-flight limit turned away (kube's RecordDroppedRequest). */
export function droppedRequestLabels(req: LabelledRequest): RequestLabels {
  const info = req.info;
  const scope = info ? cleanScope(info) : '';
  if (info?.isResourceRequest) return resourceLabels(req, info, scope);
  return labelsForNonResource(req, scope, info?.subresource ?? '', APISERVER_COMPONENT);
}

function resourceLabels(req: LabelledRequest, info: RequestInfo, scope: string): RequestLabels {
  return {
    verb: reportedVerb(req, scope),
    dry_run: cleanDryRun(req.querystring),
    group: info.apiGroup,
    version: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    scope,
    component: APISERVER_COMPONENT,
  };
}

function labelsForNonResource(req: LabelledRequest, scope: string, subresource: string, component: string): RequestLabels {
  return {
    verb: reportedVerb(req, scope),
    dry_run: cleanDryRun(req.querystring),
    group: '',
    version: '',
    resource: '',
    subresource,
    scope,
    component,
  };
}

/** kube's CleanScope. */
export function cleanScope(info: RequestInfo): string {
  if (info.name !== '' || info.verb === 'create') return 'resource';
  if (info.namespace !== '') return 'namespace';
  if (info.isResourceRequest) return 'cluster';
  return '';
}

/** kube's cleanVerb(CanonicalVerb(METHOD, scope), suggestedVerb, ...): upper case, GET vs LIST, WATCH, APPLY, CONNECT. */
export function reportedVerb(req: LabelledRequest, scope: string): string {
  const info = req.info;
  // Both ?watch=true and the legacy /watch/ paths report WATCH.
  if (info?.verb === 'watch' || (info && !info.isResourceRequest && req.method === 'GET' && watchParamSet(req.querystring))) {
    return 'WATCH';
  }
  let verb = req.method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD') verb = scope !== 'resource' && scope !== '' ? 'LIST' : 'GET';
  if (verb === 'PATCH' && req.contentType === APPLY_PATCH_TYPE) verb = 'APPLY';
  if (info?.isResourceRequest && CONNECT_SUBRESOURCES.has(info.subresource)) verb = 'CONNECT';
  return VALID_VERBS.has(verb) ? verb : OTHER_METHOD;
}

function watchParamSet(querystring: string): boolean {
  if (!querystring.includes('watch')) return false;
  const value = new URLSearchParams(querystring).get('watch');
  if (value === null) return false;
  const lower = value.toLowerCase();
  return lower !== '0' && lower !== 'false';
}

/** kube's cleanDryRun: "" without dryRun, "invalid" for anything but All, else the sorted distinct values. */
export function cleanDryRun(querystring: string): string {
  // Avoid parsing the query on the hot path, as kube does.
  if (!querystring.includes('dryRun')) return '';
  const values = new URLSearchParams(querystring).getAll('dryRun');
  if (values.some((v) => v !== 'All')) return 'invalid';
  return [...new Set(values)].sort().join(',');
}
