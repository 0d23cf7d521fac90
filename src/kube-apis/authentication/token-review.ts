// TokenReview (kube's pkg/registry/authentication/tokenreview): runs the server's request
// authenticator on a request that carries nothing but `Authorization: Bearer <spec.token>`, meant
// for spec.audiences (the server's API audiences when none are given). status.authenticated, the
// user (groups include system:authenticated, as for a real request), the audiences the token was
// good for, and the authenticator's error, as kube writes them.
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { KubeContext } from '../../server/context.js';
import type { Authenticator, AuthenticationResult } from '../../auth/authenticator.js';
import type { KubeObject, ResourceDefinition } from '../../registry/resource.js';
import type { CreateOnlyResource } from '../../endpoints/handlers/create-only.js';
import { newBadRequest, newInternalError } from '../../endpoints/status.js';
import { intersectAudiences, withAudiences } from '../../auth/request-audiences.js';
import { asError } from '../../auth/aggregate-error.js';
import { reviewResponse } from '../review-response.js';
import { userInfoJSON } from './user-info.js';

interface TokenReviewSpec {
  token?: string;
  audiences?: string[] | null;
}

/** A request with only the token's header (kube's fakeReq). */
function tokenRequest(token: string): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = { authorization: `Bearer ${token}` };
  req.rawHeaders = ['Authorization', `Bearer ${token}`];
  return req;
}

export function tokenReviews(def: ResourceDefinition, authenticator: Authenticator, apiAudiences: string[]): CreateOnlyResource {
  return {
    def,
    async create(_ctx: KubeContext, obj: KubeObject) {
      const spec = (obj.spec ?? {}) as TokenReviewSpec;
      if (!spec.token) throw newBadRequest('token is required for TokenReview in authentication');
      const req = tokenRequest(spec.token);
      const audiences = spec.audiences?.length ? spec.audiences : apiAudiences;
      if (audiences.length > 0) withAudiences(req, audiences);

      let result: AuthenticationResult | null = null;
      let error: Error | undefined;
      try {
        result = await authenticator.authenticate(req);
      } catch (err) {
        error = asError(err);
      }
      if (audiences.length > 0 && result && intersectAudiences(audiences, result.audiences).length === 0) {
        throw newInternalError(new Error('error validating audiences'));
      }
      const status: Record<string, unknown> = { authenticated: result !== null };
      if (error) status.error = error.message;
      if (result) {
        status.user = userInfoJSON(result.user);
        status.audiences = result.audiences;
      }
      return reviewResponse(def, obj, { status });
    },
  };
}
