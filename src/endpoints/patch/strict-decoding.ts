// What kube-apiserver checks in a patch body when fieldValidation is Strict or Warn
// (handlers/patch.go with sigs.k8s.io/json UnmarshalStrict): duplicate fields anywhere in the body and,
// for JSON patch, operation fields other than op/path/from/value. The texts are kjson's:
// `duplicate field "metadata.labels.a"`, `unknown field "[0].extra"` (keys joined by ".", indices as
// "[i]"), prefixed "json patch " for JSON patch. A body kjson cannot decode is a 400 here, with
// "error decoding patch: " before the error for JSON and merge patches.
//
// The caller combines these with the unknown fields found when decoding the patched object, as kube does:
// Strict → 422 Invalid on field "patch" with detail "strict decoding error: <errors, comma-separated>";
// Warn → one warning per error.

import { newBadRequest } from '../status.js';
import type { PatchType } from './content-type.js';
import { decodeJsonLikeGo, goJsonValueKind, goQuote, goUnmarshalTypeError } from './go-json.js';
import { isJsonObject, type JsonValue } from './json-value.js';

const JSON_PATCH_OP_FIELDS = new Set(['op', 'path', 'from', 'value']);
const MAX_STRICT_ERRORS = 100;

/** The strict decoding errors of a patch body; throws the 400 kube answers when the body does not decode. */
export function patchStrictErrors(type: PatchType, body: Buffer | string): string[] {
  if (type === 'apply') return [];
  const prefix = type === 'strategic' ? '' : 'error decoding patch: ';
  const decoded = decodeJsonLikeGo(body);
  if (!decoded.ok) throw newBadRequest(prefix + decoded.message);
  const typeError = type === 'json' ? jsonPatchTypeError(decoded.value) : mapTypeError(decoded.value);
  if (typeError) throw newBadRequest(prefix + typeError);
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const errors = new StrictScanner(text, type === 'json').scan();
  return type === 'json' ? errors.map((e) => `json patch ${e}`) : errors;
}

function mapTypeError(value: JsonValue): string | undefined {
  return value === null || isJsonObject(value) ? undefined : goUnmarshalTypeError(value, 'map[string]interface {}');
}

/** Decoding into []handlers.jsonPatchOp{Op, Path, From string; Value interface{}}. */
function jsonPatchTypeError(value: JsonValue): string | undefined {
  if (value === null) return undefined;
  if (!Array.isArray(value)) return goUnmarshalTypeError(value, '[]handlers.jsonPatchOp');
  for (const op of value) {
    if (op === null) continue;
    if (!isJsonObject(op)) return goUnmarshalTypeError(op, 'handlers.jsonPatchOp');
    for (const field of ['op', 'path', 'from']) {
      const v = op[field];
      if (v !== undefined && v !== null && typeof v !== 'string') {
        return `json: cannot unmarshal ${goJsonValueKind(v)} into Go struct field jsonPatchOp.${field} of type string`;
      }
    }
  }
  return undefined;
}

/** Walks valid JSON text, tracking kjson's field path, and records duplicate (and unknown op) fields. */
class StrictScanner {
  private pos = 0;
  private readonly errors: string[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly jsonPatch: boolean,
  ) {}

  scan(): string[] {
    this.value([], 0);
    return this.errors;
  }

  private record(kind: 'duplicate field' | 'unknown field', path: string[], field: string): void {
    const full = path.length > 0 ? `${path.join('')}.${field}` : field;
    const text = `${kind} ${goQuote(full)}`;
    if (this.seen.has(text) || this.errors.length >= MAX_STRICT_ERRORS) return;
    this.seen.add(text);
    this.errors.push(text);
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  /** depth 1 inside a JSON patch is an operation object: its fields are checked against jsonPatchOp. */
  private value(path: string[], depth: number): void {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === '{') this.object(path, depth);
    else if (c === '[') this.array(path, depth);
    else if (c === '"') this.string();
    else while (this.pos < this.text.length && !/[\s,\]}]/.test(this.text[this.pos])) this.pos++;
  }

  private object(path: string[], depth: number): void {
    const opFields = this.jsonPatch && depth === 1;
    this.pos++;
    const keys = new Set<string>();
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') break;
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      const key = JSON.parse(this.string()) as string;
      if (keys.has(key)) this.record('duplicate field', path, key);
      else if (opFields && !JSON_PATCH_OP_FIELDS.has(key)) this.record('unknown field', path, key);
      keys.add(key);
      this.skipSpace();
      this.pos++; // ':'
      this.value(path.length > 0 ? [...path, '.', key] : [key], depth + 1);
    }
    this.pos++;
  }

  private array(path: string[], depth: number): void {
    this.pos++;
    let index = 0;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === ']') break;
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      this.value([...path, '[', String(index), ']'], depth + 1);
      index++;
    }
    this.pos++;
  }

  /** Consumes a string token and returns its raw text (quotes included). */
  private string(): string {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    this.pos++;
    return this.text.slice(start, this.pos);
  }
}
