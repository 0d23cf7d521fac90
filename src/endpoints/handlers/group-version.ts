// One group-version's REST handler: request info → the resource's store → the verb's handler.
// Paths the group-version does not serve fall through to NotFound, and verbs a resource does not
// support are 405, as kube-apiserver's router answers them.
import type { KubeContext, KubeMiddleware } from '../../server/context.js';
import type { Store } from '../../registry/store.js';
import type { Verb } from '../../registry/resource.js';
import { failureStatus } from '../status.js';
import { writeStatus } from '../write-status.js';
import { handleGet, handleList } from './read.js';
import { handleCreate } from './create.js';
import { handleUpdate } from './update.js';
import { handlePatch } from './patch.js';
import { handleDelete, handleDeleteCollection } from './delete.js';
import { handleWatch } from './watch.js';
import { handleScale } from './scale.js';
import { subresourceHandlerKey, type EndpointDeps } from './deps.js';
import { addWarning } from '../warnings.js';

export interface GroupVersionRoutes {
  /** Resources by plural name. */
  stores: Map<string, Store>;
  /** GET /apis/<g>/<v> (the resource list), served by discovery. */
  discovery?: KubeMiddleware;
}

const METHOD_NOT_ALLOWED = 'the server does not allow this method on the requested resource';

function methodNotAllowed(ctx: KubeContext): void {
  writeStatus(ctx, failureStatus(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED, {}));
}

export function createGroupVersionHandler(routes: GroupVersionRoutes, deps: EndpointDeps): KubeMiddleware {
  return async function groupVersion(ctx, next) {
    const info = ctx.state.requestInfo;
    if (!info.isResourceRequest) {
      // Under a group-version root, only the root itself is not a resource request: its discovery document.
      if (routes.discovery && (ctx.method === 'GET' || ctx.method === 'HEAD')) return routes.discovery(ctx, next);
      return next();
    }
    const store = routes.stores.get(info.resource);
    if (!store) return next();
    const def = store.def;
    // A namespaced resource is served under /namespaces/<ns>/ (and listed or watched across all of
    // them without it); a cluster-scoped one never under a namespace.
    if (def.namespaced ? !info.namespace && info.name !== '' : info.namespace !== '' && info.resource !== 'namespaces') return next();
    if (def.namespaced && !info.namespace && !['list', 'watch'].includes(info.verb)) return methodNotAllowed(ctx);
    if (info.subresource) {
      const sub = def.subresources.find((s) => s.name === info.subresource);
      if (!sub || !info.name) return next();
      if (!sub.verbs.includes(info.verb as Verb)) return methodNotAllowed(ctx);
      if (sub.handler === 'registered') {
        const handler = deps.subresourceHandlers?.get(subresourceHandlerKey(def.group, def.resource, sub.name));
        return handler ? handler(ctx, store, deps) : next();
      }
    } else if (info.verb !== 'proxy' && !def.verbs.includes(info.verb as Verb)) {
      return methodNotAllowed(ctx);
    }
    if (def.deprecationWarning) addWarning(ctx, def.deprecationWarning);
    if (info.subresource === 'scale' && def.scale) return handleScale(ctx, store, def.scale, deps);
    switch (info.verb) {
      case 'get':
        return handleGet(ctx, store, deps);
      case 'list':
        return handleList(ctx, store, deps);
      case 'watch':
        return handleWatch(ctx, store, deps);
      case 'create':
        if (info.name && !info.subresource) return methodNotAllowed(ctx);
        return handleCreate(ctx, store, deps);
      case 'update':
        return handleUpdate(ctx, store, deps);
      case 'patch':
        return handlePatch(ctx, store, deps);
      case 'delete':
        return handleDelete(ctx, store, deps);
      case 'deletecollection':
        return handleDeleteCollection(ctx, store, deps);
      default:
        return methodNotAllowed(ctx);
    }
  };
}
