// What a user may do in a namespace, for SelfSubjectRulesReview (kube's authorizer.RuleResolver).
// kube-apiserver builds one union of rule resolvers next to its authorizer: each mode that can list
// rules contributes them (AlwaysAllow everything, AlwaysDeny nothing, RBAC the user's bound roles);
// a mode that cannot (Webhook) marks the answer incomplete. The system:masters authorizer in front of
// the modes lists no rules, as in kube.
import type { NonResourceRule, ResourceRule, RuleResolver, RulesResult } from './authorizer.js';
import type { ServerOptions } from '../server/options.js';
import { asError } from './aggregate-error.js';

const EVERYTHING: RulesResult = {
  resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [] }],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
  incomplete: false,
};

const NOTHING: RulesResult = { resourceRules: [], nonResourceRules: [], incomplete: false };

export const alwaysAllowRules: RuleResolver = { rulesFor: () => EVERYTHING };
export const alwaysDenyRules: RuleResolver = { rulesFor: () => NOTHING };

/** union.NewRuleResolvers: every resolver's rules in order; incomplete if any is; their errors aggregated as "[a, b]". */
export function unionRuleResolver(resolvers: RuleResolver[]): RuleResolver {
  return {
    async rulesFor(user, namespace) {
      const resourceRules: ResourceRule[] = [];
      const nonResourceRules: NonResourceRule[] = [];
      const errors: string[] = [];
      let incomplete = false;
      for (const resolver of resolvers) {
        let result: RulesResult;
        try {
          result = await resolver.rulesFor(user, namespace);
        } catch (err) {
          errors.push(asError(err).message);
          incomplete = true;
          continue;
        }
        resourceRules.push(...result.resourceRules);
        nonResourceRules.push(...result.nonResourceRules);
        incomplete ||= result.incomplete;
        if (result.evaluationError) errors.push(result.evaluationError);
      }
      const unique = [...new Set(errors)];
      const evaluationError = unique.length === 0 ? undefined : unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
      return { resourceRules, nonResourceRules, incomplete, ...(evaluationError ? { evaluationError } : {}) };
    },
  };
}

const BUILT_IN: Record<string, RuleResolver> = { AlwaysAllow: alwaysAllowRules, AlwaysDeny: alwaysDenyRules };

/** The rule resolver for --authorization-mode; later modes (RBAC, Webhook) plug in through `modes`. */
export function buildRuleResolver(options: Pick<ServerOptions, 'authorizationMode'>, modes: Record<string, RuleResolver> = {}): RuleResolver {
  const available = { ...BUILT_IN, ...modes };
  return unionRuleResolver(options.authorizationMode.flatMap((mode) => (available[mode] ? [available[mode]] : [])));
}
