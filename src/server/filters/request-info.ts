// kube-apiserver's RequestInfoFactory (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go):
// the verb, group, version, namespace, resource, subresource and name a request is about.
import type { KubeMiddleware } from '../context.js';
import type { RequestInfo } from '../request-info.js';

const API_PREFIXES = new Set(['api', 'apis']);
const GROUPLESS_PREFIXES = new Set(['api']);
/** Subresources of namespaces that are not a resource inside the namespace (kube's namespaceSubresources). */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function nonResource(method: string, path: string): RequestInfo {
  return {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    parts: [],
  };
}

/** The value of the first `key=` in the query, as Go's url.Values.Get returns it. */
function queryValue(query: URLSearchParams, key: string): string {
  return query.get(key) ?? '';
}

export function newRequestInfo(method: string, url: string): RequestInfo {
  const queryStart = url.indexOf('?');
  const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // A malformed escape is not a resource request; the path stays as sent.
    return nonResource(method, rawPath);
  }
  const query = new URLSearchParams(queryStart === -1 ? '' : url.slice(queryStart + 1));
  const info = nonResource(method, path);
  let parts = splitPath(path);
  // /api/v1 and /apis/<group>/<version> themselves are discovery, not resource requests.
  if (parts.length < 3 || !API_PREFIXES.has(parts[0])) return info;
  const prefix = parts[0];
  parts = parts.slice(1);
  if (!GROUPLESS_PREFIXES.has(prefix)) {
    if (parts.length < 3) return info;
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.apiPrefix = prefix;
  info.isResourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);

  // The verb from the method; the legacy /watch/ segment makes it a watch.
  const verbs: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
  info.verb = verbs[method.toUpperCase()] ?? '';
  if (parts[0] === 'watch' || parts[0] === 'proxy') {
    // kube fails such a request with a 500; here it is simply not a resource request (404).
    if (parts.length < 2) return nonResource(method, path);
    info.verb = parts[0];
    parts = parts.slice(1);
  }

  // /namespaces/<ns>/<resource>... but /namespaces/<ns> and its status/finalize are the namespace itself.
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  } else {
    info.namespace = '';
  }

  info.parts = parts;
  if (parts.length >= 3 && info.verb !== 'proxy') info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];

  // A GET without a name is a list, or a watch when asked (strconv.ParseBool's true values).
  if (info.name === '' && info.verb === 'get') {
    info.verb = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(queryValue(query, 'watch')) ? 'watch' : 'list';
    // kube names a list or watch restricted to one object by fieldSelector (for authorization).
    const selector = queryValue(query, 'fieldSelector');
    if (selector) {
      for (const term of selector.split(',')) {
        const match = /^metadata\.name(==|=)(.*)$/.exec(term.trim());
        if (match && isValidPathSegmentName(match[2])) {
          info.name = match[2];
          break;
        }
      }
    }
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}

/** kube's path.IsValidPathSegmentName: a name that can stand in a URL path segment. */
function isValidPathSegmentName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

export function isLongRunning(info: RequestInfo): boolean {
  return LONG_RUNNING_VERBS.has(info.verb) || LONG_RUNNING_SUBRESOURCES.has(info.subresource);
}

export function createRequestInfoFilter(): KubeMiddleware {
  return function requestInfo(ctx, next) {
    const info = newRequestInfo(ctx.method, ctx.url);
    ctx.state.requestInfo = info;
    ctx.state.longRunning = info.isResourceRequest && isLongRunning(info);
    return next();
  };
}
