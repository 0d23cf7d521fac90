// Authenticators look at a request and answer with a user, "not mine", or an error (kube's authenticator.Request).
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from './user.js';

export interface AuthenticationResult {
  user: UserInfo;
  /** Audiences the credential was valid for (token authenticators). */
  audiences?: string[];
  /** Warnings for the client (kube's warning.AddWarning during authentication); replayed on cache hits. */
  warnings?: string[];
  /** Audit annotations authentication adds to the request's event (kube's audit.AddAuditAnnotation). */
  auditAnnotations?: Record<string, string>;
}

/** null: this authenticator has no opinion (no credential of its kind). Throwing: the credential is bad (401). */
export interface Authenticator {
  authenticate(req: IncomingMessage): Promise<AuthenticationResult | null> | AuthenticationResult | null;
}
