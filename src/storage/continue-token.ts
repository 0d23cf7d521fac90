// Continue tokens in kube-apiserver's format (k8s.io/apiserver/pkg/storage/continue.go):
// base64url (no padding) of {"v":"meta.k8s.io/v1","rv":N,"start":"<key relative to the prefix>"}.
import { posix } from 'node:path';

const API_VERSION = 'meta.k8s.io/v1';

export class InvalidContinueError extends Error {}

export function encodeContinue(nextKey: string, keyPrefix: string, revision: number): string {
  if (!nextKey.startsWith(keyPrefix) || nextKey === keyPrefix) {
    throw new Error('unable to encode next field: the key and key prefix do not match');
  }
  const token = { v: API_VERSION, rv: revision, start: nextKey.slice(keyPrefix.length) };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** Returns the absolute key to resume from and the snapshot revision; throws InvalidContinueError. */
export function decodeContinue(value: string, keyPrefix: string): { fromKey: string; revision: number } {
  // Go's RawURLEncoding rejects padding and characters outside the URL alphabet; Buffer would not.
  if (!/^[A-Za-z0-9_-]*$/.test(value)) {
    throw new InvalidContinueError('continue key is not valid: illegal base64 data');
  }
  let token: unknown;
  try {
    token = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch (err) {
    throw new InvalidContinueError(`continue key is not valid: ${(err as Error).message}`);
  }
  if (typeof token !== 'object' || token === null) {
    throw new InvalidContinueError('continue key is not valid');
  }
  const { v, rv, start } = token as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== API_VERSION) {
    throw new InvalidContinueError(`continue key is not valid: server does not recognize this encoded version ${String(v ?? '')}`);
  }
  if (typeof rv !== 'number' || !Number.isInteger(rv) || rv === 0) {
    throw new InvalidContinueError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof start !== 'string' || start.length === 0) {
    throw new InvalidContinueError('continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  }
  // Path cleaning keeps a client from ranging above the prefix (kube's defence against traversal).
  const key = start.startsWith('/') ? start : `/${start}`;
  if (posix.normalize(key) !== key || (key.length > 1 && key.endsWith('/'))) {
    throw new InvalidContinueError(`continue key is not valid: ${start}`);
  }
  return { fromKey: keyPrefix + key.slice(1), revision: rv };
}
