// SubjectAccessReview, SelfSubjectAccessReview and LocalSubjectAccessReview (kube's
// pkg/registry/authorization/*subjectaccessreview): validate, ask the server's authorizer, answer
// with the request and status {allowed, denied, reason, evaluationError}.
import type { KubeContext } from '../../server/context.js';
import type { Authorizer } from '../../auth/authorizer.js';
import type { KubeObject, ResourceDefinition } from '../../registry/resource.js';
import type { CreateOnlyResource } from '../../endpoints/handlers/create-only.js';
import type { FieldError } from '../../endpoints/status.js';
import { newBadRequest, newInvalid } from '../../endpoints/status.js';
import { reviewResponse } from '../review-response.js';
import { evaluationError, reviewAttributes, specUser } from './attributes.js';
import { validateLocalSubjectAccessReview, validateSelfSubjectAccessReview, validateSubjectAccessReview } from './validation.js';
import { AUTHORIZATION_GROUP, type AccessReview, type SubjectAccessReviewStatus } from './types.js';
import type { UserInfo } from '../../auth/user.js';
import type { AuthorizationAttributes } from '../../auth/authorizer.js';

/** kube builds these errors from the internal object, whose kind is empty: ".authorization.k8s.io "" is invalid". */
function invalid(errors: FieldError[]): Error {
  return newInvalid('', AUTHORIZATION_GROUP, '', errors);
}

async function decide(authorizer: Authorizer, attrs: AuthorizationAttributes, review: AccessReview): Promise<SubjectAccessReviewStatus> {
  const { decision, reason, error } = await authorizer.authorize(attrs);
  const status: SubjectAccessReviewStatus = { allowed: decision === 'Allow', denied: decision === 'Deny', reason };
  const evaluation = evaluationError(error, review.spec?.resourceAttributes);
  if (evaluation) status.evaluationError = evaluation;
  return status;
}

export function subjectAccessReviews(def: ResourceDefinition, authorizer: Authorizer): CreateOnlyResource {
  return {
    def,
    async create(_ctx: KubeContext, obj: KubeObject) {
      const review = obj as AccessReview;
      const errors = validateSubjectAccessReview(review);
      if (errors.length > 0) throw invalid(errors);
      const spec = review.spec ?? {};
      const status = await decide(authorizer, reviewAttributes(specUser(spec), spec), review);
      return reviewResponse(def, review, { status });
    },
  };
}

export function selfSubjectAccessReviews(def: ResourceDefinition, authorizer: Authorizer): CreateOnlyResource {
  return {
    def,
    async create(ctx: KubeContext, obj: KubeObject) {
      const review = obj as AccessReview;
      const errors = validateSelfSubjectAccessReview(review);
      if (errors.length > 0) throw invalid(errors);
      const user: UserInfo | undefined = ctx.state.user;
      if (!user) throw newBadRequest('no user present on request');
      const status = await decide(authorizer, reviewAttributes(user, review.spec ?? {}), review);
      return reviewResponse(def, review, { status });
    },
  };
}

export function localSubjectAccessReviews(def: ResourceDefinition, authorizer: Authorizer): CreateOnlyResource {
  return {
    def,
    async create(ctx: KubeContext, obj: KubeObject) {
      const review = obj as AccessReview;
      const errors = validateLocalSubjectAccessReview(review);
      if (errors.length > 0) throw invalid(errors);
      const namespace = ctx.state.requestInfo.namespace;
      if (!namespace) throw newBadRequest(`namespace is required on this type: ${namespace}`);
      if (namespace !== review.metadata?.namespace) throw newBadRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
      const spec = review.spec ?? {};
      const status = await decide(authorizer, reviewAttributes(specUser(spec), spec), review);
      return reviewResponse(def, review, { status });
    },
  };
}
