// The built-in group-versions the KubeAPIServer layer serves, in kube's discovery priority order.
import type { GroupVersionSpec } from '../server/install-api.js';
import { configMaps } from './core/configmaps.js';
import { namespaces } from './core/namespaces.js';
import { secrets } from './core/secrets.js';
import { serviceAccounts } from './core/serviceaccounts.js';
import { coreEvents } from './core/events.js';
import { eventsV1 } from './events/events.js';
import { leases } from './coordination/leases.js';

export function builtinGroupVersions(): GroupVersionSpec[] {
  return [
    { group: '', version: 'v1', resources: [namespaces, configMaps, secrets, serviceAccounts, coreEvents] },
    { group: 'events.k8s.io', version: 'v1', resources: [eventsV1] },
    { group: 'coordination.k8s.io', version: 'v1', resources: [leases] },
  ];
}
