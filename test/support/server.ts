// Starts kube-chain in-process for a test, with a fresh data directory, and gives HTTPS helpers
// that present the admin client certificate (or not).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import https from 'node:https';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/start.js';

export interface TestServer extends RunningServer {
  dataDir: string;
  /** A request as the admin (client certificate in system:masters). */
  request(method: string, path: string, opts?: RequestOptions): Promise<TestResponse>;
  /** A request without a client certificate. */
  anonymous(method: string, path: string, opts?: RequestOptions): Promise<TestResponse>;
  close(): Promise<void>;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  body?: string | Buffer;
  cert?: { certPem: string; keyPem: string };
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): any;
}

export function httpsRequest(url: string, method: string, path: string, ca: string, opts: RequestOptions = {}): Promise<TestResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        method,
        hostname: target.hostname,
        port: target.port,
        path,
        ca,
        cert: opts.cert?.certPem,
        key: opts.cert?.keyPem,
        headers: { ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}), ...opts.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

export async function startTestServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kube-chain-test-'));
  const server = await startServer({ securePort: 0, dataDir, ...options });
  const admin = { certPem: server.tls.adminCertPem!, keyPem: server.tls.adminKeyPem! };
  return {
    ...server,
    dataDir,
    request: (method, path, opts = {}) => httpsRequest(server.url, method, path, server.tls.caPem, { cert: admin, ...opts }),
    anonymous: (method, path, opts = {}) => httpsRequest(server.url, method, path, server.tls.caPem, opts),
    async close() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
