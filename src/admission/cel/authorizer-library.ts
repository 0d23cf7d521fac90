// kube's CEL authz library (k8s.io/apiserver pkg/cel/library/authz.go) for admission expressions: the
// `authorizer` variable asks the server's real authorizer (system:masters, RBAC, webhook, ...) about the
// requesting user, or a service account:
//   authorizer.group('apps').resource('deployments').namespace('x').name('y').check('create').allowed()
//   authorizer.path('/healthz').check('get').reason()
//   authorizer.serviceAccount('ns', 'sa').group('').resource('pods').check('list').errored()
//   authorizer.requestResource.check('delete')   (the resource of the request being admitted)
// Checks are asynchronous, so expressions using them evaluate to promises.
import type { Environment } from '@marcbachmann/cel-js';
import type { AuthorizationAttributes, Authorizer, Decision } from '../../auth/authorizer.js';
import type { UserInfo } from '../../auth/user.js';
import { makeGroupNames, makeUsername } from '../../auth/serviceaccount/names.js';
import { isDNS1123Label, isDNS1123Subdomain } from '../../registry/validation/names.js';

const AUTHORIZER = 'kubernetes.authorization.Authorizer';
const PATH_CHECK = 'kubernetes.authorization.PathCheck';
const GROUP_CHECK = 'kubernetes.authorization.GroupCheck';
const RESOURCE_CHECK = 'kubernetes.authorization.ResourceCheck';
const DECISION = 'kubernetes.authorization.Decision';

/** One request's authorizer calls: the same attributes are decided once (kube's caching authorizer). */
export class RequestAuthorizer {
  private readonly decisions = new Map<string, Promise<AuthzDecision>>();

  constructor(private readonly authorizer: Authorizer) {}

  decide(attrs: AuthorizationAttributes): Promise<AuthzDecision> {
    const key = JSON.stringify(attrs);
    let decision = this.decisions.get(key);
    if (!decision) {
      decision = (async () => {
        try {
          const result = await this.authorizer.authorize(attrs);
          return new AuthzDecision(result.decision, result.reason, result.error?.message);
        } catch (err) {
          return new AuthzDecision('NoOpinion', '', (err as Error).message);
        }
      })();
      this.decisions.set(key, decision);
    }
    return decision;
  }
}

export class CelAuthorizer {
  /** `authorizer.requestResource`: a ResourceCheck of the request's own resource (set for the requesting user). */
  readonly requestResource: ResourceCheck | null;

  constructor(readonly user: UserInfo, readonly calls: RequestAuthorizer, request?: RequestResource) {
    this.requestResource = request
      ? new ResourceCheck(new GroupCheck(this, request.group), request.resource, request.subresource, request.namespace, request.name)
      : null;
  }
}

/** The resource a request is on (kube's NewResourceAuthorizerVal). */
export interface RequestResource {
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

class PathCheck {
  constructor(readonly authorizer: CelAuthorizer, readonly path: string) {}
}

class GroupCheck {
  constructor(readonly authorizer: CelAuthorizer, readonly group: string) {}
}

class ResourceCheck {
  constructor(
    readonly groupCheck: GroupCheck,
    readonly resource: string,
    readonly subresource = '',
    readonly namespace = '',
    readonly name = '',
  ) {}

