// kube's cached token authenticator (k8s.io/apiserver/pkg/authentication/token/cache, v1.32) and
// how kube-apiserver uses it: the token union behind tokencache.New(union, true, 10s, 0), the
// webhook behind tokencache.New(webhook, false, ttl, ttl).
import { describe, expect, it } from 'vitest';
import { cachedTokenAuthenticator } from '../../src/auth/token-cache.js';
import type { TokenAuthenticator } from '../../src/auth/token-authenticator.js';
import type { AuthenticationResult } from '../../src/auth/authenticator.js';

function counting(answer: (token: string, audiences?: string[]) => AuthenticationResult | null | Promise<AuthenticationResult | null>) {
  const calls: Array<{ token: string; audiences?: string[] }> = [];
  const inner: TokenAuthenticator = {
    async authenticateToken(token, audiences) {
      calls.push({ token, audiences });
      return answer(token, audiences);
    },
  };
  return { inner, calls };
}

const alice: AuthenticationResult = { user: { name: 'alice', groups: ['dev'] }, audiences: ['api'], warnings: ['careful'], auditAnnotations: { 'authentication.k8s.io/legacy-token': 'alice' } };

describe('cached token authenticator', () => {
  it('keeps a success for its TTL (the same answer, warnings and annotations included), then asks again', async () => {
    let t = 0;
    const { inner, calls } = counting(() => alice);
    const cached = cachedTokenAuthenticator(inner, { successTTLMs: 10_000, failureTTLMs: 0, cacheErrors: true, now: () => t });
    expect(await cached.authenticateToken('tok')).toEqual(alice);
    t = 9_999;
    expect(await cached.authenticateToken('tok')).toEqual(alice);
    expect(calls).toHaveLength(1);
    t = 10_000;
    expect(await cached.authenticateToken('tok')).toEqual(alice);
    expect(calls).toHaveLength(2);
  });

  it('a success that turns into a failure is seen once the TTL is over (an account deleted meanwhile)', async () => {
    let t = 0;
    let valid = true;
    const { inner } = counting(() => {
      if (!valid) throw new Error('service account default/robot has been deleted');
      return alice;
    });
    const cached = cachedTokenAuthenticator(inner, { successTTLMs: 10_000, failureTTLMs: 0, cacheErrors: true, now: () => t });
    await cached.authenticateToken('tok');
    valid = false;
    t = 5_000;
    expect(await cached.authenticateToken('tok')).toEqual(alice);
    t = 10_001;
    await expect(cached.authenticateToken('tok')).rejects.toThrow('service account default/robot has been deleted');
  });

  it('with failureTTL 0 (kube-apiserver\'s), neither "not mine" nor errors are kept', async () => {
    const { inner, calls } = counting((token) => {
      if (token === 'bad') throw new Error('invalid');
      return null;
    });
    const cached = cachedTokenAuthenticator(inner, { successTTLMs: 10_000, failureTTLMs: 0, cacheErrors: true });
    expect(await cached.authenticateToken('unknown')).toBeNull();
    expect(await cached.authenticateToken('unknown')).toBeNull();
    await expect(cached.authenticateToken('bad')).rejects.toThrow('invalid');
    await expect(cached.authenticateToken('bad')).rejects.toThrow('invalid');
    expect(calls).toHaveLength(4);
  });

  it('keeps refusals for failureTTL; errors too only with cacheErrors (the webhook\'s cache keeps none)', async () => {
    const answer = (token: string) => {
      if (token === 'down') throw new Error('webhook down');
      return null;
    };
    const webhook = counting(answer);
    const webhookCache = cachedTokenAuthenticator(webhook.inner, { successTTLMs: 120_000, failureTTLMs: 120_000, cacheErrors: false });
    await webhookCache.authenticateToken('refused');
    await webhookCache.authenticateToken('refused');
    await expect(webhookCache.authenticateToken('down')).rejects.toThrow('webhook down');
    await expect(webhookCache.authenticateToken('down')).rejects.toThrow('webhook down');
    expect(webhook.calls.map((c) => c.token)).toEqual(['refused', 'down', 'down']);

    const strict = counting(answer);
    const strictCache = cachedTokenAuthenticator(strict.inner, { successTTLMs: 1_000, failureTTLMs: 1_000, cacheErrors: true });
    await expect(strictCache.authenticateToken('down')).rejects.toThrow('webhook down');
    await expect(strictCache.authenticateToken('down')).rejects.toThrow('webhook down');
    expect(strict.calls).toHaveLength(1);
  });

  it('keys on the requested audiences too, and passes them on', async () => {
    const { inner, calls } = counting((_t, audiences) => ({ user: { name: 'alice', groups: [] }, audiences }));
    const cached = cachedTokenAuthenticator(inner, { successTTLMs: 10_000, failureTTLMs: 0, cacheErrors: true });
    expect((await cached.authenticateToken('tok', ['vault']))?.audiences).toEqual(['vault']);
    expect((await cached.authenticateToken('tok', ['api']))?.audiences).toEqual(['api']);
    expect((await cached.authenticateToken('tok'))?.audiences).toBeUndefined();
    expect((await cached.authenticateToken('tok', ['vault']))?.audiences).toEqual(['vault']);
    // "ab"+"c" and "a"+"bc" are different keys (length prefixes).
    await cached.authenticateToken('tok', ['ab', 'c']);
    await cached.authenticateToken('tok', ['a', 'bc']);
    expect(calls.map((c) => c.audiences)).toEqual([['vault'], ['api'], undefined, ['ab', 'c'], ['a', 'bc']]);
  });

  it('concurrent lookups of one token share one call', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { inner, calls } = counting(async () => {
      await gate;
      return alice;
    });
    const cached = cachedTokenAuthenticator(inner, { successTTLMs: 10_000, failureTTLMs: 0, cacheErrors: true });
    const all = Promise.all([1, 2, 3].map(() => cached.authenticateToken('tok')));
    release();
    expect(await all).toEqual([alice, alice, alice]);
    expect(calls).toHaveLength(1);
  });

  it('a TTL of 0 on both sides is no cache at all', async () => {
    const { inner } = counting(() => alice);
    expect(cachedTokenAuthenticator(inner, { successTTLMs: 0, failureTTLMs: 0, cacheErrors: true })).toBe(inner);
  });

  it('drops the oldest entry when full', async () => {
    const { inner, calls } = counting(() => alice);
    const cached = cachedTokenAuthenticator(inner, { successTTLMs: 10_000, failureTTLMs: 0, cacheErrors: true, maxEntries: 2 });
    for (const token of ['a', 'b', 'c', 'c', 'b', 'a']) await cached.authenticateToken(token);
    expect(calls.map((c) => c.token)).toEqual(['a', 'b', 'c', 'a']);
  });
});
