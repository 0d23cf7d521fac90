// kube-chain for bench/aggregator.mjs, in its own process. It prints its URL and data directory, then
// reads one JSON line {port, caPem} naming the backend, registers Service, Endpoints and the APIService
// v1.bench.example.com (through the API; straight into storage for what the API does not serve yet),
// waits for Available=True and prints "ready".
import { hostIP } from './host-ip.mjs';
import https from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startServer } from '../../dist/index.js';

const dataDir = await mkdtemp(join(tmpdir(), 'kc-bench-agg-'));
const server = await startServer({ securePort: 0, dataDir, maxRequestsInflight: 0, maxMutatingRequestsInflight: 0, writeKubeconfig: false, logLevel: 'warn' });
process.stdout.write(JSON.stringify({ url: server.url, dataDir }) + '\n');
const lines = createInterface({ input: process.stdin });
const backend = JSON.parse(await new Promise((resolve) => lines.once('line', resolve)));

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = https.request(`${server.url}${path}`, { method, ca: server.tls.caPem, cert: server.tls.adminCertPem, key: server.tls.adminKeyPem, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bench', namespace: 'default' }, spec: { ports: [{ name: 'https', port: 443, targetPort: backend.port }] } };
const endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'bench', namespace: 'default' }, subsets: [{ addresses: [{ ip: hostIP() }], ports: [{ name: 'https', port: backend.port }] }] };
for (const [resource, obj] of [['services', service], ['endpoints', endpoints]]) {
  const res = await request('POST', `/api/v1/namespaces/default/${resource}`, obj);
  if (res.status === 404) await server.api.storage.create(`/registry/${resource}/default/bench`, obj);
  else if (res.status !== 201) throw new Error(`${resource}: ${res.status} ${res.body}`);
}
const apiService = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1.bench.example.com' }, spec: { group: 'bench.example.com', version: 'v1', service: { namespace: 'default', name: 'bench' }, caBundle: Buffer.from(backend.caPem).toString('base64'), groupPriorityMinimum: 1000, versionPriority: 15 } };
const created = await request('POST', '/apis/apiregistration.k8s.io/v1/apiservices', apiService);
if (created.status !== 201) throw new Error(`APIService: ${created.status} ${created.body}`);
for (let i = 0; i < 400; i++) {
  const obj = JSON.parse((await request('GET', '/apis/apiregistration.k8s.io/v1/apiservices/v1.bench.example.com')).body);
  if (obj.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True')) break;
  await new Promise((r) => setTimeout(r, 25));
}
process.stdout.write('ready\n');
process.on('SIGTERM', async () => {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
});
