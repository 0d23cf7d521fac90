// The admin kubeconfig: everything kubectl needs to reach and trust the server, inline.
import { writeFile, rename } from 'node:fs/promises';
import { isIPv6 } from 'node:net';
import { dump } from 'js-yaml';
import type { ServingMaterial } from './serving-material.js';

/** The URL a local client uses: a wildcard bind address is reached on loopback. */
export function clientURL(bindAddress: string, port: number): string {
  let host = bindAddress;
  if (host === '0.0.0.0' || host === '') host = '127.0.0.1';
  if (host === '::') host = '::1';
  return `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

const b64 = (pem: string) => Buffer.from(pem).toString('base64');

export function renderKubeconfig(url: string, material: ServingMaterial): string {
  const user: Record<string, string> = {};
  if (material.admin) {
    user['client-certificate-data'] = b64(material.admin.certPem);
    user['client-key-data'] = b64(material.admin.keyPem);
  }
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kube-chain', cluster: { server: url, 'certificate-authority-data': b64(material.servingCAPem) } }],
    users: [{ name: 'kube-chain-admin', user }],
    contexts: [{ name: 'kube-chain', context: { cluster: 'kube-chain', user: 'kube-chain-admin', namespace: 'default' } }],
    'current-context': 'kube-chain',
    preferences: {},
  };
  return dump(config, { lineWidth: -1 });
}

/** Written atomically so that a reader never sees half a file. */
export async function writeKubeconfig(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, path);
}
