// The conversion webhook client on its own: a webhook that hangs costs at most the timeout, and
// answers that break kube's rules are refused with kube's texts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertByWebhook } from '../../src/apiextensions/conversion/webhook.js';
import { startHttpsBackend, type HttpsBackend } from '../support/https-backend.js';
import { isStatusError } from '../../src/endpoints/status.js';

const obj = { apiVersion: 'x.example.com/v1', kind: 'Thing', metadata: { name: 'a', namespace: 'ns', uid: 'u1' }, spec: {} };

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (isStatusError(err)) {
      expect(err.code).toBe(500);
      return err.status.message ?? '';
    }
    throw err;
  }
  throw new Error('expected a failure');
}

describe('conversion webhook client', () => {
  let backend: HttpsBackend;
  beforeAll(async () => {
    backend = await startHttpsBackend(() => undefined);
  });
  afterAll(async () => backend.close());
  const config = (timeoutMs = 2000) => ({ clientConfig: { url: `${backend.url}/c`, caBundle: backend.caBundle }, conversionReviewVersions: ['v1'], timeoutMs });
  const answer = (build: (review: any) => unknown) => {
    backend.handler = (req, res) => res.end(JSON.stringify(build(JSON.parse(req.body))));
  };

  it('gives up on a webhook that does not answer within the timeout', async () => {
    backend.handler = () => undefined; // never answers
    const started = Date.now();
    const message = await failure(convertByWebhook(config(300), [obj], 'x.example.com/v2'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(message).toBe(`conversion webhook for x.example.com/v1, Kind=Thing failed: Post "${backend.url}/c?timeout=30s": context deadline exceeded`);
  });

  it('refuses answers that change identity or return the wrong count', async () => {
    const ok = (review: any, objects: unknown[]) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid: review.request.uid, convertedObjects: objects, result: { status: 'Success' } } });
    answer((r) => ok(r, []));
    expect(await failure(convertByWebhook(config(), [obj], 'x.example.com/v2'))).toBe('conversion webhook for x.example.com/v1, Kind=Thing returned 0 objects, expected 1');
    answer((r) => ok(r, [{ ...obj, apiVersion: 'x.example.com/v3' }]));
    expect(await failure(convertByWebhook(config(), [obj], 'x.example.com/v2'))).toBe(
      'conversion webhook for x.example.com/v1, Kind=Thing returned invalid converted object at index 0: invalid groupVersion (expected x.example.com/v2, received x.example.com/v3)',
    );
    answer((r) => ok(r, [{ ...obj, apiVersion: 'x.example.com/v2', metadata: { ...obj.metadata, name: 'b' } }]));
    expect(await failure(convertByWebhook(config(), [obj], 'x.example.com/v2'))).toBe(
      'conversion webhook for x.example.com/v1, Kind=Thing returned invalid converted object at index 0: must have the same name: a != b',
    );
    answer((r) => ok(r, [{ ...obj, apiVersion: 'x.example.com/v2', metadata: { ...obj.metadata, labels: { 'bad key!': 'x' } } }]));
    expect(await failure(convertByWebhook(config(), [obj], 'x.example.com/v2'))).toMatch(
      /^conversion webhook for x\.example\.com\/v1, Kind=Thing returned invalid metadata in object at index 0: metadata\.labels: Invalid value: "bad key!": name part must consist of/,
    );
  });

  it('sends nothing when every object is already in the desired version', async () => {
    const before = backend.requests.length;
    expect(await convertByWebhook(config(), [obj], 'x.example.com/v1')).toEqual([obj]);
    expect(backend.requests.length).toBe(before);
  });
});
