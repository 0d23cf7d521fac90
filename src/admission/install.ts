// Puts the admission webhooks to work: the Mutating/ValidatingWebhookConfiguration objects are read
// from storage (and watched: changes apply without a restart), namespaces' labels come from storage,
// equivalent resources (other served versions of a group-resource) from discovery, and webhooks behind
// a Service are reached through kube's endpoint routing (the resolver conversion webhooks use).
import type { Logger } from 'pino';
import type { Storage } from '../storage/interface.js';
import type { DiscoveryRegistry } from '../aggregator/discovery/index.js';
import { storagePrefix } from '../registry/resource.js';
import type { AdmissionChain } from './interface.js';
import { ObjectCache } from './object-cache.js';
import type { EquivalentResources, NamespaceLabels } from './match-resources.js';
import { mutatingAdmissionWebhook } from './webhook/mutating.js';
import { validatingAdmissionWebhook } from './webhook/validating.js';
import { validatingAdmissionPolicy } from './policy/plugin.js';
import { storageParamLookup } from './policy/params.js';
import { endpointsServiceResolver } from '../webhook/service-resolver.js';
import type { ServiceIndex } from '../aggregator/service-index.js';
import type { Authorizer } from '../auth/authorizer.js';
import type { OpenAPIRegistry } from '../aggregator/openapi/registry.js';
import type { Store } from '../registry/store.js';
import { startPolicyStatusController } from './policy/status-controller.js';
import { servedSchemaSource } from './policy/schema-source.js';

const GROUP = 'admissionregistration.k8s.io';

export interface AdmissionInstallDeps {
  storage: Storage;
  /** Services and their endpoints in memory, where webhooks behind a Service are resolved. */
  services?: ServiceIndex;
  discovery: DiscoveryRegistry;
  /** The storage key of a namespace. */
  namespaceKey(name: string): string;
  logger?: Pick<Logger, 'warn'>;
  /** The server's authorizer, for the `authorizer` variable of admission CEL. */
  authorizer?: Authorizer;
  /** The served OpenAPI and the policies' store: with both, policies get status.typeChecking. */
  openapi?: OpenAPIRegistry;
  policyStore?: Store;
}

/** Other served versions of the same group-resource, from discovery. */
export function discoveryEquivalents(discovery: DiscoveryRegistry): EquivalentResources {
  return (resource) => {
    const versions = resource.group ? (discovery.group(resource.group)?.versions.map((v) => v.version) ?? []) : discovery.coreVersions();
    const out: ReturnType<EquivalentResources> = [];
    for (const version of versions) {
      const found = discovery.resourceList(resource.group, version)?.find((r) => r.name === resource.resource);
      if (found) out.push({ resource: { group: resource.group, version, resource: resource.resource }, kind: found.kind });
    }
    return out;
  };
}

export function storageNamespaceLabels(storage: Storage, namespaceKey: (name: string) => string): NamespaceLabels {
  return async (name) => {
    const ns = await storage.get(namespaceKey(name), { ignoreNotFound: true });
    return ns ? ((ns.metadata.labels as Record<string, string> | undefined) ?? {}) : undefined;
  };
}

/**
 * Adds MutatingAdmissionWebhook (admit), ValidatingAdmissionPolicy and ValidatingAdmissionWebhook
 * (validate), in kube's plugin order; returns a stop function.
 */
export async function installAdmissionWebhooks(chain: AdmissionChain, deps: AdmissionInstallDeps): Promise<() => void> {
  const mutatingConfigs = new ObjectCache(deps.storage, storagePrefix({ group: GROUP, resource: 'mutatingwebhookconfigurations' }), deps.logger);
  const validatingConfigs = new ObjectCache(deps.storage, storagePrefix({ group: GROUP, resource: 'validatingwebhookconfigurations' }), deps.logger);
  const policies = new ObjectCache(deps.storage, storagePrefix({ group: GROUP, resource: 'validatingadmissionpolicies' }), deps.logger);
  const bindings = new ObjectCache(deps.storage, storagePrefix({ group: GROUP, resource: 'validatingadmissionpolicybindings' }), deps.logger);
  const caches = [mutatingConfigs, validatingConfigs, policies, bindings];
  await Promise.all(caches.map((c) => c.start()));
  const match = {
    equivalents: discoveryEquivalents(deps.discovery),
    namespaceLabels: storageNamespaceLabels(deps.storage, deps.namespaceKey),
    resolver: endpointsServiceResolver(deps.storage, deps.services),
    authorizer: deps.authorizer,
  };
  chain.add(mutatingAdmissionWebhook(mutatingConfigs, match));
  chain.add(validatingAdmissionPolicy(policies, bindings, { ...match, params: storageParamLookup(deps.storage, deps.discovery), storage: deps.storage, namespaceKey: deps.namespaceKey }));
  chain.add(validatingAdmissionWebhook(validatingConfigs, match));
  const stopStatus = deps.openapi && deps.policyStore ? startPolicyStatusController(policies, deps.policyStore, servedSchemaSource(deps.discovery, deps.openapi), deps.logger) : () => undefined;
  return () => {
    stopStatus();
    for (const cache of caches) cache.stop();
  };
}
