// A group-version whose resources only answer POST and store nothing (kube's rest.Creater without a
// registry store): the access and token reviews. The request runs kube's create handler up to the
// storage call (options, decoding, apiVersion/kind, the object's namespace against the URL's), then
// the resource computes its answer, written with 201 Created as kube's create handler writes it.
// Any other verb on a review is 405; paths the resource has no route for (a name, a namespaced
// review outside a namespace, a cluster-scoped one inside) fall through to NotFound.
import type { KubeContext, KubeMiddleware } from '../../server/context.js';
import type { KubeObject, ResourceDefinition } from '../../registry/resource.js';
import { apiVersionOf } from '../../registry/resource.js';
import { failureStatus, newBadRequest } from '../status.js';
import { writeStatus } from '../write-status.js';
import { parseWriteQuery } from './params.js';
import { readObjectBody, writeObject } from './io.js';
import { checkBodyGroupVersionKind } from './body-kind.js';
import type { EndpointDeps } from './deps.js';

export interface CreateOnlyResource {
  def: ResourceDefinition;
  /** kube's rest.Creater.Create: the decoded request object in, the response object out. */
  create(ctx: KubeContext, obj: KubeObject): Promise<KubeObject> | KubeObject;
}

const METHOD_NOT_ALLOWED = 'the server does not allow this method on the requested resource';

/** rest.EnsureObjectNamespaceMatchesRequestNamespace */
function ensureNamespace(obj: KubeObject, requestNamespace: string): void {
  const metadata = (obj.metadata ??= {});
  const objectNamespace = metadata.namespace ?? '';
  if (objectNamespace === requestNamespace) return;
  if (objectNamespace === '') metadata.namespace = requestNamespace;
  else if (requestNamespace === '') delete metadata.namespace;
  else throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
}

export function createOnlyGroupVersionHandler(resources: CreateOnlyResource[], deps: EndpointDeps, discovery?: KubeMiddleware): KubeMiddleware {
  const byName = new Map(resources.map((r) => [r.def.resource, { ...r, apiVersion: apiVersionOf(r.def) }]));
  return async function createOnlyGroupVersion(ctx, next) {
    const info = ctx.state.requestInfo;
    if (!info.isResourceRequest) {
      if (discovery && (ctx.method === 'GET' || ctx.method === 'HEAD')) return discovery(ctx, next);
      return next();
    }
    const resource = byName.get(info.resource);
    if (!resource || info.name || info.subresource) return next();
    if (resource.def.namespaced !== (info.namespace !== '')) return next();
    if (info.verb !== 'create') return writeStatus(ctx, failureStatus(405, 'MethodNotAllowed', METHOD_NOT_ALLOWED, {}));

    const write = parseWriteQuery(ctx, 'CreateOptions');
    const { object } = await readObjectBody(ctx, resource, deps, write.fieldValidation);
    checkBodyGroupVersionKind(object, resource);
    ensureNamespace(object, info.namespace);
    const answer = await resource.create(ctx, object);
    writeObject(ctx, 201, answer, resource);
  };
}
