// The cost of API Priority and Fairness per request. First in process: the APF filter alone (classify,
// estimate the work, take and give back the seats) around an empty handler, for a GET, a LIST and a
// create by a user that lands in global-default, next to the same loop without the filter (and, with
// APF_BASELINE_DIST, another build's filter, e.g. an earlier commit's, in the same run). Then end to
// end: GET one configmap as a token-file user (global-default) against a server with
// --enable-priority-and-fairness and one without (max-in-flight instead), alternating rounds.
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from './lib/server-process.mjs';
import { runLoad } from './lib/load.mjs';
import { median, report } from './lib/report.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const N = Number(process.env.APF_N ?? 100_000);

// ---- in process ----
// APF_BASELINE_DIST=<another build's dist> measures that build's filter too, alternating, in the same run.
const pino = (await import('pino')).default;
const { Registry } = await import('prom-client');

async function loadAPF(dist) {
  const { MemoryStorage } = await import(`${dist}/storage/memory/index.js`);
  const { Store } = await import(`${dist}/registry/store.js`);
  const { AdmissionChain } = await import(`${dist}/admission/interface.js`);
  const { flowSchemas, priorityLevelConfigurations } = await import(`${dist}/kube-apis/flowcontrol/resources.js`);
  const { startPriorityAndFairness } = await import(`${dist}/server/flowcontrol/index.js`);
  const storage = new MemoryStorage();
  const chain = new AdmissionChain();
  const stores = { flowschemas: new Store(flowSchemas, storage, chain), prioritylevelconfigurations: new Store(priorityLevelConfigurations, storage, chain) };
  const apf = await startPriorityAndFairness(
    { maxRequestsInflight: 400, maxMutatingRequestsInflight: 200, requestTimeoutSeconds: 60 },
    (group, resource) => stores[resource],
    new Registry(),
    pino({ level: 'silent' }),
  );
  return { middleware: apf.middleware, close: async () => (apf.stop(), await storage.close()) };
}

const user = { name: 'bench-user', groups: ['bench-group', 'system:authenticated'] };
const info = (verb, name) => ({ isResourceRequest: true, path: `/api/v1/namespaces/bench/configmaps${name ? `/${name}` : ''}`, verb, apiPrefix: 'api', apiGroup: '', apiVersion: 'v1', namespace: 'bench', resource: 'configmaps', subresource: '', name, parts: [] });
/** A Koa context with what the filter reads and writes. */
function fakeContext(requestInfo) {
  const res = new EventEmitter();
  res.writableFinished = true;
  return { state: { requestInfo, user, longRunning: false, startTime: 0 }, res, req: new EventEmitter(), query: {}, querystring: '', url: requestInfo.path, set() {}, get() { return ''; } };
}
const handler = async () => {};
async function perRequest(middleware, requestInfo) {
  const ctx = fakeContext(requestInfo);
  for (let i = 0; i < 20_000; i++) await middleware(ctx, handler);
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await middleware(ctx, handler);
  return Number(process.hrtime.bigint() - start) / 1e3 / N;
}
const none = (ctx, next) => next();
const builds = { current: await loadAPF('../dist') };
if (process.env.APF_BASELINE_DIST) builds.baseline = await loadAPF(process.env.APF_BASELINE_DIST);
const cases = [
  ['GET configmap', info('get', 'hot')],
  ['LIST configmaps', info('list', '')],
  ['CREATE configmap', info('create', '')],
];
const timings = Object.fromEntries(cases.map(([label]) => [label, { none: [], current: [], baseline: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const [label, requestInfo] of cases) {
    timings[label].none.push(await perRequest(none, requestInfo));
    for (const [name, build] of Object.entries(builds)) timings[label][name].push(await perRequest(build.middleware, requestInfo));
  }
}
for (const build of Object.values(builds)) await build.close();
const inProcessRows = cases.map(([label]) => {
  const t = timings[label];
  const without = median(t.none);
  const row = [label, without.toFixed(2), (median(t.current) - without).toFixed(2)];
  if (builds.baseline) row.push((median(t.baseline) - without).toFixed(2));
  return row;
});
report('apf', ['request (in process, user in global-default)', 'µs, no filter', 'APF µs per request', ...(builds.baseline ? ['baseline build: APF µs per request'] : [])], inProcessRows);

// ---- end to end ---- (APF_IN_PROCESS_ONLY=1 stops before it)
if (process.env.APF_IN_PROCESS_ONLY) process.exit(0);
const TOKEN = { authorization: 'Bearer bench-token' };
async function start(enabled) {
  const dir = await mkdtemp(join(tmpdir(), `kc-bench-apf-${enabled}-`));
  const tokenFile = join(dir, 'tokens.csv');
  await writeFile(tokenFile, 'bench-token,bench-user,uid-bench,"bench-group"\n');
  const server = await startServerProcess(dir, [`--enable-priority-and-fairness=${enabled}`, '--authorization-mode=AlwaysAllow', `--token-auth-file=${tokenFile}`]);
  const { apiClient } = await import('./lib/client.mjs');
  const { request, close } = apiClient(server);
  await request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name: 'bench' } }));
  await request('POST', '/api/v1/namespaces/bench/configmaps', JSON.stringify({ metadata: { name: 'hot' }, data: { key: 'value'.repeat(20) } }));
  close();
  return { server, dir };
}
const servers = { off: await start(false), on: await start(true) };
const results = { off: { 1: [], 32: [] }, on: { 1: [], 32: [] } };
for (let round = 0; round < ROUNDS; round++) {
  for (const c of [1, 32]) {
    for (const mode of ['off', 'on']) {
      const { server } = servers[mode];
      const load = await runLoad({ url: `${server.url}/api/v1/namespaces/bench/configmaps/hot`, concurrency: c, durationMs: DURATION, tls: { ca: server.tls.ca }, headers: TOKEN });
      if (Object.keys(load.statuses).join() !== '200') throw new Error(`${mode}: statuses ${JSON.stringify(load.statuses)}`);
      results[mode][c].push(load);
    }
  }
}
for (const { server, dir } of Object.values(servers)) {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}
const rows = [];
for (const c of [1, 32]) {
  const off = median(results.off[c].map((r) => r.rps));
  const on = median(results.on[c].map((r) => r.rps));
  const p99 = (mode) => median(results[mode][c].map((r) => r.p99));
  rows.push(['GET configmap as a token user (global-default)', c, off, on, (on / off).toFixed(2), `${p99('off')} / ${p99('on')}`]);
}
report('apf', ['request', 'c', 'max-in-flight req/s', 'APF req/s', 'ratio', 'p99 ms (max-in-flight / APF)'], rows);
