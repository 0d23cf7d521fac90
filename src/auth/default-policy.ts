// The policy used while no --authorization-mode is given (until RBAC exists): authenticated users may
// do anything; everyone may read the public information kube's system:public-info-viewer role grants.
import type { Authorizer } from './authorizer.js';
import { AUTHENTICATED_GROUP } from './user.js';

/** system:public-info-viewer's nonResourceURLs. */
export const PUBLIC_INFO_PATHS = ['/healthz', '/livez', '/readyz', '/version', '/version/'];

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
