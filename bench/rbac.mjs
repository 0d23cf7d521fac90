// The cost of RBAC: GET one configmap as a token-file user (not system:masters) bound to a role,
// with 1,000 roles and 1,000 role bindings (and 100 cluster roles and bindings) present, against
// the same server setup with --authorization-mode=AlwaysAllow, in the same run, alternating rounds.
// Then the decision alone, in process: RBAC's authorize() over the same policy vs AlwaysAllow's.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from './lib/server-process.mjs';
import { runLoad } from './lib/load.mjs';
import { median, report } from './lib/report.mjs';

const DURATION = Number(process.env.DURATION_MS ?? 3000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const TOKEN = { authorization: 'Bearer bench-token' };

async function start(mode) {
  const dir = await mkdtemp(join(tmpdir(), `kc-bench-rbac-${mode}-`));
  const tokenFile = join(dir, 'tokens.csv');
  await writeFile(tokenFile, 'bench-token,bench-user,uid-bench,"bench-group"\n');
  const server = await startServerProcess(dir, ['--max-requests-inflight=0', '--max-mutating-requests-inflight=0', `--authorization-mode=${mode}`, `--token-auth-file=${tokenFile}`]);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 16, ...server.tls });
  const request = (method, path, body) =>
    new Promise((resolve, reject) => {
      const req = https.request(`${server.url}${path}`, { method, agent, headers: { 'content-type': 'application/json' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => (res.statusCode < 300 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`${method} ${path}: ${res.statusCode} ${Buffer.concat(chunks)}`))));
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  await request('POST', '/api/v1/namespaces', { metadata: { name: 'bench' } });
  await request('POST', '/api/v1/namespaces/bench/configmaps', { metadata: { name: 'hot' }, data: { key: 'value'.repeat(20) } });
  // 1,000 roles and bindings in the request's namespace (worst case for a per-namespace scan), for other users and groups.
  for (let i = 0; i < 1000; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, async (_, j) => {
        const n = i + j;
        await request('POST', `${rbac}/namespaces/bench/roles`, { metadata: { name: `role-${n}` }, rules: [{ apiGroups: [''], resources: ['configmaps', 'secrets'], verbs: ['get', 'list'], resourceNames: [`obj-${n}`] }] });
        await request('POST', `${rbac}/namespaces/bench/rolebindings`, {
          metadata: { name: `binding-${n}` },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `role-${n}` },
          subjects: [{ kind: 'User', name: `user-${n}` }, { kind: 'Group', name: `group-${n % 100}` }, { kind: 'ServiceAccount', name: `sa-${n}` }],
        });
      }),
    );
  }
  for (let n = 0; n < 100; n++) {
    await request('POST', `${rbac}/clusterroles`, { metadata: { name: `cluster-role-${n}` }, rules: [{ apiGroups: ['*'], resources: [`thing-${n}`], verbs: ['get'] }] });
    await request('POST', `${rbac}/clusterrolebindings`, { metadata: { name: `cluster-binding-${n}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cluster-role-${n}` }, subjects: [{ kind: 'Group', name: `group-${n}` }] });
  }
  // The user's own grant: one role among the thousand.
  await request('POST', `${rbac}/namespaces/bench/roles`, { metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] });
  await request('POST', `${rbac}/namespaces/bench/rolebindings`, { metadata: { name: 'reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'Group', name: 'bench-group' }] });
  agent.destroy();
  return server;
}

const servers = { AlwaysAllow: await start('AlwaysAllow'), RBAC: await start('RBAC') };
const results = { AlwaysAllow: { 1: [], 32: [] }, RBAC: { 1: [], 32: [] } };
for (let round = 0; round < ROUNDS; round++) {
  for (const c of [1, 32]) {
    for (const mode of ['AlwaysAllow', 'RBAC']) {
      const server = servers[mode];
      // The CA only: the request authenticates with its bearer token, not the admin certificate.
      const load = await runLoad({ url: `${server.url}/api/v1/namespaces/bench/configmaps/hot`, concurrency: c, durationMs: DURATION, tls: { ca: server.tls.ca }, headers: TOKEN });
      if (Object.keys(load.statuses).join() !== '200') throw new Error(`${mode}: statuses ${JSON.stringify(load.statuses)}`);
      results[mode][c].push(load);
    }
  }
}
await Promise.all(Object.values(servers).map((s) => s.stop()));

const rows = [];
for (const c of [1, 32]) {
  const allow = median(results.AlwaysAllow[c].map((r) => r.rps));
  const rbacRps = median(results.RBAC[c].map((r) => r.rps));
  const p99 = (mode) => median(results[mode][c].map((r) => r.p99));
  rows.push(['GET configmap as a bound token user', c, allow, rbacRps, (rbacRps / allow).toFixed(2), `${p99('AlwaysAllow')} / ${p99('RBAC')}`]);
}
report('rbac', ['request', 'c', 'AlwaysAllow req/s', 'RBAC req/s', 'ratio', 'p99 ms (AlwaysAllow / RBAC)'], rows);

// The decision alone: the same policy in an in-memory store, the authorizer called in a loop.
const { MemoryStorage } = await import('../dist/storage/memory/index.js');
const { Store } = await import('../dist/registry/store.js');
const { AdmissionChain } = await import('../dist/admission/interface.js');
const rbacResources = await import('../dist/kube-apis/rbac/index.js');
const { startRBAC } = await import('../dist/auth/rbac/index.js');
const { buildAuthorizer } = await import('../dist/auth/build-authorizer.js');
const storage = new MemoryStorage();
const chain = new AdmissionChain();
const store = (def) => new Store(def, storage, chain);
const stores = { roles: store(rbacResources.roles), roleBindings: store(rbacResources.roleBindings), clusterRoles: store(rbacResources.clusterRoles), clusterRoleBindings: store(rbacResources.clusterRoleBindings) };
const admin = { user: { name: 'admin', groups: ['system:masters'] }, dryRun: false, fieldManager: 'bench', subresource: '' };
for (let n = 0; n < 1000; n++) {
  await stores.roles.create('bench', { metadata: { name: `role-${n}` }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: [`obj-${n}`] }] }, admin);
  await stores.roleBindings.create('bench', { metadata: { name: `binding-${n}` }, roleRef: { kind: 'Role', name: `role-${n}` }, subjects: [{ kind: 'User', name: `user-${n}` }, { kind: 'Group', name: `group-${n % 100}` }] }, admin);
}
await stores.roles.create('bench', { metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }, admin);
await stores.roleBindings.create('bench', { metadata: { name: 'reader' }, roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'Group', name: 'bench-group' }] }, admin);
let authz;
const rbacState = await startRBAC(storage, stores, () => authz);
authz = buildAuthorizer({ authorizationMode: ['RBAC'] }, { RBAC: rbacState.authorizer });
const allowAll = buildAuthorizer({ authorizationMode: ['AlwaysAllow'] });
await new Promise((r) => setTimeout(r, 200));
const attrs = (verb) => ({ user: { name: 'bench-user', groups: ['bench-group', 'system:authenticated'] }, verb, isResourceRequest: true, path: '/api/v1/namespaces/bench/configmaps/hot', namespace: 'bench', apiGroup: '', apiVersion: 'v1', resource: 'configmaps', subresource: '', name: 'hot' });
async function perDecision(authorizer, a, expected) {
  const N = 200_000;
  for (let i = 0; i < 10_000; i++) await authorizer.authorize(a);
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const { decision } = await authorizer.authorize(a);
    if (decision !== expected) throw new Error(`unexpected ${decision}`);
  }
  return Number(process.hrtime.bigint() - start) / 1e3 / N;
}
const decisionRows = [
  ['AlwaysAllow (after the system:masters check)', (await perDecision(allowAll, attrs('get'), 'Allow')).toFixed(2)],
  ['RBAC, allowed (get configmap)', (await perDecision(authz, attrs('get'), 'Allow')).toFixed(2)],
  ['RBAC, denied (delete configmap)', (await perDecision(authz, attrs('delete'), 'NoOpinion')).toFixed(2)],
];
rbacState.stop();
await storage.close();
report('rbac', ['authorizer', 'µs per decision'], decisionRows);
