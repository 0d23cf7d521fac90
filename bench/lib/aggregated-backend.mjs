// An aggregated API server for bench/aggregator.mjs, in its own process: HTTPS with a certificate for
// "bench.default.svc", client certificates verified against the CA file given as argv[2]. It serves a
// small Widget GET and a watch; once `argv[3]` watches are open it sends `argv[4]` events, one every
// `argv[5]` ms, each stamped with its send time (performance.timeOrigin + performance.now()).
import { hostIP } from './host-ip.mjs';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import { generateCA, issueCert } from '../../dist/server/serving/certs.js';

const [caFile, watchersWanted, eventCount, intervalMs] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4]), Number(process.argv[5])];
const ca = await generateCA('bench-backend-ca');
const serving = await issueCert(ca, { subject: { commonName: 'bench' }, usage: 'server', dnsNames: ['bench.default.svc'] });
const widget = JSON.stringify({ apiVersion: 'bench.example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default', resourceVersion: '1' }, spec: { size: 3, color: 'blue', labels: { a: 'b' } } });
const resourceList = JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'bench.example.com/v1', resources: [{ name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get', 'list', 'watch'] }] });
const streams = new Set();
let started = false;

function startEvents() {
  started = true;
  let sent = 0;
  const timer = setInterval(() => {
    const line = JSON.stringify({ type: 'MODIFIED', object: { kind: 'Widget', metadata: { name: 'w', resourceVersion: String(sent) } }, sentAt: performance.timeOrigin + performance.now() }) + '\n';
    for (const res of streams) res.write(line);
    if (++sent >= eventCount) clearInterval(timer);
  }, intervalMs);
}

const server = https.createServer({ key: serving.keyPem, cert: serving.certPem, ca: await readFile(caFile, 'utf8'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
  const url = new URL(req.url, 'https://bench');
  if (url.pathname === '/apis/bench.example.com/v1') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(resourceList) });
    return res.end(resourceList);
  }
  if (url.pathname === '/apis/bench.example.com/v1/namespaces/default/widgets' && url.searchParams.get('watch') === 'true') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
    streams.add(res);
    res.on('close', () => streams.delete(res));
    if (streams.size >= watchersWanted && !started) startEvents();
    return;
  }
  if (url.pathname === '/apis/bench.example.com/v1/namespaces/default/widgets/w') {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(widget) });
    return res.end(widget);
  }
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end('{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}');
});
server.listen(0, hostIP(), () => process.stdout.write(JSON.stringify({ port: server.address().port, caPem: ca.certPem }) + '\n'));
process.on('SIGTERM', () => process.exit(0));
