// The root paths of the health endpoints.
import type { HealthEndpoint } from './types.js';

/** "/readyz" → "readyz"; anything else → undefined. */
export function endpointOfRoot(path: string): HealthEndpoint | undefined {
  switch (path) {
    case '/healthz':
      return 'healthz';
    case '/livez':
      return 'livez';
    case '/readyz':
      return 'readyz';
    default:
      return undefined;
  }
}
