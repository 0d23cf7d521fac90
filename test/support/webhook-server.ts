// An HTTPS admission webhook server for tests: its own CA (handed out as a caBundle), a handler per
// path that gets the AdmissionReview and returns the response fields (or never answers).
import type { ServerResponse } from 'node:http';
import { startHttpsBackend } from './https-backend.js';
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
  const hanging = new Set<ServerResponse>();
  const backend = await startHttpsBackend(async (req, res) => {
    const path = new URL(req.url || '/', 'https://x').pathname;
    const review = JSON.parse(req.body);
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
  }, 0, { caPem: ca.certPem, certPem: serving.certPem, keyPem: serving.keyPem });
  return {
    url: (path) => `${backend.url}${path}`,
    caBundle: backend.caBundle,
    received,
    handle: (path, handler) => handlers.set(path, handler),
    async close() {
      for (const res of hanging) res.destroy();
      await backend.close();
    },
  };
}
