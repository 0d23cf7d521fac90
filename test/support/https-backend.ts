// A throwaway HTTPS server for tests that play the part of a webhook or an external server: its own
// CA and a serving certificate for 127.0.0.1 and localhost; every request is recorded.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { generateCA, issueCert } from '../../src/server/serving/certs.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type BackendHandler = (req: RecordedRequest, res: ServerResponse) => unknown;

export interface HttpsBackend {
  url: string;
  port: number;
  /** The CA's PEM, base64-encoded as API objects carry a caBundle. */
  caBundle: string;
  caPem: string;
  requests: RecordedRequest[];
  handler: BackendHandler;
  close(): Promise<void>;
}

/** Starts the backend on `port` (0: any free port); `handler` may be swapped later through the returned object. */
export async function startHttpsBackend(handler: BackendHandler, port = 0, material?: { caPem: string; certPem: string; keyPem: string }): Promise<HttpsBackend> {
  let tls = material;
  if (!tls) {
    const ca = await generateCA('test-backend-ca');
    const leaf = await issueCert(ca, { subject: { commonName: 'test-backend' }, usage: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
    tls = { caPem: ca.certPem, certPem: leaf.certPem, keyPem: leaf.keyPem };
  }
  const backend = { requests: [] as RecordedRequest[], handler } as HttpsBackend;
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      backend.requests.push(recorded);
      Promise.resolve(backend.handler(recorded, res)).catch((err: Error) => {
        res.statusCode = 500;
        res.end(err.message);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  const sockets = new Set<import('node:stream').Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return Object.assign(backend, {
    url: `https://127.0.0.1:${actual}`,
    port: actual,
    caPem: tls.caPem,
    caBundle: Buffer.from(tls.caPem).toString('base64'),
    material: tls,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}