  with(change: Partial<Pick<ResourceCheck, 'subresource' | 'namespace' | 'name'>>): ResourceCheck {
    const next = { subresource: this.subresource, namespace: this.namespace, name: this.name, ...change };
    return new ResourceCheck(this.groupCheck, this.resource, next.subresource, next.namespace, next.name);
  }
}

export class AuthzDecision {
  constructor(readonly decision: Decision, readonly reason: string, readonly error?: string) {}
}

function attributes(user: UserInfo, fields: Partial<AuthorizationAttributes>): AuthorizationAttributes {
  return { user, verb: '', isResourceRequest: false, path: '', namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '', ...fields };
}

function serviceAccount(authz: CelAuthorizer, namespace: string, name: string): CelAuthorizer {
  if (isDNS1123Subdomain(name).length > 0) throw new Error('Invalid service account name');
  if (isDNS1123Label(namespace).length > 0) throw new Error('Invalid service account namespace');
  return new CelAuthorizer({ name: makeUsername(namespace, name), groups: makeGroupNames(namespace) }, authz.calls);
}

/** Registers the authz types and functions and the `authorizer` variable. */
export function registerAuthorizerLibrary(env: Environment): void {
  env.registerType(RESOURCE_CHECK, ResourceCheck);
  env.registerType(AUTHORIZER, { ctor: CelAuthorizer, fields: { requestResource: RESOURCE_CHECK } });
  env.registerType(PATH_CHECK, PathCheck);
  env.registerType(GROUP_CHECK, GroupCheck);
  env.registerType(DECISION, AuthzDecision);
  env.registerVariable('authorizer', AUTHORIZER);

  env.registerFunction(`${AUTHORIZER}.path(string): ${PATH_CHECK}`, (a: CelAuthorizer, path: string) => {
    if (path.trim() === '') throw new Error('path must not be empty');
    return new PathCheck(a, path);
  });
  env.registerFunction(`${AUTHORIZER}.group(string): ${GROUP_CHECK}`, (a: CelAuthorizer, group: string) => new GroupCheck(a, group));
  env.registerFunction(`${AUTHORIZER}.serviceAccount(string, string): ${AUTHORIZER}`, serviceAccount);
  env.registerFunction(`${GROUP_CHECK}.resource(string): ${RESOURCE_CHECK}`, (g: GroupCheck, resource: string) => {
    if (resource.trim() === '') throw new Error('resource must not be empty');
    return new ResourceCheck(g, resource);
  });
  env.registerFunction(`${RESOURCE_CHECK}.subresource(string): ${RESOURCE_CHECK}`, (r: ResourceCheck, subresource: string) => r.with({ subresource }));
  env.registerFunction(`${RESOURCE_CHECK}.namespace(string): ${RESOURCE_CHECK}`, (r: ResourceCheck, namespace: string) => r.with({ namespace }));
  env.registerFunction(`${RESOURCE_CHECK}.name(string): ${RESOURCE_CHECK}`, (r: ResourceCheck, name: string) => r.with({ name }));
  // Selectors only narrow what kube's authorizers may consider; kube-chain's authorizers decide without them.
  env.registerFunction(`${RESOURCE_CHECK}.fieldSelector(string): ${RESOURCE_CHECK}`, (r: ResourceCheck) => r);
  env.registerFunction(`${RESOURCE_CHECK}.labelSelector(string): ${RESOURCE_CHECK}`, (r: ResourceCheck) => r);
  env.registerFunction({
    name: 'check',
    receiverType: PATH_CHECK,
    returnType: DECISION,
    params: [{ name: 'httpRequestVerb', type: 'string' }],
    async: true,
    handler: (p: PathCheck, verb: string) => p.authorizer.calls.decide(attributes(p.authorizer.user, { path: p.path, verb })),
  });
  env.registerFunction({
    name: 'check',
    receiverType: RESOURCE_CHECK,
    returnType: DECISION,
    params: [{ name: 'apiVerb', type: 'string' }],
    async: true,
    handler: (r: ResourceCheck, verb: string) =>
      r.groupCheck.authorizer.calls.decide(
        attributes(r.groupCheck.authorizer.user, {
          isResourceRequest: true,
          apiGroup: r.groupCheck.group,
          apiVersion: '*',
          resource: r.resource,
          subresource: r.subresource,
          namespace: r.namespace,
          name: r.name,
          verb,
        }),
      ),
  });
  env.registerFunction(`${DECISION}.allowed(): bool`, (d: AuthzDecision) => d.decision === 'Allow');
  env.registerFunction(`${DECISION}.reason(): string`, (d: AuthzDecision) => d.reason);
  env.registerFunction(`${DECISION}.errored(): bool`, (d: AuthzDecision) => d.error !== undefined);
  env.registerFunction(`${DECISION}.error(): string`, (d: AuthzDecision) => d.error ?? '');
}
