// kube's cached token authenticator (pkg/authentication/token/cache) around the webhook: answers are
// kept per token (by its SHA-256, never the token itself) and audiences for the TTL; successes and
// "not authenticated" answers are cached, errors (the webhook down) are not. Concurrent lookups of
// one token share one call.
import { createHash } from 'node:crypto';
import type { AuthenticationResult } from '../authenticator.js';
import type { TokenAuthenticator } from '../token-authenticator.js';

interface Entry {
  result: AuthenticationResult | null;
  expires: number;
}

const MAX_ENTRIES = 4096;

export function cachedTokenAuthenticator(inner: TokenAuthenticator, ttlMs: number, now: () => number = Date.now): TokenAuthenticator {
  if (ttlMs <= 0) return inner;
  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<AuthenticationResult | null>>();
  return {
    async authenticateToken(token) {
      const key = createHash('sha256').update(token).digest('base64');
      const hit = entries.get(key);
      if (hit && hit.expires > now()) return hit.result;
      if (hit) entries.delete(key);
      let pending = inflight.get(key);
      if (!pending) {
        pending = Promise.resolve(inner.authenticateToken(token)).finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      const result = await pending;
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
      entries.set(key, { result, expires: now() + ttlMs });
      return result;
    },
  };
}
