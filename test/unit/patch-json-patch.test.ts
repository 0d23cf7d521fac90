import { describe, expect, it } from 'vitest';
import { applyJsonPatch, MAX_JSON_PATCH_OPERATIONS } from '../../src/endpoints/patch/json-patch.js';
import { SERVER_REJECTED_MESSAGE } from '../../src/endpoints/patch/errors.js';
import type { JsonObject } from '../../src/endpoints/patch/json-value.js';
import { thrownStatus as thrown } from '../support/errors.js';

function configMap(): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'app-config', namespace: 'default', labels: { app: 'web' }, finalizers: ['a', 'b', 'c'], annotations: null },
    data: { 'log.level': 'info', 'a/b': 'slash', 'x~y': 'tilde' },
  };
}

function patch(ops: unknown): string {
  return JSON.stringify(ops);
}

/** kube answers every failed operation with this bare 422 (NewGenericServerResponse drops the reason). */
const rejected = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: SERVER_REJECTED_MESSAGE,
  reason: 'Invalid',
  details: {},
  code: 422,
};

describe('applyJsonPatch: operations', () => {
  it('add sets a member, inserts into arrays, appends with "-" and does not touch the original', () => {
    const original = configMap();
    const out = applyJsonPatch(
      original,
      patch([
        { op: 'add', path: '/data/new', value: 'v' },
        { op: 'add', path: '/metadata/finalizers/1', value: 'x' },
        { op: 'add', path: '/metadata/finalizers/-', value: 'z' },
        { op: 'add', path: '/metadata/labels/app', value: 'api' },
      ]),
    );
    expect(out.data).toEqual({ 'log.level': 'info', 'a/b': 'slash', 'x~y': 'tilde', new: 'v' });
    expect((out.metadata as JsonObject).finalizers).toEqual(['a', 'x', 'b', 'c', 'z']);
    expect((out.metadata as JsonObject).labels).toEqual({ app: 'api' });
    expect(original).toEqual(configMap());
  });

  it('add without a value writes null, as evanphx stores a nil node', () => {
    const out = applyJsonPatch(configMap(), patch([{ op: 'add', path: '/data/empty' }]));
    expect((out.data as JsonObject).empty).toBeNull();
  });

  it('decodes ~1 and ~0 in tokens', () => {
    const out = applyJsonPatch(
      configMap(),
      patch([
        { op: 'replace', path: '/data/a~1b', value: 'S' },
        { op: 'remove', path: '/data/x~0y' },
      ]),
    );
    expect(out.data).toEqual({ 'log.level': 'info', 'a/b': 'S' });
  });

  it('remove deletes members and array elements', () => {
    const out = applyJsonPatch(configMap(), patch([{ op: 'remove', path: '/metadata/labels' }, { op: 'remove', path: '/metadata/finalizers/0' }]));
    expect(out.metadata).toEqual({ name: 'app-config', namespace: 'default', finalizers: ['b', 'c'], annotations: null });
  });

  it('remove of a member whose value is null succeeds (the key exists)', () => {
    const out = applyJsonPatch(configMap(), patch([{ op: 'remove', path: '/metadata/annotations' }]));
    expect(out.metadata).not.toHaveProperty('annotations');
  });

  it('replace changes a member, an array element, and adds a missing object member (evanphx v4)', () => {
    const out = applyJsonPatch(
      configMap(),
      patch([
        { op: 'replace', path: '/data/log.level', value: 'debug' },
        { op: 'replace', path: '/metadata/finalizers/2', value: 'C' },
        { op: 'replace', path: '/data/missing', value: 'added' },
      ]),
    );
    expect(out.data).toMatchObject({ 'log.level': 'debug', missing: 'added' });
    expect((out.metadata as JsonObject).finalizers).toEqual(['a', 'b', 'C']);
  });

  it('replace of the root takes the new object', () => {
    const out = applyJsonPatch(configMap(), patch([{ op: 'replace', path: '', value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } } }]));
    expect(out).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' } });
  });

  it('move and copy', () => {
    const out = applyJsonPatch(
      configMap(),
      patch([
        { op: 'move', from: '/data/log.level', path: '/data/level' },
        { op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' },
        { op: 'copy', from: '/metadata/finalizers/0', path: '/metadata/finalizers/-' },
      ]),
    );
    expect(out.data).toEqual({ level: 'info', 'a/b': 'slash', 'x~y': 'tilde' });
    expect((out.metadata as JsonObject).annotations).toEqual({ app: 'web' });
    expect((out.metadata as JsonObject).finalizers).toEqual(['a', 'b', 'c', 'a']);
  });

  it('copy makes an independent copy', () => {
    const out = applyJsonPatch(
      configMap(),
      patch([
        { op: 'copy', from: '/metadata/labels', path: '/data/labels' },
        { op: 'add', path: '/data/labels/extra', value: '1' },
      ]),
    );
    expect((out.metadata as JsonObject).labels).toEqual({ app: 'web' });
    expect((out.data as JsonObject).labels).toEqual({ app: 'web', extra: '1' });
  });

  it('copy from a missing object member writes null (evanphx v4)', () => {
    const out = applyJsonPatch(configMap(), patch([{ op: 'copy', from: '/data/nope', path: '/data/copied' }]));
    expect((out.data as JsonObject).copied).toBeNull();
  });

  it('test compares structurally and lets the next operations run', () => {
    const out = applyJsonPatch(
      configMap(),
      patch([
        { op: 'test', path: '/metadata/labels', value: { app: 'web' } },
        { op: 'test', path: '/metadata/finalizers', value: ['a', 'b', 'c'] },
        { op: 'test', path: '/data/log.level', value: 'info' },
        { op: 'replace', path: '/data/log.level', value: 'warn' },
      ]),
    );
    expect((out.data as JsonObject)['log.level']).toBe('warn');
  });

  it('test of a missing or null member passes with a null or absent value (evanphx v4)', () => {
    expect(() =>
      applyJsonPatch(
        configMap(),
        patch([
          { op: 'test', path: '/data/missing', value: null },
          { op: 'test', path: '/data/missing' },
          { op: 'test', path: '/metadata/annotations', value: null },
        ]),
      ),
    ).not.toThrow();
  });

  it('negative indices count from the end (evanphx SupportNegativeIndices)', () => {
    const out = applyJsonPatch(
      configMap(),
      patch([
        { op: 'replace', path: '/metadata/finalizers/-1', value: 'last' },
        { op: 'remove', path: '/metadata/finalizers/-3' },
        { op: 'add', path: '/metadata/finalizers/-1', value: 'appended' },
      ]),
    );
    expect((out.metadata as JsonObject).finalizers).toEqual(['b', 'last', 'appended']);
  });

  it('indices are parsed like Go strconv.Atoi ("+1", "01")', () => {
    const out = applyJsonPatch(configMap(), patch([{ op: 'replace', path: '/metadata/finalizers/+1', value: 'B' }, { op: 'remove', path: '/metadata/finalizers/02' }]));
    expect((out.metadata as JsonObject).finalizers).toEqual(['a', 'B']);
  });

  it('a path without a leading slash addresses its last token at the root (evanphx findObject)', () => {
    const out = applyJsonPatch(configMap(), patch([{ op: 'add', path: 'ignored/extra', value: 1 }]));
    expect(out.extra).toBe(1);
  });

  it('a null patch is no operation', () => {
    expect(applyJsonPatch(configMap(), 'null')).toEqual(configMap());
  });

  it('accepts a Buffer body', () => {
    const out = applyJsonPatch(configMap(), Buffer.from(patch([{ op: 'add', path: '/data/b', value: 'buf' }])));
    expect((out.data as JsonObject).b).toBe('buf');
  });
});

