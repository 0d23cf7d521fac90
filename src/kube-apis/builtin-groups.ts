// The built-in group-versions the KubeAPIServer layer serves, in kube-apiserver's discovery priority
// order (its APIService priorities: core 18000, events.k8s.io 17750,
// rbac.authorization.k8s.io 17000, admissionregistration.k8s.io 16700, coordination.k8s.io 16500,
// discovery.k8s.io 16200, flowcontrol.apiserver.k8s.io 16100).
import type { GroupVersionSpec } from '../server/install-api.js';
import { coreV1ResourcesFor } from './core/index.js';
import { DEFAULT_SERVICE_CLUSTER_IP_RANGE } from './core/services.js';
import { eventsV1Resources } from './events/index.js';
import { coordinationV1Resources } from './coordination/index.js';
import { rbacV1Resources } from './rbac/index.js';
import { admissionregistrationV1Resources } from './admissionregistration/index.js';
import { discoveryV1Resources } from './discovery/index.js';
import { flowcontrolV1Resources } from './flowcontrol/resources.js';

export interface BuiltinConfig {
  /** --service-cluster-ip-range */
  serviceClusterIPRange?: string;
  /** --service-node-port-range */
  serviceNodePortRange?: string;
}

export function builtinGroupVersions(config: BuiltinConfig = {}): GroupVersionSpec[] {
  const serviceClusterIPRange = config.serviceClusterIPRange ?? DEFAULT_SERVICE_CLUSTER_IP_RANGE;
  return [
    { group: '', version: 'v1', resources: coreV1ResourcesFor({ serviceClusterIPRange, serviceNodePortRange: config.serviceNodePortRange }) },
    { group: 'events.k8s.io', version: 'v1', resources: eventsV1Resources },
    { group: 'rbac.authorization.k8s.io', version: 'v1', resources: rbacV1Resources },
    { group: 'admissionregistration.k8s.io', version: 'v1', resources: admissionregistrationV1Resources },
    { group: 'coordination.k8s.io', version: 'v1', resources: coordinationV1Resources },
    { group: 'discovery.k8s.io', version: 'v1', resources: discoveryV1Resources },
    { group: 'flowcontrol.apiserver.k8s.io', version: 'v1', resources: flowcontrolV1Resources },
  ];
}
