// RBAC bodies in protobuf (what kubectl's imperative `create role/rolebinding` may send), decoded to
// the JSON Go's encoding/json writes for k8s.io/api/rbac/v1 (field numbers from generated.proto).
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody } from '../../src/endpoints/protobuf/index.js';

const varint = (value: number): Buffer => {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
};
const ld = (field: number, data: Buffer | string): Buffer => {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([varint((field << 3) | 2), varint(buf.length), buf]);
};
const msg = (field: number, ...parts: Buffer[]) => ld(field, Buffer.concat(parts));
const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), msg(1, ld(1, apiVersion), ld(2, kind)), ld(2, raw), ld(3, ''), ld(4, '')]);

const RBAC = 'rbac.authorization.k8s.io/v1';

describe('rbac.authorization.k8s.io/v1 in protobuf', () => {
  it('a Role: rules with verbs always written, empty lists left out', () => {
    const role = Buffer.concat([msg(1, ld(1, 'r'), ld(3, 'ns')), msg(2, ld(1, 'get'), ld(1, 'list'), ld(2, ''), ld(3, 'pods'), ld(4, 'p1'))]);
    const { object } = decodeProtobufBody(envelope(RBAC, 'Role', role), { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' });
    expect(object).toEqual({
      apiVersion: RBAC,
      kind: 'Role',
      metadata: { name: 'r', namespace: 'ns' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['p1'] }],
    });
  });

  it('a Role without rules has "rules": null', () => {
    const { object } = decodeProtobufBody(envelope(RBAC, 'Role', msg(1, ld(1, 'r'))), { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role' });
    expect(object.rules).toBeNull();
  });

  it('a RoleBinding: subjects and roleRef', () => {
    const binding = Buffer.concat([
      msg(1, ld(1, 'b')),
      msg(2, ld(1, 'User'), ld(2, 'rbac.authorization.k8s.io'), ld(3, 'dev')),
      msg(2, ld(1, 'ServiceAccount'), ld(3, 'robot'), ld(4, 'team')),
      msg(3, ld(1, 'rbac.authorization.k8s.io'), ld(2, 'Role'), ld(3, 'reader')),
    ]);
    const { object } = decodeProtobufBody(envelope(RBAC, 'RoleBinding', binding), { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding' });
    expect(object.subjects).toEqual([
      { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'dev' },
      { kind: 'ServiceAccount', name: 'robot', namespace: 'team' },
    ]);
    expect(object.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
  });

  it('a ClusterRole with an aggregation rule', () => {
    const role = Buffer.concat([msg(1, ld(1, 'agg')), msg(3, msg(1, msg(1, ld(1, 'k'), ld(2, 'v'))))]);
    const { object } = decodeProtobufBody(envelope(RBAC, 'ClusterRole', role), { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' });
    expect(object.aggregationRule).toEqual({ clusterRoleSelectors: [{ matchLabels: { k: 'v' } }] });
    expect(object.rules).toBeNull();
  });
});
