// @kubernetes/client-node as a real client: typed calls, and an informer (list, then watch) that
// sees creates, updates and deletes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { startTestServer, type TestServer } from '../support/server.js';

function until(check: () => boolean, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => (check() ? resolve() : Date.now() - started > ms ? reject(new Error('timed out')) : setTimeout(tick, 25));
    tick();
  });
}

describe('@kubernetes/client-node', () => {
  let server: TestServer;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  beforeAll(async () => {
    server = await startTestServer();
    kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('creates, reads, lists and deletes through the typed client', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'typed' }, data: { a: '1' } } });
    const read = await core.readNamespacedConfigMap({ name: 'typed', namespace: 'default' });
    expect(read.data).toEqual({ a: '1' });
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.items.map((i) => i.metadata?.name)).toContain('typed');
    await core.deleteNamespacedConfigMap({ name: 'typed', namespace: 'default' });
    await expect(core.readNamespacedConfigMap({ name: 'typed', namespace: 'default' })).rejects.toMatchObject({ code: 404 });
  });

  it('runs an informer that sees creates, updates and deletes', async () => {
    const informer = k8s.makeInformer(kc, '/api/v1/namespaces/default/configmaps', () => core.listNamespacedConfigMap({ namespace: 'default' }));
    const seen: string[] = [];
    informer.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    informer.on('update', (o) => seen.push(`update ${o.metadata?.name} ${o.data?.v}`));
    informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'before' } } });
    await informer.start();
    await until(() => seen.includes('add before'));
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'informed' }, data: { v: '1' } } });
    await core.patchNamespacedConfigMap({ name: 'informed', namespace: 'default', body: { data: { v: '2' } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    await core.deleteNamespacedConfigMap({ name: 'informed', namespace: 'default' });
    await until(() => seen.includes('delete informed'));
    await informer.stop();
    expect(seen).toEqual(['add before', 'add informed', 'update informed 2', 'delete informed']);
    expect(informer.list('default').map((o) => o.metadata?.name)).toEqual(['before']);
  });

  it('watch-list: ADDED for every object, then a BOOKMARK marking the end of initial events', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'listed-1' } } });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'listed-2' } } });
    const events: Array<{ type: string; name?: string; end?: string }> = [];
    const watch = new k8s.Watch(kc);
    const request = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { sendInitialEvents: true, resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: true },
      (type, obj) => events.push({ type, name: obj.metadata?.name, end: obj.metadata?.annotations?.['k8s.io/initial-events-end'] }),
      () => undefined,
    );
    await until(() => events.some((e) => e.type === 'BOOKMARK'));
    request.abort();
    const names = events.filter((e) => e.type === 'ADDED').map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['listed-1', 'listed-2']));
    const bookmark = events.find((e) => e.type === 'BOOKMARK');
    expect(bookmark?.end).toBe('true');
    expect(events.indexOf(bookmark!)).toBe(events.length - 1);
  });
});
