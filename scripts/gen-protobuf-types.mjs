#!/usr/bin/env node
// Writes protobuf descriptors (src/endpoints/protobuf/schema.ts) for Kubernetes Go types, read from
// the struct tags of a kubernetes/api checkout's types.go files: each field's protobuf number and
// wire type, its JSON name and omitempty, and whether it is a pointer, slice, map or embedded struct.
// Hand-written descriptors (meta/v1, a few core/v1 ones) are imported instead of generated.
//
// Usage: node scripts/gen-protobuf-types.mjs <kubernetes/api checkout> <kubernetes/kube-aggregator checkout>
// (git clones of github.com/kubernetes/api and /kube-aggregator), then review the diff and run the
// protobuf tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [apiRoot, aggregatorRoot] = process.argv.slice(2);
if (!apiRoot || !aggregatorRoot) {
  console.error('usage: gen-protobuf-types.mjs <kubernetes/api checkout> <kubernetes/kube-aggregator checkout>');
  process.exit(2);
}
/** Go packages by the path this script names them with. */
const pkgDir = (pkg) => (pkg.startsWith('apiregistration/') ? join(aggregatorRoot, 'pkg/apis', pkg) : join(apiRoot, pkg));
const outDir = new URL('../src/endpoints/protobuf/types/', import.meta.url).pathname;

/** One output file: the Go package it reads, the roots whose closure it describes, what it imports. */
const OUTPUTS = [
  {
    file: 'core-objects.ts',
    title: 'core/v1 Pod, Service, Node and Endpoints (k8s.io/api/core/v1 types.go)',
    pkg: 'core/v1',
    roots: ['Pod', 'Service', 'Node', 'Endpoints'],
    imports: { './core.js': ['ObjectReference', 'LocalObjectReference'] },
  },
  {
    file: 'discovery.ts',
    title: 'discovery.k8s.io/v1 EndpointSlice (k8s.io/api/discovery/v1 types.go)',
    pkg: 'discovery/v1',
    roots: ['EndpointSlice'],
    // The core/v1 types it refers to as v1.X.
    imports: { './core.js': ['ObjectReference'] },
    foreign: { v1: 'core/v1' },
  },
  {
    file: 'apiregistration.ts',
    title: 'apiregistration.k8s.io/v1 APIService (k8s.io/kube-aggregator/pkg/apis/apiregistration/v1 types.go)',
    pkg: 'apiregistration/v1',
    roots: ['APIService'],
    imports: {},
  },
];

/** Types from other packages with hand-written descriptors (or special kinds), by their Go spelling. */
const WELL_KNOWN = {
  'metav1.ObjectMeta': { import: ['./meta.js', 'objectMeta'] },
  'metav1.LabelSelector': { import: ['./meta.js', 'labelSelector'] },
  'metav1.Condition': { import: ['./meta.js', 'condition'] },
  'metav1.Time': { kind: 'time' },
  'metav1.MicroTime': { kind: 'microTime' },
  'intstr.IntOrString': { kind: 'intOrString' },
  'resource.Quantity': { kind: 'quantity' },
  'types.UID': { scalar: 'string' },
};

