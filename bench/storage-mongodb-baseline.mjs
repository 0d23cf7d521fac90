// MongoDB-backed create throughput against a bare insertOne loop on the same server, in the same run
// (the goal: at least half). Uses MONGODB_URI, else starts FerretDB (SQLite, temp dir,
// telemetry off) when the binary is installed. Needs `npm run build` first (imports ../dist).
// Env: DURATION_MS (default 3000 per measurement), CONCURRENCY (default "1,32").
import { MongoClient } from 'mongodb';
import { createMongoStorage } from '../dist/storage/mongodb/index.js';
import { report } from './lib/report.mjs';
import { startFerretDB } from './lib/ferretdb.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 3000);
const CONCURRENCIES = (process.env.CONCURRENCY ?? '1,32').split(',').map(Number);
const object = (n) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: `cm-${n}`, namespace: 'bench', uid: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`, labels: { app: 'bench' } },
  data: { key: 'value'.repeat(20) },
});

/** Runs `op(n)` from `concurrency` loops for DURATION ms; returns ops/s and latency percentiles. */
async function measure(concurrency, op) {
  const latencies = [];
  let n = 0;
  const end = performance.now() + DURATION;
  const loop = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      await op(n++);
      latencies.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
  return { ops: Math.round(latencies.length / seconds), p50: pct(0.5), p99: pct(0.99) };
}

const target = process.env.MONGODB_URI
  ? { uri: process.env.MONGODB_URI, server: 'MONGODB_URI', stop: async () => undefined }
  : await startFerretDB();
if (!target) {
  console.warn('storage-mongodb-baseline: SKIPPED (no MONGODB_URI and no ferretdb binary; run .ci/install-ferretdb.sh)');
} else {
  const dbName = `kc_bench_${Date.now()}`;
  const client = new MongoClient(target.uri);
  const bare = client.db(dbName).collection('bare');
  const storage = await createMongoStorage({ uri: target.uri, dbName });
  const rows = [];
  for (const concurrency of CONCURRENCIES) {
    const base = await measure(concurrency, (n) =>
      bare.insertOne({ key: `/registry/configmaps/bench/c${concurrency}-${n}`, value: JSON.stringify(object(n)) }, { writeConcern: { w: 'majority', journal: true } }),
    );
    const kube = await measure(concurrency, (n) => storage.create(`/registry/configmaps/bench/c${concurrency}-${n}`, object(n)));
    rows.push([`create, c=${concurrency}`, base.ops, kube.ops, (kube.ops / base.ops).toFixed(2), `${base.p50} / ${kube.p50}`, `${base.p99} / ${kube.p99}`]);
  }
  await storage.close();
  await client.db(dbName).dropDatabase().catch(() => undefined);
  await client.close();
  await target.stop();
  report('storage-mongodb-baseline', [`operation (${target.server})`, 'bare insertOne/s', 'backend create/s', 'ratio', 'p50 ms (bare / backend)', 'p99 ms (bare / backend)'], rows);
}
