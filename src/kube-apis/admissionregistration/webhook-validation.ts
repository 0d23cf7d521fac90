// kube's validation of Mutating/ValidatingWebhookConfiguration (admissionregistration v1, 1.32):
// each webhook's name fully qualified and unique, clientConfig url XOR service (https only),
// sideEffects None/NoneOnDryRun, admissionReviewVersions naming v1 or v1beta1, timeoutSeconds 1..30,
// rules, policies, selectors and matchConditions.
import type { FieldError } from '../../endpoints/status.js';
import { childPath, fieldDuplicate, fieldInvalid, fieldNotSupported, fieldRequired, keyPath } from '../../registry/validation/field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../../registry/validation/names.js';
import { validateLabelSelector } from '../../registry/validation/label-selector.js';
import { validateRuleWithOperations } from './rule-validation.js';
import { validateWebhookService, validateWebhookURL, validateReviewVersions } from '../../registry/validation/webhook-client-config.js';
import { validateMatchConditions } from './match-conditions.js';
import type { Webhook, WebhookConfiguration } from './types.js';

export const ACCEPTED_ADMISSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];
const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const NO_SIDE_EFFECT_CLASSES = ['None', 'NoneOnDryRun'];

/** utilvalidation.IsFullyQualifiedName */
export function isFullyQualifiedName(path: string, name: string): FieldError[] {
  if (name.length === 0) return [fieldRequired(path)];
  const errs = isDNS1123Subdomain(name);
  if (errs.length > 0) return [fieldInvalid(path, name, errs.join(','))];
  if (name.split('.').length < 3) return [fieldInvalid(path, name, 'should be a domain with at least three segments separated by dots')];
  return [];
}

function validateWebhook(hook: Webhook, path: string, mutating: boolean): FieldError[] {
  const errors = isFullyQualifiedName(childPath(path, 'name'), hook.name ?? '');
  (hook.rules ?? []).forEach((rule, i) => errors.push(...validateRuleWithOperations(rule, keyPath(childPath(path, 'rules'), i))));
  if (hook.failurePolicy !== undefined && !FAILURE_POLICIES.includes(hook.failurePolicy)) errors.push(fieldNotSupported(childPath(path, 'failurePolicy'), hook.failurePolicy, FAILURE_POLICIES));
  if (hook.matchPolicy !== undefined && !MATCH_POLICIES.includes(hook.matchPolicy)) errors.push(fieldNotSupported(childPath(path, 'matchPolicy'), hook.matchPolicy, MATCH_POLICIES));
  if (hook.sideEffects === undefined || hook.sideEffects === '') {
    errors.push(fieldRequired(childPath(path, 'sideEffects'), `must specify one of ${NO_SIDE_EFFECT_CLASSES.join(', ')}`));
  } else if (!NO_SIDE_EFFECT_CLASSES.includes(hook.sideEffects)) {
    errors.push(fieldNotSupported(childPath(path, 'sideEffects'), hook.sideEffects, NO_SIDE_EFFECT_CLASSES));
  }
  if (hook.timeoutSeconds !== undefined && (hook.timeoutSeconds > 30 || hook.timeoutSeconds < 1)) {
    errors.push(fieldInvalid(childPath(path, 'timeoutSeconds'), hook.timeoutSeconds, 'the timeout value must be between 1 and 30 seconds'));
  }
  if (hook.namespaceSelector) errors.push(...validateLabelSelector(hook.namespaceSelector, {}, childPath(path, 'namespaceSelector')));
  if (hook.objectSelector) errors.push(...validateLabelSelector(hook.objectSelector, {}, childPath(path, 'objectSelector')));
  if (mutating && hook.reinvocationPolicy !== undefined && !REINVOCATION_POLICIES.includes(hook.reinvocationPolicy)) {
    errors.push(fieldNotSupported(childPath(path, 'reinvocationPolicy'), hook.reinvocationPolicy, REINVOCATION_POLICIES));
  }
  const cc = hook.clientConfig ?? {};
  const ccPath = childPath(path, 'clientConfig');
  const hasURL = cc.url !== undefined && cc.url !== null;
  const hasService = cc.service !== undefined && cc.service !== null;
  if (hasURL === hasService) errors.push(fieldRequired(ccPath, 'exactly one of url or service is required'));
  else if (hasURL) errors.push(...validateWebhookURL(childPath(ccPath, 'url'), cc.url!, true));
  else {
    const svc = cc.service!;
    errors.push(...validateWebhookService(childPath(ccPath, 'service'), svc.namespace ?? '', svc.name ?? '', svc.path, svc.port ?? 443));
  }
  if (hook.matchConditions) errors.push(...validateMatchConditions(hook.matchConditions, childPath(path, 'matchConditions')));
  return errors;
}

/** validateMutatingWebhookConfiguration / validateValidatingWebhookConfiguration (object metadata is checked by the store). */
export function validateWebhookConfiguration(config: WebhookConfiguration, mutating: boolean): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (config.webhooks ?? []).forEach((hook, i) => {
    const path = keyPath('webhooks', i);
    errors.push(...validateWebhook(hook, path, mutating));
    errors.push(...validateReviewVersions(childPath(path, 'admissionReviewVersions'), hook.admissionReviewVersions ?? [], ACCEPTED_ADMISSION_REVIEW_VERSIONS, `must specify one of ${ACCEPTED_ADMISSION_REVIEW_VERSIONS.join(', ')}`));
    const name = hook.name ?? '';
    if (name.length > 0) {
      if (names.has(name)) errors.push(fieldDuplicate(childPath(path, 'name'), name));
      else names.add(name);
    }
  });
  return errors;
}

/** kube's v1 defaults (SetDefaults_ValidatingWebhook / MutatingWebhook, Rule, ServiceReference). */
export function defaultWebhookConfiguration(config: WebhookConfiguration, mutating: boolean): void {
  for (const hook of config.webhooks ?? []) {
    if (!hook || typeof hook !== 'object') continue;
    hook.failurePolicy ??= 'Fail';
    hook.matchPolicy ??= 'Equivalent';
    hook.namespaceSelector ??= {};
    hook.objectSelector ??= {};
    hook.timeoutSeconds ??= 10;
    if (mutating) hook.reinvocationPolicy ??= 'Never';
    for (const rule of hook.rules ?? []) if (rule && typeof rule === 'object') rule.scope ??= '*';
    const svc = hook.clientConfig?.service;
    if (svc && typeof svc === 'object') svc.port ??= 443;
  }
}
