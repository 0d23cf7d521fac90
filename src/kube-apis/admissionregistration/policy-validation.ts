// kube's validation and v1 defaults of ValidatingAdmissionPolicy and ValidatingAdmissionPolicyBinding
// (pkg/apis/admissionregistration/validation, 1.32): matchConstraints with resource rules, CEL
// validations (bool), messageExpressions (string), variables, paramKind, and the binding's policyName,
// paramRef and validationActions.
import type { FieldError } from '../../endpoints/status.js';
import { childPath, fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, goStringSlice, keyPath } from '../../registry/validation/field-errors.js';
import { isCIdentifier, isQualifiedName } from '../../registry/validation/names.js';
import { compileAdmissionExpression, resultType } from '../../admission/cel/environment.js';
import { validateLabelSelector } from '../../registry/validation/label-selector.js';
import { validateRuleWithOperations } from './rule-validation.js';
import { validateCelExpression, validateMatchConditions } from './match-conditions.js';
import type { MatchResources, NamedRuleWithOperations, ValidatingAdmissionPolicyBindingSpec, ValidatingAdmissionPolicySpec } from './types.js';

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const REASONS = ['Forbidden', 'Invalid', 'RequestEntityTooLarge', 'Unauthorized'];
const VALIDATION_ACTIONS = ['Audit', 'Deny', 'Warn'];
const PARAM_NOT_FOUND_ACTIONS = ['Allow', 'Deny'];

