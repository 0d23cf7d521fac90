// x-kubernetes-validations (apiextensions-apiserver v0.32.9 pkg/apiserver/schema/cel/validation.go and
// compilation.go, checks in pkg/apis/apiextensions/validation/validation.go): rules compiled once per
// schema node; at runtime evaluated bottom of the object up (node, then its fields, items, values) with
// `self` the node's value typed by its schema (integer → int, number → double, date/date-time →
// timestamp, byte → bytes), `oldSelf` the correlated old value on update. Transition rules (using oldSelf)
// run only when an old value exists, unless optionalOldSelf. Messages: message, messageExpression (falls
// back to message on error or an empty result), reason → the error type, fieldPath → the error's field.
// Cost: rules whose static estimate exceeds kube's limits are refused at CRD validation; at runtime each
// evaluation's cost is computed from the actual value first (cel-runtime-cost.ts) against kube's per-call
// limit and per-request budget, with kube's messages; a wall-clock budget per request backs this up.
import { Optional, serialize, type Environment } from '@marcbachmann/cel-js';
import type { FieldError } from '../../endpoints/status.js';
import { duplicate, forbidden, invalid, required } from './errors.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { newKubeCelEnvironment } from './cel-library.js';
import { costErrorMessage, estimateCost, STATIC_ESTIMATED_COST_LIMIT, STATIC_ESTIMATED_CRD_COST_LIMIT } from './cel-cost.js';
import { jsonEqual, NO_OLD, oldField, oldMapListItem, type Old } from './equality.js';
import { isDate, isDateTime } from './formats.js';
import { celName } from './cel-escaping.js';
import { celIssue, celTypeOf, checkFields } from './cel-fields.js';
import { PER_CALL_LIMIT, RUNTIME_CEL_COST_BUDGET, runtimeCost } from './cel-runtime-cost.js';
import { isObject, itemsSchema, type JSONSchemaProps, type ValidationRule } from './types.js';

type Program = ((ctx: Record<string, unknown>) => unknown) & { ast: unknown; check?: () => unknown };

interface CompiledRule {
  rule: ValidationRule;
  program: Program;
  usesOldSelf: boolean;
  messageProgram?: Program;
  fieldPath: string;
}

export interface CelNode {
  schema: JSONSchemaProps;
  rules: CompiledRule[];
  properties?: Map<string, CelNode>;
  additional?: CelNode;
  items?: CelNode;
  isRoot: boolean;
}

export interface CelCompilation {
  root?: CelNode;
  /** CRD validation errors (compile errors, costs, fieldPath, oldSelf placement), with kube's paths. */
  errors: FieldError[];
  totalCost: number;
}

const envs: (Environment | undefined)[] = [];
const env = (optionalOldSelf = false) => (envs[Number(optionalOldSelf)] ??= newKubeCelEnvironment(optionalOldSelf));

/** A wall-clock backstop per request, beside the cost budget. */
export const RUNTIME_BUDGET_MS = 1000;

const child = (p: string, k: string) => (p ? `${p}.${k}` : k);

function usesIdentifier(ast: unknown, name: string): boolean {
  if (Array.isArray(ast)) return ast.some((a) => usesIdentifier(a, name));
  if (!ast || typeof ast !== 'object') return false;
  const node = ast as { op?: string; args?: unknown };
  if (node.op === 'id' && node.args === name) return true;
  return usesIdentifier(node.args, name);
}

/** Renames calls of `matches` to the RE2 implementation (cel-js's own uses JS RegExp syntax). */
function rewriteMatches(ast: unknown): boolean {
  let changed = false;
  const visit = (x: unknown) => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (!x || typeof x !== 'object') return;
    const node = x as { op?: string; args?: unknown[] };
    if ((node.op === 'rcall' || node.op === 'call') && Array.isArray(node.args) && node.args[0] === 'matches') {
      if (node.op === 'call') {
        // matches(s, re) → s.re2matches(re)
        const [, callArgs] = node.args as [string, unknown[]];
        if (Array.isArray(callArgs) && callArgs.length === 2) {
          node.op = 'rcall';
          node.args = ['re2matches', callArgs[0], [callArgs[1]]];
          changed = true;
        }
      } else {
        node.args[0] = 're2matches';
        changed = true;
      }
    }
    visit(node.args);
  };
  visit(ast);
  return changed;
}