function parseGo(src) {
  const structs = new Map();
  const named = new Map();
  const lines = src.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const alias = /^type (\w+) =? ?(\S+)$/.exec(lines[i]);
    if (alias && alias[2] !== 'struct') {
      named.set(alias[1], alias[2]);
      continue;
    }
    const head = /^type (\w+) struct \{$/.exec(lines[i]);
    if (!head) continue;
    const fields = [];
    let inComment = false;
    for (i++; lines[i] !== '}'; i++) {
      const line = lines[i].trim();
      // Block comments (/* ... */) hold commented-out fields.
      if (line.startsWith('/*')) inComment = true;
      if (inComment) {
        if (line.endsWith('*/')) inComment = false;
        continue;
      }
      if (line === '' || line.startsWith('//')) continue;
      const m = /^(\S+)(?:\s+(\S+))?\s+`([^`]*)`$/.exec(line);
      if (!m) throw new Error(`${head[1]}: cannot read field line: ${line}`);
      const [, a, b, tags] = m;
      const protobuf = /protobuf:"([^"]*)"/.exec(tags)?.[1];
      if (!protobuf) continue; // TypeMeta, fields kube does not serialize
      const json = /json:"([^"]*)"/.exec(tags)?.[1] ?? '';
      const [jsonName, ...jsonOpts] = json.split(',');
      const [wire, number] = protobuf.split(',');
      const embedded = b === undefined;
      fields.push({
        goName: embedded ? a.replace(/^\*/, '').split('.').pop() : a,
        goType: embedded ? a : b,
        json: jsonName,
        omitempty: jsonOpts.includes('omitempty'),
        inline: embedded && (jsonName === '' || jsonOpts.includes('inline')),
        wire,
        number: Number(number),
        protoName: /(?:^|,)name=(\w+)/.exec(protobuf)?.[1],
      });
    }
    structs.set(head[1], fields);
  }
  return { structs, named };
}

/** A Go type name as a TS const: APIServiceSpec → apiServiceSpec, HTTPGetAction → httpGetAction. */
const lowerFirst = (s) => s.replace(/^[A-Z]+?(?=[A-Z][a-z]|$)|^[A-Z]/, (head) => head.toLowerCase());
const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** generated.proto's fields by message, to check each generated field's number, name and type. */
const protos = new Map();
function protoFields(pkg) {
  if (!protos.has(pkg)) {
    const byMessage = new Map();
    let current;
    for (const line of readFileSync(join(pkgDir(pkg), 'generated.proto'), 'utf8').split('\n')) {
      const head = /^message (\w+) \{/.exec(line);
      if (head) byMessage.set(head[1], (current = new Map()));
      const field = /^\s+(optional|repeated)?\s*(\S+(?:, \S+)?)\s+(\w+) = (\d+);/.exec(line);
      if (field && current) current.set(Number(field[4]), { label: field[1], type: field[2], name: field[3] });
    }
    protos.set(pkg, byMessage);
  }
  return protos.get(pkg);
}

function checkProto(pkg, structName, f, type, repeated) {
  const p = protoFields(pkg).get(structName)?.get(f.number);
  const where = `${structName}.${f.goName} (${f.number})`;
  if (!p) throw new Error(`${where}: not in generated.proto`);
  if (p.name !== (f.protoName ?? lowerFirst(f.goName))) throw new Error(`${where}: generated.proto names it ${p.name}`);
  if ((p.label === 'repeated') !== repeated) throw new Error(`${where}: generated.proto says ${p.label}`);
  const scalar = { string: 'string', bool: 'bool', int32: 'int32', int64: 'int64', bytes: 'bytes' }[p.type];
  if (type.kind === 'scalar' && scalar !== type.scalar) throw new Error(`${where}: generated.proto type ${p.type}, Go ${type.scalar}`);
  if (type.kind === 'map' && !p.type.startsWith('map<')) throw new Error(`${where}: generated.proto type ${p.type}`);
}

const packages = new Map();
function pkgTypes(pkg) {
  if (!packages.has(pkg)) packages.set(pkg, parseGo(readFileSync(join(pkgDir(pkg), 'types.go'), 'utf8')));
  return packages.get(pkg);
}

function generate(output) {
  const imports = new Map(); // module -> Set(name)
  const importedGo = new Map(); // Go type name in output.pkg -> TS name
  for (const [mod, names] of Object.entries(output.imports)) {
    for (const n of names) importedGo.set(n, lowerFirst(n));
    imports.set(mod, new Set(names.map(lowerFirst)));
  }
  const addImport = (mod, name) => {
    if (!imports.has(mod)) imports.set(mod, new Set());
    imports.get(mod).add(name);
  };
  const queue = [...output.roots];
  const emitted = new Set();
  const blocks = [];

  /** The descriptor expression for a field's Go type (without pointer or slice). */
  function typeOf(goType, pkg, where) {
    const known = WELL_KNOWN[goType];
    if (known?.import) {
      addImport(...known.import);
      return { kind: 'message', ref: known.import[1] };
    }
    if (known?.kind) return { kind: known.kind };
    if (known?.scalar) return { kind: 'scalar', scalar: known.scalar };
    if (['string', 'bool', 'int32', 'int64'].includes(goType)) return { kind: 'scalar', scalar: goType };
    if (goType === '[]byte') return { kind: 'scalar', scalar: 'bytes' };
    const map = /^map\[([\w.]+)\](.+)$/.exec(goType);
    if (map) {
      const value = typeOf(map[2], pkg, where);
      const mapValue = value.kind === 'quantity' ? 'quantity' : value.scalar === 'string' ? 'string' : value.scalar === 'bytes' ? 'bytes' : undefined;
      if (!mapValue) throw new Error(`${where}: map value ${map[2]} has no descriptor kind`);
      return { kind: 'map', value: mapValue };
    }
    const qualified = /^(\w+)\.(\w+)$/.exec(goType);
    if (qualified) {
      const foreignPkg = output.foreign?.[qualified[1]];
      if (!foreignPkg) throw new Error(`${where}: no descriptor for ${goType}`);
      const { named } = pkgTypes(foreignPkg);
      if (named.has(qualified[2])) return typeOf(named.get(qualified[2]), foreignPkg, where);
      if (!importedGo.has(qualified[2])) throw new Error(`${where}: import ${goType} (add it to imports)`);
      return { kind: 'message', ref: importedGo.get(qualified[2]) };
    }
    const { structs, named } = pkgTypes(pkg);
    if (named.has(goType)) return typeOf(named.get(goType), pkg, where);
    if (structs.has(goType)) {
      if (pkg !== output.pkg) throw new Error(`${where}: ${goType} is in ${pkg}`);
      if (importedGo.has(goType)) return { kind: 'message', ref: importedGo.get(goType) };
      if (!emitted.has(goType)) queue.push(goType);
      return { kind: 'message', ref: lowerFirst(goType) };
    }
    throw new Error(`${where}: unknown Go type ${goType}`);
  }

  function fieldExpr(structName, f) {
    let t = f.goType;
    const pointer = t.startsWith('*');
    if (pointer) t = t.slice(1);
    const repeated = t.startsWith('[]') && t !== '[]byte';
    if (repeated) t = t.slice(2);
    const type = typeOf(t, output.pkg, `${structName}.${f.goName}`);
    const wantVarint = type.kind === 'scalar' && type.scalar !== 'string' && type.scalar !== 'bytes';
    // A few tags disagree with generated.proto (PodSpec.Priority says bytes); the Go type decides.
    if ((f.wire === 'varint') !== wantVarint) console.warn(`note: ${structName}.${f.goName}: tag says ${f.wire} for ${f.goType}`);
    checkProto(output.pkg, structName, f, type, repeated);
    const presence = pointer ? 'pointer' : f.omitempty ? 'omitempty' : 'always';
    const typeText =
      type.kind === 'message'
        ? `{ kind: 'message', message: () => ${type.ref} }`
        : type.kind === 'scalar'
          ? `{ kind: 'scalar', scalar: '${type.scalar}' }`
          : type.kind === 'map'
            ? `{ kind: 'map', value: '${type.value}' }`
            : `{ kind: '${type.kind}' }`;
    const parts = [`number: ${f.number}`, `json: '${f.json || f.goName}'`];
    if (f.goName !== capitalize(f.json)) parts.push(`go: '${f.goName}'`);
    parts.push(`type: ${typeText}`);
    if (repeated) parts.push('repeated: true');
    if (f.inline) parts.push('inline: true');
    parts.push(`presence: '${presence}'`);
    return `{ ${parts.join(', ')} }`;
  }

  while (queue.length) {
    const name = queue.shift();
    if (emitted.has(name)) continue;
    emitted.add(name);
    const fields = pkgTypes(output.pkg).structs.get(name);
    if (!fields) throw new Error(`no struct ${name} in ${output.pkg}`);
    const exported = output.roots.includes(name) ? 'export ' : '';
    const lines = fields.map((f) => `    ${fieldExpr(name, f)},`);
    blocks.push(`${exported}const ${lowerFirst(name)}: MessageDescriptor = {\n  name: '${name}',\n  fields: [\n${lines.join('\n')}\n  ],\n};\n`);
  }

  const importLines = [`import type { MessageDescriptor } from '../schema.js';`];
  for (const [mod, names] of imports) if (names.size) importLines.push(`import { ${[...names].sort().join(', ')} } from '${mod}';`);
  const text = `// ${output.title}.\n// Generated by scripts/gen-protobuf-types.mjs from kube's types.go; do not edit by hand.\n${importLines.join('\n')}\n\n${blocks.join('\n')}`;
  writeFileSync(join(outDir, output.file), text);
  console.log(`${output.file}: ${emitted.size} messages`);
}

for (const output of OUTPUTS) generate(output);
