// `Authorization: Bearer <token>` as kube's bearertoken authenticator reads it: no header, another
// scheme or an empty token is no opinion (a space too many before the token earns a warning); a token
// nobody recognises is an error (401); a recognised token is removed from the request.
import type { IncomingMessage } from 'node:http';
import type { Authenticator } from './authenticator.js';
import type { TokenAuthenticator } from './token-authenticator.js';
import { addRequestWarning } from './request-warnings.js';
import { requestAudiences } from './request-audiences.js';

export type { TokenAuthenticator } from './token-authenticator.js';

export const EXTRA_SPACE_WARNING = 'the provided Authorization header contains extra space before the bearer token, and is ignored';

export interface BearerTokenParse {
  token?: string;
  /** The header had a space too many before the token. */
  extraSpace?: boolean;
}

/** strings.SplitN(TrimSpace(header), " ", 3); the scheme is case-insensitive. */
export function parseBearerToken(header: string | undefined): BearerTokenParse {
  const auth = (header ?? '').trim();
  if (auth === '') return {};
  const first = auth.indexOf(' ');
  if (first === -1 || auth.slice(0, first).toLowerCase() !== 'bearer') return {};
  const rest = auth.slice(first + 1);
  const second = rest.indexOf(' ');
  const token = second === -1 ? rest : rest.slice(0, second);
  if (token === '') return { extraSpace: second !== -1 };
  return { token };
}

export function bearerToken(req: IncomingMessage): string | undefined {
  return parseBearerToken(req.headers.authorization).token;
}

export function bearerTokenAuthenticator(tokens: TokenAuthenticator): Authenticator {
  return {
    async authenticate(req) {
      const { token, extraSpace } = parseBearerToken(req.headers.authorization);
      if (extraSpace) addRequestWarning(req, EXTRA_SPACE_WARNING);
      if (token === undefined) return null;
      const result = await tokens.authenticateToken(token, requestAudiences(req));
      if (!result) throw new Error('invalid bearer token');
      // Nothing inside the server should be tempted to pass the token on.
      delete req.headers.authorization;
      return result;
    },
  };
}
