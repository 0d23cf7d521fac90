import { describe, expect, it } from 'vitest';
import { chainLayers, RestRoots, restRootOf, type Layer } from '../../src/server/director.js';
import type { KubeContext, KubeMiddleware } from '../../src/server/context.js';

describe('restRootOf', () => {
  it.each([
    ['/api/v1', '/api/v1'],
    ['/api/v1/namespaces/default/configmaps', '/api/v1'],
    ['/apis/apps/v1', '/apis/apps/v1'],
    ['/apis/apps/v1/deployments', '/apis/apps/v1'],
    ['/apis/stable.example.com/v1beta1/namespaces/x/crontabs/y/status', '/apis/stable.example.com/v1beta1'],
    ['/api', undefined],
    ['/api/', undefined],
    ['/apis', undefined],
    ['/apis/apps', undefined],
    ['/apis/apps/', undefined],
    ['/apis//v1', undefined],
    ['/healthz', undefined],
    ['/apis-extra/x/y', undefined],
  ])('%s → %s', (path, root) => {
    expect(restRootOf(path)).toBe(root);
  });
});

function fakeContext(path: string): KubeContext {
  return { path, body: undefined } as unknown as KubeContext;
}

function answer(text: string): KubeMiddleware {
  return (ctx) => {
    ctx.body = text;
  };
}

describe('chainLayers', () => {
  const outer: Layer = { name: 'outer', rest: new RestRoots(), nonRest: { owns: (p) => p === '/healthz', handle: answer('outer-healthz') } };
  const middle: Layer = { name: 'middle', rest: new RestRoots() };
  const inner: Layer = { name: 'inner', rest: new RestRoots() };
  outer.rest.set('/apis/apiregistration.k8s.io/v1', answer('outer-rest'));
  middle.rest.set('/api/v1', answer('middle-rest'));
  inner.rest.set('/apis/example.com/v1', answer('inner-rest'));
  const chain = chainLayers([outer, middle, inner], answer('not-found'));

  it.each([
    ['/healthz', 'outer-healthz'],
    ['/apis/apiregistration.k8s.io/v1/apiservices', 'outer-rest'],
    ['/api/v1/namespaces', 'middle-rest'],
    ['/apis/example.com/v1/widgets', 'inner-rest'],
    ['/apis/other.com/v1/widgets', 'not-found'],
    ['/nope', 'not-found'],
  ])('%s is served by %s', async (path, who) => {
    const ctx = fakeContext(path);
    await chain(ctx, async () => undefined);
    expect(ctx.body).toBe(who);
  });

  it('follows roots added and removed at run time', async () => {
    inner.rest.set('/apis/late.example.com/v1', answer('late'));
    const ctx = fakeContext('/apis/late.example.com/v1/things');
    await chain(ctx, async () => undefined);
    expect(ctx.body).toBe('late');
    inner.rest.delete('/apis/late.example.com/v1');
    const after = fakeContext('/apis/late.example.com/v1/things');
    await chain(after, async () => undefined);
    expect(after.body).toBe('not-found');
  });

  it('sends a REST path its root handler does not match to NotFound, not to the delegate', async () => {
    const layer: Layer = { name: 'l', rest: new RestRoots() };
    layer.rest.set('/api/v1', (_ctx, next) => next());
    const delegate = chainLayers([{ name: 'd', rest: new RestRoots() }], answer('delegate-not-found'));
    const chained = chainLayers([layer], answer('layer-not-found'));
    const ctx = fakeContext('/api/v1/unknowns');
    await chained(ctx, async () => undefined);
    expect(ctx.body).toBe('layer-not-found');
    expect(delegate).toBeTypeOf('function');
  });
});
