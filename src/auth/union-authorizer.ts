// kube's union authorizer: the first Allow or Deny decides; otherwise NoOpinion with every reason
// given (one per line) and every error met. An authorizer that throws counts as NoOpinion with an error.
import type { Authorizer, AuthorizationAttributes, AuthorizationResult } from './authorizer.js';
import { aggregate, asError } from './aggregate-error.js';

export function unionAuthorizer(authorizers: Authorizer[]): Authorizer {
  return {
    async authorize(attrs: AuthorizationAttributes): Promise<AuthorizationResult> {
      const reasons: string[] = [];
      const errors: Error[] = [];
      for (const authorizer of authorizers) {
        let result: AuthorizationResult;
        try {
          result = await authorizer.authorize(attrs);
        } catch (err) {
          result = { decision: 'NoOpinion', reason: '', error: asError(err) };
        }
        if (result.error) errors.push(result.error);
        if (result.reason) reasons.push(result.reason);
        if (result.decision !== 'NoOpinion') return result;
      }
      const error = aggregate(errors);
      return error ? { decision: 'NoOpinion', reason: reasons.join('\n'), error } : { decision: 'NoOpinion', reason: reasons.join('\n') };
    },
  };
}
