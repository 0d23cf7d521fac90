// user.Info of k8s.io/apiserver: who made a request, as the authenticators found it.

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export const ANONYMOUS_USER = 'system:anonymous';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const MASTERS_GROUP = 'system:masters';
/** user.CredentialIDKey: the extra key naming the credential a request was authenticated with. */
export const CREDENTIAL_ID_KEY = 'authentication.kubernetes.io/credential-id';
