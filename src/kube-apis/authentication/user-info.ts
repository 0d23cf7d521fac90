// authentication/v1 UserInfo from a user: extra is always a map (kube fills it even when empty,
// and encoding/json's omitempty then leaves it out).
import type { UserInfo } from '../../auth/user.js';

export function userInfoJSON(user: UserInfo): Record<string, unknown> {
  return {
    username: user.name,
    uid: user.uid ?? '',
    groups: [...user.groups],
    extra: Object.fromEntries(Object.entries(user.extra ?? {}).map(([k, v]) => [k, [...v]])),
  };
}
