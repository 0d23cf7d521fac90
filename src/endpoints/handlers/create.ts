// POST: create an object from the request body.
import type { KubeContext } from '../../server/context.js';
import type { Store } from '../../registry/store.js';
import { parseWriteQuery } from './params.js';
import { readObjectBody, writeObject } from './io.js';
import { requestContext } from './request-context.js';
import { checkBodyGroupVersionKind } from './body-kind.js';
import type { EndpointDeps } from './deps.js';

export async function handleCreate(ctx: KubeContext, store: Store, deps: EndpointDeps): Promise<void> {
  const info = ctx.state.requestInfo;
  const write = parseWriteQuery(ctx, 'CreateOptions');
  const { object: body } = await readObjectBody(ctx, store, deps, write.fieldValidation);
  checkBodyGroupVersionKind(body, store);
  const created = await store.create(info.namespace, body, requestContext(ctx, write));
  writeObject(ctx, 201, created, store);
}
