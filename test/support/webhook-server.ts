// An HTTPS admission webhook server for tests: its own CA (handed out as a caBundle), a handler per
// path that gets the AdmissionReview and returns the response fields (or never answers).
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateCA, issueCert } from '../../src/server/serving/certs.js';

export interface ReviewRequest {
  uid: string;
  [key: string]: any;
}

/** Returns the response fields (uid and allowed are filled in unless given), or 'hang' to never answer. */
export type ReviewHandler = (request: ReviewRequest, review: any) => Record<string, unknown> | 'hang' | Promise<Record<string, unknown> | 'hang'>;

export interface WebhookServer {
  url(path: string): string;
  caBundle: string;
  /** Every AdmissionReview received, by path. */
  received: Map<string, any[]>;
  handle(path: string, handler: ReviewHandler): void;
  close(): Promise<void>;
}

export async function startWebhookServer(): Promise<WebhookServer> {
  const ca = await generateCA('webhook-test-ca');
  const serving = await issueCert(ca, { subject: { commonName: 'webhook' }, usage: 'server', dnsNames: ['localhost', 'hook.default.svc'], ipAddresses: ['127.0.0.1'] });
  const handlers = new Map<string, ReviewHandler>();
  const received = new Map<string, any[]>();
  const hanging = new Set<import('node:http').ServerResponse>();
  const server = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = new URL(req.url ?? '/', 'https://x').pathname;
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      review.url = req.url;
      if (!received.has(path)) received.set(path, []);
      received.get(path)!.push(review);
      const handler = handlers.get(path);
      const answer = handler ? await handler(review.request, review) : { allowed: true };
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true, ...answer } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path) => `https://127.0.0.1:${port}${path}`,
    caBundle: Buffer.from(ca.certPem).toString('base64'),
    received,
    handle: (path, handler) => handlers.set(path, handler),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
