// Token authenticators (kube's authenticator.Token) and their union: the first that recognises the
// token decides; errors do not stop the chain and are the answer when nobody recognises it.
import type { AuthenticationResult } from './authenticator.js';
import { aggregate, asError } from './aggregate-error.js';

export interface TokenAuthenticator {
  /**
   * null: not a token of mine. Throwing: the token is bad. `audiences`, when given (TokenReview's
   * spec.audiences), replace the server's API audiences as what the token must be meant for.
   */
  authenticateToken(token: string, audiences?: string[]): Promise<AuthenticationResult | null> | AuthenticationResult | null;
}

export function unionTokenAuthenticator(authenticators: TokenAuthenticator[]): TokenAuthenticator {
  if (authenticators.length === 1) return authenticators[0];
  return {
    async authenticateToken(token, audiences) {
      const errors: Error[] = [];
      for (const authenticator of authenticators) {
        try {
          const result = await authenticator.authenticateToken(token, audiences);
          if (result) return result;
        } catch (err) {
          errors.push(asError(err));
        }
      }
      const failure = aggregate(errors);
      if (failure) throw failure;
      return null;
    },
  };
}
