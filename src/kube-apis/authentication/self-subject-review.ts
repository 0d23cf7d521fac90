// SelfSubjectReview (kube's pkg/registry/authentication/selfsubjectreview, `kubectl auth whoami`):
// who the caller is, as the handler chain authenticated it (after impersonation, the impersonated
// user). Nothing of the request is echoed; the answer is stamped with the time it was made.
import type { KubeContext } from '../../server/context.js';
import type { KubeObject, ResourceDefinition } from '../../registry/resource.js';
import type { CreateOnlyResource } from '../../endpoints/handlers/create-only.js';
import { newBadRequest } from '../../endpoints/status.js';
import { reviewResponse } from '../review-response.js';
import { userInfoJSON } from './user-info.js';

/** metav1.NewTime(time.Now()) as JSON: RFC3339, whole seconds. */
function nowRFC3339(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export function selfSubjectReviews(def: ResourceDefinition): CreateOnlyResource {
  return {
    def,
    create(ctx: KubeContext) {
      const user = ctx.state.user;
      if (!user) throw newBadRequest('no user present on request');
      const answer = { metadata: { creationTimestamp: nowRFC3339() }, status: { userInfo: userInfoJSON(user) } } as KubeObject;
      return reviewResponse(def, answer, {});
    },
  };
}
