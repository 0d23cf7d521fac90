// GET /healthz over HTTPS with keep-alive against kube-chain (its own process), and the same load
// against a bare node:https server answering "ok" with the same certificate, in the same run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from './lib/server-process.mjs';
import { startBaseline } from './lib/baseline.mjs';
import { runLoad } from './lib/load.mjs';
import { report } from './lib/report.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 5000);
const dir = await mkdtemp(join(tmpdir(), 'kc-bench-'));
const server = await startServerProcess(dir);
const baseline = await startBaseline({ ...server.serving, body: 'ok', contentType: 'text/plain; charset=utf-8' });
const rows = [];
for (const concurrency of [1, 32]) {
  const spec = (url) => ({ url: `${url}/healthz`, concurrency, durationMs: DURATION, tls: server.tls });
  const base = await runLoad(spec(baseline.url));
  const kube = await runLoad(spec(server.url));
  rows.push([`GET /healthz, c=${concurrency}`, base.rps, kube.rps, (kube.rps / base.rps).toFixed(2), `${base.p99} / ${kube.p99}`, (base.p99 / kube.p99).toFixed(2)]);
}
await server.stop();
await baseline.stop();
await rm(dir, { recursive: true, force: true });
report('healthz', ['request', 'node:https req/s', 'kube-chain req/s', 'ratio', 'p99 ms (node / kube-chain)', 'p99 ratio'], rows);
