// The authenticators configured by flags beyond certificates, the token file and service accounts:
// OIDC ID tokens, the token webhook (behind its cache) and the front proxy, in the
// order kube-apiserver puts them in its union.
import type { Logger } from 'pino';
import type { ServerOptions } from '../server/options.js';
import type { Authenticator } from './authenticator.js';
import type { TokenAuthenticator } from './token-authenticator.js';
import { loadOIDCConfig } from './oidc/config.js';
import { oidcAuthenticator } from './oidc/authenticator.js';
import { webhookTokenAuthenticatorFromFile } from './webhook/token-authenticator.js';
import { cachedTokenAuthenticator } from './webhook/token-cache.js';

export interface FlagAuthenticators {
  /** After the token file and service accounts. */
  tokenAuthenticators: TokenAuthenticator[];
  /** Before client certificates. */
  requestAuthenticators: Authenticator[];
  stop(): void;
}

export async function buildFlagAuthenticators(options: ServerOptions, logger: Logger, apiAudiences: string[] = options.apiAudiences): Promise<FlagAuthenticators> {
  const tokenAuthenticators: TokenAuthenticator[] = [];
  const stops: Array<() => void> = [];
  const oidc = await loadOIDCConfig(options);
  if (oidc) {
    const authenticator = oidcAuthenticator(oidc, { onError: (message) => logger.warn(message) });
    tokenAuthenticators.push(authenticator);
    stops.push(() => authenticator.stop());
  }
  if (options.authenticationTokenWebhookConfigFile) {
    const webhook = webhookTokenAuthenticatorFromFile(options.authenticationTokenWebhookConfigFile, { version: options.authenticationTokenWebhookVersion, apiAudiences });
    tokenAuthenticators.push(cachedTokenAuthenticator(webhook, options.authenticationTokenWebhookCacheTTLSeconds * 1000));
  }
  return { tokenAuthenticators, requestAuthenticators: [], stop: () => stops.forEach((stop) => stop()) };
}
