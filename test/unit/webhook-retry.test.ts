// kube's webhook retries (k8s.io/apiserver v1.32: pkg/util/webhook DefaultShouldRetry and
// WithExponentialBackoff, the token and authorization webhooks' DefaultRetryBackoff) and what
// client-go makes of a non-2xx answer (rest.Result.Error, apierrors.NewGenericServerResponse).
import { describe, expect, it } from 'vitest';
import { webhookResponseError, WebhookStatusError } from '../../src/server/webhook/response-error.js';
import { DEFAULT_WEBHOOK_RETRY_BACKOFF, shouldRetryWebhook, withExponentialBackoff } from '../../src/server/webhook/retry-backoff.js';
import { webhookTokenAuthenticator } from '../../src/auth/webhook/token-authenticator.js';
import { webhookAuthorizer } from '../../src/auth/webhook/authorizer.js';
import type { WebhookClient, WebhookResponse } from '../../src/server/webhook/kubeconfig-client.js';
import type { AuthorizationAttributes } from '../../src/auth/authorizer.js';

const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

/** A webhook client that plays its answers in order (the last one again and again). */
function scripted(answers: Array<WebhookResponse | Error>) {
  const calls: string[] = [];
  const client: WebhookClient = {
    server: 'https://webhook.example/review',
    async post(body) {
      calls.push(body);
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { client, calls };
}

function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): WebhookResponse => ({
  status,
  text: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const text = (status: number, body: string, headers: Record<string, string> = {}): WebhookResponse => ({ status, text: body, headers: { 'content-type': 'text/plain', ...headers } });

describe("client-go's error for a non-2xx answer", () => {
  it.each([
    [text(500, ' boom \n'), 500, 'InternalError', 'an error on the server ("boom") has prevented the request from succeeding', 0],
    [json(502, { oops: true }), 502, 'InternalError', 'an error on the server ("unknown") has prevented the request from succeeding', 0],
    [text(503, 'down'), 503, 'ServiceUnavailable', 'the server is currently unable to handle the request', 0],
    [text(503, 'down', { 'retry-after': '3' }), 503, 'ServiceUnavailable', 'the server is currently unable to handle the request', 3],
    [text(504, ''), 504, 'Timeout', 'the server was unable to return a response in the time allotted, but may still be processing the request', 0],
    [text(429, ''), 429, 'TooManyRequests', 'the server has received too many requests and has asked us to try again later', 0],
    [text(400, 'bad'), 400, 'BadRequest', 'the server rejected our request for an unknown reason', 0],
    [text(403, 'go away'), 403, 'Forbidden', 'go away', 0],
    [text(418, 'teapot'), 418, '', 'the server responded with the status code 418 but did not return more information', 0],
    [json(500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Conflict', message: 'busy', code: 409 }), 409, 'Conflict', 'busy', 0],
    [json(500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'ServerTimeout', message: 'later', code: 500, details: { retryAfterSeconds: 2 } }), 500, 'ServerTimeout', 'later', 2],
  ])('%#', (response, code, reason, message, retryAfter) => {
    const err = webhookResponseError(response.status, response.text, response.headers);
    expect([err.code, err.reason, err.message, err.retryAfterSeconds]).toEqual([code, reason, message, retryAfter]);
  });
});

describe('which failures kube retries (DefaultShouldRetry)', () => {
  it.each([
    ['500', webhookResponseError(500, 'x'), true],
    ['502', webhookResponseError(502, 'x'), true],
    ['504', webhookResponseError(504, 'x'), true],
    ['429', webhookResponseError(429, 'x'), true],
    ['503 without Retry-After', webhookResponseError(503, 'x'), false],
    ['503 with Retry-After', webhookResponseError(503, 'x', { 'retry-after': '1' }), true],
    ['ServerTimeout Status', new WebhookStatusError(500, 'ServerTimeout', 'later'), true],
    ['400', webhookResponseError(400, 'x'), false],
    ['404', webhookResponseError(404, 'x'), false],
    ['connection reset', reset(), true],
    ['connection refused', refused(), false],
    ['a garbled answer', new Error('could not decode'), false],
  ])('%s', (_name, err, retried) => {
    expect(shouldRetryWebhook(err)).toBe(retried);
  });
});

describe('exponential backoff (DefaultRetryBackoff: 500 ms, ×1.5, jitter 0.2, 5 calls)', () => {
  it('calls at most five times, waiting 500, 750, 1125 and 1687.5 ms (plus up to 20 %), and answers the last error', async () => {
    for (const [dice, factor] of [[0, 1], [1, 1.2]] as const) {
      const { waits, sleep } = recordingSleep();
      let calls = 0;
      const failing = async () => {
        calls++;
        throw webhookResponseError(500, `attempt ${calls}`);
      };
      await expect(withExponentialBackoff(DEFAULT_WEBHOOK_RETRY_BACKOFF, failing, shouldRetryWebhook, { sleep, random: () => dice })).rejects.toThrow(
        'an error on the server ("attempt 5") has prevented the request from succeeding',
      );
      expect(calls).toBe(5);
      expect(waits).toEqual([500, 750, 1125, 1687.5].map((ms) => ms * factor));
    }
  });

  it('stops at once on an error kube does not retry, and returns the first success', async () => {
    const { waits, sleep } = recordingSleep();
    let calls = 0;
    await expect(
      withExponentialBackoff(DEFAULT_WEBHOOK_RETRY_BACKOFF, async () => {
        calls++;
        throw webhookResponseError(400, '');
      }, shouldRetryWebhook, { sleep }),
    ).rejects.toThrow('the server rejected our request for an unknown reason');
    expect([calls, waits]).toEqual([1, []]);

    let tries = 0;
    const answer = await withExponentialBackoff(DEFAULT_WEBHOOK_RETRY_BACKOFF, async () => {
      if (++tries < 3) throw reset();
      return 'ok';
    }, shouldRetryWebhook, { sleep, random: () => 0 });
    expect([answer, tries, waits]).toEqual(['ok', 3, [500, 750]]);
  });

  it('gives up early once the request is gone, with the last error', async () => {
    const controller = new AbortController();
    let calls = 0;
    const call = async () => {
      calls++;
      controller.abort();
      throw reset();
    };
    await expect(withExponentialBackoff(DEFAULT_WEBHOOK_RETRY_BACKOFF, call, shouldRetryWebhook, { signal: controller.signal, sleep: async () => {} })).rejects.toThrow('socket hang up');
    expect(calls).toBe(1);
  });
});

const tokenReviewAnswer = (username: string) => json(200, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', status: { authenticated: true, user: { username, groups: ['team'] } } });

describe('the token webhook retries as kube', () => {
  it('a webhook that fails once, then answers: the answer counts, after one wait of 500–600 ms', async () => {
    const { client, calls } = scripted([text(500, 'warming up'), tokenReviewAnswer('jane')]);
    const { waits, sleep } = recordingSleep();
    const authn = webhookTokenAuthenticator(client, { version: 'v1', apiAudiences: ['api'], sleep });
    expect(await authn.authenticateToken('tok')).toEqual({ user: { name: 'jane', groups: ['team'] }, audiences: ['api'] });
    expect(calls).toHaveLength(2);
    expect(calls[0]).toBe(calls[1]);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(500);
    expect(waits[0]).toBeLessThanOrEqual(600);
  });

  it('a reset connection is retried; a refused one, a 400 or a garbled answer is not', async () => {
    const resetOnce = scripted([reset(), tokenReviewAnswer('jane')]);
    const { sleep } = recordingSleep();
    expect((await webhookTokenAuthenticator(resetOnce.client, { version: 'v1', apiAudiences: [], sleep }).authenticateToken('tok'))?.user.name).toBe('jane');
    expect(resetOnce.calls).toHaveLength(2);

    for (const [answer, message] of [
      [refused(), 'Post "https://webhook.example/review": connect ECONNREFUSED 127.0.0.1:1'],
      [text(400, 'no'), 'the server rejected our request for an unknown reason'],
      [{ status: 200, text: 'not json' } as WebhookResponse, /could not decode the webhook's response/],
    ] as const) {
      const once = scripted([answer as WebhookResponse | Error, tokenReviewAnswer('jane')]);
      await expect(webhookTokenAuthenticator(once.client, { version: 'v1', apiAudiences: [], sleep }).authenticateToken('tok')).rejects.toThrow(message);
      expect(once.calls).toHaveLength(1);
    }
  });

  it('a webhook that keeps failing is asked five times, then the token fails', async () => {
    const { client, calls } = scripted([text(503, 'busy', { 'retry-after': '1' })]);
    const { waits, sleep } = recordingSleep();
    await expect(webhookTokenAuthenticator(client, { version: 'v1', apiAudiences: [], sleep }).authenticateToken('tok')).rejects.toThrow(
      'the server is currently unable to handle the request',
    );
    expect([calls.length, waits.length]).toEqual([5, 4]);
  });
});

describe('the authorization webhook retries as kube', () => {
  const attrs: AuthorizationAttributes = {
    user: { name: 'alice', groups: ['team'] },
    verb: 'get',
    isResourceRequest: true,
    namespace: 'default',
    apiGroup: '',
    apiVersion: 'v1',
    resource: 'configmaps',
    subresource: '',
    name: 'x',
    path: '/api/v1/namespaces/default/configmaps/x',
  } as AuthorizationAttributes;

  it('a webhook that fails once (429), then allows: Allow', async () => {
    const { client, calls } = scripted([text(429, ''), json(200, { status: { allowed: true, reason: 'fine' } })]);
    const { waits, sleep } = recordingSleep();
    const authz = webhookAuthorizer(client, { version: 'v1', authorizedTTLMs: 0, unauthorizedTTLMs: 0, sleep });
    expect(await authz.authorize(attrs)).toEqual({ decision: 'Allow', reason: 'fine' });
    expect([calls.length, waits.length]).toEqual([2, 1]);
  });

  it('a webhook that keeps failing: no opinion with the last error, after five calls', async () => {
    const { client, calls } = scripted([text(500, 'boom')]);
    const { sleep } = recordingSleep();
    const result = await webhookAuthorizer(client, { version: 'v1', authorizedTTLMs: 0, unauthorizedTTLMs: 0, sleep }).authorize(attrs);
    expect(result.decision).toBe('NoOpinion');
    expect(result.error?.message).toBe('an error on the server ("boom") has prevented the request from succeeding');
    expect(calls).toHaveLength(5);
  });
});
