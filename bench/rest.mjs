// REST throughput against kube-chain in its own process: GET one configmap, LIST 10,000 configmaps
// (paged by 500 and unpaged), CREATE and UPDATE, at concurrency 1 and 32; each next to a bare
// node:https server returning a body of the same size, in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from './lib/server-process.mjs';
import { apiClient } from './lib/client.mjs';
import { startBaseline } from './lib/baseline.mjs';
import { runLoad } from './lib/load.mjs';
import { report } from './lib/report.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 3000);
const dir = await mkdtemp(join(tmpdir(), 'kc-bench-rest-'));
const server = await startServerProcess(dir, ['--max-requests-inflight=0', '--max-mutating-requests-inflight=0']);
const { request, close: closeClient } = apiClient(server);

const configMap = (name) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'bench' } }, data: { key: 'value'.repeat(20) } });
await request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'bench' } }));
await request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'big' } }));
await request('POST', '/api/v1/namespaces/bench/configmaps', configMap('hot'));
for (let i = 0; i < 10_000; i += 50) {
  await Promise.all(Array.from({ length: 50 }, (_, j) => request('POST', '/api/v1/namespaces/big/configmaps', configMap(`cm-${i + j}`))));
}

const rows = [];
async function compare(label, concurrency, spec, sample) {
  const baseline = await startBaseline({ ...server.serving, body: sample, contentType: 'application/json' });
  const base = await runLoad({ url: `${baseline.url}${spec.path}`, concurrency, durationMs: DURATION, tls: server.tls, method: spec.method, body: spec.body, headers: spec.headers });
  await baseline.stop();
  const kube = await runLoad({ url: `${server.url}${spec.path}`, concurrency, durationMs: DURATION, tls: server.tls, ...spec });
  const statuses = Object.keys(kube.statuses).join('/');
  rows.push([label, concurrency, base.rps, kube.rps, (kube.rps / base.rps).toFixed(2), `${kube.p50} / ${kube.p99}`, `${base.p50} / ${base.p99}`, statuses]);
}

const hot = (await request('GET', '/api/v1/namespaces/bench/configmaps/hot')).body;
const page = (await request('GET', '/api/v1/namespaces/big/configmaps?limit=500')).body;
const all = (await request('GET', '/api/v1/namespaces/big/configmaps')).body;
for (const c of [1, 32]) {
  await compare('GET one configmap', c, { path: '/api/v1/namespaces/bench/configmaps/hot' }, hot);
  await compare('LIST 10k configmaps, limit=500 (first page)', c, { path: '/api/v1/namespaces/big/configmaps?limit=500' }, page);
  await compare('LIST 10k configmaps, unpaged', c, { path: '/api/v1/namespaces/big/configmaps', durationMs: DURATION }, all);
  await compare('CREATE configmap', c, { path: '/api/v1/namespaces/bench/configmaps', method: 'POST', headers: { 'content-type': 'application/json' }, bodyTemplate: configMap(`c${c}-{n}`) }, hot);
  await compare('UPDATE (merge patch) one configmap', c, { path: '/api/v1/namespaces/bench/configmaps/hot', method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, bodyTemplate: '{"data":{"n":"{n}"}}' }, hot);
}
closeClient();
await server.stop();
await rm(dir, { recursive: true, force: true });
report('rest', ['request', 'c', 'node:https req/s', 'kube-chain req/s', 'ratio', 'kube-chain p50/p99 ms', 'node p50/p99 ms', 'codes'], rows);
