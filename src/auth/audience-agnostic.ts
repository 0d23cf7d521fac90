// kube's authenticator.WrapAudienceAgnosticToken: a token authenticator that knows nothing of
// audiences (the token file) is good for the API audiences only. When a request names audiences
// (a TokenReview's spec.audiences), its tokens count only if one of them is an API audience, and
// the answer carries those audiences; without named audiences nothing changes.
import type { TokenAuthenticator } from './token-authenticator.js';
import { intersectAudiences } from './request-audiences.js';

export function audienceAgnosticToken(apiAudiences: string[], delegate: TokenAuthenticator): TokenAuthenticator {
  return {
    async authenticateToken(token, requested) {
      if (requested === undefined) return delegate.authenticateToken(token);
      const audiences = intersectAudiences(apiAudiences, requested);
      if (audiences.length === 0) return null;
      const result = await delegate.authenticateToken(token);
      if (!result) return null;
      if (result.audiences?.length) {
        throw new Error(`audience agnostic authenticator wrapped an authenticator that returned audiences: [${result.audiences.map((a) => JSON.stringify(a)).join(' ')}]`);
      }
      return { ...result, audiences };
    },
  };
}
