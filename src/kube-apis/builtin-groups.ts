// The built-in group-versions the KubeAPIServer layer serves, in kube's discovery priority order.
import type { GroupVersionSpec } from '../server/install-api.js';
import { configMaps } from './core/configmaps.js';
import { namespaces } from './core/namespaces.js';

export function builtinGroupVersions(): GroupVersionSpec[] {
  return [{ group: '', version: 'v1', resources: [namespaces, configMaps] }];
}
