// admissionregistration.k8s.io/v1 shapes as JSON carries them (the fields kube-chain reads).
import type { MetaLabelSelector } from '../../registry/selectors/label-selector.js';

export type Operation = '*' | 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface Rule {
  apiGroups?: string[] | null;
  apiVersions?: string[] | null;
  resources?: string[] | null;
  scope?: string;
}

export interface RuleWithOperations extends Rule {
  operations?: string[] | null;
}

export interface ServiceReference {
  namespace?: string;
  name?: string;
  path?: string;
  port?: number;
}

export interface WebhookClientConfig {
  url?: string;
  service?: ServiceReference | null;
  /** base64 of PEM certificates. */
  caBundle?: string;
}

export interface MatchCondition {
  name?: string;
  expression?: string;
}

export interface Webhook {
  name?: string;
  clientConfig?: WebhookClientConfig;
  rules?: RuleWithOperations[] | null;
  failurePolicy?: string;
  matchPolicy?: string;
  namespaceSelector?: MetaLabelSelector | null;
  objectSelector?: MetaLabelSelector | null;
  sideEffects?: string;
  timeoutSeconds?: number;
  admissionReviewVersions?: string[] | null;
  matchConditions?: MatchCondition[] | null;
  /** Mutating webhooks only. */
  reinvocationPolicy?: string;
}

export interface WebhookConfiguration {
  metadata: { name: string; uid?: string; [key: string]: unknown };
  webhooks?: Webhook[] | null;
}

export interface NamedRuleWithOperations extends RuleWithOperations {
  resourceNames?: string[] | null;
}

export interface MatchResources {
  namespaceSelector?: MetaLabelSelector | null;
  objectSelector?: MetaLabelSelector | null;
  resourceRules?: NamedRuleWithOperations[] | null;
  excludeResourceRules?: NamedRuleWithOperations[] | null;
  matchPolicy?: string;
}

export interface PolicyValidation {
  expression?: string;
  message?: string;
  reason?: string;
  messageExpression?: string;
}

export interface ParamKind {
  apiVersion?: string;
  kind?: string;
}

export interface ParamRef {
  name?: string;
  namespace?: string;
  selector?: MetaLabelSelector | null;
  parameterNotFoundAction?: string;
}

export interface ValidatingAdmissionPolicySpec {
  paramKind?: ParamKind | null;
  matchConstraints?: MatchResources | null;
  validations?: PolicyValidation[] | null;
  failurePolicy?: string;
  auditAnnotations?: Array<{ key?: string; valueExpression?: string }> | null;
  matchConditions?: MatchCondition[] | null;
  variables?: Array<{ name?: string; expression?: string }> | null;
}

export interface ValidatingAdmissionPolicyBindingSpec {
  policyName?: string;
  paramRef?: ParamRef | null;
  matchResources?: MatchResources | null;
  validationActions?: string[] | null;
}