function compileExpression(expr: string, optionalOldSelf = false): Program {
  const program = env(optionalOldSelf).parse(expr) as unknown as Program;
  if (expr.includes('matches')) {
    const ast = structuredClone(program.ast);
    if (rewriteMatches(ast)) return env(optionalOldSelf).parse(serialize(ast as never)) as unknown as Program;
  }
  return program;
}

/** Go's %#v of the internal ValidationRule, as kube prints it in compile errors. */
function ruleValue(rule: ValidationRule): { toGo: string } {
  const ptr = (v: unknown, type: string) => (v === undefined ? `(*${type})(nil)` : `(*${type})(0xc000000000)`);
  return {
    toGo: `apiextensions.ValidationRule{Rule:${goQuote(rule.rule ?? '')}, Message:${goQuote(rule.message ?? '')}, MessageExpression:${goQuote(rule.messageExpression ?? '')}, Reason:${ptr(rule.reason, 'apiextensions.FieldValueErrorReason')}, FieldPath:${goQuote(rule.fieldPath ?? '')}, OptionalOldSelf:${ptr(rule.optionalOldSelf, 'bool')}}`,
  };
}

function invalidRule(path: string, rule: ValidationRule, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: path, detail: `Invalid value: ${ruleValue(rule).toGo}: ${detail}` };
}

function celErrorText(err: unknown): string {
  const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return msg.replace(/^No such key/, 'no such key');
}

/** Parses a rule's fieldPath (".a.b", ".a['k']") against the schema; returns kube's normalized path. */
export function normalizeFieldPath(fieldPath: string, schema: JSONSchemaProps): string | undefined {
  const parts: string[] = [];
  let s: JSONSchemaProps | undefined = schema;
  let rest = fieldPath.trim();
  if (!rest.startsWith('.') && !rest.startsWith('[')) return undefined;
  while (rest.length) {
    let m: RegExpExecArray | null;
    if ((m = /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(rest))) {
      const name = m[1];
      const next: JSONSchemaProps | undefined = s?.properties?.[name];
      if (!next) return undefined;
      parts.push(parts.length ? `.${name}` : name);
      s = next;
    } else if ((m = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest))) {
      const key = m[1].replace(/\\(.)/g, '$1');
      const next: JSONSchemaProps | undefined = s?.properties?.[key] ?? (typeof s?.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (!next) return undefined;
      parts.push(s?.properties?.[key] ? (parts.length ? `.${key}` : key) : `[${key}]`);
      s = next;
    } else return undefined;
    rest = rest.slice(m[0].length);
  }
  return parts.join('');
}

interface CompileScope {
  errors: FieldError[];
  total: { cost: number; mostExpensive: { path: string; cost: number }[] };
  uncorrelatable?: string;
}

