// Authenticators look at a request and answer with a user, "not mine", or an error (kube's authenticator.Request).
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from './user.js';

export interface AuthenticationResult {
  user: UserInfo;
  /** Audiences the credential was valid for (token authenticators). */
  audiences?: string[];
}

/** null: this authenticator has no opinion (no credential of its kind). Throwing: the credential is bad (401). */
export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<AuthenticationResult | null> | AuthenticationResult | null;
}
