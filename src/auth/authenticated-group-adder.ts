// kube's AuthenticatedGroupAdder: a user the chain found joins system:authenticated, unless it is
// system:anonymous or already in system:authenticated or system:unauthenticated.
import type { Authenticator } from './authenticator.js';
import { ANONYMOUS_USER, AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP } from './user.js';

export function withAuthenticatedGroup(authenticator: Authenticator): Authenticator {
  return {
    async authenticate(req) {
      const result = await authenticator.authenticate(req);
      if (!result) return null;
      const { user } = result;
      if (user.name === ANONYMOUS_USER) return result;
      if (user.groups.some((g) => g === AUTHENTICATED_GROUP || g === UNAUTHENTICATED_GROUP)) return result;
      return { ...result, user: { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] } };
    },
  };
}
