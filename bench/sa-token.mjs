// Service-account token authentication through the whole server: GET one configmap with a bound
// service-account token (RS256, the generated key) next to the same GET with the admin client
// certificate, which is verified once per keep-alive connection. As in kube-apiserver, a token seen
// in the last 10 s is answered from the token cache; without it every request verifies the signature
// and looks the account up. Authorization is AlwaysAllow and priority and fairness is off (it would
// put the admin in the exempt level and the account in workload-low), so that only authentication
// differs. The two take turns, ROUNDS times, and each keeps its median.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from './lib/server-process.mjs';
import { apiClient } from './lib/client.mjs';
import { runLoad } from './lib/load.mjs';
import { report } from './lib/report.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const dir = await mkdtemp(join(tmpdir(), 'kc-bench-sa-token-'));
const server = await startServerProcess(dir, ['--authorization-mode=AlwaysAllow', '--max-requests-inflight=0', '--enable-priority-and-fairness=false']);
const { request, close: closeClient } = apiClient(server);

await request('POST', '/api/v1/namespaces/default/configmaps', JSON.stringify({ metadata: { name: 'target' }, data: { key: 'value' } }));
await request('POST', '/api/v1/namespaces/default/serviceaccounts', JSON.stringify({ metadata: { name: 'bench' } }));
const issued = await request('POST', '/api/v1/namespaces/default/serviceaccounts/bench/token', JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} }));
const token = JSON.parse(issued.body).status.token;
const path = `${server.url}/api/v1/namespaces/default/configmaps/target`;
const check = await new Promise((resolve) => {
  // One request with the token alone, so that a broken token fails the benchmark instead of measuring 401s.
  import('node:https').then(({ default: https }) => {
    https.get(path, { ca: server.tls.ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
  });
});
if (check !== 200) throw new Error(`the service-account token was answered ${check}`);

const rows = [];
for (const c of [1, 16]) {
  const specs = {
    cert: { url: path, concurrency: c, durationMs: DURATION, tls: server.tls },
    token: { url: path, concurrency: c, durationMs: DURATION, tls: { ca: server.tls.ca }, headers: { authorization: `Bearer ${token}` } },
  };
  const runs = { cert: [], token: [] };
  for (let round = 0; round < ROUNDS; round++) for (const name of Object.keys(runs)) runs[name].push(await runLoad(specs[name]));
  const med = (list) => [...list].sort((a, b) => a.rps - b.rps)[Math.floor(list.length / 2)];
  const codes = (list) => [...new Set(list.flatMap((r) => Object.keys(r.statuses)))].join('/');
  const cert = med(runs.cert);
  const tok = med(runs.token);
  rows.push(['GET configmap, admin client certificate', c, cert.rps, '1.00', `${cert.p50} / ${cert.p99}`, codes(runs.cert)]);
  rows.push(['GET configmap, service-account token (RS256)', c, tok.rps, (tok.rps / cert.rps).toFixed(2), `${tok.p50} / ${tok.p99}`, codes(runs.token)]);
}
closeClient();
await server.stop();
await rm(dir, { recursive: true, force: true });
report('sa-token', ['request', 'c', 'req/s', 'ratio to certificate', 'p50/p99 ms', 'codes'], rows);
