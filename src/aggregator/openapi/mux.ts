// /openapi/v3, /openapi/v3/<group-version path> and /openapi/v2, as kube-apiserver answers them:
// - the index is kube-aggregator's merged discovery (openapiv3/aggregator handleDiscovery): compact
//   JSON written through http.ServeContent (kube sends no ETag; we add one, see serveIndex), so its Content-Type is what Go sniffs
//   ("text/plain; charset=utf-8") and Last-Modified is the time of the request;
// - a group-version document is kube-openapi's handler3 HandleGroupVersion: Vary: Accept, ETag, and with
//   ?hash= either a 301 to the current hash or an immutable, year-long cacheable answer; unknown
//   group-versions are 404 with an empty body (the aggregator's own fallback);
// - /openapi/v2 is kube-openapi's handler: JSON or protobuf (gzip-compressed when asked), ETag, Vary.
// kube-chain does not produce the v3 protobuf form, so v3 clauses asking only for it get 406; v2 is
// served as JSON or as gnostic protocol buffers (what kubectl asks for).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { KubeContext, KubeMiddleware } from '../../server/context.js';
import type { NonRestMux } from '../../server/director.js';
import { parseAccept } from '../../endpoints/negotiation/accept.js';
import type { OpenAPIRegistry } from './registry.js';
import { serveContent } from './serve-content.js';

const V3_PREFIX = '/openapi/v3/';
/** gziphandler's default minimum size for compressing. */
const GZIP_MIN_SIZE = 1400;
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/** Whether the Accept header lets the server answer application/json (kube's first choice for `*` too). */
function acceptsJSON(ctx: KubeContext): boolean | undefined {
  const clauses = parseAccept(ctx.get('Accept') || '*/*');
  if (clauses.length === 0) return undefined;
  return clauses.some((c) => (c.type === 'application' || c.type === '*') && (c.subType === 'json' || c.subType === '*'));
}

/** Go's time.RFC1123 in UTC: "Mon, 02 Jan 2006 15:04:05 UTC". */
function rfc1123(date: Date): string {
  return date.toUTCString().replace(/GMT$/, 'UTC');
}

/** A status with an empty body and no Content-Type, as Go's WriteHeader alone leaves it. */
function empty(ctx: KubeContext, status: number): void {
  ctx.status = status;
  ctx.body = '';
  ctx.remove('Content-Type');
}

function serveIndex(ctx: KubeContext, registry: OpenAPIRegistry): void {
  const body = JSON.stringify(registry.index());
  // An ETag makes revalidation compare content: with only Last-Modified (second precision), a client
  // that fetched the index in the same second as a group-version appeared keeps the stale index.
  ctx.set('Etag', JSON.stringify(createHash('sha512').update(body).digest('hex').toUpperCase()));
  serveContent(ctx, body, new Date(), 'text/plain; charset=utf-8');
}

function serveGroupVersion(ctx: KubeContext, registry: OpenAPIRegistry, gvPath: string): void {
  const doc = registry.rendered(gvPath);
  if (!doc) return empty(ctx, 404);
  ctx.append('Vary', 'Accept');
  const json = acceptsJSON(ctx);
  // handler3 returns without writing (200, empty) when the Accept header has no clause at all.
  if (json === undefined) return empty(ctx, 200);
  if (!json) return empty(ctx, 406);
  ctx.set('Content-Type', 'application/json');
  ctx.set('Etag', JSON.stringify(doc.etag));
  const hash = typeof ctx.query.hash === 'string' ? ctx.query.hash : '';
  if (hash) {
    if (hash !== doc.etag) {
      const location = `/openapi/v3/${gvPath}?hash=${doc.etag}`;
      ctx.status = 301;
      ctx.set('Location', location);
      ctx.set('Content-Type', 'text/html; charset=utf-8');
      ctx.body = ctx.method === 'GET' ? `<a href="${location}">Moved Permanently</a>.\n\n` : '';
      return;
    }
    ctx.set('Vary', 'Accept');
    ctx.set('Cache-Control', 'public, immutable');
    ctx.set('Expires', rfc1123(new Date(Date.now() + ONE_YEAR_MS)));
  }
  serveContent(ctx, doc.body, doc.lastModified);
}

const gzipCache = new WeakMap<object, Buffer>();

/** The gzip form of a cached document, compressed once per document. */
function gzipped(doc: { body: string | Buffer }): Buffer {
  let compressed = gzipCache.get(doc);
  if (!compressed) {
    compressed = gzipSync(doc.body);
    gzipCache.set(doc, compressed);
  }
  return compressed;
}

const V2_PROTOBUF = 'com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V2_PROTOBUF_DEPRECATED = 'com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** What kube-openapi's v2 handler offers, in its order: JSON, then protobuf under both names. */
const V2_ACCEPTED = [
  { subType: 'json', format: 'json' },
  { subType: V2_PROTOBUF_DEPRECATED, format: 'protobuf' },
  { subType: V2_PROTOBUF, format: 'protobuf' },
] as const;

function negotiateV2(ctx: KubeContext): 'json' | 'protobuf' | undefined {
  for (const clause of parseAccept(ctx.get('Accept') || '*/*')) {
    for (const accepted of V2_ACCEPTED) {
      if (clause.type !== 'application' && clause.type !== '*') continue;
      if (clause.subType !== accepted.subType && clause.subType !== '*') continue;
      return accepted.format;
    }
  }
  return undefined;
}

function serveV2(ctx: KubeContext, registry: OpenAPIRegistry): void {
  // gziphandler (around kube-openapi's handler) adds its Vary first, then compresses bodies of 1400 bytes or more.
  const acceptsGzip = /\bgzip\b/.test(ctx.get('Accept-Encoding'));
  if (acceptsGzip) ctx.append('Vary', 'Accept-Encoding');
  ctx.append('Vary', 'Accept');
  const format = negotiateV2(ctx);
  if (!format) return empty(ctx, 406);
  const doc = format === 'json' ? registry.swagger() : registry.swaggerProtobuf();
  ctx.set('Content-Type', format === 'json' ? 'application/json' : `application/${V2_PROTOBUF}`);
  ctx.set('Etag', JSON.stringify(doc.etag));
  const gzip = acceptsGzip && doc.body.length >= GZIP_MIN_SIZE;
  serveContent(ctx, gzip ? gzipped(doc) : doc.body, doc.lastModified);
  if (gzip && ctx.status === 200) ctx.set('Content-Encoding', 'gzip');
}

export function ownsOpenAPIPath(path: string): boolean {
  return path === '/openapi/v2' || path === '/openapi/v3' || path.startsWith(V3_PREFIX);
}

export function openapiMux(registry: OpenAPIRegistry): NonRestMux {
  const handle: KubeMiddleware = (ctx, next) => {
    const path = ctx.path;
    if (path === '/openapi/v3') return serveIndex(ctx, registry);
    if (path.startsWith(V3_PREFIX)) return serveGroupVersion(ctx, registry, path.slice(V3_PREFIX.length));
    if (path === '/openapi/v2') return serveV2(ctx, registry);
    return next();
  };
  return { owns: ownsOpenAPIPath, handle };
}
