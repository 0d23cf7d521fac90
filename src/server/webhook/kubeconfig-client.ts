// The client a kubeconfig file describes, for the webhooks kube-apiserver calls out to (audit, and any
// other "--*-config-file" webhook): the current context's cluster (server, CA, TLS server name,
// insecure-skip-tls-verify) and user (client certificate and key, bearer token or token file, basic
// auth). Relative file paths are relative to the kubeconfig's directory, as clientcmd resolves them.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { load as loadYAML } from 'js-yaml';

export interface WebhookResponse {
  status: number;
  text: string;
  /** The response headers (lower-case names), e.g. content-type and retry-after. */
  headers?: http.IncomingHttpHeaders;
}

export interface WebhookClient {
  server: string;
  post(body: string, timeoutMs: number): Promise<WebhookResponse>;
}

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const named = (list: unknown, name: string | undefined, field: string): Json | undefined => {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const found = name ? list.find((e) => record(e).name === name) : list[0];
  return found ? record(record(found)[field]) : undefined;
};

export function loadKubeconfigClient(file: string): WebhookClient {
  const config = record(loadYAML(readFileSync(file, 'utf8')));
  const base = dirname(file);
  const resolve = (p: unknown) => (typeof p === 'string' && p ? (isAbsolute(p) ? p : join(base, p)) : undefined);
  const contextName = typeof config['current-context'] === 'string' ? config['current-context'] : undefined;
  const context = named(config.contexts, contextName, 'context') ?? {};
  const cluster = named(config.clusters, context.cluster as string | undefined, 'cluster');
  const user = named(config.users, context.user as string | undefined, 'user') ?? {};
  if (!cluster || typeof cluster.server !== 'string' || !cluster.server) {
    throw new Error(`invalid configuration: no server found for cluster in ${file}`);
  }
  const pem = (data: unknown, path: unknown): string | undefined => {
    if (typeof data === 'string' && data) return Buffer.from(data, 'base64').toString('utf8');
    const resolved = resolve(path);
    return resolved ? readFileSync(resolved, 'utf8') : undefined;
  };
  const ca = pem(cluster['certificate-authority-data'], cluster['certificate-authority']);
  const cert = pem(user['client-certificate-data'], user['client-certificate']);
  const key = pem(user['client-key-data'], user['client-key']);
  const tokenFile = resolve(user.tokenFile);
  const token = typeof user.token === 'string' && user.token ? user.token : tokenFile ? readFileSync(tokenFile, 'utf8').trim() : undefined;
  const basic = typeof user.username === 'string' ? `${user.username}:${typeof user.password === 'string' ? user.password : ''}` : undefined;
  const url = new URL(cluster.server);
  const insecure = cluster['insecure-skip-tls-verify'] === true;
  const servername = typeof cluster['tls-server-name'] === 'string' ? cluster['tls-server-name'] : undefined;

  const post = (body: string, timeoutMs: number): Promise<WebhookResponse> =>
    new Promise((resolvePost, reject) => {
      const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(Buffer.byteLength(body)) };
      if (token) headers.Authorization = `Bearer ${token}`;
      else if (basic) headers.Authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
      const options: https.RequestOptions = { method: 'POST', headers, timeout: timeoutMs, agent: false };
      const onResponse = (res: http.IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolvePost({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      };
      const req =
        url.protocol === 'https:'
          ? https.request(url, { ...options, ca, cert, key, rejectUnauthorized: !insecure, servername }, onResponse)
          : http.request(url, options, onResponse);
      req.on('timeout', () => req.destroy(new Error(`Post "${cluster.server}": context deadline exceeded`)));
      req.on('error', reject);
      req.end(body);
    });
  return { server: cluster.server, post };
}
