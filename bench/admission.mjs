// Admission overhead: CREATE configmap in a namespace no webhook or policy applies to, next to the same
// in a namespace where one no-op validating webhook (HTTPS, in this process, keep-alive) is called,
// and one where one ValidatingAdmissionPolicy with a CEL validation applies; same server, same run.
import https from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from './lib/server-process.mjs';
import { apiClient } from './lib/client.mjs';
import { runLoad } from './lib/load.mjs';
import { report } from './lib/report.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 3000);
const dir = await mkdtemp(join(tmpdir(), 'kc-bench-admission-'));
const server = await startServerProcess(dir, ['--max-requests-inflight=0', '--max-mutating-requests-inflight=0']);
const { request, close: closeClient } = apiClient(server);

// The no-op webhook: allows everything. Its serving certificate is kube-chain's own (valid for 127.0.0.1).
let calls = 0;
const hook = https.createServer({ cert: server.serving.certPem, key: server.serving.keyPem, keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    calls++;
    const review = JSON.parse(Buffer.concat(chunks).toString());
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } }));
  });
});
await new Promise((resolve) => hook.listen(0, '127.0.0.1', resolve));
const hookURL = `https://127.0.0.1:${hook.address().port}/validate`;

const ns = (name, labels) => request('POST', '/api/v1/namespaces', JSON.stringify({ metadata: { name, labels } }));
await ns('plain', {});
await ns('hooked', { admission: 'webhook' });
await ns('policed', { admission: 'policy' });
const G = '/apis/admissionregistration.k8s.io/v1';
const rules = [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }];
await request('POST', `${G}/validatingwebhookconfigurations`, JSON.stringify({
  metadata: { name: 'noop' },
  webhooks: [{ name: 'noop.bench.kube-chain.io', clientConfig: { url: hookURL, caBundle: Buffer.from(server.tls.ca).toString('base64') }, rules, sideEffects: 'None', admissionReviewVersions: ['v1'], namespaceSelector: { matchLabels: { admission: 'webhook' } } }],
}));
await request('POST', `${G}/validatingadmissionpolicies`, JSON.stringify({
  metadata: { name: 'small' },
  spec: { matchConstraints: { resourceRules: rules, namespaceSelector: { matchLabels: { admission: 'policy' } } }, validations: [{ expression: 'size(object.data) <= 10', message: 'too many keys' }] },
}));
await request('POST', `${G}/validatingadmissionpolicybindings`, JSON.stringify({ metadata: { name: 'small' }, spec: { policyName: 'small', validationActions: ['Deny'] } }));
await new Promise((r) => setTimeout(r, 500));

const configMap = (name) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'bench' } }, data: { key: 'value'.repeat(20) } });
const rows = [];
const ROUNDS = Number(process.env.ROUNDS ?? 3);
// The three cases take turns, ROUNDS times, and each keeps its median: on a shared machine the load
// changes over a run, and turns keep it from favouring whichever case ran first.
for (const c of [1, 32]) {
  const spec = (namespace, round) => ({ url: `${server.url}/api/v1/namespaces/${namespace}/configmaps`, concurrency: c, durationMs: DURATION, tls: server.tls, method: 'POST', headers: { 'content-type': 'application/json' }, bodyTemplate: configMap(`c${c}-r${round}-{n}`) });
  const runs = { plain: [], hooked: [], policed: [] };
  const before = calls;
  for (let round = 0; round < ROUNDS; round++) for (const name of Object.keys(runs)) runs[name].push(await runLoad(spec(name, round)));
  const webhookCalls = calls - before;
  const med = (list) => [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)];
  const codes = (list) => [...new Set(list.flatMap((r) => Object.keys(r.statuses)))].join('/');
  const plain = med(runs.plain);
  const hooked = med(runs.hooked);
  const policed = med(runs.policed);
  rows.push(['CREATE configmap, no webhook or policy', c, plain.rps, '1.00', `${plain.p50} / ${plain.p99}`, codes(runs.plain)]);
  rows.push([`CREATE configmap, one no-op validating webhook (${webhookCalls} calls)`, c, hooked.rps, (hooked.rps / plain.rps).toFixed(2), `${hooked.p50} / ${hooked.p99}`, codes(runs.hooked)]);
  rows.push(['CREATE configmap, one ValidatingAdmissionPolicy (CEL)', c, policed.rps, (policed.rps / plain.rps).toFixed(2), `${policed.p50} / ${policed.p99}`, codes(runs.policed)]);
}
closeClient();
await server.stop();
hook.closeAllConnections();
hook.close();
await rm(dir, { recursive: true, force: true });
report('admission', ['request', 'c', 'req/s', 'ratio to none', 'p50/p99 ms', 'codes'], rows);
