// How kube orders API groups and versions in discovery.
// - Versions: k8s.io/apimachinery/pkg/version CompareKubeAwareVersionStrings (GA > beta > alpha, then
//   major, then minor; kube-like versions before others; others alphabetically).
// - Groups: each group-version has an APIService priority (groupPriorityMinimum, versionPriority);
//   built-ins take theirs from kube-apiserver's table (cmd/kube-apiserver/app/aggregator.go and
//   pkg/controlplane/apiserver/aggregator.go), CRD group-versions get 1000/100 (crdregistration).

export interface GroupVersionPriority {
  /** APIService spec.groupPriorityMinimum: higher sorts first. */
  group: number;
  /** APIService spec.versionPriority: higher sorts first within the group. */
  version: number;
}

const KUBE_VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

function parseKubeVersion(v: string): { major: number; type: number; minor: number } | undefined {
  const m = KUBE_VERSION.exec(v);
  if (!m) return undefined;
  const type = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
  return { major: Number(m[1]), type, minor: type === 2 ? 0 : Number(m[3]) };
}

/** Positive when a is the higher (preferred) version, as kube's CompareKubeAwareVersionStrings. */
export function compareKubeAwareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = parseKubeVersion(a);
  const pb = parseKubeVersion(b);
  if (!pa && !pb) return a < b ? 1 : -1;
  if (!pa) return -1;
  if (!pb) return 1;
  if (pa.type !== pb.type) return pa.type - pb.type;
  if (pa.major !== pb.major) return pa.major - pb.major;
  return pa.minor - pb.minor;
}

/** The APIService priorities kube-apiserver 1.32 registers for its built-in group-versions. */
const BUILTIN_PRIORITIES: Record<string, GroupVersionPriority> = {
  v1: { group: 18000, version: 1 },
  'apps/v1': { group: 17800, version: 15 },
  'events.k8s.io/v1': { group: 17750, version: 15 },
  'events.k8s.io/v1beta1': { group: 17750, version: 5 },
  'authentication.k8s.io/v1': { group: 17700, version: 15 },
  'authentication.k8s.io/v1beta1': { group: 17700, version: 9 },
  'authentication.k8s.io/v1alpha1': { group: 17700, version: 1 },
  'authorization.k8s.io/v1': { group: 17600, version: 15 },
  'autoscaling/v1': { group: 17500, version: 15 },
  'autoscaling/v2': { group: 17500, version: 30 },
  'batch/v1': { group: 17400, version: 15 },
  'certificates.k8s.io/v1': { group: 17300, version: 15 },
  'certificates.k8s.io/v1alpha1': { group: 17300, version: 1 },
  'networking.k8s.io/v1': { group: 17200, version: 15 },
  'networking.k8s.io/v1beta1': { group: 17200, version: 9 },
  'policy/v1': { group: 17100, version: 15 },
  'rbac.authorization.k8s.io/v1': { group: 17000, version: 15 },
  'storage.k8s.io/v1': { group: 16800, version: 15 },
  'storage.k8s.io/v1beta1': { group: 16800, version: 9 },
  'storage.k8s.io/v1alpha1': { group: 16800, version: 1 },
  'apiextensions.k8s.io/v1': { group: 16700, version: 15 },
  'admissionregistration.k8s.io/v1': { group: 16700, version: 15 },
  'admissionregistration.k8s.io/v1beta1': { group: 16700, version: 12 },
  'admissionregistration.k8s.io/v1alpha1': { group: 16700, version: 9 },
  'scheduling.k8s.io/v1': { group: 16600, version: 15 },
  'coordination.k8s.io/v1': { group: 16500, version: 15 },
  'coordination.k8s.io/v1beta1': { group: 16500, version: 13 },
  'coordination.k8s.io/v1alpha2': { group: 16500, version: 12 },
  'node.k8s.io/v1': { group: 16300, version: 15 },
  'discovery.k8s.io/v1': { group: 16200, version: 15 },
  'flowcontrol.apiserver.k8s.io/v1': { group: 16100, version: 21 },
  'flowcontrol.apiserver.k8s.io/v1beta3': { group: 16100, version: 18 },
  'internal.apiserver.k8s.io/v1alpha1': { group: 16000, version: 9 },
  // The aggregator's own group is always listed first (kube-aggregator: APIRegistrationGroupPriority 20001).
  'apiregistration.k8s.io/v1': { group: 20001, version: 0 },
};

/** What a CRD's group-versions get (crdregistration_controller): 1000 and 100. */
export const CUSTOM_RESOURCE_PRIORITY: GroupVersionPriority = { group: 1000, version: 100 };

export function defaultPriority(group: string, version: string): GroupVersionPriority {
  return BUILTIN_PRIORITIES[group ? `${group}/${version}` : version] ?? CUSTOM_RESOURCE_PRIORITY;
}
