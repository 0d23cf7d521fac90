// The OIDC flags resolved as kube-apiserver resolves them (pkg/kubeapiserver/options/authentication.go):
// the issuer must be https; the username claim defaults to `sub`, and a username that is not an
// email is prefixed with "<issuer>#" unless a prefix is given ("-" means none).
import { readFile } from 'node:fs/promises';
import type { ServerOptions } from '../../server/options.js';

export type OIDCOptions = Pick<
  ServerOptions,
  'oidcIssuerURL' | 'oidcClientID' | 'oidcUsernameClaim' | 'oidcUsernamePrefix' | 'oidcGroupsClaim' | 'oidcGroupsPrefix' | 'oidcCAFile' | 'oidcRequiredClaims' | 'oidcSigningAlgs'
>;

export interface OIDCConfig {
  issuerURL: string;
  clientID: string;
  usernameClaim: string;
  usernamePrefix: string;
  groupsClaim: string;
  groupsPrefix: string;
  caPem?: string;
  requiredClaims: Record<string, string>;
  signingAlgs: string[];
}

/** The algorithms kube accepts in --oidc-signing-algs. */
export const SUPPORTED_SIGNING_ALGS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512'];

export async function loadOIDCConfig(options: OIDCOptions): Promise<OIDCConfig | undefined> {
  if (!options.oidcIssuerURL) return undefined;
  let url: URL;
  try {
    url = new URL(options.oidcIssuerURL);
  } catch {
    throw new Error(`oidc-issuer-url ${JSON.stringify(options.oidcIssuerURL)} is not a valid URL`);
  }
  if (url.protocol !== 'https:') throw new Error(`oidc-issuer-url (${options.oidcIssuerURL}) must use https scheme`);
  if (!options.oidcClientID) throw new Error('oidc-client-id must be specified when oidc-issuer-url is set');
  for (const alg of options.oidcSigningAlgs) if (!SUPPORTED_SIGNING_ALGS.includes(alg)) throw new Error(`oidc: unsupported signing alg: ${JSON.stringify(alg)}`);
  const usernameClaim = options.oidcUsernameClaim || 'sub';
  let usernamePrefix = options.oidcUsernamePrefix ?? '';
  if (usernamePrefix === '' && usernameClaim !== 'email') usernamePrefix = `${options.oidcIssuerURL}#`;
  if (usernamePrefix === '-') usernamePrefix = '';
  return {
    issuerURL: options.oidcIssuerURL,
    clientID: options.oidcClientID,
    usernameClaim,
    usernamePrefix,
    groupsClaim: options.oidcGroupsClaim ?? '',
    groupsPrefix: options.oidcGroupsPrefix ?? '',
    caPem: options.oidcCAFile ? await readFile(options.oidcCAFile, 'utf8') : undefined,
    requiredClaims: options.oidcRequiredClaims,
    signingAlgs: options.oidcSigningAlgs.length > 0 ? options.oidcSigningAlgs : ['RS256'],
  };
}