function compileNode(schema: JSONSchemaProps, path: string, scope: CompileScope, isRoot: boolean): CelNode | undefined {
  const node: CelNode = { schema, rules: [], isRoot };
  const rules = schema['x-kubernetes-validations'] ?? [];
  rules.forEach((rule, i) => {
    const rulePath = `${child(path, 'x-kubernetes-validations')}[${i}]`;
    if (!rule.rule || !rule.rule.trim()) return void scope.errors.push(required(child(rulePath, 'rule'), 'rule is not specified'));
    let program: Program;
    try {
      program = compileExpression(rule.rule, rule.optionalOldSelf === true);
      const checked = program.check?.() as { valid: boolean; type?: string; error?: Error } | undefined;
      if (checked && !checked.valid) throw checked.error ?? new Error('type check failed');
      const fieldError = checkFields(program.ast, celTypeOf(schema, isRoot));
      if (fieldError) return void scope.errors.push(invalidRule(child(rulePath, 'rule'), rule, `compilation failed: ${celIssue(rule.rule, fieldError.offset, fieldError.message)}`));
      if (checked?.type && checked.type !== 'bool' && checked.type !== 'dyn') {
        return void scope.errors.push(invalidRule(child(rulePath, 'rule'), rule, 'cel expression must evaluate to a bool'));
      }
    } catch (err) {
      return void scope.errors.push(invalidRule(child(rulePath, 'rule'), rule, `compilation failed: ERROR: <input>: ${celErrorText(err)}`));
    }
    const cost = estimateCost(program.ast, schema);
    if (cost > STATIC_ESTIMATED_COST_LIMIT) scope.errors.push(forbidden(child(rulePath, 'rule'), costErrorMessage('estimated rule cost', cost, STATIC_ESTIMATED_COST_LIMIT)));
    scope.total.cost += cost;
    // kube keeps the (up to 4) most expensive rules contributing at least 1% of the CRD limit.
    if (cost >= STATIC_ESTIMATED_CRD_COST_LIMIT / 100) {
      scope.total.mostExpensive.push({ path: child(rulePath, 'rule'), cost });
      scope.total.mostExpensive.sort((a, b) => b.cost - a.cost);
      scope.total.mostExpensive.length = Math.min(scope.total.mostExpensive.length, 4);
    }
    const usesOldSelf = usesIdentifier(program.ast, 'oldSelf');
    if (usesOldSelf && scope.uncorrelatable !== undefined) {
      scope.errors.push(invalid(child(rulePath, 'rule'), rule.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${scope.uncorrelatable}`));
    }
    if (rule.optionalOldSelf !== undefined && !usesOldSelf) scope.errors.push(invalid(child(rulePath, 'optionalOldSelf'), rule.optionalOldSelf, 'may not be set if oldSelf is not used in rule'));
    let messageProgram: Program | undefined;
    if (rule.messageExpression) {
      try {
        messageProgram = compileExpression(rule.messageExpression);
        const checked = messageProgram.check?.() as { valid: boolean; type?: string; error?: Error } | undefined;
        if (checked && !checked.valid) throw checked.error ?? new Error('type check failed');
        if (checked?.type && checked.type !== 'string' && checked.type !== 'dyn') {
          scope.errors.push(invalidRule(child(rulePath, 'messageExpression'), rule, 'messageExpression must evaluate to a string'));
        }
      } catch (err) {
        scope.errors.push(invalidRule(child(rulePath, 'messageExpression'), rule, `messageExpression compilation failed: ERROR: <input>: ${celErrorText(err)}`));
      }
    }
    let fieldPath = '';
    if (rule.fieldPath) {
      const normalized = normalizeFieldPath(rule.fieldPath, schema);
      if (normalized === undefined) return void scope.errors.push(invalid(child(rulePath, 'fieldPath'), rule.fieldPath, 'fieldPath must be a valid path'));
      fieldPath = normalized;
    }
    node.rules.push({ rule, program, usesOldSelf, messageProgram, fieldPath });
  });

  let any = node.rules.length > 0;
  const atomicMap = schema['x-kubernetes-map-type'] === 'atomic';
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    const subScope = atomicMap && scope.uncorrelatable === undefined ? { ...scope, uncorrelatable: path } : scope;
    const c = compileNode(sub, `${child(path, 'properties')}[${k}]`, subScope, false);
    if (c) (node.properties ??= new Map()).set(k, c);
  }
  if (typeof schema.additionalProperties === 'object') {
    const subScope = atomicMap && scope.uncorrelatable === undefined ? { ...scope, uncorrelatable: path } : scope;
    node.additional = compileNode(schema.additionalProperties, child(path, 'additionalProperties'), subScope, false);
  }
  const items = itemsSchema(schema);
  if (items) {
    const correlatable = schema['x-kubernetes-list-type'] === 'map';
    const subScope = !correlatable && scope.uncorrelatable === undefined ? { ...scope, uncorrelatable: path } : scope;
    node.items = compileNode(items, child(path, 'items'), subScope, false);
  }
  any ||= !!node.properties || !!node.additional || !!node.items;
  return any ? node : undefined;
}

/** Compiles every rule of a version's schema; `path` is where the schema sits in the CRD. */
export function compileCel(schema: JSONSchemaProps, path = 'spec.validation.openAPIV3Schema'): CelCompilation {
  const scope: CompileScope = { errors: [], total: { cost: 0, mostExpensive: [] } };
  const root = compileNode(schema, path, scope, true);
  if (scope.total.cost > STATIC_ESTIMATED_CRD_COST_LIMIT) {
    for (const expensive of scope.total.mostExpensive) scope.errors.push(forbidden(expensive.path, 'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema'));
    scope.errors.push(forbidden(path, costErrorMessage('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', scope.total.cost, STATIC_ESTIMATED_CRD_COST_LIMIT)));
  }
  return { root, errors: scope.errors, totalCost: scope.total.cost };
}

/** JSON → CEL value, typed by the schema. */
export function toCel(value: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (schema?.type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (typeof value === 'string') {
    if (schema?.type === 'string') {
      if ((schema.format === 'date-time' || schema.format === 'datetime') && isDateTime(value)) return new Date(value);
      if (schema.format === 'date' && isDate(value)) return new Date(`${value}T00:00:00Z`);
      if (schema.format === 'byte') return new Uint8Array(Buffer.from(value, 'base64'));
    }
    return value;
  }
  if (Array.isArray(value)) {
    const items = itemsSchema(schema);
    return value.map((v) => toCel(v, items));
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    const additional = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    const props = schema?.properties;
    for (const k of Object.keys(value)) {
      const prop = props?.[k];
      if (prop) {
        // Declared properties are fields, under their escaped names; map keys stay as they are.
        const name = celName(k);
        if (name !== undefined) out[name] = toCel(value[k], prop);
      } else out[k] = toCel(value[k], additional);
    }
    return out;
  }
  return value;
}

interface Run {
  errs: FieldError[];
  /** Remaining cost budget of the request (kube's RuntimeCELCostBudget). */
  budget: number;
  deadline: number;
  exhausted: boolean;
  ratchet: boolean;
}

function errorForReason(path: string, type: string, detail: string, reason: ValidationRule['reason']): FieldError {
  switch (reason) {
    case 'FieldValueForbidden': return forbidden(path, detail);
    case 'FieldValueRequired': return required(path, detail);
    case 'FieldValueDuplicate': return duplicate(path, type);
    default: return invalid(path, type, detail);
  }
}

const ruleErrorString = (rule: ValidationRule) => (rule.message ? rule.message.trim() : rule.rule.trim());
const ruleMessageOrDefault = (rule: ValidationRule) => (rule.message ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`);

function evaluateRules(node: CelNode, path: string, value: unknown, old: Old, run: Run): void {
  const type = node.schema.type ?? '';
  if (Date.now() > run.deadline) {
    run.errs.push(invalid(path, type, 'validation failed due to running out of cost budget, no further validation rules will be run'));
    run.exhausted = true;
    return;
  }
  const self = toCel(value, node.schema);
  const hasOld = old !== NO_OLD && old !== null;
  const oldSelf = hasOld ? toCel(old, node.schema) : null;
  const unchanged = run.ratchet && hasOld && jsonEqual(value, old);
  for (const compiled of node.rules) {
    const { rule } = compiled;
    if (compiled.usesOldSelf && !hasOld && !rule.optionalOldSelf) continue;
    const ctx = rule.optionalOldSelf ? { self, oldSelf: hasOld ? Optional.of(oldSelf) : Optional.none() } : { self, oldSelf };
    // Cost first: a rule that would cost more than a call may, or than the request has left, is not run.
    const cost = runtimeCost(compiled.program.ast, { self: value, oldSelf: hasOld ? old : null }, Math.min(PER_CALL_LIMIT, run.budget));
    if (cost === Infinity) {
      run.exhausted = true;
      if (run.budget < PER_CALL_LIMIT) run.errs.push(invalid(path, type, 'validation failed due to running out of cost budget, no further validation rules will be run'));
      else run.errs.push(invalid(path, type, `'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(rule)}`));
      return;
    }
    run.budget -= cost;
    let result: unknown;
    try {
      result = compiled.program(ctx);
    } catch (err) {
      const text = celErrorText(err);
      if (/^(no such overload|found no matching overload)/.test(text)) {
        run.errs.push(invalid(path, type, `'${text}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(rule)}`));
      } else run.errs.push(invalid(path, type, `${text} evaluating rule: ${ruleErrorString(rule)}`));
      continue;
    }
    if (result === true) continue;
    const fieldPath = compiled.fieldPath ? child(path, compiled.fieldPath).replace(/\.\[/g, '[') : path;
    let detail = ruleMessageOrDefault(rule);
    if (compiled.messageProgram) {
      try {
        const msg = compiled.messageProgram({ self, oldSelf });
        if (typeof msg === 'string' && msg.trim() && !/[\n\r]/.test(msg.trim()) && msg.trim().length <= 5 * 1024) detail = msg.trim();
      } catch {
        // kube logs the failure and uses the message (or the default) instead.
      }
    }
    // Ratcheting: errors of rules without oldSelf on an unchanged value are only warnings in kube.
    if (!compiled.usesOldSelf && unchanged) continue;
    run.errs.push(errorForReason(fieldPath, type, detail, rule.reason));
  }
}

function walk(node: CelNode, path: string, value: unknown, old: Old, run: Run): void {
  if (value === null || value === undefined || run.exhausted) return;
  if (node.rules.length) evaluateRules(node, path, value, old, run);
  if (run.exhausted) return;
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items) return;
    const correlatable = node.schema['x-kubernetes-list-type'] === 'map';
    for (let i = 0; i < value.length && !run.exhausted; i++) {
      walk(items, `${path}[${i}]`, value[i], correlatable ? oldMapListItem(node.schema, old, value[i]) : NO_OLD, run);
    }
  } else if (isObject(value)) {
    const correlatable = node.schema['x-kubernetes-map-type'] !== 'atomic';
    if (node.additional) {
      for (const k of Object.keys(value)) {
        if (node.schema.properties?.[k]) continue;
        walk(node.additional, `${path}[${k}]`, value[k], correlatable ? oldField(old, k) : NO_OLD, run);
        if (run.exhausted) return;
      }
    }
    if (node.properties) {
      for (const [k, sub] of node.properties) {
        if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
        walk(sub, child(path, k), value[k], correlatable ? oldField(old, k) : NO_OLD, run);
        if (run.exhausted) return;
      }
    }
  }
}

/** Runs the compiled rules over an object (and its old version on update). */
export function validateCel(root: CelNode | undefined, obj: unknown, old: Old = NO_OLD, opts: { ratchet?: boolean; budgetMs?: number; costBudget?: number } = {}): FieldError[] {
  if (!root) return [];
  const run: Run = { errs: [], budget: opts.costBudget ?? RUNTIME_CEL_COST_BUDGET, deadline: Date.now() + (opts.budgetMs ?? RUNTIME_BUDGET_MS), exhausted: false, ratchet: opts.ratchet ?? true };
  walk(root, '', obj, old, run);
  return run.errs;
}

