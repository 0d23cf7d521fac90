// GET of one object and LIST of a collection.
import type { KubeContext } from '../../server/context.js';
import type { Store } from '../../registry/store.js';
import { queryString, parseListQuery } from './params.js';
import { compilePredicate } from './predicate.js';
import { writeList, writeObject } from './io.js';
import type { EndpointDeps } from './deps.js';

export async function handleGet(ctx: KubeContext, store: Store, _deps: EndpointDeps): Promise<void> {
  const info = ctx.state.requestInfo;
  const obj = await store.get(info.namespace, info.name, queryString(ctx, 'resourceVersion') || undefined);
  writeObject(ctx, 200, obj, store);
}

export async function handleList(ctx: KubeContext, store: Store, _deps: EndpointDeps): Promise<void> {
  const info = ctx.state.requestInfo;
  const query = parseListQuery(ctx, false);
  const predicate = compilePredicate(store, query.labelSelector, query.fieldSelector);
  const result = await store.list(info.namespace, {
    resourceVersion: query.resourceVersion,
    resourceVersionMatch: query.resourceVersionMatch,
    limit: query.limit,
    continue: query.continue,
    predicate,
  });
  writeList(ctx, store, result.items, result);
}
