// The built-in group-versions the KubeAPIServer layer serves, in kube's discovery priority order.
import type { GroupVersionSpec } from '../server/install-api.js';

export function builtinGroupVersions(): GroupVersionSpec[] {
  return [];
}
