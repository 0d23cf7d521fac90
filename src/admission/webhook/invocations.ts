// Which webhooks of the current configurations a request calls, and as which resource and kind
// (kube's generic webhook source + ShouldCallHook + matchConditions), in configuration-name order.
import type { AdmissionAttributes } from '../interface.js';
import type { Webhook, WebhookConfiguration } from '../../kube-apis/admissionregistration/types.js';
import { newForbidden, newNotFound } from '../../endpoints/status.js';
import { isExemptAdmissionConfigurationResource, type GroupVersionKind } from '../rules.js';
import { matchesNamespaceSelector, matchesObjectSelector, matchRules, type EquivalentResources, type Invocation, type MatchAttributes, type NamespaceLabels } from '../match-resources.js';
import { evaluateMatchConditions } from './conditions.js';
import { admissionVariables } from '../cel/variables.js';
import type { Authorizer } from '../../auth/authorizer.js';
import type { ObjectCache } from '../object-cache.js';
import type { ServiceResolver } from '../../webhook/service-resolver.js';

export interface MatchDeps {
  equivalents: EquivalentResources;
  namespaceLabels: NamespaceLabels;
  /** Where webhooks behind a Service are reached (kube's endpoint routing). */
  resolver?: ServiceResolver;
  /** The server's authorizer, for the `authorizer` variable of CEL expressions. */
  authorizer?: Authorizer;
}

export interface WebhookInvocation extends Invocation {
  hook: Webhook;
  /** "<configuration>/<webhook>": a webhook's identity across calls (reinvocation). */
  id: string;
  configuration: string;
  /** The webhook's position among all webhooks of all configurations (kube's audit annotation index). */
  index: number;
}

/** The attributes rules are matched on: the resource of the request, the kind of the object it carries. */
export function matchAttributes(attrs: AdmissionAttributes): MatchAttributes {
  const def = attrs.resource;
  const sub = attrs.subresource ? def.subresources.find((s) => s.name === attrs.subresource) : undefined;
  const kind: GroupVersionKind = sub
    ? { group: sub.group ?? def.group, version: sub.version ?? def.version, kind: sub.kind }
    : { group: def.group, version: def.version, kind: def.kind };
  return {
    operation: attrs.operation,
    resource: { group: def.group, version: def.version, resource: def.resource },
    subresource: attrs.subresource,
    namespace: def.namespaced ? attrs.namespace : '',
    kind,
    object: attrs.object,
    oldObject: attrs.oldObject,
  };
}

/** The AdmissionRequest fields the `request` CEL variable carries. */
export function requestVariable(attrs: AdmissionAttributes, match: MatchAttributes, invocation: Invocation): Record<string, unknown> {
  const user: Record<string, unknown> = { username: attrs.user.name, groups: attrs.user.groups };
  if (attrs.user.uid) user.uid = attrs.user.uid;
  if (attrs.user.extra) user.extra = attrs.user.extra;
  return {
    kind: invocation.kind,
    resource: invocation.resource,
    subResource: attrs.subresource,
    requestKind: match.kind,
    requestResource: match.resource,
    requestSubResource: attrs.subresource,
    name: attrs.name,
    namespace: match.namespace,
    operation: attrs.operation,
    userInfo: user,
    dryRun: attrs.dryRun,
    options: attrs.options ?? null,
  };
}

/**
 * The webhooks whose rules and namespaceSelector take the request, in order (what does not depend on
 * the object: mutating webhooks check the rest on the object as earlier webhooks left it).
 */
export async function candidateInvocations(cache: ObjectCache, attrs: AdmissionAttributes, deps: MatchDeps): Promise<WebhookInvocation[]> {
  const configs = cache.items();
  if (configs.length === 0) return [];
  const match = matchAttributes(attrs);
  if (isExemptAdmissionConfigurationResource(match.resource)) return [];
  const out: WebhookInvocation[] = [];
  let index = -1;
  for (const config of configs as unknown as WebhookConfiguration[]) {
    for (const hook of config.webhooks ?? []) {
      index++;
      const invocation = matchRules(hook.rules ?? [], hook.matchPolicy, match, deps.equivalents);
      if (!invocation) continue;
      const ns = await matchesNamespaceSelector(hook.namespaceSelector, match, deps.namespaceLabels);
      if (ns === 'NotFound') throw newNotFound({ group: '', resource: 'namespaces' }, match.namespace);
      if (ns) out.push({ ...invocation, hook, id: `${config.metadata.name}/${hook.name}`, configuration: config.metadata.name, index });
    }
  }
  return out;
}

/** objectSelector and matchConditions on the request's current object. Throws kube's Forbidden when a condition fails to evaluate under Fail. */
export async function appliesToObject(invocation: WebhookInvocation, attrs: AdmissionAttributes, deps: Pick<MatchDeps, 'authorizer'>): Promise<boolean> {
  const hook = invocation.hook;
  const match = matchAttributes(attrs);
  if (!matchesObjectSelector(hook.objectSelector, match)) return false;
  if (!hook.matchConditions || hook.matchConditions.length === 0) return true;
  const vars = admissionVariables({ object: attrs.object, oldObject: attrs.oldObject, request: requestVariable(attrs, match, invocation), authorizer: deps.authorizer, attrs });
  const result = await evaluateMatchConditions(hook.matchConditions, vars, hook.failurePolicy ?? 'Fail');
  if ('error' in result) throw newForbidden({ group: match.resource.group, resource: match.resource.resource }, attrs.name, result.error);
  return result.matches;
}

/** The webhooks the request calls, in order. Throws kube's errors for a missing namespace or a failed condition. */
export async function webhookInvocations(cache: ObjectCache, attrs: AdmissionAttributes, deps: MatchDeps): Promise<WebhookInvocation[]> {
  const out: WebhookInvocation[] = [];
  for (const invocation of await candidateInvocations(cache, attrs, deps)) if (await appliesToObject(invocation, attrs, deps)) out.push(invocation);
  return out;
}
