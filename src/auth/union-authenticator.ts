// kube's union authenticator: the first authenticator that recognises the credential decides;
// if none does, the errors of those that failed are the answer.
import type { IncomingMessage } from 'node:http';
import type { Authenticator, AuthenticationResult } from './authenticator.js';

export class AuthenticationError extends Error {
  constructor(readonly causes: unknown[]) {
    super(causes.map((c) => (c instanceof Error ? c.message : String(c))).join(', '));
    this.name = 'AuthenticationError';
  }
}

export function unionAuthenticator(authenticators: Authenticator[]): Authenticator {
  return {
    async authenticate(req: IncomingMessage): Promise<AuthenticationResult | null> {
      const errors: unknown[] = [];
      for (const authenticator of authenticators) {
        try {
          const result = await authenticator.authenticate(req);
          if (result) return result;
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length > 0) throw new AuthenticationError(errors);
      return null;
    },
  };
}
