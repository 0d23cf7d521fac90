// Pruning, defaulting, list types and embedded resources against apiextensions-apiserver v0.32.9:
// pkg/apiserver/schema/pruning/algorithm.go, defaulting/algorithm.go + prunenulls.go,
// listtype/validation.go, objectmeta/validation.go (and options.go for unknown-field paths).
import { describe, expect, it } from 'vitest';
import { pruneObject } from '../../src/apiextensions/schema/prune.js';
import { applyDefaults } from '../../src/apiextensions/schema/defaults.js';
import { validateListSetsAndMaps } from '../../src/apiextensions/schema/listtype.js';
import { validateEmbeddedResources } from '../../src/apiextensions/schema/embedded.js';
import type { JSONSchemaProps } from '../../src/apiextensions/schema/types.js';

const text = (errs: { field: string; detail: string }[]) => errs.map((e) => (e.field ? `${e.field}: ${e.detail}` : e.detail));

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        known: { type: 'string' },
        list: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { typed: { type: 'object', properties: { x: { type: 'string' } } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { y: { type: 'string' } } } } },
        nul: { type: 'string' },
        nullableField: { type: 'string', nullable: true },
      },
    },
  },
};

describe('pruning', () => {
  it('removes unknown fields everywhere except under preserve-unknown-fields, and reports sorted paths', () => {
    const obj = {
      apiVersion: 'x/v1', kind: 'K', metadata: { name: 'a', bogus: 1 },
      spec: { known: 'k', extra: 1, list: [{ a: 'x', b: 2 }], free: { anything: 1, typed: { x: 'x', z: 1 } }, labels: { any: 'v' }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', junk: 1 }, spec: { y: 'y', w: 1 } } },
      status: {},
    };
    const paths = pruneObject(obj, schema);
    expect(paths).toEqual(['metadata.bogus', 'spec.extra', 'spec.free.typed.z', 'spec.list[0].b', 'spec.template.spec.w', 'status', 'spec.template.metadata.junk']);
    expect(obj).toEqual({
      apiVersion: 'x/v1', kind: 'K', metadata: { name: 'a' },
      spec: { known: 'k', list: [{ a: 'x' }], free: { anything: 1, typed: { x: 'x' } }, labels: { any: 'v' }, template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { y: 'y' } } },
    });
  });
  it('can report without changing the object (fieldValidation)', () => {
    const obj = { apiVersion: 'x/v1', kind: 'K', spec: { x: 1 } };
    expect(pruneObject(obj, schema, false)).toEqual(['spec.x']);
    expect(obj.spec).toEqual({ x: 1 });
  });
  it('drops nulls of non-nullable fields without defaults, keeps nullable ones', () => {
    const obj = { spec: { nul: null, nullableField: null } };
    pruneObject(obj, schema);
    expect(obj.spec).toEqual({ nullableField: null });
  });
});

describe('defaulting', () => {
  const d: JSONSchemaProps = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        default: {},
        properties: {
          replicas: { type: 'integer', default: 1 },
          mode: { type: 'string', default: 'auto' },
          opt: { type: 'string', nullable: true, default: 'x' },
          ports: { type: 'array', items: { type: 'object', properties: { protocol: { type: 'string', default: 'TCP' } } } },
          nested: { type: 'object', properties: { deep: { type: 'integer', default: 7 } } },
          byName: { type: 'object', additionalProperties: { type: 'object', properties: { on: { type: 'boolean', default: true } } } },
        },
      },
    },
  };
  it('fills absent fields of present objects, recursively, in items and map values; not absent objects', () => {
    const obj: Record<string, unknown> = { spec: { ports: [{}, { protocol: 'UDP' }], byName: { a: {} } } };
    applyDefaults(obj, d);
    expect(obj).toEqual({ spec: { replicas: 1, mode: 'auto', opt: 'x', ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }], byName: { a: { on: true } } } });
  });
  it('defaults the root-level object then its fields; replaces non-nullable nulls, keeps nullable nulls', () => {
    const obj: Record<string, unknown> = {};
    applyDefaults(obj, d);
    expect(obj).toEqual({ spec: { replicas: 1, mode: 'auto', opt: 'x' } });
    const withNulls: Record<string, unknown> = { spec: { replicas: null, opt: null } };
    applyDefaults(withNulls, d);
    expect(withNulls.spec).toEqual({ replicas: 1, mode: 'auto', opt: null });
  });
});

describe('list types', () => {
  const l: JSONSchemaProps = {
    type: 'object',
    properties: {
      set: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      map: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } },
      map2: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'], items: { type: 'object' } },
    },
  };
  it('set: second occurrences are Duplicate value', () => {
    expect(text(validateListSetsAndMaps('', l, { set: ['a', 'b', 'a', 'a', 'b'] }))).toEqual(['set[2]: Duplicate value: "a"', 'set[4]: Duplicate value: "b"']);
  });
  it('map: the duplicate key shown as a map', () => {
    expect(text(validateListSetsAndMaps('', l, { map: [{ name: 'x' }, { name: 'x', v: 1 }] }))).toEqual(['map[1]: Duplicate value: map[string]interface {}{"name":"x"}']);
    expect(text(validateListSetsAndMaps('', l, { map2: [{ port: 80, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }, { port: 80, protocol: 'UDP' }] }))).toEqual([
      'map2[1]: Duplicate value: map[string]interface {}{"port":80, "protocol":"TCP"}',
    ]);
    // The object check comes before the "one element is always unique" shortcut.
    expect(text(validateListSetsAndMaps('', l, { map: ['x'] }))).toEqual(['map[0]: Invalid value: "x": must be an object for an array of list-type map']);
    expect(text(validateListSetsAndMaps('', l, { map: [null, null] }))).toEqual(['map[1]: Duplicate value: map[string]interface {}{}']);
    expect(text(validateListSetsAndMaps('', l, { map: ['x', { name: 'y' }] }))).toEqual(['map[0]: Invalid value: "x": must be an object for an array of list-type map']);
  });
});

describe('embedded resources', () => {
  const e: JSONSchemaProps = { type: 'object', properties: { tpl: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } } };
  it('requires apiVersion and kind, checks kind and metadata', () => {
    expect(text(validateEmbeddedResources('', { tpl: {} }, e))).toEqual(['tpl.apiVersion: Required value: must not be empty', 'tpl.kind: Required value: must not be empty']);
    expect(text(validateEmbeddedResources('', { tpl: { apiVersion: 'v1', kind: 'Pod_x' } }, e))).toEqual([
      expect.stringMatching(/^tpl\.kind: Invalid value: "Pod_x": may have mixed case, but should otherwise match: a DNS-1035 label must consist of/),
    ]);
    expect(text(validateEmbeddedResources('', { tpl: { apiVersion: 'v1', kind: 'Pod', metadata: { labels: { 'bad key!': 'x' } } } }, e))).toHaveLength(1);
    expect(text(validateEmbeddedResources('', { tpl: { apiVersion: 'a/b/c', kind: 'Pod' } }, e))).toEqual(['tpl.apiVersion: Invalid value: "a/b/c": unexpected GroupVersion string: a/b/c']);
    expect(text(validateEmbeddedResources('', { tpl: { apiVersion: 'v1', kind: 'Pod', metadata: {} } }, e))).toEqual([]);
  });
});
