// kube's union request authenticator: the first authenticator that recognises the credential decides.
// By default an error does not stop the chain (the errors are the answer if nobody succeeds);
// failOnError (kube's NewFailOnError) stops at the first error, so that a bad credential is never
// taken for no credential by a later authenticator such as anonymous.
import type { IncomingMessage } from 'node:http';
import type { Authenticator, AuthenticationResult } from './authenticator.js';
import { aggregate, asError } from './aggregate-error.js';

export function unionAuthenticator(authenticators: Authenticator[], options: { failOnError?: boolean } = {}): Authenticator {
  if (authenticators.length === 1) return authenticators[0];
  return {
    async authenticate(req: IncomingMessage): Promise<AuthenticationResult | null> {
      const errors: Error[] = [];
      for (const authenticator of authenticators) {
        try {
          const result = await authenticator.authenticate(req);
          if (result) return result;
        } catch (err) {
          if (options.failOnError) throw err;
          errors.push(asError(err));
        }
      }
      const failure = aggregate(errors);
      if (failure) throw failure;
      return null;
    },
  };
}
