// kube's union authorizer: the first Allow or Deny decides; otherwise NoOpinion with every reason given.
import type { Authorizer, AuthorizationAttributes, AuthorizationResult } from './authorizer.js';

export function unionAuthorizer(authorizers: Authorizer[]): Authorizer {
  return {
    async authorize(attrs: AuthorizationAttributes): Promise<AuthorizationResult> {
      const reasons: string[] = [];
      for (const authorizer of authorizers) {
        const result = await authorizer.authorize(attrs);
        if (result.decision !== 'NoOpinion') return result;
        if (result.reason) reasons.push(result.reason);
      }
      return { decision: 'NoOpinion', reason: reasons.join('\n') };
    },
  };
}
