// The availability controller's discovery check (kube-aggregator's remote availability controller):
// GET /apis/<group>/<version> (/api/v1 for "v1.") on the resolved backend with the proxy client
// certificate, as system:kube-aggregator in system:masters, TLS not verified, 5 s timeout, five
// attempts at once; one success is enough. Errors read as Go's http client words them.
import https from 'node:https';
import type { KeyPairPem } from '../server/serving/certs.js';
import { dialErrorText } from './proxy/handler.js';

const ATTEMPTS = 5;
const TIMEOUT_MS = 5000;

function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function discoveryPath(name: string, group: string, version: string): string {
  return name === 'v1.' ? `/api/${version}` : `/apis/${group}/${version}`;
}

function attempt(url: string, host: string, port: number, client: KeyPairPem): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        cert: client.certPem,
        key: client.keyPem,
        rejectUnauthorized: false,
        agent: false,
        timeout: TIMEOUT_MS,
        headers: { 'X-Remote-User': 'system:kube-aggregator', 'X-Remote-Group': 'system:masters' },
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        if (code < 200 || code >= 300) reject(new Error(`bad status from ${url}: ${code}`));
        else resolve();
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`), { code: 'KUBE_TIMEOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'KUBE_TIMEOUT' || err.message.startsWith('bad status')) reject(err);
      else reject(new Error(`Get "${url}": ${dialErrorText(err, host, port)}`));
    });
  });
}

/** Resolves when the backend answers 2xx; otherwise rejects with kube's "failing or missing response" error. */
export async function checkDiscovery(host: string, port: number, path: string, client: KeyPairPem): Promise<void> {
  const url = `https://${hostPort(host, port)}${path}`;
  const results = await Promise.allSettled(Array.from({ length: ATTEMPTS }, () => attempt(url, host, port, client)));
  if (results.some((r) => r.status === 'fulfilled')) return;
  const last = results[results.length - 1] as PromiseRejectedResult;
  const message = last.reason instanceof Error ? last.reason.message : String(last.reason);
  throw new Error(`failing or missing response from ${url}: ${message}`);
}
