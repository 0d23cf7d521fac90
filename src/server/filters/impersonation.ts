// kube's WithImpersonation (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go, 1.32), after
// authentication and audit, before flow control and authorization: each thing the request asks to
// act as (user or service account, groups, extras, uid) must be allowed to the requestor with the
// verb `impersonate` on users / serviceaccounts / groups / userextras/<key> / uids; the first refusal
// is kube's 403. Then the request runs as the impersonated user: system:authenticated is added for a
// non-anonymous user unless the groups given say otherwise (system:unauthenticated for
// system:anonymous), a service account without groups gets its fixed ones. The original user stays on
// ctx.state.impersonatedBy, the audit event records the impersonated user, and the headers are removed.
import type { KubeMiddleware } from '../context.js';
import type { AuthorizationAttributes, Authorizer } from '../../auth/authorizer.js';
import type { UserInfo } from '../../auth/user.js';
import { ANONYMOUS_USER, AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP } from '../../auth/user.js';
import { impersonationRequests, stripImpersonationHeaders, type ImpersonationRequest } from '../../auth/impersonation-requests.js';
import { StatusError } from '../../endpoints/status.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { forbiddenError } from './authorization.js';
import type { RequestAudit } from '../../audit/request-audit.js';

/** What impersonating one thing is authorized as, and how it shapes the new user. */
function attributesFor(requestor: UserInfo, request: ImpersonationRequest): AuthorizationAttributes {
  const slash = request.apiVersion.indexOf('/');
  const attrs: AuthorizationAttributes = {
    user: requestor,
    verb: 'impersonate',
    isResourceRequest: true,
    path: '',
    namespace: request.namespace,
    apiGroup: slash === -1 ? '' : request.apiVersion.slice(0, slash),
    apiVersion: slash === -1 ? request.apiVersion : request.apiVersion.slice(slash + 1),
    resource: '',
    subresource: '',
    name: request.name,
  };
  switch (request.kind) {
    case 'ServiceAccount':
      return { ...attrs, resource: 'serviceaccounts' };
    case 'User':
      return { ...attrs, resource: 'users' };
    case 'Group':
      return { ...attrs, resource: 'groups' };
    case 'UserExtra':
      return { ...attrs, resource: 'userextras', subresource: request.fieldPath };
    case 'UID':
      return { ...attrs, resource: 'uids' };
  }
}

/** The user the request will run as, from the allowed requests. */
export function impersonatedUser(requests: ImpersonationRequest[], groupsSpecified: boolean): UserInfo {
  let name = '';
  let uid = '';
  let groups: string[] = [];
  const extra: Record<string, string[]> = {};
  for (const request of requests) {
    switch (request.kind) {
      case 'ServiceAccount':
        name = `system:serviceaccount:${request.namespace}:${request.name}`;
        if (!groupsSpecified) groups = ['system:serviceaccounts', `system:serviceaccounts:${request.namespace}`];
        break;
      case 'User':
        name = request.name;
        break;
      case 'Group':
        groups.push(request.name);
        break;
      case 'UserExtra':
        (extra[request.fieldPath] ??= []).push(request.name);
        break;
      case 'UID':
        uid = request.name;
        break;
    }
  }
  if (name !== ANONYMOUS_USER) {
    if (!groups.includes(AUTHENTICATED_GROUP) && !groups.includes(UNAUTHENTICATED_GROUP)) groups.push(AUTHENTICATED_GROUP);
  } else if (!groups.includes(UNAUTHENTICATED_GROUP)) {
    groups.push(UNAUTHENTICATED_GROUP);
  }
  const user: UserInfo = { name, groups, extra };
  if (uid) user.uid = uid;
  return user;
}

/** responsewriters.InternalError, as a Status (as the authorization filter answers it). */
function internalError(url: string, err: Error): StatusError {
  return new StatusError(500, 'InternalError', `Internal Server Error: ${goQuote(url)}: ${err.message}`);
}

export function createImpersonationFilter(authorizer: Authorizer): KubeMiddleware {
  return async function impersonation(ctx, next) {
    let parsed;
    try {
      parsed = impersonationRequests(ctx.req);
    } catch (err) {
      throw internalError(ctx.url, err as Error);
    }
    if (parsed.requests.length === 0) return next();
    const requestor = ctx.state.user;
    if (!requestor) throw internalError(ctx.url, new Error('no user found for request'));

    for (const request of parsed.requests) {
      const attrs = attributesFor(requestor, request);
      const { decision, reason, error } = await authorizer.authorize(attrs);
      if (error || decision !== 'Allow') throw forbiddenError(attrs, reason);
    }
    const user = impersonatedUser(parsed.requests, parsed.groupsSpecified);
    ctx.state.impersonatedBy = requestor;
    ctx.state.user = user;
    (ctx.state.audit as RequestAudit | undefined)?.logImpersonatedUser(user);
    stripImpersonationHeaders(ctx.req);
    return next();
  };
}
