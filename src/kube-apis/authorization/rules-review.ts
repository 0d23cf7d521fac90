// SelfSubjectRulesReview (kube's pkg/registry/authorization/selfsubjectrulesreview): the rules the
// caller holds in spec.namespace, from the server's rule resolver. Like kube, the answer carries only
// the status (an empty spec), with empty rule lists as [] and an evaluation error when one occurred.
import type { KubeContext } from '../../server/context.js';
import type { RuleResolver } from '../../auth/authorizer.js';
import type { KubeObject, ResourceDefinition } from '../../registry/resource.js';
import type { CreateOnlyResource } from '../../endpoints/handlers/create-only.js';
import { newBadRequest } from '../../endpoints/status.js';
import { reviewResponse } from '../review-response.js';

export function selfSubjectRulesReviews(def: ResourceDefinition, resolver: () => RuleResolver): CreateOnlyResource {
  return {
    def,
    async create(ctx: KubeContext, obj: KubeObject) {
      const user = ctx.state.user;
      if (!user) throw newBadRequest('no user present on request');
      const namespace = (obj.spec as { namespace?: unknown } | undefined)?.namespace;
      if (typeof namespace !== 'string' || namespace === '') throw newBadRequest('no namespace on request');
      const rules = await resolver().rulesFor(user, namespace);
      const status: Record<string, unknown> = {
        resourceRules: rules.resourceRules.map((r) => ({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, resourceNames: r.resourceNames })),
        nonResourceRules: rules.nonResourceRules.map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs })),
        incomplete: rules.incomplete,
      };
      if (rules.evaluationError) status.evaluationError = rules.evaluationError;
      const answer = reviewResponse(def, {} as KubeObject, { status });
      const typed = answer.status as Record<string, unknown>;
      // make([]ResourceRule, len(infos)): never nil in kube's answer.
      typed.resourceRules ??= [];
      typed.nonResourceRules ??= [];
      return answer;
    },
  };
}