describe('applyJsonPatch: operations that fail answer 422 with kube\'s generic message', () => {
  it.each([
    ['test with a different value', [{ op: 'test', path: '/data/log.level', value: 'debug' }]],
    ['test of a missing member with a value', [{ op: 'test', path: '/data/missing', value: 'x' }]],
    ['test of an existing member without a value', [{ op: 'test', path: '/data/log.level' }]],
    ['test of the root against another object', [{ op: 'test', path: '', value: {} }]],
    ['remove of a missing member', [{ op: 'remove', path: '/data/missing' }]],
    ['remove below a missing member', [{ op: 'remove', path: '/spec/template/x' }]],
    ['remove of an index out of range', [{ op: 'remove', path: '/metadata/finalizers/3' }]],
    ['remove of a negative index out of range', [{ op: 'remove', path: '/metadata/finalizers/-4' }]],
    ['remove of "-"', [{ op: 'remove', path: '/metadata/finalizers/-' }]],
    ['remove of the root', [{ op: 'remove', path: '' }]],
    ['add below a missing member', [{ op: 'add', path: '/spec/replicas', value: 1 }]],
    ['add through a null member', [{ op: 'add', path: '/metadata/annotations/a', value: 'x' }]],
    ['add through a string', [{ op: 'add', path: '/data/log.level/x', value: 'x' }]],
    ['add at the root', [{ op: 'add', path: '', value: {} }]],
    ['add past the end of an array', [{ op: 'add', path: '/metadata/finalizers/4', value: 'x' }]],
    ['add with a non-numeric index', [{ op: 'add', path: '/metadata/finalizers/x', value: 'x' }]],
    ['replace of an index out of range', [{ op: 'replace', path: '/metadata/finalizers/3', value: 'x' }]],
    ['replace of the root with a string', [{ op: 'replace', path: '', value: 'x' }]],
    ['move from a missing member', [{ op: 'move', from: '/data/missing', path: '/data/x' }]],
    ['move into its own child', [{ op: 'move', from: '/metadata', path: '/metadata/x' }]],
    ['move without from', [{ op: 'move', path: '/data/x' }]],
    ['copy to a missing parent', [{ op: 'copy', from: '/data', path: '/spec/data' }]],
    ['an operation without a path', [{ op: 'add', value: 1 }]],
    ['a path that is not a string', [{ op: 'add', path: 5, value: 1 }]],
    ['an unknown op', [{ op: 'merge', path: '/data', value: {} }]],
    ['an operation that is null', [null]],
    ['a later operation failing after an earlier succeeded', [{ op: 'add', path: '/data/x', value: '1' }, { op: 'test', path: '/data/x', value: '2' }]],
  ])('%s', (_name, ops) => {
    const err = thrown(() => applyJsonPatch(configMap(), patch(ops)));
    expect(err.status).toEqual(rejected);
  });

  it('a "__proto__" token is refused (fast-json-patch guards prototypes; kube would add the key)', () => {
    const err = thrown(() => applyJsonPatch(configMap(), patch([{ op: 'add', path: '/metadata/__proto__', value: { polluted: 'yes' } }])));
    expect(err.status).toEqual(rejected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the reason on the error for logs', () => {
    const err = thrown(() => applyJsonPatch(configMap(), patch([{ op: 'test', path: '/data/log.level', value: 'debug' }])));
    expect((err.cause as Error).message).toBe('testing value /data/log.level failed: test failed');
    const removed = thrown(() => applyJsonPatch(configMap(), patch([{ op: 'remove', path: '/data/missing' }])));
    expect((removed.cause as Error).message).toBe("error in remove for path: '/data/missing': Unable to remove nonexistent key: missing: missing value");
  });

  it('limits what copies may add to 3 MiB (kube JSONPatchMaxCopyBytes)', () => {
    const big = 'x'.repeat(1024 * 1024);
    const ops = [
      { op: 'add', path: '/data/big', value: big },
      { op: 'copy', from: '/data/big', path: '/data/c1' },
      { op: 'copy', from: '/data/big', path: '/data/c2' },
    ];
    expect(() => applyJsonPatch(configMap(), patch(ops))).not.toThrow();
    const err = thrown(() => applyJsonPatch(configMap(), patch([...ops, { op: 'copy', from: '/data/big', path: '/data/c3' }])));
    expect(err.status).toEqual(rejected);
    expect((err.cause as Error).message).toBe(
      'Unable to complete the copy, the accumulated size increase of copy is 3145734, exceeding the limit 3145728',
    );
  });
});

describe('applyJsonPatch: malformed patches', () => {
  it.each([
    ['', 'unexpected end of JSON input'],
    ['[{"op":"add",}]', `invalid character '}' looking for beginning of object key string`],
    ['[{"op" "add"}]', `invalid character '"' after object key`],
    ['[{"op":"add" "path":"/a"}]', `invalid character '"' after object key:value pair`],
    ['[{"op":"add"} {}]', `invalid character '{' after array element`],
    ['[] x', `invalid character 'x' after top-level value`],
    ["['add']", `invalid character '\\'' looking for beginning of value`],
    ['[tru]', `invalid character ']' in literal true (expecting 'e')`],
    ['[nul]', `invalid character ']' in literal null (expecting 'l')`],
    ['[-x]', `invalid character 'x' in numeric literal`],
    ['[1.]', `invalid character ']' after decimal point in numeric literal`],
    ['[1e]', `invalid character ']' in exponent of numeric literal`],
    ['["\\q"]', `invalid character 'q' in string escape code`],
    ['["\\u12x4"]', `invalid character 'x' in \\u hexadecimal character escape`],
    ['["a\tb"]', `invalid character '\\t' in string literal`],
    ['[\u00e9]', `invalid character 'Ã' looking for beginning of value`],
    ['{"op":"add"}', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
    ['"add"', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    ['42', 'json: cannot unmarshal number into Go value of type jsonpatch.Patch'],
    ['true', 'json: cannot unmarshal bool into Go value of type jsonpatch.Patch'],
    ['["add"]', 'json: cannot unmarshal string into Go value of type jsonpatch.Operation'],
    ['[[]]', 'json: cannot unmarshal array into Go value of type jsonpatch.Operation'],
  ])('%j → 400 %s', (body, message) => {
    const err = thrown(() => applyJsonPatch(configMap(), body));
    expect(err.status).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 });
  });

  it(`more than ${MAX_JSON_PATCH_OPERATIONS} operations → 413`, () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '/kind', value: 'ConfigMap' }));
    const err = thrown(() => applyJsonPatch(configMap(), patch(ops)));
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
      reason: 'RequestEntityTooLarge',
      code: 413,
    });
    expect(() => applyJsonPatch(configMap(), patch(ops.slice(1)))).not.toThrow();
  });

  it('a root replaced by an array fails to decode as an object (422 on field "patch")', () => {
    const err = thrown(() => applyJsonPatch(configMap(), patch([{ op: 'replace', path: '', value: [1, '<a>'] }])));
    const message =
      'patch: Invalid value: "[1,\\"\\\\u003ca\\\\u003e\\"]": couldn\'t get version/kind; json parse error: ' +
      'json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: ` "" is invalid: ${message}`,
      reason: 'Invalid',
      details: { causes: [{ reason: 'FieldValueInvalid', message: message.slice('patch: '.length), field: 'patch' }] },
      code: 422,
    });
  });
});
