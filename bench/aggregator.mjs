// API aggregation: a GET through kube-chain's aggregator proxy vs the same GET straight to the
// aggregated API server, in the same run (ratio; goal ≥ 0.7), at concurrency 1 and 16. A second
// baseline is a bare node:https reverse proxy (bench/lib/bare-proxy.mjs): the cost of any extra TLS
// hop on this machine, which no aggregator can go below. And the latency
// a watch event gains through the proxy (two watches on the same backend, one direct and one proxied,
// receive the same events; each event carries its send time). Three processes: kube-chain, the
// backend, and the load generator (plus this one, which reads the watches).
import { hostIP } from './lib/host-ip.mjs';
import https from 'node:https';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { runLoad } from './lib/load.mjs';
import { report } from './lib/report.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const EVENTS = Number(process.env.WATCH_EVENTS ?? 2000);
const EVENT_INTERVAL_MS = Number(process.env.WATCH_INTERVAL_MS ?? 2);
const lib = (name) => fileURLToPath(new URL(`./lib/${name}`, import.meta.url));

function child(script, args = []) {
  const proc = spawn(process.execPath, [lib(script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout });
  const queue = [];
  const waiting = [];
  lines.on('line', (line) => (waiting.length ? waiting.shift()(line) : queue.push(line)));
  return {
    proc,
    next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve))),
    stop: () => new Promise((resolve) => { proc.once('exit', resolve); proc.kill('SIGTERM'); }),
  };
}

const kube = child('aggregator-server.mjs');
const { url, dataDir } = JSON.parse(await kube.next());
const backend = child('aggregated-backend.mjs', [join(dataDir, 'front-proxy-ca.crt'), '2', String(EVENTS), String(EVENT_INTERVAL_MS)]);
const { port, caPem } = JSON.parse(await backend.next());
kube.proc.stdin.write(JSON.stringify({ port, caPem }) + '\n');
if ((await kube.next()) !== 'ready') throw new Error('kube-chain did not get ready');

const admin = { ca: await readFile(join(dataDir, 'ca.crt'), 'utf8'), cert: await readFile(join(dataDir, 'admin.crt'), 'utf8'), key: await readFile(join(dataDir, 'admin.key'), 'utf8') };
// Straight to the backend: its CA, and the proxy's own client certificate (what the backend accepts).
const direct = { ca: caPem, cert: await readFile(join(dataDir, 'front-proxy-client.crt'), 'utf8'), key: await readFile(join(dataDir, 'front-proxy-client.key'), 'utf8') };
const path = '/apis/bench.example.com/v1/namespaces/default/widgets/w';
const bare = child('bare-proxy.mjs', [
  JSON.stringify({
    backendHost: hostIP(),
    backendPort: port,
    backendCaPem: caPem,
    servername: 'bench.default.svc',
    servingCertPem: await readFile(join(dataDir, 'apiserver.crt'), 'utf8'),
    servingKeyPem: await readFile(join(dataDir, 'apiserver.key'), 'utf8'),
    clientCertPem: direct.cert,
    clientKeyPem: direct.key,
  }),
]);
const barePort = JSON.parse(await bare.next()).port;

// The three take turns, ROUNDS times, and each keeps its median run: on a shared machine the load
// drifts, and alternating keeps the ratios fair.
const median = (runs) => [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
const rows = [];
for (const concurrency of [1, 16]) {
  const targets = {
    // The direct run names the backend by its certificate's name, as the proxy does.
    direct: { url: `https://${hostIP()}:${port}${path}`, concurrency, durationMs: DURATION, tls: { ...direct, servername: 'bench.default.svc' }, headers: { 'X-Remote-User': 'bench', 'X-Remote-Group': 'system:masters' } },
    bare: { url: `https://127.0.0.1:${barePort}${path}`, concurrency, durationMs: DURATION, tls: admin },
    kube: { url: `${url}${path}`, concurrency, durationMs: DURATION, tls: admin },
  };
  const runs = { direct: [], bare: [], kube: [] };
  for (let round = 0; round < ROUNDS; round++) for (const name of Object.keys(targets)) runs[name].push(await runLoad(targets[name]));
  const [straight, bareProxied, proxied] = [median(runs.direct), median(runs.bare), median(runs.kube)];
  const statuses = [straight, bareProxied, proxied].map((r) => Object.keys(r.statuses).join('/')).join(' ');
  rows.push([
    `GET widget, concurrency ${concurrency}`,
    straight.rps,
    bareProxied.rps,
    proxied.rps,
    (proxied.rps / straight.rps).toFixed(2),
    (bareProxied.rps / straight.rps).toFixed(2),
    (proxied.rps / bareProxied.rps).toFixed(2),
    `${straight.p99} / ${bareProxied.p99} / ${proxied.p99}`,
    statuses,
  ]);
}

// Watch latency: two watches, one direct and one through the proxy, see the same events.
function openWatch(base, tls, servername) {
  const target = new URL(base);
  const delays = [];
  const req = https.request({ host: target.hostname, port: target.port, path: '/apis/bench.example.com/v1/namespaces/default/widgets?watch=true', ...tls, servername, agent: false });
  const done = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        const now = performance.timeOrigin + performance.now();
        buffered += chunk;
        let nl;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          delays.push(now - JSON.parse(line).sentAt);
          if (delays.length === EVENTS) resolve(delays);
        }
      });
    });
    req.on('error', reject);
  });
  req.end();
  return { done, close: () => req.destroy() };
}
const directWatch = openWatch(`https://${hostIP()}:${port}`, { ...direct, headers: { 'X-Remote-User': 'bench' } }, 'bench.default.svc');
const proxiedWatch = openWatch(url, admin);
const [directDelays, proxiedDelays] = await Promise.all([directWatch.done, proxiedWatch.done]);
directWatch.close();
proxiedWatch.close();
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const ms = (x) => `${x.toFixed(2)} ms`;

report(
  'aggregator',
  ['measure', 'direct req/s', 'bare proxy req/s', 'kube-chain req/s', 'kube-chain / direct', 'bare proxy / direct', 'kube-chain / bare proxy', 'p99 ms (direct / bare / kube-chain)', 'statuses'],
  rows,
);
report('aggregator (watch events)', ['measure', 'direct', 'via aggregator', 'added'], [
  [`event latency p50 (${EVENTS} events, one every ${EVENT_INTERVAL_MS} ms)`, ms(pct(directDelays, 50)), ms(pct(proxiedDelays, 50)), ms(pct(proxiedDelays, 50) - pct(directDelays, 50))],
  ['event latency p99', ms(pct(directDelays, 99)), ms(pct(proxiedDelays, 99)), ms(pct(proxiedDelays, 99) - pct(directDelays, 99))],
]);
await kube.stop();
await backend.stop();
await bare.stop();
