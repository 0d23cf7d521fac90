// RFC 6902 JSON patch (application/json-patch+json) with kube-apiserver's behaviour.
//
// kube applies JSON patches with gopkg.in/evanphx/json-patch.v4, which departs from the RFC in ways
// clients can observe, so this module decides what applies where exactly as that library does:
// - negative array indices count from the end (-1 is the last element; for add, -1 appends);
// - "replace" of a missing object key adds it; "copy" from a missing object key writes null;
// - "test" of a missing or null member passes when the value is null or absent;
// - a path without a leading "/" ("a/b") addresses "/b" (the first segment is ignored);
// - a null member cannot be traversed; array indices are Go's strconv.Atoi ("+1", "01" are 1).
// Every failure to apply is answered, as kube does, with a bare 422 Invalid whose message does not
// say what failed; malformed patch JSON is a 400 with Go's decoding error; more than 10,000
// operations is a 413; copies may add at most 3 MiB (kube's default JSONPatchMaxCopyBytes).
//
// The mutations themselves go through fast-json-patch (maintained, spec-complete, guards against
// prototype pollution): once the kube rules above have resolved an operation to a concrete RFC 6901
// pointer, fast-json-patch's applyOperation performs it.

import jsonPatchLibrary from 'fast-json-patch';
import { newBadRequest, newRequestEntityTooLarge } from '../status.js';
import { newBodyTypeError, newPatchedObjectNotAnObject, newPatchRejected } from './errors.js';
import { decodeJsonLikeGo } from './go-json.js';
import { cloneJson, hasOwn, isJsonObject, jsonEqual, type JsonObject, type JsonValue } from './json-value.js';

const { applyOperation, escapePathComponent } = jsonPatchLibrary;

/** k8s.io/apiserver/pkg/endpoints/handlers/patch.go maxJSONPatchOperations. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;
/** kube-apiserver's default JSONPatchMaxCopyBytes (k8s.io/apiserver/pkg/server/config.go). */
export const JSON_PATCH_MAX_COPY_BYTES = 3 * 1024 * 1024;

type Container = JsonObject | JsonValue[];

/** A resolved location: the container that holds the target, its pointer, and the (decoded) last token. */
interface Location {
  container: Container;
  pointer: string;
  key: string;
}

class ApplyFailure extends Error {}

export function applyJsonPatch(original: JsonObject, patchBody: Buffer | string): JsonObject {
  const operations = decodeOperations(patchBody);
  const result = new JsonPatchRun(cloneJson(original)).apply(operations);
  if (!isJsonObject(result)) throw newPatchedObjectNotAnObject(result);
  return result;
}

/** jsonpatch.DecodePatch: a JSON array (or null) of objects (or nulls). */
function decodeOperations(patchBody: Buffer | string): (JsonObject | null)[] {
  const decoded = decodeJsonLikeGo(patchBody);
  if (!decoded.ok) throw newBadRequest(decoded.message);
  const value = decoded.value;
  if (value === null) return [];
  if (!Array.isArray(value)) throw newBodyTypeError(value, 'jsonpatch.Patch');
  for (const item of value) {
    if (item !== null && !isJsonObject(item)) throw newBodyTypeError(item, 'jsonpatch.Operation');
  }
  if (value.length > MAX_JSON_PATCH_OPERATIONS) {
    throw newRequestEntityTooLarge(`The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${value.length}`);
  }
  return value as (JsonObject | null)[];
}

/** RFC 6901 token decoding as evanphx does it: "~1" → "/", then "~0" → "~", in one pass. */
function decodeToken(token: string): string {
  return token.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));
}

