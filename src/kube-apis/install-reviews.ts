// Installs the review group-versions (authentication.k8s.io/v1, authorization.k8s.io/v1) into the
// KubeAPIServer layer: a create-only handler per group-version root, and their discovery and
// OpenAPI entries (kube's priorities put them between events.k8s.io and the other groups).
import type { Layer } from '../server/director.js';
import type { APIDeps } from '../server/install-api.js';
import { groupVersionRoot } from '../server/install-api.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Authorizer, RuleResolver } from '../auth/authorizer.js';
import { createOnlyGroupVersionHandler, type CreateOnlyResource } from '../endpoints/handlers/create-only.js';
import { groupVersionHandler } from '../aggregator/discovery/index.js';
import { authenticationV1Reviews, AUTHENTICATION_GROUP } from './authentication/index.js';
import { authorizationV1Reviews } from './authorization/index.js';
import { AUTHORIZATION_GROUP } from './authorization/types.js';

export interface ReviewDeps {
  authenticator: Authenticator;
  authorizer: Authorizer;
  ruleResolver: RuleResolver;
  /** --api-audiences: what a reviewed token must be meant for when the review names no audiences. */
  apiAudiences: string[];
}

function install(layer: Layer, deps: APIDeps, group: string, resources: CreateOnlyResource[]): void {
  const discovery = groupVersionHandler(deps.discovery, group, 'v1');
  layer.rest.set(groupVersionRoot(group, 'v1'), createOnlyGroupVersionHandler(resources, deps.endpoints, discovery));
  const defs = resources.map((r) => r.def);
  deps.discovery.addGroupVersion({ group, version: 'v1', resources: defs });
  deps.openapi.addGroupVersion({ group, version: 'v1', resources: defs });
}

export function installReviewAPIs(layer: Layer, deps: APIDeps, review: ReviewDeps): void {
  install(layer, deps, AUTHENTICATION_GROUP, authenticationV1Reviews(review.authenticator, review.apiAudiences));
  install(layer, deps, AUTHORIZATION_GROUP, authorizationV1Reviews(review.authorizer, () => review.ruleResolver));
}
