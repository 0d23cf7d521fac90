// Authorizers decide Allow / Deny / NoOpinion for request attributes (kube's authorizer.Authorizer).
import type { UserInfo } from './user.js';

export type Decision = 'Allow' | 'Deny' | 'NoOpinion';

/** authorizer.Attributes, built from RequestInfo and the user. */
export interface AuthorizationAttributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface AuthorizationResult {
  decision: Decision;
  /** Why: appended to the 403 message when denied. */
  reason: string;
  /** An evaluation error (kube's third return value): without an Allow, the request is a 500. */
  error?: Error;
}

export interface Authorizer {
  authorize(attrs: AuthorizationAttributes): Promise<AuthorizationResult> | AuthorizationResult;
}

/** One rule a user holds (authorizer.ResourceRuleInfo / NonResourceRuleInfo), as SelfSubjectRulesReview reports them. */
export interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface RulesResult {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  /** kube's `incomplete`: the evaluation hit an error (e.g. a binding to a missing role). */
  incomplete: boolean;
  evaluationError?: string;
}

/** authorizer.RuleResolver: what a user may do in a namespace (RBAC implements it). */
export interface RuleResolver {
  rulesFor(user: import('./user.js').UserInfo, namespace: string): Promise<RulesResult> | RulesResult;
}
