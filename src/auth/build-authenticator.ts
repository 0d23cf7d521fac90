// The request authenticator from the options, assembled as kube-apiserver assembles it: a union of
// the configured authenticators, system:authenticated added to whoever they find, and anonymous
// for requests that present no credential at all.
import type { Authenticator, AuthenticationResult } from './authenticator.js';
import type { ServerOptions } from '../server/options.js';
import { unionAuthenticator } from './union-authenticator.js';
import { x509Authenticator } from './x509.js';
import { bearerTokenAuthenticator, type TokenAuthenticator } from './bearer-token.js';
import { tokenFileAuthenticator } from './token-file.js';
import { ANONYMOUS_USER, AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP } from './user.js';

function withAuthenticatedGroup(result: AuthenticationResult): AuthenticationResult {
  const groups = result.user.groups;
  if (groups.includes(AUTHENTICATED_GROUP) || result.user.name === ANONYMOUS_USER) return result;
  return { ...result, user: { ...result.user, groups: [...groups, AUTHENTICATED_GROUP] } };
}

export async function buildAuthenticator(options: ServerOptions, extraTokenAuthenticators: TokenAuthenticator[] = []): Promise<Authenticator> {
  const tokenAuthenticators: TokenAuthenticator[] = [...extraTokenAuthenticators];
  if (options.tokenAuthFile) tokenAuthenticators.push(await tokenFileAuthenticator(options.tokenAuthFile));
  const union = unionAuthenticator([x509Authenticator(), bearerTokenAuthenticator(tokenAuthenticators)]);
  return {
    async authenticate(req) {
      // A credential that fails is a 401 even when anonymous requests are allowed.
      const result = await union.authenticate(req);
      if (result) return withAuthenticatedGroup(result);
      if (!options.anonymousAuth) return null;
      return { user: { name: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] } };
    },
  };
}
