// The authenticators configured by flags beyond certificates, the token file and service accounts:
// OIDC ID tokens, the token webhook (behind its cache) and the front proxy, in the
// order kube-apiserver puts them in its union.
import type { Logger } from 'pino';
import type { ServerOptions } from '../server/options.js';
import type { Authenticator } from './authenticator.js';
import type { TokenAuthenticator } from './token-authenticator.js';
import { loadOIDCConfig } from './oidc/config.js';
import { oidcAuthenticator } from './oidc/authenticator.js';
import { audienceAgnosticToken } from './audience-agnostic.js';
import { webhookTokenAuthenticatorFromFile } from './webhook/token-authenticator.js';
import { cachedTokenAuthenticator } from './token-cache.js';
import { readFile } from 'node:fs/promises';
import type { X509Certificate } from 'node:crypto';
import { requestHeaderAuthenticator, requestHeaderNames } from './request-header.js';
import { parseCertificates } from './certificate-chain.js';

/** kube's standard front-proxy headers, used when --requestheader-client-ca-file is given without header flags. */
const DEFAULT_REQUEST_HEADERS = { usernameHeaders: ['X-Remote-User'], uidHeaders: ['X-Remote-Uid'], groupHeaders: ['X-Remote-Group'], extraHeaderPrefixes: ['X-Remote-Extra-'] };
const orDefault = (values: string[] | undefined, fallback: string[]) => (values && values.length > 0 ? values : fallback);

export interface FlagAuthenticators {
  /** After the token file and service accounts. */
  tokenAuthenticators: TokenAuthenticator[];
  /** Before client certificates. */
  requestAuthenticators: Authenticator[];
  /** The front proxy's header names, stripped from every request. */
  proxyHeaders: { names: string[]; prefixes: string[] };
  /** PEM of the requestheader CA, which the TLS server must trust too. */
  requestHeaderCAPem?: string;
  /** The CAs user certificates must chain to, when the TLS server trusts more than the client CA. */
  clientCAs?: X509Certificate[];
  stop(): void;
}

export async function buildFlagAuthenticators(
  options: ServerOptions,
  logger: Logger,
  apiAudiences: string[] = options.apiAudiences,
  clientCAPem?: string,
): Promise<FlagAuthenticators> {
  const tokenAuthenticators: TokenAuthenticator[] = [];
  const stops: Array<() => void> = [];
  const oidc = await loadOIDCConfig(options);
  if (oidc) {
    const authenticator = oidcAuthenticator(oidc, { onError: (message) => logger.warn(message) });
    // kube wraps its JWT authenticators as audience-agnostic: good for the API audiences only.
    tokenAuthenticators.push(audienceAgnosticToken(apiAudiences, authenticator));
    stops.push(() => authenticator.stop());
  }
  if (options.authenticationTokenWebhookConfigFile) {
    const webhook = webhookTokenAuthenticatorFromFile(options.authenticationTokenWebhookConfigFile, { version: options.authenticationTokenWebhookVersion, apiAudiences });
    // kube: tokencache.New(webhook, false, ttl, ttl): answers and refusals cached alike, errors never.
    const ttlMs = options.authenticationTokenWebhookCacheTTLSeconds * 1000;
    tokenAuthenticators.push(cachedTokenAuthenticator(webhook, { successTTLMs: ttlMs, failureTTLMs: ttlMs, cacheErrors: false }));
  }
  const requestAuthenticators: Authenticator[] = [];
  let proxyHeaders = { names: [] as string[], prefixes: [] as string[] };
  let requestHeaderCAPem: string | undefined;
  let clientCAs: X509Certificate[] | undefined;
  if (options.requestheaderClientCAFile) {
    requestHeaderCAPem = await readFile(options.requestheaderClientCAFile, 'utf8');
    const config = {
      clientCAs: parseCertificates(requestHeaderCAPem),
      allowedNames: options.requestheaderAllowedNames ?? [],
      usernameHeaders: orDefault(options.requestheaderUsernameHeaders, DEFAULT_REQUEST_HEADERS.usernameHeaders),
      uidHeaders: orDefault(options.requestheaderUIDHeaders, DEFAULT_REQUEST_HEADERS.uidHeaders),
      groupHeaders: orDefault(options.requestheaderGroupHeaders, DEFAULT_REQUEST_HEADERS.groupHeaders),
      extraHeaderPrefixes: orDefault(options.requestheaderExtraHeadersPrefix, DEFAULT_REQUEST_HEADERS.extraHeaderPrefixes),
    };
    if (config.clientCAs.length === 0) throw new Error(`no certificates found in --requestheader-client-ca-file ${options.requestheaderClientCAFile}`);
    requestAuthenticators.push(requestHeaderAuthenticator(config));
    proxyHeaders = requestHeaderNames(config);
    if (clientCAPem) clientCAs = parseCertificates(clientCAPem);
  }
  return { tokenAuthenticators, requestAuthenticators, proxyHeaders, requestHeaderCAPem, clientCAs, stop: () => stops.forEach((stop) => stop()) };
}
