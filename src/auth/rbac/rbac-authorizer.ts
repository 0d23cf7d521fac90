// kube's RBAC authorizer and rule resolver (plugin/pkg/auth/authorizer/rbac and
// pkg/registry/rbac/validation): the rules a user holds are those of the ClusterRoles bound to them
// by ClusterRoleBindings, then, in a namespace, those of the Roles and ClusterRoles bound to them by
// that namespace's RoleBindings. A request is allowed by the first rule that matches; otherwise RBAC
// has no opinion, and says why only when a binding could not be resolved.
import type { Authorizer, AuthorizationAttributes, AuthorizationResult, RuleResolver, RulesResult } from '../authorizer.js';
import type { UserInfo } from '../user.js';
import type { PolicyRule, RoleRef, Subject } from '../../kube-apis/rbac/types.js';
import { AggregateAuthError } from '../aggregate-error.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { ruleAllows } from './rule-matching.js';
import { userKeys, type BindingEntry, type PolicyIndex } from './policy-index.js';

/** A binding and the subject of it that names the user (for "allowed by" reasons). */
interface Source {
  binding: BindingEntry;
  subject: Subject;
}

function appliesTo(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return Boolean(ns) && user.name === `system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') return `${subject.kind} ${goQuote(`${subject.name}/${subject.namespace || bindingNamespace}`)}`;
  return `${subject.kind} ${goQuote(subject.name)}`;
}

/** clusterRoleBindingDescriber / roleBindingDescriber */
function describe({ binding, subject }: Source): string {
  const ref = `${binding.roleRef.kind} ${goQuote(binding.roleRef.name)}`;
  if (binding.kind === 'ClusterRoleBinding') return `ClusterRoleBinding ${goQuote(binding.name)} of ${ref} to ${describeSubject(subject, '')}`;
  return `RoleBinding ${goQuote(`${binding.name}/${binding.namespace}`)} of ${ref} to ${describeSubject(subject, binding.namespace)}`;
}

/** How a missing role reads: the authorizer's listers name the resource in the singular, the registry in the plural. */
export type NotFoundStyle = 'lister' | 'registry';

function notFound(kind: 'Role' | 'ClusterRole', name: string, style: NotFoundStyle): Error {
  const resource = kind === 'Role' ? 'role' : 'clusterrole';
  return new Error(`${style === 'lister' ? resource : `${resource}s`}.rbac.authorization.k8s.io ${goQuote(name)} not found`);
}

export class RBACAuthorizer implements Authorizer, RuleResolver {
  constructor(private readonly index: PolicyIndex) {}

  /** GetRoleReferenceRules: the rules of the role a binding names. */
  roleReferenceRules(ref: RoleRef, bindingNamespace: string, style: NotFoundStyle = 'lister'): { rules: PolicyRule[]; error?: Error } {
    if (ref.kind === 'Role') {
      const role = this.index.role(bindingNamespace, ref.name);
      return role ? { rules: role.rules } : { rules: [], error: notFound('Role', ref.name, style) };
    }
    if (ref.kind === 'ClusterRole') {
      const role = this.index.clusterRole(ref.name);
      return role ? { rules: role.rules } : { rules: [], error: notFound('ClusterRole', ref.name, style) };
    }
    return { rules: [], error: new Error(`unsupported role reference kind: ${goQuote(ref.kind)}`) };
  }

  /**
   * VisitRulesFor: every rule the user holds in the namespace, with where it comes from; stops when
   * the visitor returns false.
   */
  private visit(user: UserInfo, namespace: string, visitor: (source: Source | undefined, rule: PolicyRule | undefined, error: Error | undefined) => boolean): void {
    const keys = userKeys(user);
    const walk = (bindings: BindingEntry[], scope: string): boolean => {
      for (const binding of bindings) {
        const subject = binding.subjects.find((s) => appliesTo(user, s, scope));
        if (!subject) continue;
        const { rules, error } = this.roleReferenceRules(binding.roleRef, scope);
        if (error && !visitor(undefined, undefined, error)) return false;
        const source = { binding, subject };
        for (const rule of rules) if (!visitor(source, rule, undefined)) return false;
      }
      return true;
    };
    if (!walk(this.index.clusterBindingsFor(keys), '')) return;
    if (namespace) walk(this.index.roleBindingsFor(namespace, keys), namespace);
  }

  authorize(attrs: AuthorizationAttributes): AuthorizationResult {
    let allowedBy: Source | undefined;
    const errors: Error[] = [];
    this.visit(attrs.user, attrs.namespace, (source, rule, error) => {
      if (rule && source && ruleAllows(attrs, rule)) {
        allowedBy = source;
        return false;
      }
      if (error) errors.push(error);
      return true;
    });
    if (allowedBy) return { decision: 'Allow', reason: `RBAC: allowed by ${describe(allowedBy)}` };
    return { decision: 'NoOpinion', reason: errors.length > 0 ? `RBAC: ${new AggregateAuthError(errors).message}` : '' };
  }

  /** The PolicyRules a user holds in a namespace, and the errors met (kube's RulesFor). */
  policyRulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: Error[] } {
    const rules: PolicyRule[] = [];
    const errors: Error[] = [];
    this.visit(user, namespace, (_source, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }

  /** RuleResolver for SelfSubjectRulesReview: resource and non-resource rules as RBACAuthorizer.RulesFor splits them. */
  rulesFor(user: UserInfo, namespace: string): RulesResult {
    const { rules, errors } = this.policyRulesFor(user, namespace);
    const result: RulesResult = { resourceRules: [], nonResourceRules: [], incomplete: errors.length > 0 };
    for (const rule of rules) {
      if ((rule.resources ?? []).length > 0) {
        result.resourceRules.push({ verbs: rule.verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [], resourceNames: rule.resourceNames ?? [] });
      }
      if ((rule.nonResourceURLs ?? []).length > 0) result.nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs ?? [] });
    }
    if (errors.length > 0) result.evaluationError = new AggregateAuthError(errors).message;
    return result;
  }
}
