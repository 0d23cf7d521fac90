// The policy used while no --authorization-mode is given (until RBAC exists): authenticated users may
// do anything; everyone, anonymous included, may `get` exactly the URLs of kube's bootstrap role
// system:public-info-viewer (bound to system:authenticated and system:unauthenticated). Its URLs are
// exact: /readyz/ping and other single checks are not public in kube (they sit in system:monitoring).
import type { Authorizer } from './authorizer.js';
import { AUTHENTICATED_GROUP } from './user.js';

export const PUBLIC_INFO_PATHS: readonly string[] = ['/livez', '/readyz', '/healthz', '/version', '/version/'];

export function isPublicInfo(path: string): boolean {
  return PUBLIC_INFO_PATHS.includes(path);
}

export const defaultPolicy: Authorizer = {
  authorize(attrs) {
    if (attrs.user.groups.includes(AUTHENTICATED_GROUP)) return { decision: 'Allow', reason: '' };
    if (!attrs.isResourceRequest && attrs.verb === 'get' && isPublicInfo(attrs.path)) return { decision: 'Allow', reason: '' };
    return { decision: 'NoOpinion', reason: '' };
  },
};
