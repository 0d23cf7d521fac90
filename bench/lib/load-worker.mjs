// A keep-alive HTTPS load generator, run in its own process so it does not share the server's event loop.
// Input: one JSON argument; output: one JSON line {requests, errors, seconds, rps, p50, p90, p99, statuses}.
import https from 'node:https';

const spec = JSON.parse(process.argv[2]);
const agent = new https.Agent({
  keepAlive: true,
  maxSockets: spec.concurrency,
  ca: spec.tls?.ca,
  cert: spec.tls?.cert,
  key: spec.tls?.key,
  rejectUnauthorized: Boolean(spec.tls?.ca),
  // The name the server's certificate must carry, when it is not the URL's host (an aggregated server: <svc>.<ns>.svc).
  servername: spec.tls?.servername,
});
const url = new URL(spec.url);
const latencies = [];
const statuses = {};
let errors = 0;
let sequence = 0;

function once() {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const n = sequence++;
    const path = spec.pathTemplate ? spec.pathTemplate.replaceAll('{n}', String(n % (spec.pathModulo ?? 1e12))) : url.pathname + url.search;
    const body = spec.bodyTemplate ? spec.bodyTemplate.replaceAll('{n}', String(n)) : spec.body;
    const req = https.request(
      { agent, host: url.hostname, port: url.port, path, method: spec.method ?? 'GET', headers: { ...(spec.headers ?? {}), ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
          statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      errors++;
      resolve();
    });
    if (body) req.write(body);
    req.end();
  });
}

async function loop(deadline, limit) {
  while (performance.now() < deadline && (limit === undefined || sequence < limit)) await once();
}

const warmupEnd = performance.now() + (spec.warmupMs ?? 500);
await Promise.all(Array.from({ length: spec.concurrency }, () => loop(warmupEnd, spec.maxRequests)));
latencies.length = 0;
for (const k of Object.keys(statuses)) delete statuses[k];
errors = 0;
const started = performance.now();
await Promise.all(Array.from({ length: spec.concurrency }, () => loop(started + spec.durationMs, spec.maxRequests)));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : NaN);
const round = (x) => Math.round(x * 1000) / 1000;
process.stdout.write(
  JSON.stringify({ requests: latencies.length, errors, seconds: round(seconds), rps: Math.round(latencies.length / seconds), p50: round(pct(50)), p90: round(pct(90)), p99: round(pct(99)), statuses }) + '\n',
);
agent.destroy();
