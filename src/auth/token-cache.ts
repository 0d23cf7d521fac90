// kube's cached token authenticator (k8s.io/apiserver/pkg/authentication/token/cache): answers are
// kept per (token, requested audiences) under an HMAC-SHA256 key with a random secret, so the cache
// holds no token and its keys cannot be precomputed. Successes live for successTTL, "not mine"
// answers for failureTTL (0: not cached); errors are cached as failures only with cacheErrors.
// Concurrent lookups of one key share one call. Warnings and audit annotations are part of the
// result, so a cache hit replays them as kube's cache does.
import { createHmac, randomBytes } from 'node:crypto';
import type { AuthenticationResult } from './authenticator.js';
import type { TokenAuthenticator } from './token-authenticator.js';
import { asError } from './aggregate-error.js';

export interface TokenCacheOptions {
  successTTLMs: number;
  failureTTLMs: number;
  /** kube's cacheErrs: whether an error counts as a failure that may be cached. */
  cacheErrors: boolean;
  now?: () => number;
  /** Entries kept at most; the oldest go first (kube: 32 stripes of expiring caches). */
  maxEntries?: number;
}

interface CacheRecord {
  result: AuthenticationResult | null;
  error?: Error;
}

const DEFAULT_MAX_ENTRIES = 32 * 1024;

function lengthPrefixed(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

export function cachedTokenAuthenticator(inner: TokenAuthenticator, options: TokenCacheOptions): TokenAuthenticator {
  const { successTTLMs, failureTTLMs, cacheErrors } = options;
  if (successTTLMs <= 0 && failureTTLMs <= 0) return inner;
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const secret = randomBytes(32);
  const entries = new Map<string, { record: CacheRecord; expires: number }>();
  const inflight = new Map<string, Promise<CacheRecord>>();

  const keyOf = (token: string, audiences: string[] | undefined): string => {
    const hmac = createHmac('sha256', secret).update(lengthPrefixed(token));
    const count = Buffer.alloc(4);
    count.writeUInt32BE(audiences?.length ?? 0);
    hmac.update(count);
    for (const audience of audiences ?? []) hmac.update(lengthPrefixed(audience));
    return hmac.digest('base64');
  };

  const store = (key: string, record: CacheRecord, ttlMs: number) => {
    if (ttlMs <= 0) return;
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(key, { record, expires: now() + ttlMs });
  };

  const lookup = async (key: string, token: string, audiences: string[] | undefined): Promise<CacheRecord> => {
    let record: CacheRecord;
    try {
      record = { result: await inner.authenticateToken(token, audiences) };
    } catch (err) {
      record = { result: null, error: asError(err) };
    }
    if (record.error && !cacheErrors) return record;
    store(key, record, record.result ? successTTLMs : failureTTLMs);
    return record;
  };

  return {
    async authenticateToken(token, audiences) {
      const key = keyOf(token, audiences);
      let record: CacheRecord | undefined;
      const hit = entries.get(key);
      if (hit && hit.expires > now()) record = hit.record;
      else {
        if (hit) entries.delete(key);
        let pending = inflight.get(key);
        if (!pending) {
          pending = lookup(key, token, audiences).finally(() => inflight.delete(key));
          inflight.set(key, pending);
        }
        record = await pending;
      }
      if (record.error) throw record.error;
      return record.result;
    },
  };
}
