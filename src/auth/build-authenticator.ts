// The request authenticator from the options, assembled as kube-apiserver assembles it
// (pkg/kubeapiserver/authenticator/config.go): client certificates, then bearer tokens (the Authorization
// header and the websocket subprotocol, over one union of token authenticators: the token file first,
// then any later ones such as service accounts or OIDC, behind kube's cache of successes); their union
// gains system:authenticated; with
// --anonymous-auth, a request that presents no credential at all is system:anonymous, while a
// credential that fails stays a failure (kube's union.NewFailOnError).
import type { X509Certificate } from 'node:crypto';
import type { Authenticator } from './authenticator.js';
import type { ServerOptions } from '../server/options.js';
import { unionAuthenticator } from './union-authenticator.js';
import { x509Authenticator } from './x509.js';
import { bearerTokenAuthenticator } from './bearer-token.js';
import { websocketProtocolAuthenticator } from './websocket-protocol.js';
import { unionTokenAuthenticator, type TokenAuthenticator } from './token-authenticator.js';
import { tokenFileAuthenticator, type TokenFileNotice } from './token-file.js';
import { withAuthenticatedGroup } from './authenticated-group-adder.js';
import { anonymousAuthenticator } from './anonymous.js';
import { audienceAgnosticToken } from './audience-agnostic.js';
import { cachedTokenAuthenticator } from './token-cache.js';

export interface AuthenticatorExtras {
  /** Token authenticators that follow the token file (service accounts, OIDC, webhook, ...). */
  tokenAuthenticators?: TokenAuthenticator[];
  /** Request authenticators that come first (kube puts the front proxy's request headers there). */
  requestAuthenticators?: Authenticator[];
  /** When the TLS server also trusts the front proxy's CA: the CAs user certificates must chain to. */
  clientCAs?: X509Certificate[];
  /** Warnings while reading the token file (empty or repeated tokens). */
  onNotice?: (notice: TokenFileNotice) => void;
  /** --api-audiences: what the audience-agnostic token file's tokens are good for. */
  apiAudiences?: string[];
}

export async function buildAuthenticator(
  options: Pick<ServerOptions, 'tokenAuthFile' | 'anonymousAuth'> & Partial<Pick<ServerOptions, 'tokenSuccessCacheTTLSeconds' | 'tokenFailureCacheTTLSeconds'>>,
  extras: AuthenticatorExtras = {},
): Promise<Authenticator> {
  const tokenAuthenticators: TokenAuthenticator[] = [];
  if (options.tokenAuthFile) tokenAuthenticators.push(audienceAgnosticToken(extras.apiAudiences ?? [], await tokenFileAuthenticator(options.tokenAuthFile, extras.onNotice)));
  tokenAuthenticators.push(...(extras.tokenAuthenticators ?? []));

  const authenticators: Authenticator[] = [...(extras.requestAuthenticators ?? []), x509Authenticator(extras.clientCAs)];
  if (tokenAuthenticators.length > 0) {
    // kube-apiserver: tokencache.New(union, true, TokenSuccessCacheTTL, TokenFailureCacheTTL); a token
    // seen in the last 10 s skips verification (and its account lookups) altogether.
    const tokens = cachedTokenAuthenticator(unionTokenAuthenticator(tokenAuthenticators), {
      successTTLMs: (options.tokenSuccessCacheTTLSeconds ?? 0) * 1000,
      failureTTLMs: (options.tokenFailureCacheTTLSeconds ?? 0) * 1000,
      cacheErrors: true,
    });
    authenticators.push(bearerTokenAuthenticator(tokens), websocketProtocolAuthenticator(tokens));
  }
  const authenticated = withAuthenticatedGroup(unionAuthenticator(authenticators));
  if (!options.anonymousAuth) return authenticated;
  return unionAuthenticator([authenticated, anonymousAuthenticator], { failOnError: true });
}
