// Service-account token settings from the flags, as kube-apiserver resolves them: the first
// --service-account-issuer issues, all of them are accepted; the verification keys are
// --service-account-key-file's, or the signing key's own public key when none is given; the API
// audiences default to the issuers. Without --service-account-signing-key-file a key is generated
// into the data directory once and reused.
import type { ServerOptions } from '../../server/options.js';
import { loadSigningKey, readPublicKeys, type SigningKey, type VerificationKey } from './keys.js';
import { jwtTokenIssuer, type TokenIssuer } from './token-issuer.js';

/** The issuer kubeadm and kind configure; kube-chain's default. */
export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

export type ServiceAccountOptions = Pick<
  ServerOptions,
  'dataDir' | 'serviceAccountSigningKeyFile' | 'serviceAccountKeyFiles' | 'serviceAccountIssuers' | 'apiAudiences'
>;

export interface ServiceAccountConfig {
  issuers: string[];
  signingKey: SigningKey;
  issuer: TokenIssuer;
  keys: VerificationKey[];
  apiAudiences: string[];
}

export async function loadServiceAccountConfig(options: ServiceAccountOptions): Promise<ServiceAccountConfig> {
  const issuers = options.serviceAccountIssuers.length > 0 ? options.serviceAccountIssuers : [DEFAULT_SERVICE_ACCOUNT_ISSUER];
  for (const issuer of issuers) {
    if (issuer.includes(':') && !/^[a-z][a-z0-9+.-]*:\/\//i.test(issuer)) {
      throw new Error(`service-account-issuer ${JSON.stringify(issuer)} contained a ':' but was not a valid URL`);
    }
  }
  const signingKey = await loadSigningKey(options.serviceAccountSigningKeyFile, options.dataDir);
  const keys: VerificationKey[] = [];
  for (const file of options.serviceAccountKeyFiles) keys.push(...(await readPublicKeys(file)));
  if (keys.length === 0) keys.push(signingKey.publicKey);
  const apiAudiences = options.apiAudiences.length > 0 ? options.apiAudiences : [...issuers];
  return { issuers, signingKey, issuer: jwtTokenIssuer(issuers[0], signingKey), keys, apiAudiences };
}
