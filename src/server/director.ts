// A layer's director (kube's APIServerHandler.director): a path under one of the layer's REST roots
// goes to that root's handler, a path its non-REST mux owns goes there, anything else to the delegate.
import type { KubeMiddleware } from './context.js';

/** Non-REST endpoints of a layer: /healthz, /metrics, /version, discovery, /openapi, ... */
export interface NonRestMux {
  owns(path: string): boolean;
  handle: KubeMiddleware;
}

/** The REST roots a layer serves ("/api/v1", "/apis/<group>/<version>"); they change at run time (CRDs). */
export class RestRoots {
  private readonly roots = new Map<string, KubeMiddleware>();

  set(root: string, handler: KubeMiddleware): void {
    this.roots.set(root, handler);
  }

  delete(root: string): void {
    this.roots.delete(root);
  }

  has(root: string): boolean {
    return this.roots.has(root);
  }

  list(): string[] {
    return [...this.roots.keys()];
  }

  /** The handler of the root a path falls under; O(1): the root is read off the path's first segments. */
  lookup(path: string): KubeMiddleware | undefined {
    if (this.roots.size === 0) return undefined;
    const root = restRootOf(path);
    return root === undefined ? undefined : this.roots.get(root);
  }
}

/** "/api/v1/namespaces" → "/api/v1"; "/apis/apps/v1/deployments" → "/apis/apps/v1"; else undefined. */
export function restRootOf(path: string): string | undefined {
  if (path.startsWith('/api/')) {
    const end = path.indexOf('/', 5);
    const version = end === -1 ? path.slice(5) : path.slice(5, end);
    return version ? `/api/${version}` : undefined;
  }
  if (path.startsWith('/apis/')) {
    const groupEnd = path.indexOf('/', 6);
    if (groupEnd === -1 || groupEnd === 6) return undefined;
    const versionEnd = path.indexOf('/', groupEnd + 1);
    const version = versionEnd === -1 ? path.slice(groupEnd + 1) : path.slice(groupEnd + 1, versionEnd);
    return version ? path.slice(0, groupEnd + 1 + version.length) : undefined;
  }
  return undefined;
}

export interface Layer {
  name: string;
  rest: RestRoots;
  nonRest?: NonRestMux;
}

/** A layer as a Koa middleware that knows only its delegate. `notFound` answers unmatched REST paths. */
export function createDirector(layer: Layer, delegate: KubeMiddleware, notFound: KubeMiddleware): KubeMiddleware {
  const { rest, nonRest } = layer;
  return function director(ctx, next) {
    const path = ctx.path;
    const restHandler = rest.lookup(path);
    if (restHandler) return restHandler(ctx, () => notFound(ctx, next));
    if (nonRest?.owns(path)) return nonRest.handle(ctx, () => notFound(ctx, next));
    return delegate(ctx, next);
  };
}

/** Chains layers outermost first: each delegates to the next, the last to `last` (the NotFound handler). */
export function chainLayers(layers: Layer[], last: KubeMiddleware): KubeMiddleware {
  let delegate = last;
  for (let i = layers.length - 1; i >= 0; i--) delegate = createDirector(layers[i], delegate, last);
  return delegate;
}
