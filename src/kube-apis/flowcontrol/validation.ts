// kube's flowcontrol validation (pkg/apis/flowcontrol/validation) for v1 FlowSchemas and
// PriorityLevelConfigurations, with kube's field paths and messages. The mandatory objects' specs are
// fixed: anything but the bootstrap value is Invalid.
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, goStringSlice, GoLiteral } from '../../registry/validation/field-errors.js';
import { nameIsDNSSubdomain, validateNamespaceName, validateServiceAccountName } from '../../registry/validation/names.js';
import { mandatoryFlowSchema, mandatoryPriorityLevel } from './bootstrap.js';

const MAX_MATCHING_PRECEDENCE = 10000;
const MAX_QUEUES = 10_000_000;
const MAX_HASH_BITS = 60;
const SUPPORTED_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'proxy', 'update', 'watch'];
const NS_ERR_INTRO = "each member of this list must be '*' or a DNS-1123 label; ";

type Json = Record<string, any>;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).map((x) => String(x));
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

/** How kube prints a struct value it reports as Invalid (not byte-for-byte Go's %#v). */
const structValue = (type: string, value: unknown) => new GoLiteral(`${type}${JSON.stringify(value ?? {})}`);

function validateConditions(status: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  list(obj(status)?.conditions).forEach((c, i) => {
    const type = String(obj(c)?.type ?? '');
    if (seen.has(type)) errors.push(fieldDuplicate(`status.conditions[${i}].type`, type));
    seen.add(type);
    if (!type) errors.push(fieldRequired(`status.conditions[${i}].type`, 'must not be empty'));
  });
  return errors;
}

function validateVerbs(verbs: string[], path: string): FieldError[] {
  if (verbs.length === 0) return [fieldRequired(`${path}.verbs`, 'verbs must contain at least one value')];
  if (verbs.includes('*')) return verbs.length > 1 ? [fieldInvalid(`${path}.verbs`, goStringSlice(verbs), "if '*' is present, must not specify other verbs")] : [];
  if (!verbs.every((v) => SUPPORTED_VERBS.includes(v))) return [fieldNotSupported(`${path}.verbs`, goStringSlice(verbs), SUPPORTED_VERBS)];
  return [];
}

/** ValidateNonResourceURLPath */
function validateNonResourceURL(url: string, path: string): FieldError | undefined {
  if (url === '') return fieldInvalid(path, url, 'must not be empty');
  if (url === '/') return undefined;
  if (!url.startsWith('/')) return fieldInvalid(path, url, 'must start with slash');
  if (url.includes(' ')) return fieldInvalid(path, url, 'must not contain white-space');
  if (url.includes('//')) return fieldInvalid(path, url, 'must not contain double slash');
  const wildcards = url.split('*').length - 1;
  if (wildcards > 1 || (wildcards === 1 && !url.endsWith('/*'))) return fieldInvalid(path, url, 'wildcard can only do suffix matching');
  return undefined;
}

