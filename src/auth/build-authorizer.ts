// The authorizer from --authorization-mode, as kube-apiserver builds it: system:masters first, then
// each mode in the given order, as a union. Modes are checked with kube's messages; modes kube knows
// but this server does not serve yet are refused plainly. The default mode is RBAC.
import type { Authorizer } from './authorizer.js';
import type { ServerOptions } from '../server/options.js';
import { unionAuthorizer } from './union-authorizer.js';
import { alwaysAllow, alwaysDeny, privilegedGroups } from './simple-authorizers.js';
import { MASTERS_GROUP } from './user.js';
import { AggregateAuthError } from './aggregate-error.js';
import { goQuote } from '../endpoints/go-strconv.js';
import { webhookAuthorizerFromFile } from './webhook/authorizer.js';

/** kube's AuthorizationModeChoices. */
export const KUBE_AUTHORIZATION_MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'Webhook', 'RBAC', 'Node'];

const BUILT_IN: Record<string, Authorizer> = { AlwaysAllow: alwaysAllow, AlwaysDeny: alwaysDeny };

/** Go's %q of a []string: ["a" "b"]. */
function goQuoteList(values: string[]): string {
  return `[${values.map((v) => goQuote(v)).join(' ')}]`;
}

/** kube's BuiltInAuthorizationOptions.Validate for the modes (errors aggregated as kube prints them). */
export function validateAuthorizationModes(modes: string[], served: string[]): void {
  const errors: Error[] = [];
  if (modes.length === 0) errors.push(new Error('at least one authorization-mode must be passed'));
  for (const mode of modes) {
    if (!KUBE_AUTHORIZATION_MODES.includes(mode) && !served.includes(mode)) errors.push(new Error(`authorization-mode ${goQuote(mode)} is not a valid mode`));
    else if (!served.includes(mode)) errors.push(new Error(`authorization-mode ${goQuote(mode)} is not supported by kube-chain yet`));
  }
  if (new Set(modes).size !== modes.length) errors.push(new Error(`authorization-mode ${goQuoteList(modes)} has mode specified more than once`));
  if (errors.length > 0) throw new AggregateAuthError(errors);
}

/** The modes this server serves (RBAC is passed in by the app, which owns its state). */
export function servedAuthorizationModes(): string[] {
  return [...Object.keys(BUILT_IN), 'RBAC', 'Webhook'];
}

/** Modes that need the server's state (RBAC, Webhook) plug in through `modes`. */
export function buildAuthorizer(options: Pick<ServerOptions, 'authorizationMode'>, modes: Record<string, Authorizer> = {}): Authorizer {
  const available = { ...BUILT_IN, ...modes };
  validateAuthorizationModes(options.authorizationMode, Object.keys(available));
  const authorizers: Authorizer[] = [privilegedGroups([MASTERS_GROUP])];
  for (const mode of options.authorizationMode) authorizers.push(available[mode]);
  return unionAuthorizer(authorizers);
}

/** The Webhook mode's authorizer, when the mode is asked for (kube refuses the mode without its config file). */
export function webhookModeAuthorizer(options: Pick<ServerOptions, 'authorizationMode' | 'authorizationWebhookConfigFile' | 'authorizationWebhookVersion' | 'authorizationWebhookCacheAuthorizedTTLSeconds' | 'authorizationWebhookCacheUnauthorizedTTLSeconds'>): Record<string, Authorizer> {
  if (!options.authorizationMode.includes('Webhook')) return {};
  if (!options.authorizationWebhookConfigFile) throw new AggregateAuthError([new Error("authorization-mode Webhook's authorization config file not passed")]);
  return {
    Webhook: webhookAuthorizerFromFile(options.authorizationWebhookConfigFile, {
      version: options.authorizationWebhookVersion,
      authorizedTTLMs: options.authorizationWebhookCacheAuthorizedTTLSeconds * 1000,
      unauthorizedTTLMs: options.authorizationWebhookCacheUnauthorizedTTLSeconds * 1000,
    }),
  };
}
