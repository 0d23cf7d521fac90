// Field selectors of custom resources: metadata.name, metadata.namespace and the version's
// selectableFields, each named by its JSONPath without the leading dot, valued as Go's fmt.Sprint
// prints the field ("" when it is absent), as kube's customresource strategy does.
import type { KubeObject } from '../registry/resource.js';
import { defaultSelectableFields } from '../kube-apis/define.js';

function sprint(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function valueAt(obj: KubeObject, path: string[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export function selectableFieldsFor(namespaced: boolean, fields: Array<{ jsonPath: string }>): (obj: KubeObject) => Record<string, string> {
  const base = defaultSelectableFields(namespaced);
  if (fields.length === 0) return base;
  const paths = fields.map((f) => ({ name: f.jsonPath.replace(/^\./, ''), path: f.jsonPath.replace(/^\./, '').split('.') }));
  return (obj) => {
    const set = base(obj);
    for (const { name, path } of paths) set[name] = sprint(valueAt(obj, path));
    return set;
  };
}
