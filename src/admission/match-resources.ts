// Which webhook or policy applies to a request (kube's generic Matcher): namespaceSelector against the
// namespace's labels (the object itself for namespaces), objectSelector against the new or old object,
// then the rules, exactly or through an equivalent resource (matchPolicy Equivalent).
import type { MetaLabelSelector } from '../registry/selectors/label-selector.js';
import { labelSelectorFromMeta } from '../registry/selectors/label-selector.js';
import type { RuleWithOperations } from '../kube-apis/admissionregistration/types.js';
import type { KubeObject } from '../registry/resource.js';
import { ruleMatches, type GroupVersionKind, type GroupVersionResource, type RuleAttributes } from './rules.js';

export interface MatchAttributes extends RuleAttributes {
  kind: GroupVersionKind;
  object?: KubeObject;
  oldObject?: KubeObject;
}

/** The resources (other versions of the same group-resource) a request's resource is equivalent to. */
export type EquivalentResources = (resource: GroupVersionResource) => Array<{ resource: GroupVersionResource; kind: string }>;

/** The labels of a namespace, or undefined when it does not exist. */
export type NamespaceLabels = (namespace: string) => Promise<Record<string, string> | undefined>;

/** The resource and kind a matched webhook or policy sees the request as (converted for Equivalent). */
export interface Invocation {
  resource: GroupVersionResource;
  kind: GroupVersionKind;
}

const parsedSelectors = new WeakMap<object, ReturnType<typeof labelSelectorFromMeta>>();

function selectorOf(meta: MetaLabelSelector | null | undefined) {
  if (!meta) return undefined;
  let parsed = parsedSelectors.get(meta);
  if (!parsed) {
    parsed = labelSelectorFromMeta(meta);
    parsedSelectors.set(meta, parsed);
  }
  return parsed;
}

const isNamespaceRequest = (attrs: MatchAttributes) => attrs.resource.group === '' && attrs.resource.resource === 'namespaces';

/** namespace.Matcher.MatchNamespaceSelector: true for cluster-scoped objects; namespaces match on their own labels. */
export async function matchesNamespaceSelector(meta: MetaLabelSelector | null | undefined, attrs: MatchAttributes, namespaceLabels: NamespaceLabels): Promise<boolean | 'NotFound'> {
  const selector = selectorOf(meta);
  if (isNamespaceRequest(attrs)) {
    if (!selector || selector.isEmpty()) return true;
    const ns = attrs.object ?? attrs.oldObject;
    return selector.matches(ns?.metadata?.labels ?? {});
  }
  if (!attrs.namespace) return true;
  if (!selector || selector.isEmpty()) return true;
  const labels = await namespaceLabels(attrs.namespace);
  if (labels === undefined) return 'NotFound';
  return selector.matches(labels);
}

/** object.Matcher.MatchObjectSelector: the new or the old object's labels. */
export function matchesObjectSelector(meta: MetaLabelSelector | null | undefined, attrs: MatchAttributes): boolean {
  const selector = selectorOf(meta);
  if (!selector || selector.isEmpty()) return true;
  const matches = (obj: KubeObject | undefined) => obj !== undefined && obj !== null && selector.matches(obj.metadata?.labels ?? {});
  return matches(attrs.object) || matches(attrs.oldObject);
}

/** The rules part: the request's own resource first, then (Equivalent) an equivalent one, earlier rules first. */
export function matchRules(rules: readonly RuleWithOperations[], matchPolicy: string | undefined, attrs: MatchAttributes, equivalents: EquivalentResources): Invocation | undefined {
  for (const rule of rules) if (ruleMatches(rule, attrs)) return { resource: attrs.resource, kind: attrs.kind };
  if ((matchPolicy ?? 'Equivalent') !== 'Equivalent') return undefined;
  const others = equivalents(attrs.resource).filter((e) => e.resource.version !== attrs.resource.version || e.resource.group !== attrs.resource.group);
  for (const rule of rules) {
    for (const other of others) {
      if (ruleMatches(rule, { ...attrs, resource: other.resource })) {
        return { resource: other.resource, kind: { group: other.resource.group, version: other.resource.version, kind: other.kind } };
      }
    }
  }
  return undefined;
}
