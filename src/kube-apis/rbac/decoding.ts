// What kube's decoder does to an RBAC body before validation: values of the wrong JSON type are a 400
// "<Kind> in version "v1" cannot be handled as a <Kind>" (encoding/json's UnmarshalTypeError, naming
// the innermost struct and the field path), and v1 defaulting fills roleRef.apiGroup and the
// apiGroup of User and Group subjects.
import type { KubeObject } from '../../registry/resource.js';
import { newCannotBeHandledAs } from '../../endpoints/negotiation/decode.js';
import { GROUP_KIND, RBAC_GROUP, USER_KIND } from './types.js';

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return 'object';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}

class TypeMismatch extends Error {}

function fail(value: unknown, struct: string, field: string, type: string): never {
  throw new TypeMismatch(`json: cannot unmarshal ${jsonKind(value)} into Go struct field ${struct}.${field} of type ${type}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkString(value: unknown, struct: string, field: string): void {
  if (value !== undefined && value !== null && typeof value !== 'string') fail(value, struct, field, 'string');
}

function checkStringList(value: unknown, struct: string, field: string): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) fail(value, struct, field, '[]string');
  for (const item of value) if (item !== null && typeof item !== 'string') fail(item, struct, field, 'string');
}

function checkStructList(value: unknown, struct: string, field: string, itemType: string, check: (item: Record<string, unknown>) => void): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) fail(value, struct, field, `[]v1.${itemType}`);
  for (const item of value) {
    if (item === null) continue;
    if (!isObject(item)) fail(item, struct, field, `v1.${itemType}`);
    check(item);
  }
}

function checkRules(obj: KubeObject, kind: string): void {
  checkStructList(obj.rules, kind, 'rules', 'PolicyRule', (rule) => {
    for (const field of ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs']) checkStringList(rule[field], 'PolicyRule', `rules.${field}`);
  });
}

function checkBinding(obj: KubeObject, kind: string): void {
  checkStructList(obj.subjects, kind, 'subjects', 'Subject', (subject) => {
    for (const field of ['kind', 'apiGroup', 'name', 'namespace']) checkString(subject[field], 'Subject', `subjects.${field}`);
  });
  const ref = obj.roleRef;
  if (ref !== undefined && ref !== null) {
    if (!isObject(ref)) fail(ref, kind, 'roleRef', 'v1.RoleRef');
    for (const field of ['apiGroup', 'kind', 'name']) checkString(ref[field], 'RoleRef', `roleRef.${field}`);
  }
}

function decodeAs(kind: string, check: (obj: KubeObject) => void) {
  return (obj: KubeObject): void => {
    try {
      check(obj);
    } catch (err) {
      if (err instanceof TypeMismatch) throw newCannotBeHandledAs(kind, 'v1', kind, err.message);
      throw err;
    }
  };
}

/** Role and ClusterRole: `rules` is always written (no omitempty), as null when absent. */
export function decodeRole(kind: 'Role' | 'ClusterRole') {
  const check = decodeAs(kind, (obj) => {
    checkRules(obj, kind);
    if (kind === 'ClusterRole' && obj.aggregationRule !== undefined && obj.aggregationRule !== null && !isObject(obj.aggregationRule)) {
      fail(obj.aggregationRule, kind, 'aggregationRule', 'v1.AggregationRule');
    }
  });
  return (obj: KubeObject): void => {
    check(obj);
    if (obj.rules === undefined) obj.rules = null;
  };
}

/** RoleBinding and ClusterRoleBinding: type checks, then SetDefaults_Subject and SetDefaults_*Binding. */
export function decodeBinding(kind: 'RoleBinding' | 'ClusterRoleBinding') {
  const check = decodeAs(kind, (obj) => checkBinding(obj, kind));
  return (obj: KubeObject): void => {
    check(obj);
    if (!isObject(obj.roleRef)) obj.roleRef = {};
    const ref = obj.roleRef as Record<string, unknown>;
    if (!ref.apiGroup) ref.apiGroup = RBAC_GROUP;
    // A struct without omitempty: every field is written.
    ref.kind ??= '';
    ref.name ??= '';
    if (Array.isArray(obj.subjects)) {
      for (const subject of obj.subjects as Array<Record<string, unknown> | null>) {
        if (subject && !subject.apiGroup && (subject.kind === USER_KIND || subject.kind === GROUP_KIND)) subject.apiGroup = RBAC_GROUP;
        if (subject) {
          subject.kind ??= '';
          subject.name ??= '';
        }
      }
    }
  };
}
