// A kubeconfig for a test server that authenticates with a bearer token only (no client certificate).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { dump } from 'js-yaml';
import type { TestServer } from './server.js';

export async function tokenKubeconfig(server: TestServer, token: string): Promise<string> {
  const path = join(server.dataDir, `token-${randomUUID()}.kubeconfig`);
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kube-chain', cluster: { server: server.url, 'certificate-authority-data': Buffer.from(server.tls.caPem).toString('base64') } }],
    users: [{ name: 'token', user: { token } }],
    contexts: [{ name: 'token', context: { cluster: 'kube-chain', user: 'token', namespace: 'default' } }],
    'current-context': 'token',
  };
  await writeFile(path, dump(config), { mode: 0o600 });
  return path;
}
