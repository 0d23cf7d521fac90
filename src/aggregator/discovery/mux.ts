// The discovery endpoints, served by the aggregator for the whole chain:
//   /api, /api/          APIVersions, or aggregated discovery of the core group (go-restful: GET only)
//   /apis                APIGroupList, or aggregated discovery of every other group (any method, as
//                        kube-aggregator's apisHandler)
//   /apis/               APIGroupList only (kube registers it unlisted, without the aggregated wrapper)
//   /apis/<group>[/]     APIGroup (kube-aggregator's apiGroupHandler; groups not served fall through)
// and, mounted by the layer that owns a group-version, /api/<v> and /apis/<g>/<v> (APIResourceList).
import type { KubeContext, KubeMiddleware } from '../../server/context.js';
import type { NonRestMux } from '../../server/director.js';
import { StatusError } from '../../endpoints/status.js';
import { newNotAcceptableMediaTypes, supportedMediaTypes } from '../../endpoints/negotiation/media-types.js';
import { AGGREGATED_DISCOVERY_GROUP, AGGREGATED_DISCOVERY_KIND, negotiateDiscovery, type DiscoveryMediaType } from './negotiate.js';
import type { DiscoveryRegistry } from './registry.js';
import type { ServerAddressByClientCIDR } from './types.js';
import { writeDocument } from './write.js';

export interface DiscoveryMuxOptions {
  /** The address clients should use ("host:port"); default: the address the request came in on. */
  serverAddress?: string | ((ctx: KubeContext) => string);
}

function methodNotAllowed(): StatusError {
  return new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
}

function legacyMediaType(ctx: KubeContext): DiscoveryMediaType {
  const media = negotiateDiscovery(ctx.get('Accept') || undefined, false);
  if (!media) throw newNotAcceptableMediaTypes(supportedMediaTypes().mediaTypes);
  return media;
}

function requestAddress(ctx: KubeContext): string {
  const socket = ctx.req.socket;
  let host = socket.localAddress ?? '127.0.0.1';
  if (host.startsWith('::ffff:')) host = host.slice(7);
  const port = socket.localPort ?? 443;
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function serverAddresses(ctx: KubeContext, options: DiscoveryMuxOptions): ServerAddressByClientCIDR[] {
  const { serverAddress } = options;
  const address = typeof serverAddress === 'function' ? serverAddress(ctx) : (serverAddress ?? requestAddress(ctx));
  return [{ clientCIDR: '0.0.0.0/0', serverAddress: address }];
}

/** Aggregated discovery with kube's ETag handling (aggregated/etag.go ServeHTTPWithETag). */
function writeAggregated(ctx: KubeContext, registry: DiscoveryRegistry, root: 'api' | 'apis', media: DiscoveryMediaType): void {
  const { items, etag } = registry.aggregated(root);
  const quoted = JSON.stringify(etag);
  ctx.set('ETag', quoted);
  ctx.set('Vary', 'Accept');
  ctx.set('Cache-Control', 'public');
  if (ctx.get('If-None-Match') === quoted) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  const version = media.aggregated ?? 'v2';
  const doc = { kind: AGGREGATED_DISCOVERY_KIND, apiVersion: `${AGGREGATED_DISCOVERY_GROUP}/${version}`, metadata: {}, items };
  writeDocument(ctx, doc, media, `${media.serializer.mediaType};g=${AGGREGATED_DISCOVERY_GROUP};v=${version};as=${AGGREGATED_DISCOVERY_KIND}`);
}

function serveRoot(ctx: KubeContext, registry: DiscoveryRegistry, options: DiscoveryMuxOptions, root: 'api' | 'apis', allowAggregated: boolean): void {
  const media = allowAggregated ? negotiateDiscovery(ctx.get('Accept') || undefined, true) : undefined;
  if (media?.aggregated) return writeAggregated(ctx, registry, root, media);
  const legacy = legacyMediaType(ctx);
  if (root === 'api') {
    // The legacy root handler strips apiVersion (discovery/util.go stripVersionEncoder).
    writeDocument(ctx, { kind: 'APIVersions', versions: registry.coreVersions(), serverAddressByClientCIDRs: serverAddresses(ctx, options) }, legacy);
    return;
  }
  writeDocument(ctx, { kind: 'APIGroupList', apiVersion: 'v1', groups: registry.groupList() }, legacy);
}

/** "/apis/<group>" or "/apis/<group>/" → group; otherwise undefined. */
function groupOfPath(path: string): string | undefined {
  if (!path.startsWith('/apis/')) return undefined;
  const rest = path.endsWith('/') ? path.slice(6, -1) : path.slice(6);
  return rest && !rest.includes('/') ? rest : undefined;
}

export function discoveryMux(registry: DiscoveryRegistry, options: DiscoveryMuxOptions = {}): NonRestMux {
  const owns = (path: string): boolean => {
    if (path === '/api' || path === '/api/' || path === '/apis' || path === '/apis/') return true;
    const group = groupOfPath(path);
    return group !== undefined && registry.hasGroup(group);
  };
  const handle: KubeMiddleware = (ctx, next) => {
    const path = ctx.path;
    if (path === '/api' || path === '/api/') {
      if (ctx.method !== 'GET') throw methodNotAllowed();
      return serveRoot(ctx, registry, options, 'api', true);
    }
    if (path === '/apis') return serveRoot(ctx, registry, options, 'apis', true);
    if (path === '/apis/') return serveRoot(ctx, registry, options, 'apis', false);
    const group = groupOfPath(path);
    const apiGroup = group === undefined ? undefined : registry.group(group);
    if (!apiGroup) return next();
    writeDocument(ctx, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup }, legacyMediaType(ctx));
  };
  return { owns, handle };
}

/**
 * GET /api/<v> and /apis/<g>/<v> (and the same with a trailing slash): the APIResourceList of the
 * group-version. Other paths, and group-versions no longer registered, go to `next`.
 */
export function groupVersionHandler(registry: DiscoveryRegistry, group: string, version: string): KubeMiddleware {
  const root = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const groupVersion = group ? `${group}/${version}` : version;
  return (ctx, next) => {
    if (ctx.path !== root && ctx.path !== `${root}/`) return next();
    const resources = registry.resourceList(group, version);
    if (!resources) return next();
    if (ctx.method !== 'GET') throw methodNotAllowed();
    const media = legacyMediaType(ctx);
    // The core group's list is written without apiVersion (stripVersionEncoder for group "").
    const doc = group ? { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources } : { kind: 'APIResourceList', groupVersion, resources };
    writeDocument(ctx, doc, media);
  };
}
