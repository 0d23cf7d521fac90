// The built-in group-versions the KubeAPIServer layer serves, in kube-apiserver's discovery priority
// order (its APIService priorities: core 18000, events.k8s.io 17750,
// rbac.authorization.k8s.io 17000, admissionregistration.k8s.io 16700, coordination.k8s.io 16500).
import type { GroupVersionSpec } from '../server/install-api.js';
import { coreV1Resources } from './core/index.js';
import { eventsV1Resources } from './events/index.js';
import { coordinationV1Resources } from './coordination/index.js';
import { rbacV1Resources } from './rbac/index.js';
import { admissionregistrationV1Resources } from './admissionregistration/index.js';

export function builtinGroupVersions(): GroupVersionSpec[] {
  return [
    { group: '', version: 'v1', resources: coreV1Resources },
    { group: 'events.k8s.io', version: 'v1', resources: eventsV1Resources },
    { group: 'rbac.authorization.k8s.io', version: 'v1', resources: rbacV1Resources },
    { group: 'admissionregistration.k8s.io', version: 'v1', resources: admissionregistrationV1Resources },
    { group: 'coordination.k8s.io', version: 'v1', resources: coordinationV1Resources },
  ];
}
