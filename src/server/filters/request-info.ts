// kube-apiserver's RequestInfoFactory (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go) and
// its filter: the verb, group, version, namespace, resource, subresource and name a request is about,
// read from the URL exactly as Go's net/http hands it to kube (URL.Path decoded, so %2F splits; a
// query pair Go cannot decode is dropped; a path with a bad escape never reaches kube: 400).
import type { KubeMiddleware } from '../context.js';
import type { RequestInfo } from '../request-info.js';
import { StatusError } from '../../endpoints/status.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { parseFieldSelector } from '../../registry/selectors/field-selector.js';
import { parseLabelSelector } from '../../registry/selectors/label-selector.js';

// ---- the URL as Go sees it ----

interface GoRequestURL {
  /** The decoded path, or undefined when the path holds a malformed escape. */
  path: string | undefined;
  /** The escape Go complains about, e.g. `%zz`, when path is undefined. */
  badEscape?: string;
  /** The path as sent (before decoding). */
  rawPath: string;
  rawQuery: string;
}

const HEX = /^[0-9a-fA-F]{2}$/;

/** Go's url.unescape: '%' needs two hex digits; '+' means a space only in query components. */
function goUnescape(s: string, plusIsSpace: boolean): { value: string } | { badEscape: string } {
  if (!s.includes('%') && !(plusIsSpace && s.includes('+'))) return { value: s };
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b === 0x25) {
      const hex = raw.subarray(i + 1, i + 3).toString('latin1');
      if (!HEX.test(hex)) return { badEscape: raw.subarray(i, i + 3).toString('utf8') };
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (b === 0x2b && plusIsSpace) {
      bytes.push(0x20);
    } else {
      bytes.push(b);
    }
  }
  // Go keeps invalid UTF-8 as bytes; a JS string can only carry replacement characters for them.
  return { value: Buffer.from(bytes).toString('utf8') };
}

/** Splits a request target as Go's url.ParseRequestURI does (origin form, or absolute form with a scheme). */
export function parseRequestURL(url: string): GoRequestURL {
  let rest = url;
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(rest);
  if (scheme && !rest.startsWith('/')) {
    rest = rest.slice(scheme[0].length);
    if (rest.startsWith('//')) {
      const slash = rest.indexOf('/', 2);
      const query = rest.indexOf('?', 2);
      const end = slash === -1 ? (query === -1 ? rest.length : query) : query !== -1 && query < slash ? query : slash;
      rest = rest.slice(end);
    }
  }
  const queryStart = rest.indexOf('?');
  const rawPath = queryStart === -1 ? rest : rest.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : rest.slice(queryStart + 1);
  const decoded = goUnescape(rawPath, false);
  if ('badEscape' in decoded) return { path: undefined, badEscape: decoded.badEscape, rawPath, rawQuery };
  return { path: decoded.value, rawPath, rawQuery };
}

/** Go's url.ParseQuery, errors ignored as URL.Query() ignores them: pairs with ';' or bad escapes are dropped. */
export function parseGoQuery(rawQuery: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = goUnescape(eq === -1 ? pair : pair.slice(0, eq), true);
    const value = goUnescape(eq === -1 ? '' : pair.slice(eq + 1), true);
    if ('badEscape' in key || 'badEscape' in value) continue;
    const list = values.get(key.value);
    if (list) list.push(value.value);
    else values.set(key.value, [value.value]);
  }
  return values;
}

/** url.Values.Get: the first value, or "". */
function firstValue(query: Map<string, string[]>, key: string): string {
  return query.get(key)?.[0] ?? '';
}

// ---- the factory ----

const API_PREFIXES = new Set(['api', 'apis']);
const GROUPLESS_API_PREFIXES = new Set(['api']);
/** Path segments that name the verb (the deprecated /watch/ and /proxy/ forms). */
const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const SPECIAL_VERBS_NO_SUBRESOURCES = new Set(['proxy']);
/** Subresources of a namespace, which kube tells apart from resources inside the namespace. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const VERBS_WITH_SELECTORS = new Set(['list', 'watch', 'deletecollection']);
const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** RequestInfo plus the raw selectors kube keeps for list, watch and deletecollection (for authorization). */
export interface KubeRequestInfo extends RequestInfo {
  fieldSelector: string;
  labelSelector: string;
}

