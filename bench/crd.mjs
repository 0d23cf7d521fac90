// Custom resources against kube-chain in its own process. Part 1: create / get / list / update of a
// custom resource whose schema has 50 fields and 5 CEL rules, next to the same verbs on a configmap in
// the same run (the cost of schema work), at concurrency 1 and 32. Part 2: 1,000 CRDs (100 groups of
// 10) registered at once: time until all are Established, discovery and /openapi/v3 response times,
// and the server's memory.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from './lib/server-process.mjs';
import { apiClient } from './lib/client.mjs';
import { runLoad } from './lib/load.mjs';
import { report } from './lib/report.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 3000);
const CRD_COUNT = Number(process.env.CRD_COUNT ?? 1000);
const dir = await mkdtemp(join(tmpdir(), 'kc-bench-crd-'));
const server = await startServerProcess(dir, ['--max-requests-inflight=0', '--max-mutating-requests-inflight=0']);
const { request, close: closeClient } = apiClient(server);

async function rssMiB() {
  const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024);
}

// --- Part 1: the cost of a 50-field schema with 5 CEL rules -------------------------------------------
const fields = {};
const values = {};
for (let i = 0; i < 50; i++) {
  if (i % 3 === 0) [fields[`f${i}`], values[`f${i}`]] = [{ type: 'string', maxLength: 64 }, `value-${i}`];
  else if (i % 3 === 1) [fields[`f${i}`], values[`f${i}`]] = [{ type: 'integer', minimum: 0, maximum: 100000 }, i * 7];
  else [fields[`f${i}`], values[`f${i}`]] = [{ type: 'boolean' }, i % 2 === 0];
}
const rules = [
  { rule: 'self.f0.size() <= 64', message: 'f0 too long' },
  { rule: 'self.f1 >= 0', message: 'f1 negative' },
  { rule: 'self.f2 == true || self.f3 != ""', message: 'f2 or f3' },
  { rule: "self.f6.matches('^value-[0-9]+$')", message: 'f6 pattern' },
  { rule: '!has(self.f4) || self.f4 < 100000', message: 'f4 bound' },
];
const benchCRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.bench.example.com' },
  spec: {
    group: 'bench.example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', kind: 'Widget' },
    versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: fields, 'x-kubernetes-validations': rules } } } } }],
  },
};
await request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', JSON.stringify(benchCRD));
for (let i = 0; i < 200; i++) {
  const got = JSON.parse((await request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.bench.example.com')).body);
  if (got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
  await new Promise((r) => setTimeout(r, 25));
}
await request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'bench' } }));
const widget = (name) => JSON.stringify({ apiVersion: 'bench.example.com/v1', kind: 'Widget', metadata: { name }, spec: values });
const configMap = (name) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) });
for (let i = 0; i < 100; i++) {
  await request('POST', '/apis/bench.example.com/v1/namespaces/bench/widgets', widget(`w-${i}`));
  await request('POST', '/api/v1/namespaces/bench/configmaps', configMap(`cm-${i}`));
}

const kinds = {
  configmap: { base: '/api/v1/namespaces/bench/configmaps', make: configMap, patch: '{"data":{"f0":"n{n}"}}' },
  'custom resource': { base: '/apis/bench.example.com/v1/namespaces/bench/widgets', make: widget, patch: '{"spec":{"f0":"value-{n}"}}' },
};
const rows = [];
for (const concurrency of [1, 32]) {
  for (const [verb, specFor] of [
    ['CREATE', (k, key) => ({ path: k.base, method: 'POST', headers: { 'content-type': 'application/json' }, bodyTemplate: k.make(`${key}-c${concurrency}-{n}`) })],
    ['GET', (k) => ({ path: `${k.base}/${k === kinds.configmap ? 'cm-0' : 'w-0'}` })],
    ['LIST 100', (k) => ({ path: `${k.base}?limit=100` })],
    ['UPDATE (merge patch)', (k) => ({ path: `${k.base}/${k === kinds.configmap ? 'cm-1' : 'w-1'}`, method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, bodyTemplate: k.patch })],
  ]) {
    const cm = await runLoad({ url: `${server.url}${specFor(kinds.configmap, 'cm').path}`, concurrency, durationMs: DURATION, tls: server.tls, ...specFor(kinds.configmap, 'cm') });
    const cr = await runLoad({ url: `${server.url}${specFor(kinds['custom resource'], 'w').path}`, concurrency, durationMs: DURATION, tls: server.tls, ...specFor(kinds['custom resource'], 'w') });
    rows.push([verb, concurrency, cm.rps, cr.rps, (cr.rps / cm.rps).toFixed(2), `${cm.p99}`, `${cr.p99}`, `${Object.keys(cm.statuses).join('/')} ${Object.keys(cr.statuses).join('/')}`]);
  }
}
report('crd', ['verb', 'concurrency', 'configmap req/s', 'CR req/s', 'CR / configmap', 'configmap p99 ms', 'CR p99 ms', 'statuses'], rows);

// --- Part 2: 1,000 CRDs --------------------------------------------------------------------------------
const rssBefore = await rssMiB();
const smallSchema = { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, name: { type: 'string' } } } } } };
const crdNumber = (i) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `kind${i}s.group${i % 100}.example.com` },
  spec: { group: `group${i % 100}.example.com`, scope: 'Namespaced', names: { plural: `kind${i}s`, kind: `Kind${i}` }, versions: [{ name: 'v1', served: true, storage: true, schema: smallSchema }] },
});
const started = performance.now();
for (let i = 0; i < CRD_COUNT; i += 20) {
  await Promise.all(Array.from({ length: Math.min(20, CRD_COUNT - i) }, (_, j) => request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', JSON.stringify(crdNumber(i + j)))));
}
const createdMs = performance.now() - started;
let established = 0;
while (established < CRD_COUNT + 1) {
  const list = JSON.parse((await request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions')).body);
  established = list.items.filter((c) => c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True')).length;
  if (performance.now() - started > 120_000) break;
  if (established < CRD_COUNT + 1) await new Promise((r) => setTimeout(r, 100));
}
const establishedMs = performance.now() - started;
// The last one must be served, too.
const lastServed = (await request('GET', `/apis/group${(CRD_COUNT - 1) % 100}.example.com/v1/namespaces/bench/kind${CRD_COUNT - 1}s`)).status;

async function timed(path, headers) {
  const samples = [];
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const t = performance.now();
    const res = await request('GET', path, undefined, headers);
    samples.push(performance.now() - t);
    bytes = res.body.length;
  }
  samples.sort((a, b) => a - b);
  return `${samples[10].toFixed(1)} ms median, ${samples[18].toFixed(1)} ms p95, ${Math.round(bytes / 1024)} KiB`;
}
const part2 = [
  ['CRDs created (POST, 20 at a time)', `${CRD_COUNT} in ${(createdMs / 1000).toFixed(2)} s`],
  ['all Established (from the first POST)', `${(establishedMs / 1000).toFixed(2)} s (${established - 1}/${CRD_COUNT}; last one served: HTTP ${lastServed})`],
  ['GET /apis (legacy discovery)', await timed('/apis')],
  ['GET /apis (aggregated discovery v2)', await timed('/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' })],
  ['GET /openapi/v3 (index)', await timed('/openapi/v3')],
  ['GET /openapi/v3/apis/group7.example.com/v1', await timed('/openapi/v3/apis/group7.example.com/v1')],
  ['server RSS before → after', `${rssBefore} MiB → ${await rssMiB()} MiB`],
];
report('crd (1,000 CRDs)', ['measure', 'result'], part2);
closeClient();
await server.stop();
