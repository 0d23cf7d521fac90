// Continue tokens in kube-apiserver's format (k8s.io/apiserver/pkg/storage/continue.go):
// base64url (no padding) of {"v":"meta.k8s.io/v1","rv":N,"start":"<key relative to the prefix>"}.
// A page ends after its last key, so the next one starts at that key + "\0" (PrepareContinueToken).
// rv < 0 means "continue at the latest revision" (the token kube hands out with a 410 once the
// snapshot is compacted). Decoding errors carry the messages Go's base64 and encoding/json give.
import { posix } from 'node:path';
import { goJsonSyntaxError } from '../endpoints/negotiation/go-json.js';

const API_VERSION = 'meta.k8s.io/v1';
const INVALID = 'continue key is not valid';

export class InvalidContinueError extends Error {}

/** kube's EncodeContinue: `key` relative to `keyPrefix`, at `revision` (-1: the latest). */
export function encodeContinue(key: string, keyPrefix: string, revision: number): string {
  if (!key.startsWith(keyPrefix) || key === keyPrefix) {
    throw new Error('unable to encode next field: the key and key prefix do not match');
  }
  const token = { v: API_VERSION, rv: revision, start: key.slice(keyPrefix.length) };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** The token for the page after the one that ended with `lastKey`. */
export function continueAfter(lastKey: string, keyPrefix: string, revision: number): string {
  return encodeContinue(`${lastKey}\u0000`, keyPrefix, revision);
}

const BASE64URL = /^[A-Za-z0-9_-]$/;

/** Go's base64.RawURLEncoding.DecodeString, with its CorruptInputError offsets (it skips \r and \n). */
function decodeBase64(value: string): Buffer {
  let valid = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\n' || c === '\r') continue;
    if (!BASE64URL.test(c)) throw new InvalidContinueError(`${INVALID}: illegal base64 data at input byte ${i}`);
    valid++;
  }
  // A lone character in the last quantum cannot make a byte.
  if (valid % 4 === 1) throw new InvalidContinueError(`${INVALID}: illegal base64 data at input byte ${value.length - 1}`);
  return Buffer.from(value.replace(/[\r\n]/g, ''), 'base64url');
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value === 'boolean' ? 'bool' : (typeof value as string);
}

interface TokenFields {
  v: string;
  rv: number;
  start: string;
}

/** encoding/json into kube's continueToken struct: fields matched case-insensitively, nulls ignored,
 *  the first type mismatch reported after the whole value is read (as Go does). */
function unmarshalToken(data: Buffer): TokenFields {
  const syntax = goJsonSyntaxError(data);
  if (syntax) throw new InvalidContinueError(`${INVALID}: ${syntax}`);
  const parsed: unknown = JSON.parse(data.toString('utf8'));
  const fields: TokenFields = { v: '', rv: 0, start: '' };
  if (parsed === null) return fields;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidContinueError(`${INVALID}: json: cannot unmarshal ${jsonKind(parsed)} into Go value of type storage.continueToken`);
  }
  let firstError: string | undefined;
  const mismatch = (value: unknown, field: string, type: string, shown = jsonKind(value)) => {
    firstError ??= `json: cannot unmarshal ${shown} into Go struct field continueToken.${field} of type ${type}`;
  };
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    const field = name.toLowerCase();
    if (value === null || (field !== 'v' && field !== 'rv' && field !== 'start')) continue;
    if (field === 'rv') {
      if (typeof value !== 'number') mismatch(value, 'rv', 'int64');
      else if (!Number.isSafeInteger(value)) mismatch(value, 'rv', 'int64', `number ${value}`);
      else fields.rv = value;
    } else if (typeof value !== 'string') mismatch(value, field, 'string');
    else fields[field] = value;
  }
  if (firstError) throw new InvalidContinueError(`${INVALID}: ${firstError}`);
  return fields;
}

/** Returns the absolute key to resume from and the snapshot revision (< 0: the latest); throws InvalidContinueError. */
export function decodeContinue(value: string, keyPrefix: string): { fromKey: string; revision: number } {
  const { v, rv, start } = unmarshalToken(decodeBase64(value));
  if (v !== API_VERSION) {
    throw new InvalidContinueError(`${INVALID}: server does not recognize this encoded version ${v}`);
  }
  if (rv === 0) throw new InvalidContinueError(`${INVALID}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`);
  if (start.length === 0) throw new InvalidContinueError(`${INVALID}: encoded start key empty (version meta.k8s.io/v1)`);
  // Path cleaning keeps a client from ranging above the prefix (kube's defence against traversal).
  const key = start.startsWith('/') ? start : `/${start}`;
  if (cleanPath(key) !== key) throw new InvalidContinueError(`${INVALID}: ${start}`);
  return { fromKey: keyPrefix + key.slice(1), revision: rv };
}

/** Go's path.Clean for a rooted path: no trailing slash (but for "/"), no "." or "..", no "//". */
function cleanPath(key: string): string {
  const cleaned = posix.normalize(key);
  return cleaned.length > 1 && cleaned.endsWith('/') ? cleaned.slice(0, -1) : cleaned;
}
