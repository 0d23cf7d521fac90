// What a review asks, as authorizer attributes (kube's pkg/registry/authorization/util): an empty
// version matches every version ("*"), the user is the spec's (SubjectAccessReview) or the caller's
// (SelfSubjectAccessReview). Selectors take no part in kube-chain's decisions (no authorizer reads
// them), but ones that do not parse are reported in status.evaluationError as kube reports them.
import type { AuthorizationAttributes } from '../../auth/authorizer.js';
import type { UserInfo } from '../../auth/user.js';
import { parseFieldSelector } from '../../registry/selectors/field-selector.js';
import { parseLabelRequirements } from '../../registry/selectors/label-selector.js';
import type { ResourceAttributes, SelectorAttributes, SubjectAccessReviewSpec } from './types.js';

const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

export function reviewAttributes(user: UserInfo, spec: Pick<SubjectAccessReviewSpec, 'resourceAttributes' | 'nonResourceAttributes'>): AuthorizationAttributes {
  const base = { user, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '', path: '' };
  const r = spec.resourceAttributes;
  if (r) {
    return {
      ...base,
      isResourceRequest: true,
      verb: r.verb ?? '',
      namespace: r.namespace ?? '',
      apiGroup: r.group ?? '',
      apiVersion: r.version || '*',
      resource: r.resource ?? '',
      subresource: r.subresource ?? '',
      name: r.name ?? '',
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { ...base, isResourceRequest: false, verb: n.verb ?? '', path: n.path ?? '' };
}

/** The user a SubjectAccessReview asks about (authorizationutil.AuthorizationAttributesFrom). */
export function specUser(spec: SubjectAccessReviewSpec): UserInfo {
  const user: UserInfo = { name: spec.user ?? '', groups: [...(spec.groups ?? [])] };
  if (spec.uid) user.uid = spec.uid;
  if (spec.extra) user.extra = Object.fromEntries(Object.entries(spec.extra).map(([k, v]) => [k, [...(v ?? [])]]));
  return user;
}

type SelectorOutcome = 'ok' | 'partial' | 'ignored';

function checkRequirements(requirements: SelectorAttributes['requirements'], valid: (r: NonNullable<SelectorAttributes['requirements']>[number]) => boolean): SelectorOutcome {
  const list = requirements ?? [];
  const good = list.filter(valid).length;
  if (good === list.length) return 'ok';
  return good > 0 ? 'partial' : 'ignored';
}

function labelOutcome(selector: SelectorAttributes | null | undefined): SelectorOutcome {
  if (!selector) return 'ok';
  if (selector.requirements?.length) {
    return checkRequirements(selector.requirements, (r) => LABEL_OPERATORS.includes(r.operator ?? '') && (r.operator === 'In' || r.operator === 'NotIn' ? (r.values ?? []).length > 0 : (r.values ?? []).length === 0));
  }
  if (!selector.rawSelector) return 'ok';
  try {
    parseLabelRequirements(selector.rawSelector);
    return 'ok';
  } catch {
    return 'ignored';
  }
}

function fieldOutcome(selector: SelectorAttributes | null | undefined): SelectorOutcome {
  if (!selector) return 'ok';
  if (selector.requirements?.length) return checkRequirements(selector.requirements, (r) => (r.operator === 'In' || r.operator === 'NotIn') && (r.values ?? []).length === 1);
  if (!selector.rawSelector) return 'ok';
  try {
    parseFieldSelector(selector.rawSelector);
    return 'ok';
  } catch {
    return 'ignored';
  }
}

/** authorizationutil.BuildEvaluationError: the authorizer's error, then selector parse failures, joined by "; ". */
export function evaluationError(error: Error | undefined, resource: ResourceAttributes | null | undefined): string {
  const parts: string[] = [];
  if (error) parts.push(error.message);
  const field = fieldOutcome(resource?.fieldSelector);
  if (field !== 'ok') parts.push(`spec.resourceAttributes.fieldSelector ${field === 'partial' ? 'partially ' : ''}ignored due to parse error`);
  const label = labelOutcome(resource?.labelSelector);
  if (label !== 'ok') parts.push(`spec.resourceAttributes.labelSelector ${label === 'partial' ? 'partially ' : ''}ignored due to parse error`);
  return parts.join('; ');
}
