// Reads and validates --audit-policy-file as kube's policy.LoadPolicyFromFile does: an audit.k8s.io/v1
// Policy (YAML or JSON), validated field by field, with at least one rule. Errors stop the server.
import { readFile } from 'node:fs/promises';
import { load as loadYAML } from 'js-yaml';
import { AUDIT_API_VERSION, LEVELS, STAGES, type GroupResources, type Level, type Policy, type PolicyRule, type Stage } from './types.js';
import type { FieldError } from '../endpoints/status.js';
import { aggregateText, fieldInvalid, fieldNotSupported, fieldRequired, keyPath, childPath, goStringSlice } from '../registry/validation/field-errors.js';
import { isDNS1123Subdomain } from '../registry/validation/names.js';

export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new Error(`failed to read file path "${path}": ${(err as Error).message}`);
  }
  try {
    return parsePolicy(text);
  } catch (err) {
    throw new Error(`${(err as Error).message}: from file ${path}`);
  }
}

export function parsePolicy(text: string): Policy {
  let doc: unknown;
  try {
    doc = loadYAML(text);
  } catch (err) {
    throw new Error(`failed decoding: ${(err as Error).message}`);
  }
  if (!isRecord(doc)) throw new Error('failed decoding: Object \'Kind\' is missing');
  if (doc.apiVersion !== AUDIT_API_VERSION || doc.kind !== 'Policy') {
    throw new Error(`unknown group version field ${String(doc.apiVersion ?? '')}, Kind=${String(doc.kind ?? '')} in policy`);
  }
  const policy: Policy = {
    rules: Array.isArray(doc.rules) ? (doc.rules as unknown[]).map(toRule) : [],
    omitStages: stringList(doc.omitStages) as Stage[] | undefined,
    omitManagedFields: doc.omitManagedFields === true,
  };
  const errors = validatePolicy(policy);
  if (errors.length > 0) throw new Error(aggregateText(errors));
  if (policy.rules.length === 0) throw new Error('loaded illegal policy with 0 rules');
  return policy;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map((v) => String(v)) : undefined;
}

function toRule(value: unknown): PolicyRule {
  const raw = isRecord(value) ? value : {};
  return {
    level: (typeof raw.level === 'string' ? raw.level : '') as Level,
    users: stringList(raw.users),
    userGroups: stringList(raw.userGroups),
    verbs: stringList(raw.verbs),
    resources: Array.isArray(raw.resources)
      ? raw.resources.map((r): GroupResources => {
          const gr = isRecord(r) ? r : {};
          return { group: typeof gr.group === 'string' ? gr.group : '', resources: stringList(gr.resources), resourceNames: stringList(gr.resourceNames) };
        })
      : undefined,
    namespaces: stringList(raw.namespaces),
    nonResourceURLs: stringList(raw.nonResourceURLs),
    omitStages: stringList(raw.omitStages) as Stage[] | undefined,
    omitManagedFields: typeof raw.omitManagedFields === 'boolean' ? raw.omitManagedFields : undefined,
  };
}

/** validation.ValidatePolicy of k8s.io/apiserver/pkg/apis/audit. */
export function validatePolicy(policy: Policy): FieldError[] {
  const errors = validateOmitStages(policy.omitStages ?? [], 'omitStages');
  policy.rules.forEach((rule, i) => errors.push(...validateRule(rule, keyPath('rules', i))));
  return errors;
}

function validateRule(rule: PolicyRule, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const levelPath = childPath(path, 'level');
  if (!rule.level) errors.push(fieldRequired(levelPath));
  else if (!LEVELS.includes(rule.level)) errors.push(fieldNotSupported(levelPath, rule.level, LEVELS));
  const urls = rule.nonResourceURLs ?? [];
  const urlsPath = childPath(path, 'nonResourceURLs');
  urls.forEach((url, i) => {
    if (url === '*') return;
    if (!url.startsWith('/')) errors.push(fieldInvalid(keyPath(urlsPath, i), url, "non-resource URL rules must begin with a '/' character"));
    if (url !== '' && url.slice(0, -1).includes('*')) {
      errors.push(fieldInvalid(keyPath(urlsPath, i), url, "non-resource URL wildcards '*' must be the final character of the rule"));
    }
  });
  const resourcesPath = childPath(path, 'resources');
  for (const gr of rule.resources ?? []) {
    const group = gr.group ?? '';
    if (group !== '' && group !== '*') {
      const msgs = isDNS1123Subdomain(group);
      if (msgs.length > 0) errors.push(fieldInvalid(childPath(resourcesPath, 'group'), group, msgs.join(',')));
    }
    if ((gr.resourceNames ?? []).length > 0 && (gr.resources ?? []).length === 0) {
      errors.push(fieldInvalid(childPath(resourcesPath, 'resourceNames'), goStringSlice(gr.resourceNames), 'using resourceNames requires at least one resource'));
    }
  }
  errors.push(...validateOmitStages(rule.omitStages ?? [], childPath(path, 'omitStages')));
  if (urls.length > 0 && ((rule.resources ?? []).length > 0 || (rule.namespaces ?? []).length > 0)) {
    errors.push(fieldInvalid(urlsPath, goStringSlice(urls), 'rules cannot apply to both regular resources and non-resource URLs'));
  }
  return errors;
}

function validateOmitStages(stages: string[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  stages.forEach((stage, i) => {
    if (!(STAGES as readonly string[]).includes(stage)) errors.push(fieldInvalid(keyPath(path, i), stage, `allowed stages are ${STAGES.join(',')}`));
  });
  return errors;
}
