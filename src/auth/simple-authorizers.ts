// kube's built-in authorizers (authorizerfactory/builtin.go): AlwaysAllow, AlwaysDeny (which, as in
// kube, has no opinion and says why), and the privileged-groups authorizer kube-apiserver puts in
// front of every mode for system:masters.
import type { Authorizer } from './authorizer.js';

export const alwaysAllow: Authorizer = { authorize: () => ({ decision: 'Allow', reason: '' }) };

export const ALWAYS_DENY_REASON = 'Everything is forbidden.';

export const alwaysDeny: Authorizer = { authorize: () => ({ decision: 'NoOpinion', reason: ALWAYS_DENY_REASON }) };

export function privilegedGroups(groups: string[]): Authorizer {
  return {
    authorize(attrs) {
      if (!attrs.user) return { decision: 'NoOpinion', reason: 'Error', error: new Error('no user on request.') };
      return { decision: attrs.user.groups.some((g) => groups.includes(g)) ? 'Allow' : 'NoOpinion', reason: '' };
    },
  };
}
