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

/** What the instrument middleware needs to know about a finished request. */
export interface FinishedRequest {
  method: string;
  /** The raw query string, without "?". */
  querystring: string;
  contentType: string | undefined;
  info: RequestInfo | undefined;
  code: number;
  /** Set by the final NotFound handler: no route took the request, so kube would not count it. */
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
 * The labels kube would record a request under, or undefined when kube records none: requests answered
 * by the authentication and authorization filters (401, 403) or by no route at all never reach the
 * instrumented handlers; of non-resource paths only the health roots are instrumented, and 429s.
 */
export function requestLabels(req: FinishedRequest): RequestLabels | undefined {
  const info = req.info;
  const scope = info ? cleanScope(info) : '';
  if (info?.isResourceRequest) {
    if (req.unrouted || req.code === 401 || req.code === 403) return undefined;
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
  const path = info?.path ?? '';
  if (HEALTH_ROOTS.has(path)) {
    return labelsForNonResource(req, scope, path, '');
  }
  // kube's max-in-flight filter counts what it drops (RecordDroppedRequest), with empty resource labels.
  if (req.code === 429) return labelsForNonResource(req, scope, '', APISERVER_COMPONENT);
  return undefined;
}

function labelsForNonResource(req: FinishedRequest, scope: string, subresource: string, component: string): RequestLabels {
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
export function reportedVerb(req: Pick<FinishedRequest, 'method' | 'querystring' | 'contentType' | 'info'>, scope: string): string {
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
