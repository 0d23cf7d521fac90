// The fixed authorizers: AlwaysAllow, AlwaysDeny, and kube's privileged-groups short cut.
import type { Authorizer } from './authorizer.js';

export const alwaysAllow: Authorizer = { authorize: () => ({ decision: 'Allow', reason: '' }) };

export const alwaysDeny: Authorizer = { authorize: () => ({ decision: 'NoOpinion', reason: 'Everything is forbidden.' }) };

/** Members of these groups may do anything (kube puts system:masters in front of every mode). */
export function privilegedGroups(groups: string[]): Authorizer {
  return {
    authorize: (attrs) => ({ decision: attrs.user.groups.some((g) => groups.includes(g)) ? 'Allow' : 'NoOpinion', reason: '' }),
  };
}
