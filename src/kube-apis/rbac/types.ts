// rbac.authorization.k8s.io/v1 shapes (k8s.io/api/rbac/v1 types.go) and the few constants kube names.
import type { MetaLabelSelector } from '../../registry/selectors/label-selector.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export const VERB_ALL = '*';
export const API_GROUP_ALL = '*';
export const RESOURCE_ALL = '*';
export const NON_RESOURCE_ALL = '*';

export const USER_KIND = 'User';
export const GROUP_KIND = 'Group';
export const SERVICE_ACCOUNT_KIND = 'ServiceAccount';

/** rbacv1.AutoUpdateAnnotationKey: bootstrap objects with it set to "true" are reconciled at start. */
export const AUTO_UPDATE_ANNOTATION = 'rbac.authorization.kubernetes.io/autoupdate';

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  apiGroup?: string;
  name: string;
  namespace?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

export interface AggregationRule {
  clusterRoleSelectors?: MetaLabelSelector[];
}

/** A rule as read from a stored object: every list present (nil lists read as empty). */
export function normalizeRule(rule: Partial<PolicyRule> | null | undefined): Required<PolicyRule> {
  return {
    verbs: rule?.verbs ?? [],
    apiGroups: rule?.apiGroups ?? [],
    resources: rule?.resources ?? [],
    resourceNames: rule?.resourceNames ?? [],
    nonResourceURLs: rule?.nonResourceURLs ?? [],
  };
}
