// Storage throughput and latency (create, get, guaranteedUpdate, list of 10k) at concurrency 1 and 32,
// on the memory store and on MongoDB through the watch cache (FerretDB here); watch fan-out to 1,000
// and 10,000 watchers; memory per idle watcher and per stored object (memory store).
// Needs `npm run build` first. Env: DURATION_MS (default 2000 per measurement); STORAGE_BACKENDS
// (default "memory,mongodb"); MONGODB_URI (else FerretDB when installed); FANOUT_ROUNDS (default 20).
import { createMemoryStorage } from '../dist/storage/memory/index.js';
import { createMongoStorage } from '../dist/storage/mongodb/index.js';
import { Cacher } from '../dist/storage/cacher/index.js';
import { report } from './lib/report.mjs';
import { startFerretDB } from './lib/ferretdb.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 2000);
const BACKENDS = (process.env.STORAGE_BACKENDS ?? 'memory,mongodb').split(',');
const ROUNDS = Number(process.env.FANOUT_ROUNDS ?? 20);
const configMap = (n) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `cm-${n}`, namespace: 'bench', uid: `uid-${n}`, labels: { app: 'bench' } },
  data: { key: 'value'.repeat(20) },
});

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function measure(concurrency, op, maxOps = Infinity) {
  const latencies = [];
  let n = 0;
  const end = performance.now() + DURATION;
  const loop = async () => {
    while (performance.now() < end && n < maxOps) {
      const i = n++;
      const t = performance.now();
      await op(i);
      latencies.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { ops: Math.round(latencies.length / seconds), p50: percentile(latencies, 50).toFixed(3), p99: percentile(latencies, 99).toFixed(3) };
}

async function operations(name, storage, rows) {
  let created = 0;
  for (const c of [1, 32]) {
    const create = await measure(c, (i) => storage.create(`/registry/configmaps/bench/c${c}-${i}`, configMap(`c${c}-${i}`)).then(() => created++));
    rows.push([name, 'create', c, create.ops, create.p50, create.p99]);
  }
  await storage.create('/registry/configmaps/bench/hot', configMap('hot'));
  for (const c of [1, 32]) {
    const get = await measure(c, () => storage.get('/registry/configmaps/bench/hot'));
    rows.push([name, 'get (consistent)', c, get.ops, get.p50, get.p99]);
  }
  for (const c of [1, 32]) {
    const update = await measure(c, (i) => storage.guaranteedUpdate('/registry/configmaps/bench/hot', undefined, (cur) => ({ ...cur, data: { n: String(i) } })));
    rows.push([name, 'guaranteedUpdate (one key)', c, update.ops, update.p50, update.p99]);
  }
  // A list of 10,000 objects under its own prefix.
  const toAdd = 10_000;
  for (let i = 0; i < toAdd; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => storage.create(`/registry/configmaps/list10k/cm-${i + j}`, configMap(i + j))));
  }
  for (const c of [1, 32]) {
    const list = await measure(c, () => storage.list('/registry/configmaps/list10k/'), c * 20);
    rows.push([name, 'list of 10k', c, list.ops, list.p50, list.p99]);
  }
  return created;
}

async function fanOut(storage, watchers, rows, name) {
  const list = await Promise.all(Array.from({ length: watchers }, () => storage.watch('/registry/fanout/', { resourceVersion: '0' })));
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    const arrivals = list.map((w) => w[Symbol.asyncIterator]().next());
    await storage.create(`/registry/fanout/ns/o${watchers}-${round}`, configMap(round));
    const acked = performance.now();
    await Promise.all(arrivals);
    times.push(performance.now() - acked);
  }
  for (const w of list) w.stop();
  times.sort((a, b) => a - b);
  rows.push([name, `fan-out to ${watchers} watchers (ack → last watcher)`, '-', '-', percentile(times, 50).toFixed(1), percentile(times, 99).toFixed(1)]);
}

async function memoryFootprint(rows) {
  global.gc?.();
  const storage = createMemoryStorage();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 20_000; i++) await storage.create(`/registry/configmaps/mem/cm-${i}`, configMap(i));
  global.gc?.();
  const perObject = (process.memoryUsage().heapUsed - before) / 20_000;
  const revision = String(await storage.currentRevision());
  const beforeWatchers = process.memoryUsage().heapUsed;
  const watchers = await Promise.all(Array.from({ length: 10_000 }, () => storage.watch('/registry/configmaps/mem/', { resourceVersion: revision })));
  global.gc?.();
  const perWatcher = (process.memoryUsage().heapUsed - beforeWatchers) / 10_000;
  for (const w of watchers) w.stop();
  await storage.close();
  rows.push(['memory', 'heap per stored object (ConfigMap, ~300 B of JSON)', '-', '-', `${(perObject / 1024).toFixed(2)} KiB`, '-']);
  rows.push(['memory', 'heap per idle watcher', '-', '-', `${(perWatcher / 1024).toFixed(2)} KiB`, '-']);
}

const rows = [];
if (BACKENDS.includes('memory')) {
  const memory = createMemoryStorage();
  await operations('memory', memory, rows);
  await fanOut(memory, 1000, rows, 'memory');
  await fanOut(memory, 10_000, rows, 'memory');
  await memory.close();
  if (global.gc) await memoryFootprint(rows);
  else console.warn('storage bench: heap figures need node --expose-gc (npm run bench passes it)');
}

const mongo = BACKENDS.includes('mongodb') ? await startFerretDB() : null;
if (mongo) {
  const cached = await Cacher.create(await createMongoStorage({ uri: mongo.uri, dbName: `bench${Date.now()}`, bookmarkIntervalMs: 100 }));
  const label = `mongodb+cache (${mongo.server})`;
  await operations(label, cached, rows);
  await fanOut(cached, 1000, rows, label);
  await fanOut(cached, 10_000, rows, label);
  await cached.close();
  await mongo.stop();
} else if (BACKENDS.includes('mongodb')) {
  console.warn('storage bench: MongoDB SKIPPED (no MONGODB_URI and no ferretdb binary; run .ci/install-ferretdb.sh)');
}
report('storage', ['backend', 'operation', 'concurrency', 'ops/s', 'p50 ms', 'p99 ms'], rows);
