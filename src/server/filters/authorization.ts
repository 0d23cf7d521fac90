// kube's WithAuthorization: Allow continues (even if an authorizer also erred); an error without an
// Allow is a 500; anything else is a 403 built as responsewriters.ForbiddenStatusError builds it
// (forbiddenMessage with Go's %q, HTML-sanitized, ": <reason>" when there is one, wrapped by
// apierrors.NewForbidden, with X-Content-Type-Options: nosniff).
import type { KubeMiddleware } from '../context.js';
import type { Authorizer, AuthorizationAttributes } from '../../auth/authorizer.js';
import type { RequestInfo } from '../request-info.js';
import type { UserInfo } from '../../auth/user.js';
import { StatusError } from '../../endpoints/status.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { requestAudit } from '../../audit/request-audit.js';

// The annotations kube's WithAuthorization adds to the audit event.
const DECISION_ANNOTATION = 'authorization.k8s.io/decision';
const REASON_ANNOTATION = 'authorization.k8s.io/reason';

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

/** kube's responsewriters sanitizer: nothing in an error message may look like HTML. */
function sanitizeHTML(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** responsewriters.forbiddenMessage */
export function forbiddenMessage(attrs: AuthorizationAttributes): string {
  const user = goQuote(attrs.user?.name ?? '');
  if (!attrs.isResourceRequest) return `User ${user} cannot ${attrs.verb} path ${goQuote(attrs.path)}`;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const head = `User ${user} cannot ${attrs.verb} resource ${goQuote(resource)} in API group ${goQuote(attrs.apiGroup)}`;
  return attrs.namespace ? `${head} in the namespace ${goQuote(attrs.namespace)}` : `${head} at the cluster scope`;
}

/** responsewriters.ForbiddenStatusError: apierrors.NewForbidden over the sanitized message and the reason. */
export function forbiddenError(attrs: AuthorizationAttributes, reason: string): StatusError {
  const message = sanitizeHTML(forbiddenMessage(attrs));
  const cause = reason ? `${message}: ${reason}` : message;
  const { apiGroup: group, resource, name } = attrs;
  const qualified = group ? `${resource}.${group}` : resource;
  let text: string;
  if (!group && !resource) text = `forbidden: ${cause}`;
  else if (!name) text = `${qualified} is forbidden: ${cause}`;
  else text = `${qualified} ${goQuote(name)} is forbidden: ${cause}`;
  return new StatusError(403, 'Forbidden', text, { name, group, kind: resource }, { 'X-Content-Type-Options': 'nosniff' });
}

export function createAuthorizationFilter(authorizer: Authorizer): KubeMiddleware {
  return async function authorization(ctx, next) {
    const attrs = authorizationAttributes(ctx.state.user, ctx.state.requestInfo);
    const { decision, reason, error } = await authorizer.authorize(attrs);
    const audit = requestAudit(ctx);
    if (decision === 'Allow') {
      audit?.addAnnotation(DECISION_ANNOTATION, 'allow');
      audit?.addAnnotation(REASON_ANNOTATION, reason);
      return next();
    }
    if (error) {
      audit?.addAnnotation(REASON_ANNOTATION, 'internal error');
      // responsewriters.InternalError, as a Status.
      throw new StatusError(500, 'InternalError', sanitizeHTML(`Internal Server Error: ${goQuote(ctx.url)}: ${error.message}`));
    }
    audit?.addAnnotation(DECISION_ANNOTATION, 'forbid');
    audit?.addAnnotation(REASON_ANNOTATION, reason);
    throw forbiddenError(attrs, reason);
  };
}