function validateNamedRules(rules: readonly NamedRuleWithOperations[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  rules.forEach((rule, i) => errors.push(...validateRuleWithOperations(rule, keyPath(path, i))));
  return errors;
}

function validateMatchResources(mc: MatchResources, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (mc.matchPolicy === undefined || mc.matchPolicy === '') errors.push(fieldRequired(childPath(path, 'matchPolicy')));
  else if (!MATCH_POLICIES.includes(mc.matchPolicy)) errors.push(fieldNotSupported(childPath(path, 'matchPolicy'), mc.matchPolicy, MATCH_POLICIES));
  if (mc.namespaceSelector) errors.push(...validateLabelSelector(mc.namespaceSelector, {}, childPath(path, 'namespaceSelector')));
  else errors.push(fieldRequired(childPath(path, 'namespaceSelector')));
  if (mc.objectSelector) errors.push(...validateLabelSelector(mc.objectSelector, {}, childPath(path, 'objectSelector')));
  else errors.push(fieldRequired(childPath(path, 'objectSelector')));
  errors.push(...validateNamedRules(mc.resourceRules ?? [], childPath(path, 'resourceRules')));
  errors.push(...validateNamedRules(mc.excludeResourceRules ?? [], childPath(path, 'excludeResourceRules')));
  return errors;
}

const MAX_VALUE_EXPRESSION_LENGTH = 5 * 1024;

/** kube's validateAuditAnnotation: `<policy>/<key>` a qualified name; valueExpression a CEL string or null. */
function validateAuditAnnotations(annotations: NonNullable<ValidatingAdmissionPolicySpec['auditAnnotations']>, policyName: string): FieldError[] {
  const errors: FieldError[] = [];
  const keys = new Set<string>();
  annotations.forEach((a, i) => {
    const at = keyPath('spec.auditAnnotations', i);
    const key = a.key ?? '';
    if (policyName) for (const msg of isQualifiedName(`${policyName}/${key}`)) errors.push(fieldInvalid(childPath(at, 'key'), `${policyName}/${key}`, msg));
    else errors.push(fieldInvalid(childPath(at, 'key'), key, 'requires metadata.name be non-empty'));
    const expression = (a.valueExpression ?? '').trim();
    if (!expression) errors.push(fieldRequired(childPath(at, 'valueExpression'), 'valueExpression is not specified'));
    else if (expression.length > MAX_VALUE_EXPRESSION_LENGTH) errors.push(fieldRequired(childPath(at, 'valueExpression'), `must not exceed ${MAX_VALUE_EXPRESSION_LENGTH} bytes in length`));
    else {
      const compiled = compileAdmissionExpression(expression);
      const type = compiled.program ? resultType(compiled.program) : undefined;
      if (compiled.error !== undefined) errors.push(fieldInvalid(childPath(at, 'valueExpression'), a.valueExpression, `compilation failed: ${compiled.error}`));
      else if (type !== undefined && type !== 'dyn' && type !== 'string' && type !== 'null') errors.push(fieldInvalid(childPath(at, 'valueExpression'), a.valueExpression, 'must evaluate to one of [string null_type]'));
    }
    if (keys.has(key)) errors.push(fieldDuplicate(childPath(at, 'key'), key));
    keys.add(key);
  });
  return errors;
}

export function validatePolicySpec(spec: ValidatingAdmissionPolicySpec | undefined, policyName = ''): FieldError[] {
  const s = spec ?? {};
  const errors: FieldError[] = [];
  if (s.failurePolicy !== undefined && !FAILURE_POLICIES.includes(s.failurePolicy)) errors.push(fieldNotSupported('spec.failurePolicy', s.failurePolicy, FAILURE_POLICIES));
  if (s.paramKind) {
    if (!s.paramKind.kind) errors.push(fieldRequired('spec.paramKind.kind'));
    if (!s.paramKind.apiVersion) errors.push(fieldRequired('spec.paramKind.apiVersion'));
    else if (s.paramKind.apiVersion.split('/').length > 2 || s.paramKind.apiVersion.endsWith('/')) errors.push(fieldInvalid('spec.paramKind.apiVersion', s.paramKind.apiVersion, 'must be a valid group version'));
  }
  if (!s.matchConstraints) errors.push(fieldRequired('spec.matchConstraints'));
  else {
    errors.push(...validateMatchResources(s.matchConstraints, 'spec.matchConstraints'));
    if ((s.matchConstraints.resourceRules ?? []).length === 0) errors.push(fieldRequired('spec.matchConstraints.resourceRules'));
  }
  if (s.matchConditions) errors.push(...validateMatchConditions(s.matchConditions, 'spec.matchConditions'));
  (s.variables ?? []).forEach((v, i) => {
    const at = keyPath('spec.variables', i);
    if (!v.name) errors.push(fieldRequired(childPath(at, 'name')));
    else for (const msg of isCIdentifier(v.name)) errors.push(fieldInvalid(childPath(at, 'name'), v.name, msg));
    if (!(v.expression ?? '').trim()) errors.push(fieldRequired(childPath(at, 'expression')));
    else errors.push(...validateCelExpression(v.expression!, 'dyn', childPath(at, 'expression')));
  });
  const validations = s.validations ?? [];
  if (validations.length === 0 && (s.auditAnnotations ?? []).length === 0) errors.push(fieldRequired('spec.validations', 'validations or auditAnnotations must contain at least one item'));
  validations.forEach((v, i) => {
    const at = keyPath('spec.validations', i);
    const expression = (v.expression ?? '').trim();
    if (!expression) errors.push(fieldRequired(childPath(at, 'expression')));
    else errors.push(...validateCelExpression(expression, 'bool', childPath(at, 'expression')));
    if (v.message !== undefined && v.message.length > 0) {
      if (v.message.trim().length === 0) errors.push(fieldInvalid(childPath(at, 'message'), v.message, 'message must be non-empty if specified'));
      else if (/[\r\n]/.test(v.message)) errors.push(fieldInvalid(childPath(at, 'message'), v.message, 'message must not contain line breaks'));
    }
    if (v.reason !== undefined && !REASONS.includes(v.reason)) errors.push(fieldNotSupported(childPath(at, 'reason'), v.reason, REASONS));
    if (v.messageExpression !== undefined && v.messageExpression.trim().length > 0) {
      errors.push(...validateCelExpression(v.messageExpression, 'string', childPath(at, 'messageExpression'), { authorizer: false }));
    }
  });
  if (s.auditAnnotations) errors.push(...validateAuditAnnotations(s.auditAnnotations, policyName));
  return errors;
}

export function validateBindingSpec(spec: ValidatingAdmissionPolicyBindingSpec | undefined): FieldError[] {
  const s = spec ?? {};
  const errors: FieldError[] = [];
  if (!s.policyName) errors.push(fieldRequired('spec.policyName'));
  if (s.paramRef) {
    const p = s.paramRef;
    if (p.name && p.selector) errors.push(fieldForbidden('spec.paramRef.name', 'name and selector are mutually exclusive'));
    if (!p.name && !p.selector) errors.push(fieldRequired('spec.paramRef', 'one of name or selector must be set'));
    if (p.selector) errors.push(...validateLabelSelector(p.selector, {}, 'spec.paramRef.selector'));
    if (!p.parameterNotFoundAction) errors.push(fieldRequired('spec.paramRef.parameterNotFoundAction'));
    else if (!PARAM_NOT_FOUND_ACTIONS.includes(p.parameterNotFoundAction)) errors.push(fieldNotSupported('spec.paramRef.parameterNotFoundAction', p.parameterNotFoundAction, PARAM_NOT_FOUND_ACTIONS));
  }
  if (s.matchResources) errors.push(...validateMatchResources(s.matchResources, 'spec.matchResources'));
  const actions = s.validationActions ?? [];
  if (actions.length === 0) errors.push(fieldRequired('spec.validationActions'));
  const seen = new Set<string>();
  actions.forEach((a, i) => {
    if (seen.has(a)) errors.push(fieldDuplicate(keyPath('spec.validationActions', i), a));
    seen.add(a);
    if (!VALIDATION_ACTIONS.includes(a)) errors.push(fieldNotSupported(keyPath('spec.validationActions', i), a, VALIDATION_ACTIONS));
  });
  if (seen.has('Deny') && seen.has('Warn')) {
    errors.push(fieldInvalid('spec.validationActions', goStringSlice(actions), 'must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)'));
  }
  return errors;
}

function defaultMatchResources(mc: MatchResources | null | undefined): void {
  if (!mc || typeof mc !== 'object') return;
  mc.matchPolicy ??= 'Equivalent';
  mc.namespaceSelector ??= {};
  mc.objectSelector ??= {};
  for (const rule of [...(mc.resourceRules ?? []), ...(mc.excludeResourceRules ?? [])]) if (rule && typeof rule === 'object') rule.scope ??= '*';
}

export function defaultPolicySpec(spec: ValidatingAdmissionPolicySpec | undefined): void {
  if (!spec || typeof spec !== 'object') return;
  spec.failurePolicy ??= 'Fail';
  defaultMatchResources(spec.matchConstraints);
}

export function defaultBindingSpec(spec: ValidatingAdmissionPolicyBindingSpec | undefined): void {
  if (!spec || typeof spec !== 'object') return;
  defaultMatchResources(spec.matchResources);
  if (spec.paramRef && typeof spec.paramRef === 'object') spec.paramRef.parameterNotFoundAction ??= 'Deny';
}
