// kube's WithAuthorization: Allow continues; anything else is a 403 with kube's forbidden message.
import type { KubeMiddleware } from '../context.js';
import type { Authorizer, AuthorizationAttributes } from '../../auth/authorizer.js';
import type { RequestInfo } from '../request-info.js';
import type { UserInfo } from '../../auth/user.js';
import { newForbidden } from '../../endpoints/status.js';

export function authorizationAttributes(user: UserInfo, info: RequestInfo): AuthorizationAttributes {
  return {
    user,
    verb: info.verb,
    isResourceRequest: info.isResourceRequest,
    path: info.path,
    namespace: info.namespace,
    apiGroup: info.apiGroup,
    apiVersion: info.apiVersion,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
  };
}

/** responsewriters.forbiddenMessage */
export function forbiddenMessage(attrs: AuthorizationAttributes): string {
  const user = attrs.user.name;
  if (!attrs.isResourceRequest) return `User "${user}" cannot ${attrs.verb} path "${attrs.path}"`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  if (attrs.namespace) return `User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" in the namespace "${attrs.namespace}"`;
  return `User "${user}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.apiGroup}" at the cluster scope`;
}

export function createAuthorizationFilter(authorizer: Authorizer): KubeMiddleware {
  return async function authorization(ctx, next) {
    const attrs = authorizationAttributes(ctx.state.user, ctx.state.requestInfo);
    const { decision, reason } = await authorizer.authorize(attrs);
    if (decision === 'Allow') return next();
    const message = reason ? `${forbiddenMessage(attrs)}: ${reason}` : forbiddenMessage(attrs);
    const resource = attrs.isResourceRequest ? { group: attrs.apiGroup, resource: attrs.resource } : undefined;
    throw newForbidden(resource, attrs.name, message);
  };
}
