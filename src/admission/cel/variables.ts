// The variables of admission CEL for one evaluation (kube's cel.OptionalVariableBindings + the
// activation of its admission filter): object, oldObject, request, params and namespaceObject as CEL
// values, and `authorizer` for the requesting user, with `authorizer.requestResource` the request's
// own resource.
import type { Authorizer } from '../../auth/authorizer.js';
import type { AdmissionAttributes } from '../interface.js';
import { toCel } from './environment.js';
import { CelAuthorizer, RequestAuthorizer } from './authorizer-library.js';

export interface VariableInputs {
  object?: unknown;
  oldObject?: unknown;
  request: unknown;
  params?: unknown;
  namespaceObject?: unknown;
  /** The server's authorizer; without one, expressions using `authorizer` fail to evaluate. */
  authorizer?: Authorizer;
  attrs: AdmissionAttributes;
}

/** One RequestAuthorizer per authorizer and admission request, so the same check is decided once. */
const perRequest = new WeakMap<Authorizer, WeakMap<AdmissionAttributes, RequestAuthorizer>>();

export function celAuthorizer(authorizer: Authorizer | undefined, attrs: AdmissionAttributes): CelAuthorizer | null {
  if (!authorizer) return null;
  let requests = perRequest.get(authorizer);
  if (!requests) perRequest.set(authorizer, (requests = new WeakMap()));
  let calls = requests.get(attrs);
  if (!calls) requests.set(attrs, (calls = new RequestAuthorizer(authorizer)));
  const def = attrs.resource;
  return new CelAuthorizer(attrs.user, calls, {
    group: def.group,
    resource: def.resource,
    subresource: attrs.subresource,
    namespace: def.namespaced ? attrs.namespace : '',
    name: attrs.name,
  });
}

export function admissionVariables(inputs: VariableInputs): Record<string, unknown> {
  return {
    object: toCel(inputs.object ?? null),
    oldObject: toCel(inputs.oldObject ?? null),
    request: toCel(inputs.request),
    params: toCel(inputs.params ?? null),
    namespaceObject: toCel(inputs.namespaceObject ?? null),
    authorizer: celAuthorizer(inputs.authorizer, inputs.attrs),
    variables: {},
  };
}
