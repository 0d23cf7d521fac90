// Helpers for the discovery and OpenAPI tests: minimal resource definitions and a Koa server that
// renders StatusErrors as the outer filter does.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { ResourceDefinition, Verb } from '../../src/registry/resource.js';
import type { KubeMiddleware, KubeState } from '../../src/server/context.js';
import { isStatusError } from '../../src/endpoints/status.js';

const ALL: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function def(partial: Partial<ResourceDefinition> & Pick<ResourceDefinition, 'group' | 'version' | 'resource' | 'kind'>): ResourceDefinition {
  return {
    singularName: partial.kind.toLowerCase(),
    listKind: `${partial.kind}List`,
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ALL,
    subresources: [],
    strategy: { validate: () => [], validateUpdate: () => [], allowCreateOnUpdate: false, allowUnconditionalUpdate: true },
    validateName: () => [],
    selectableFields: () => ({}),
    table: { columns: [], cells: () => [] },
    ...partial,
  } as ResourceDefinition;
}

export const configmaps = def({ group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'], schemaRef: 'io.k8s.api.core.v1.ConfigMap' });
export const namespaces = def({
  group: '',
  version: 'v1',
  resource: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: [
    { name: 'status', kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
    { name: 'finalize', kind: 'Namespace', verbs: ['update'] },
  ],
  schemaRef: 'io.k8s.api.core.v1.Namespace',
});
export const leases = def({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', schemaRef: 'io.k8s.api.coordination.v1.Lease' });
export const eventsV1 = def({ group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', shortNames: ['ev'], schemaRef: 'io.k8s.api.events.v1.Event' });

export interface Served {
  url: string;
  close(): Promise<void>;
  get(path: string, headers?: Record<string, string>, method?: string): Promise<{ status: number; headers: Headers; text: string; json(): any }>;
}

export async function serve(handler: KubeMiddleware): Promise<Served> {
  const app = new Koa<KubeState>();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!isStatusError(err)) throw err;
      ctx.status = err.status.code;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(err.status);
    }
  });
  app.use(handler);
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = 'fell through';
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    async get(path, headers = {}, method = 'GET') {
      const res = await fetch(url + path, { method, headers, redirect: 'manual' });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
    },
  };
}
