// The authorizer from --authorization-mode, as a union behind kube's system:masters short cut.
import type { Authorizer } from './authorizer.js';
import type { ServerOptions } from '../server/options.js';
import { unionAuthorizer } from './union-authorizer.js';
import { alwaysAllow, alwaysDeny, privilegedGroups } from './simple-authorizers.js';
import { defaultPolicy } from './default-policy.js';
import { MASTERS_GROUP } from './user.js';

const MODES: Record<string, Authorizer> = { AlwaysAllow: alwaysAllow, AlwaysDeny: alwaysDeny };

export function buildAuthorizer(options: Pick<ServerOptions, 'authorizationMode'>): Authorizer {
  const modes = options.authorizationMode;
  const seen = new Set<string>();
  const authorizers: Authorizer[] = [privilegedGroups([MASTERS_GROUP])];
  for (const mode of modes) {
    if (!(mode in MODES)) throw new Error(`authorization-mode "${mode}" is not a valid mode (supported: ${Object.keys(MODES).join(', ')})`);
    if (seen.has(mode)) throw new Error(`authorization-mode "${mode}" has mode specified more than once`);
    seen.add(mode);
    authorizers.push(MODES[mode]);
  }
  if (modes.length === 0) authorizers.push(defaultPolicy);
  return unionAuthorizer(authorizers);
}
