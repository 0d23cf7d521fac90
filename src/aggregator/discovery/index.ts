export { DiscoveryRegistry, type DiscoveryGroupVersion, type APIGroup, type AggregatedDocument } from './registry.js';
export { discoveryMux, groupVersionHandler, type DiscoveryMuxOptions } from './mux.js';
export { compareKubeAwareVersions, defaultPriority, CUSTOM_RESOURCE_PRIORITY, type GroupVersionPriority } from './version-priority.js';
export { storageVersionHash } from './storage-version-hash.js';
export { apiResourcesOf, aggregatedResourcesOf, aggregatedFromAPIResources, type DiscoverySource } from './resources.js';
export type * from './types.js';
