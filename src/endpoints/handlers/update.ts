// PUT: replace an object (or its status), creating it where the resource allows.
import type { KubeContext } from '../../server/context.js';
import type { Store } from '../../registry/store.js';
import { newBadRequest } from '../status.js';
import { parseWriteQuery } from './params.js';
import { readObjectBody, writeObject } from './io.js';
import { requestContext } from './request-context.js';
import { checkBodyGroupVersionKind } from './body-kind.js';
import type { EndpointDeps } from './deps.js';

export async function handleUpdate(ctx: KubeContext, store: Store, deps: EndpointDeps): Promise<void> {
  const info = ctx.state.requestInfo;
  const write = parseWriteQuery(ctx, 'UpdateOptions');
  const { object: body } = await readObjectBody(ctx, store, deps, write.fieldValidation);
  checkBodyGroupVersionKind(body, store);
  const bodyName = body.metadata?.name;
  if (bodyName !== undefined && bodyName !== info.name) {
    throw newBadRequest(`the name of the object (${String(bodyName)}) does not match the name on the URL (${info.name})`);
  }
  const bodyNamespace = body.metadata?.namespace;
  if (info.namespace && bodyNamespace && bodyNamespace !== info.namespace) {
    throw newBadRequest(`the namespace of the object (${String(bodyNamespace)}) does not match the namespace on the URL (${info.namespace})`);
  }
  const { object, created } = await store.update(info.namespace, info.name, () => body, requestContext(ctx, write));
  writeObject(ctx, created ? 201 : 200, object, store);
}
