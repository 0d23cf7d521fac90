// `Authorization: Bearer <token>` as kube's bearertoken authenticator reads it: no header, another
// scheme or an empty token is no opinion; a token nobody recognises is an error (401).
import type { IncomingMessage } from 'node:http';
import type { Authenticator, AuthenticationResult } from './authenticator.js';

export interface TokenAuthenticator {
  authenticateToken(token: string): Promise<AuthenticationResult | null> | AuthenticationResult | null;
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = (req.headers.authorization ?? '').trim();
  if (!header) return undefined;
  const parts = header.split(' ');
  if (parts.length < 2 || parts[0].toLowerCase() !== 'bearer') return undefined;
  return parts[1] || undefined;
}

export function bearerTokenAuthenticator(tokenAuthenticators: TokenAuthenticator[]): Authenticator {
  return {
    async authenticate(req) {
      const token = bearerToken(req);
      if (token === undefined) return null;
      for (const authenticator of tokenAuthenticators) {
        const result = await authenticator.authenticateToken(token);
        if (result) {
          // kube removes the token once used, so nothing inside the server is tempted to pass it on.
          delete req.headers.authorization;
          return result;
        }
      }
      throw new Error('invalid bearer token');
    },
  };
}