function validateResourceRule(rule: Json, path: string): FieldError[] {
  const errors = validateVerbs(strings(rule.verbs), path);
  const groups = strings(rule.apiGroups);
  if (groups.length === 0) errors.push(fieldRequired(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  else if (groups.length > 1 && groups.includes('*')) errors.push(fieldInvalid(`${path}.apiGroups`, goStringSlice(groups), "if '*' is present, must not specify other api groups"));
  const resources = strings(rule.resources);
  if (resources.length === 0) errors.push(fieldRequired(`${path}.resources`, 'resource rules must supply at least one resource'));
  else if (resources.length > 1 && resources.includes('*')) errors.push(fieldInvalid(`${path}.resources`, goStringSlice(resources), "if '*' is present, must not specify other resources"));
  const namespaces = strings(rule.namespaces);
  if (namespaces.length === 0 && rule.clusterScope !== true) {
    errors.push(fieldRequired(`${path}.namespaces`, 'resource rules that are not cluster scoped must supply at least one namespace'));
  } else if (namespaces.includes('*')) {
    if (namespaces.length > 1) errors.push(fieldInvalid(`${path}.namespaces`, goStringSlice(namespaces), "if '*' is present, must not specify other namespaces"));
  } else {
    namespaces.forEach((ns, i) => {
      for (const msg of validateNamespaceName(ns, false)) errors.push(fieldInvalid(`${path}.namespaces[${i}]`, ns, NS_ERR_INTRO + msg));
    });
  }
  return errors;
}

function validateNonResourceRule(rule: Json, path: string): FieldError[] {
  const errors = validateVerbs(strings(rule.verbs), path);
  const urls = strings(rule.nonResourceURLs);
  if (urls.length === 0) errors.push(fieldRequired(`${path}.nonResourceURLs`, 'nonResourceURLs must contain at least one value'));
  else if (urls.includes('*')) {
    if (urls.length > 1) errors.push(fieldInvalid(`${path}.nonResourceURLs`, goStringSlice(urls), "if '*' is present, must not specify other non-resource URLs"));
  } else {
    urls.forEach((url, i) => {
      const err = validateNonResourceURL(url, `${path}.nonResourceURLs[${i}]`);
      if (err) errors.push(err);
    });
  }
  return errors;
}

const SUBJECT_MEMBERS = { User: 'user', Group: 'group', ServiceAccount: 'serviceAccount' } as const;

function validateSubject(subject: Json, path: string): FieldError[] {
  const kind = subject.kind as keyof typeof SUBJECT_MEMBERS;
  const member = SUBJECT_MEMBERS[kind];
  if (!member) return [fieldNotSupported(`${path}.kind`, String(subject.kind ?? ''), ['Group', 'ServiceAccount', 'User'])];
  const errors: FieldError[] = [];
  const own = obj(subject[member]);
  if (!own) errors.push(fieldRequired(`${path}.${member}`, `${member} is required when subject kind is '${kind}'`));
  else if (kind === 'ServiceAccount') {
    const name = String(own.name ?? '');
    if (!name) errors.push(fieldRequired(`${path}.serviceAccount.name`));
    else if (name !== '*') for (const msg of validateServiceAccountName(name, false)) errors.push(fieldInvalid(`${path}.serviceAccount.name`, name, msg));
    const namespace = String(own.namespace ?? '');
    if (namespace) for (const msg of validateNamespaceName(namespace, false)) errors.push(fieldInvalid(`${path}.serviceAccount.namespace`, namespace, msg));
    else errors.push(fieldRequired(`${path}.serviceAccount.namespace`, 'must specify namespace for service account'));
  } else if (!own.name) errors.push(fieldRequired(`${path}.${member}.name`));
  // kube checks the other members in the order serviceAccount/user/group minus its own.
  const order = kind === 'ServiceAccount' ? (['User', 'Group'] as const) : kind === 'User' ? (['ServiceAccount', 'Group'] as const) : (['ServiceAccount', 'User'] as const);
  for (const other of order) {
    const field = SUBJECT_MEMBERS[other];
    if (subject[field] != null) errors.push(fieldForbidden(`${path}.${field}`, `${field} is forbidden when subject kind is not '${other}'`));
  }
  return errors;
}

function validateFlowSchemaSpec(name: string, spec: Json): FieldError[] {
  const errors: FieldError[] = [];
  const precedence = Number(spec.matchingPrecedence ?? 0);
  if (precedence <= 0) errors.push(fieldInvalid('spec.matchingPrecedence', precedence, 'must be a positive value'));
  if (precedence > MAX_MATCHING_PRECEDENCE) errors.push(fieldInvalid('spec.matchingPrecedence', precedence, `must not be greater than ${MAX_MATCHING_PRECEDENCE}`));
  if (precedence === 1 && name !== 'exempt') errors.push(fieldInvalid('spec.matchingPrecedence', precedence, "only the schema named 'exempt' may have matchingPrecedence 1"));
  const dm = obj(spec.distinguisherMethod);
  if (dm && dm.type !== 'ByUser' && dm.type !== 'ByNamespace') {
    errors.push(fieldNotSupported('spec.distinguisherMethod.type', structValue('&flowcontrol.FlowDistinguisherMethod', dm), ['ByNamespace', 'ByUser']));
  }
  const plName = String(obj(spec.priorityLevelConfiguration)?.name ?? '');
  if (plName) for (const msg of nameIsDNSSubdomain(plName, false)) errors.push(fieldInvalid('spec.priorityLevelConfiguration.name', plName, msg));
  else errors.push(fieldRequired('spec.priorityLevelConfiguration.name', 'must reference a priority level'));
  list(spec.rules).forEach((raw, i) => {
    const rule = obj(raw) ?? {};
    const path = `spec.rules[${i}]`;
    const subjects = list(rule.subjects);
    if (subjects.length > 0) subjects.forEach((s, j) => errors.push(...validateSubject(obj(s) ?? {}, `${path}.subjects[${j}]`)));
    else errors.push(fieldRequired(`${path}.subjects`, 'subjects must contain at least one value'));
    const resourceRules = list(rule.resourceRules);
    const nonResourceRules = list(rule.nonResourceRules);
    if (resourceRules.length === 0 && nonResourceRules.length === 0) errors.push(fieldRequired(path, 'at least one of resourceRules and nonResourceRules has to be non-empty'));
    resourceRules.forEach((r, j) => errors.push(...validateResourceRule(obj(r) ?? {}, `${path}.resourceRules[${j}]`)));
    nonResourceRules.forEach((r, j) => errors.push(...validateNonResourceRule(obj(r) ?? {}, `${path}.nonResourceRules[${j}]`)));
  });
  return errors;
}

export function validateFlowSchema(fs: KubeObject): FieldError[] {
  const name = String(fs.metadata?.name ?? '');
  const spec = obj(fs.spec) ?? {};
  const errors = validateFlowSchemaSpec(name, spec);
  const mandatory = mandatoryFlowSchema(name);
  if (mandatory && !isDeepStrictEqual(normalize(spec), normalize(mandatory.spec))) {
    errors.push(fieldInvalid('spec', structValue('flowcontrol.FlowSchemaSpec', spec), `spec of '${name}' must equal the fixed value`));
  }
  errors.push(...validateConditions(fs.status));
  return errors;
}

/** Entropy shuffle sharding needs: ceil(log2(deckSize) * handSize) bits. */
function requiredEntropyBits(deckSize: number, handSize: number): number {
  return Math.ceil(Math.log2(deckSize) * handSize);
}

function validateQueuing(queuing: Json, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const queues = Number(queuing.queues ?? 0);
  const handSize = Number(queuing.handSize ?? 0);
  const queueLengthLimit = Number(queuing.queueLengthLimit ?? 0);
  if (queueLengthLimit <= 0) errors.push(fieldInvalid(`${path}.queueLengthLimit`, queueLengthLimit, 'must be positive'));
  if (queues <= 0) errors.push(fieldInvalid(`${path}.queues`, queues, 'must be positive'));
  else if (queues > MAX_QUEUES) errors.push(fieldInvalid(`${path}.queues`, queues, `must not be greater than ${MAX_QUEUES}`));
  if (handSize <= 0) errors.push(fieldInvalid(`${path}.handSize`, handSize, 'must be positive'));
  else if (handSize > queues) errors.push(fieldInvalid(`${path}.handSize`, handSize, `should not be greater than queues (${queues})`));
  else if (requiredEntropyBits(queues, handSize) > MAX_HASH_BITS) {
    errors.push(fieldInvalid(`${path}.handSize`, handSize, `required entropy bits of deckSize ${queues} and handSize ${handSize} should not be greater than ${MAX_HASH_BITS}`));
  }
  return errors;
}

function validateLimited(limited: Json, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const shares = Number(limited.nominalConcurrencyShares ?? 0);
  if (shares < 0) errors.push(fieldInvalid(`${path}.nominalConcurrencyShares`, shares, 'must be a non-negative integer'));
  const lendable = Number(limited.lendablePercent ?? 0);
  if (lendable < 0 || lendable > 100) errors.push(fieldInvalid(`${path}.lendablePercent`, lendable, 'must be between 0 and 100, inclusive'));
  if (limited.borrowingLimitPercent != null && Number(limited.borrowingLimitPercent) < 0) {
    errors.push(fieldInvalid(`${path}.borrowingLimitPercent`, Number(limited.borrowingLimitPercent), 'if specified, must be a non-negative integer'));
  }
  const response = obj(limited.limitResponse) ?? {};
  const rpath = `${path}.limitResponse`;
  if (response.type === 'Reject') {
    if (response.queuing != null) errors.push(fieldForbidden(`${rpath}.queuing`, 'must be nil if limited.limitResponse.type is not Limited'));
  } else if (response.type === 'Queue') {
    const queuing = obj(response.queuing);
    if (!queuing) errors.push(fieldRequired(`${rpath}.queuing`, 'must not be empty if limited.limitResponse.type is Limited'));
    else errors.push(...validateQueuing(queuing, `${rpath}.queuing`));
  } else errors.push(fieldNotSupported(`${rpath}.type`, String(response.type ?? ''), ['Queue', 'Reject']));
  return errors;
}

export function validatePriorityLevel(pl: KubeObject): FieldError[] {
  const name = String(pl.metadata?.name ?? '');
  const spec = obj(pl.spec) ?? {};
  const errors: FieldError[] = [];
  const type = String(spec.type ?? '');
  if ((name === 'exempt') !== (type === 'Exempt')) errors.push(fieldInvalid('spec.type', type, "type must be 'Exempt' if and only if name is 'exempt'"));
  if (type === 'Exempt') {
    if (spec.limited != null) errors.push(fieldForbidden('spec.limited', 'must be nil if the type is not Limited'));
    const exempt = obj(spec.exempt);
    if (exempt) {
      const shares = Number(exempt.nominalConcurrencyShares ?? 0);
      if (shares < 0) errors.push(fieldInvalid('spec.exempt.nominalConcurrencyShares', shares, 'must be a non-negative integer'));
      const lendable = Number(exempt.lendablePercent ?? 0);
      if (lendable < 0 || lendable > 100) errors.push(fieldInvalid('spec.exempt.lendablePercent', lendable, 'must be between 0 and 100, inclusive'));
    }
  } else if (type === 'Limited') {
    if (spec.exempt != null) errors.push(fieldForbidden('spec.exempt', 'must be nil if the type is Limited'));
    const limited = obj(spec.limited);
    if (!limited) errors.push(fieldRequired('spec.limited', 'must not be empty when type is Limited'));
    else errors.push(...validateLimited(limited, 'spec.limited'));
  } else errors.push(fieldNotSupported('spec.type', type, ['Exempt', 'Limited']));
  const mandatory = mandatoryPriorityLevel(name);
  if (mandatory && !isDeepStrictEqual(normalize(spec), normalize(mandatory.spec))) {
    errors.push(fieldInvalid('spec', structValue('flowcontrol.PriorityLevelConfigurationSpec', spec), `spec of '${name}' must equal the fixed value`));
  }
  errors.push(...validateConditions(pl.status));
  return errors;
}

/** Semantic equality ignores the difference between an absent field and an empty one. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(normalize);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) {
      const n = normalize(v);
      if (n !== undefined && n !== false && n !== '') out[k] = n;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}
