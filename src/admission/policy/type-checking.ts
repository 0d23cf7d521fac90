// kube's ValidatingAdmissionPolicy type checker (validating/typechecking.go), the part kube-chain can
// do with cel-js: each validation's expression and messageExpression is checked against the schema of
// every kind the policy's matchConstraints name (no wildcards, no subresources, at most 10 kinds, sorted
// by group, version, kind), with `object`/`oldObject` typed by that kind and `params` by the paramKind.
// What is caught is cel-go's "undefined field" (a field the schema does not declare); type mismatches
// ("found no matching overload") are not. Warnings read as kube writes them:
//   "apps/v1, Kind=Deployment: ERROR: <input>:1:7: undefined field 'replicas'\n | object.replicas > 1\n | ......^\n"
import type { ValidatingAdmissionPolicySpec } from '../../kube-apis/admissionregistration/types.js';
import type { JSONSchemaProps } from '../../apiextensions/schema/types.js';
import { celIssue, checkFieldsInScope } from '../../apiextensions/schema/cel-fields.js';
import { compileAdmissionExpression } from '../cel/environment.js';

const MAX_TYPES_TO_CHECK = 10;

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** Where the checker learns kinds and schemas (discovery and the served OpenAPI). */
export interface SchemaSource {
  /** The kinds a group-version-resource is served as (none when it is not served). */
  kindsFor(group: string, version: string, resource: string): string[];
  /** The kind's schema at the resource root, $refs resolved; undefined when it is not known. */
  schemaFor(gvk: GroupVersionKind): JSONSchemaProps | undefined;
}

export interface ExpressionWarning {
  fieldRef: string;
  warning: string;
}

/** schema.GroupVersionKind's String(): "apps/v1, Kind=Deployment", "/v1, Kind=ConfigMap" for the core group. */
export function gvkString(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}, Kind=${gvk.kind}`;
}

/** typesToCheck: the kinds the matchConstraints name, without wildcards or subresources, sorted, at most 10. */
export function typesToCheck(spec: ValidatingAdmissionPolicySpec, source: SchemaSource): GroupVersionKind[] {
  const found = new Map<string, GroupVersionKind>();
  const sorted = () => [...found.values()].sort((a, b) => cmp(a.group, b.group) || cmp(a.version, b.version) || cmp(a.kind, b.kind));
  let count = 0;
  for (const rule of spec.matchConstraints?.resourceRules ?? []) {
    const groups = rule.apiGroups ?? [];
    const versions = rule.apiVersions ?? [];
    if (groups.some((g) => g.includes('*')) || versions.some((v) => v.includes('*'))) continue;
    const resources = (rule.resources ?? []).filter((r) => !/[*/]/.test(r));
    for (const group of [...groups].sort()) {
      for (const version of [...versions].sort()) {
        for (const resource of [...resources].sort()) {
          for (const kind of source.kindsFor(group, version, resource)) {
            found.set(`${group}/${version}/${kind}`, { group, version, kind });
            if (++count === MAX_TYPES_TO_CHECK) return sorted();
          }
        }
      }
    }
  }
  return sorted();
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The paramKind's group-version-kind, when it parses. */
function paramsGVK(spec: ValidatingAdmissionPolicySpec): GroupVersionKind | undefined {
  const kind = spec.paramKind;
  if (!kind?.kind || !kind.apiVersion) return undefined;
  const parts = kind.apiVersion.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) return undefined;
  return parts.length === 1 ? { group: '', version: parts[0], kind: kind.kind } : { group: parts[0], version: parts[1], kind: kind.kind };
}

/** One expression against one object schema: cel-go's issue text, or undefined when it checks. */
function checkExpression(expression: string, object: JSONSchemaProps, params: JSONSchemaProps | undefined): string | undefined {
  const { program } = compileAdmissionExpression(expression);
  // Expressions that do not compile at all were refused by validation; nothing more to say here.
  const ast = (program as { ast?: unknown } | undefined)?.ast;
  if (!ast) return undefined;
  const scope = new Map<string, JSONSchemaProps | undefined>([['object', object], ['oldObject', object], ['params', params]]);
  const error = checkFieldsInScope(ast, scope);
  return error ? celIssue(expression, error.offset, error.message) : undefined;
}

/** TypeChecker.Check: the policy's expression warnings (empty when every expression checks). */
export function typeCheckPolicy(spec: ValidatingAdmissionPolicySpec, source: SchemaSource): ExpressionWarning[] {
  const kinds: Array<{ gvk: GroupVersionKind; schema: JSONSchemaProps }> = [];
  for (const gvk of typesToCheck(spec, source)) {
    const schema = source.schemaFor(gvk);
    if (schema) kinds.push({ gvk, schema });
  }
  if (kinds.length === 0) return [];
  const paramGVK = paramsGVK(spec);
  const params = paramGVK ? source.schemaFor(paramGVK) : undefined;
  const check = (expression: string): string | undefined => {
    const results: string[] = [];
    for (const { gvk, schema } of kinds) {
      const issue = checkExpression(expression, schema, params);
      if (issue) results.push(`${gvkString(gvk)}: ${issue}\n`);
    }
    return results.length > 0 ? results.join('\n') : undefined;
  };
  const warnings: ExpressionWarning[] = [];
  (spec.validations ?? []).forEach((v, i) => {
    const expressionWarning = check(v.expression ?? '');
    if (expressionWarning) warnings.push({ fieldRef: `spec.validations[${i}].expression`, warning: expressionWarning });
    if (!v.messageExpression) return;
    const messageWarning = check(v.messageExpression);
    if (messageWarning) warnings.push({ fieldRef: `spec.validations[${i}].messageExpression`, warning: messageWarning });
  });
  return warnings;
}
