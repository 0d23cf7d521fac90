// kube's anonymous authenticator: whoever reaches it is system:anonymous in system:unauthenticated.
import type { Authenticator } from './authenticator.js';
import { ANONYMOUS_USER, UNAUTHENTICATED_GROUP } from './user.js';

export const anonymousAuthenticator: Authenticator = {
  authenticate: () => ({ user: { name: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] } }),
};