/** Go's strconv.Atoi for an array index; undefined when Go would fail. */
function goAtoi(text: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** The string field of an operation; undefined when absent or null (Go's nil *json.RawMessage). */
function stringField(op: JsonObject | null, name: string): string | undefined {
  if (op === null || !hasOwn(op, name) || op[name] === null) return undefined;
  const value = op[name];
  if (typeof value !== 'string') throw new ApplyFailure(`json: cannot unmarshal ${typeof value} into Go value of type string`);
  return value;
}

class JsonPatchRun {
  private copiedBytes = 0;

  constructor(private root: JsonValue) {}

  apply(operations: (JsonObject | null)[]): JsonValue {
    for (const op of operations) {
      const kind = op !== null && typeof op.op === 'string' ? op.op : 'unknown';
      try {
        this.applyOne(kind, op);
      } catch (err) {
        if (err instanceof ApplyFailure) throw newPatchRejected(err.message);
        // fast-json-patch refuses "__proto__" tokens with a TypeError; kube has no such key to patch.
        if (err instanceof TypeError) throw newPatchRejected(err.message);
        throw err;
      }
    }
    return this.root;
  }

  private applyOne(kind: string, op: JsonObject | null): void {
    switch (kind) {
      case 'add':
        return this.add(op);
      case 'remove':
        return this.remove(op);
      case 'replace':
        return this.replace(op);
      case 'move':
        return this.move(op);
      case 'copy':
        return this.copy(op);
      case 'test':
        return this.test(op);
      default:
        throw new ApplyFailure(`Unexpected kind: ${kind}`);
    }
  }

  private requirePath(op: JsonObject | null, kind: string): string {
    const path = stringField(op, 'path');
    if (path === undefined) throw new ApplyFailure(`${kind} operation failed to decode path: missing value`);
    return path;
  }

  private requireFrom(op: JsonObject | null, kind: string): string {
    const from = stringField(op, 'from');
    if (from === undefined) throw new ApplyFailure(`${kind} operation failed to decode from: operation, missing from field: missing value`);
    return from;
  }

  /** The operation's value; null when absent, as evanphx stores a nil node that marshals to null. */
  private value(op: JsonObject | null): JsonValue {
    return op !== null && hasOwn(op, 'value') ? op.value : null;
  }

  private add(op: JsonObject | null): void {
    const path = this.requirePath(op, 'add');
    const location = this.findObject(path);
    if (!location) throw new ApplyFailure(`add operation does not apply: doc is missing path: "${path}": missing value`);
    this.insert(location, this.value(op), `error in add for path: '${path}'`);
  }

  private remove(op: JsonObject | null): void {
    const path = this.requirePath(op, 'remove');
    const location = this.findObject(path);
    if (!location) throw new ApplyFailure(`remove operation does not apply: doc is missing path: "${path}": missing value`);
    this.delete(location, `error in remove for path: '${path}'`);
  }

  private replace(op: JsonObject | null): void {
    const path = this.requirePath(op, 'replace');
    if (path === '') {
      const value = this.value(op);
      if (value === null || typeof value !== 'object') throw new ApplyFailure('replace operation value must be object or array');
      this.root = value;
      return;
    }
    const location = this.findObject(path);
    if (!location) throw new ApplyFailure(`replace operation does not apply: doc is missing path: ${path}: missing value`);
    const { container, key } = location;
    let token = key;
    if (Array.isArray(container)) {
      const index = this.arrayIndex(key, container.length);
      if (index === undefined) throw new ApplyFailure(`replace operation does not apply: doc is missing key: ${path}: missing value`);
      token = String(index);
    }
    applyOperation(this.root, { op: 'replace', path: `${location.pointer}/${escapePathComponent(token)}`, value: this.value(op) }, false, true, true);
  }

  private move(op: JsonObject | null): void {
    const from = this.requireFrom(op, 'move');
    const source = this.findObject(from);
    if (!source) throw new ApplyFailure(`move operation does not apply: doc is missing from path: ${from}: missing value`);
    const value = this.get(source, `error in move for path: '${source.key}'`);
    this.delete(source, `error in move for path: '${source.key}'`);
    const path = this.requirePath(op, 'move');
    const target = this.findObject(path);
    if (!target) throw new ApplyFailure(`move operation does not apply: doc is missing destination path: ${path}: missing value`);
    this.insert(target, value ?? null, `error in move for path: '${path}'`);
  }

  private copy(op: JsonObject | null): void {
    const from = this.requireFrom(op, 'copy');
    const source = this.findObject(from);
    if (!source) throw new ApplyFailure(`copy operation does not apply: doc is missing from path: ${from}: missing value`);
    const value = this.get(source, `error in copy for from: '${from}'`);
    const path = this.requirePath(op, 'copy');
    const target = this.findObject(path);
    if (!target) throw new ApplyFailure(`copy operation does not apply: doc is missing destination path: ${path}: missing value`);
    // evanphx counts the marshalled size of what it copies; a missing or null member is a nil node, size 0.
    if (value !== undefined && value !== null) {
      this.copiedBytes += Buffer.byteLength(JSON.stringify(value));
      if (this.copiedBytes > JSON_PATCH_MAX_COPY_BYTES) {
        throw new ApplyFailure(
          `Unable to complete the copy, the accumulated size increase of copy is ${this.copiedBytes}, exceeding the limit ${JSON_PATCH_MAX_COPY_BYTES}`,
        );
      }
    }
    this.insert(target, value === undefined ? null : cloneJson(value), 'error while adding value during copy');
  }

  private test(op: JsonObject | null): void {
    const path = this.requirePath(op, 'test');
    const expected = op !== null && hasOwn(op, 'value') ? op.value : undefined;
    if (path === '') {
      if (expected === undefined || !jsonEqual(this.root, expected)) throw new ApplyFailure(`testing value ${path} failed: test failed`);
      return;
    }
    const location = this.findObject(path);
    if (!location) throw new ApplyFailure(`test operation does not apply: is missing path: ${path}: missing value`);
    const actual = this.get(location, `error in test for path: '${path}'`);
    // evanphx treats a missing member and a null one alike (a nil node), and so an absent or null value.
    const actualIsNil = actual === undefined || actual === null;
    const expectedIsNil = expected === undefined || expected === null;
    if (actualIsNil && expectedIsNil) return;
    if (actualIsNil || expected === undefined || !jsonEqual(actual, expected)) {
      throw new ApplyFailure(`testing value ${path} failed: test failed`);
    }
  }

  /**
   * evanphx's findObject: every token but the last must lead to an object or array (a missing member,
   * a null, an out-of-range or non-numeric index all fail); the last token is returned decoded.
   */
  private findObject(path: string): Location | undefined {
    const tokens = path.split('/');
    if (tokens.length < 2) return undefined;
    if (this.root === null || typeof this.root !== 'object') return undefined;
    let container: Container = this.root;
    let pointer = '';
    for (const raw of tokens.slice(1, -1)) {
      const token = decodeToken(raw);
      let next: JsonValue | undefined;
      if (Array.isArray(container)) {
        const index = this.arrayIndex(token, container.length);
        if (index === undefined) return undefined;
        next = container[index];
        pointer += `/${index}`;
      } else {
        next = hasOwn(container, token) ? container[token] : undefined;
        pointer += `/${escapePathComponent(token)}`;
      }
      if (next === undefined || next === null || typeof next !== 'object') return undefined;
      container = next;
    }
    return { container, pointer, key: decodeToken(tokens[tokens.length - 1]) };
  }

  /** An index in [-limit, limit) as evanphx accepts it, made non-negative; undefined when refused. */
  private arrayIndex(token: string, limit: number): number | undefined {
    const index = goAtoi(token);
    if (index === undefined || index >= limit || index < -limit) return undefined;
    return index < 0 ? index + limit : index;
  }

  /** partialDoc.get / partialArray.get: a missing object member is undefined; a bad index fails. */
  private get(location: Location, context: string): JsonValue | undefined {
    const { container, key } = location;
    if (!Array.isArray(container)) return hasOwn(container, key) ? container[key] : undefined;
    const index = this.arrayIndex(key, container.length);
    if (index === undefined) throw new ApplyFailure(`${context}: Unable to access invalid index: ${key}: invalid index referenced`);
    return container[index];
  }

  /** partialDoc.add / partialArray.add: objects set the member; arrays insert at [−(n+1), n] or "-". */
  private insert(location: Location, value: JsonValue, context: string): void {
    const { container, pointer, key } = location;
    let token = key;
    if (Array.isArray(container)) {
      const index = key === '-' ? container.length : this.arrayIndex(key, container.length + 1);
      if (index === undefined) throw new ApplyFailure(`${context}: Unable to access invalid index: ${key}: invalid index referenced`);
      token = String(index);
    }
    applyOperation(this.root, { op: 'add', path: `${pointer}/${escapePathComponent(token)}`, value }, false, true, true);
  }

  /** partialDoc.remove / partialArray.remove. */
  private delete(location: Location, context: string): void {
    const { container, pointer, key } = location;
    let token = key;
    if (Array.isArray(container)) {
      const index = this.arrayIndex(key, container.length);
      if (index === undefined) throw new ApplyFailure(`${context}: Unable to access invalid index: ${key}: invalid index referenced`);
      token = String(index);
    } else if (!hasOwn(container, key)) {
      throw new ApplyFailure(`${context}: Unable to remove nonexistent key: ${key}: missing value`);
    }
    applyOperation(this.root, { op: 'remove', path: `${pointer}/${escapePathComponent(token)}` }, false, true, true);
  }
}