export interface ResolvedRequestInfo {
  /** What is known, even when resolving failed (as kube's NewRequestInfo returns it). */
  info: KubeRequestInfo;
  /** Set when kube would not serve the request: its status and the message. */
  failure?: { code: 400 | 500; message: string };
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

/** kube's content.IsPathSegmentName (an empty name passes; it simply names nothing). */
function isPathSegmentName(name: string): boolean {
  return name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/** Go's strconv.ParseInt(s, 10, 64) succeeds. */
function isGoInt64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** kube's fields.splitTerms: commas not escaped by a backslash separate terms. */
function splitSelectorTerms(selector: string): string[] {
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    if (escaped) escaped = false;
    else if (selector[i] === '\\') escaped = true;
    else if (selector[i] === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/**
 * What kube's ListOptions decoding learns for the list-or-watch decision: the watch flag, and the name a
 * fieldSelector pins. Any parameter that fails to decode (a bad selector, a non-integer limit or
 * timeoutSeconds) loses the name; watch then falls back to "present and not false/0".
 */
function decodeListOptions(query: Map<string, string[]>): { watch: boolean; name: string } {
  const watchValue = query.get('watch')?.[0];
  // runtime.Convert_Slice_string_To_bool: only "0" and a case-insensitive "false" are false.
  const watch = watchValue !== undefined && watchValue !== '0' && watchValue.toLowerCase() !== 'false';
  try {
    const labelSelector = query.get('labelSelector')?.[0];
    if (labelSelector !== undefined) parseLabelSelector(labelSelector);
    for (const key of ['timeoutSeconds', 'limit']) {
      const value = query.get(key)?.[0];
      if (value !== undefined && !isGoInt64(value)) throw new Error(`invalid ${key}`);
    }
    const fieldSelector = query.get('fieldSelector')?.[0];
    if (fieldSelector === undefined || fieldSelector === '') return { watch, name: '' };
    parseFieldSelector(fieldSelector);
    // kube parses the terms sorted, and RequiresExactMatch takes the first metadata.name term that is = or ==.
    for (const term of splitSelectorTerms(fieldSelector).sort()) {
      if (term === '') continue;
      const name = parseFieldSelector(term).requiresExactMatch('metadata.name');
      if (name !== undefined) return { watch, name: isPathSegmentName(name) ? name : '' };
    }
    return { watch, name: '' };
  } catch {
    return { watch, name: '' };
  }
}

function emptyInfo(path: string, method: string): KubeRequestInfo {
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
    fieldSelector: '',
    labelSelector: '',
  };
}

/** kube's RequestInfoFactory.NewRequestInfo with APIPrefixes {api, apis} and GrouplessAPIPrefixes {api}. */
export function resolveRequestInfo(method: string, url: string): ResolvedRequestInfo {
  const parsed = parseRequestURL(url);
  if (parsed.path === undefined) {
    return { info: emptyInfo(parsed.rawPath, method), failure: { code: 400, message: `invalid URL escape "${parsed.badEscape}"` } };
  }
  const info = emptyInfo(parsed.path, method);
  let parts = splitPath(parsed.path);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0])) return { info };
  info.apiPrefix = parts[0];
  parts = parts.slice(1);
  if (!GROUPLESS_API_PREFIXES.has(info.apiPrefix)) {
    // The prefix is consumed: this asks for group, version and at least one more segment.
    if (parts.length < 3) return { info };
    info.apiGroup = parts[0];
    parts = parts.slice(1);
  }
  info.isResourceRequest = true;
  info.apiVersion = parts[0];
  parts = parts.slice(1);

  let verbViaPathPrefix = false;
  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) {
      return { info, failure: { code: 500, message: `failed to create RequestInfo: unable to determine kind and namespace from url, ${url}` } };
    }
    info.verb = parts[0];
    parts = parts.slice(1);
    verbViaPathPrefix = true;
  } else {
    // Go compares the method as sent: only the upper-case names are verbs.
    info.verb = METHOD_VERBS[method] ?? '';
  }

  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1];
      // /namespaces/<ns>/<resource>...; but /namespaces/<ns>/status and /finalize are the namespace's own.
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  }
  info.parts = parts;
  if (parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(info.verb)) info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];

  const query = parseGoQuery(parsed.rawQuery);
  if (info.name === '' && info.verb === 'get') {
    const options = decodeListOptions(query);
    info.verb = options.watch ? 'watch' : 'list';
    info.name = options.name;
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';
  // The deprecated /watch/ form does not honour selectors consistently, so kube keeps none for it.
  if (!verbViaPathPrefix && VERBS_WITH_SELECTORS.has(info.verb)) {
    info.fieldSelector = firstValue(query, 'fieldSelector');
    info.labelSelector = firstValue(query, 'labelSelector');
  }
  return { info };
}

/** The request info alone (as much as is known when kube would refuse the request). */
export function newRequestInfo(method: string, url: string): KubeRequestInfo {
  return resolveRequestInfo(method, url).info;
}

const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

/** kube-apiserver's BasicLongRunningRequestCheck(verbs {watch, proxy}, subresources {attach, exec, proxy, log, portforward}). */
export function isLongRunning(info: RequestInfo): boolean {
  if (LONG_RUNNING_VERBS.has(info.verb)) return true;
  if (info.isResourceRequest) return LONG_RUNNING_SUBRESOURCES.has(info.subresource);
  return info.path.startsWith('/debug/pprof/');
}

/**
 * kube's WithRequestInfo. Where kube fails it answers a Status rather than Go's plain text: a bad
 * escape in the path is a 400 (Go's server refuses it before any handler), a /watch or /proxy with
 * nothing after it a 500 (kube's responsewriters.InternalError, same message).
 */
export function createRequestInfoFilter(): KubeMiddleware {
  return function requestInfo(ctx, next) {
    const { info, failure } = resolveRequestInfo(ctx.method, ctx.url);
    ctx.state.requestInfo = info;
    ctx.state.longRunning = isLongRunning(info);
    if (failure?.code === 400) throw new StatusError(400, 'BadRequest', failure.message);
    if (failure) throw new StatusError(500, 'InternalError', sanitizeHTML(`Internal Server Error: ${goQuote(ctx.url)}: ${failure.message}`));
    return next();
  };
}

/** kube's responsewriters sanitizer: nothing in an error message may look like HTML. */
function sanitizeHTML(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
