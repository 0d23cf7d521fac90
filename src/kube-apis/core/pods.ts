// core/v1 Pods, as objects only (no scheduler or kubelet runs them): kube's defaults
// (SetDefaults_Pod/PodSpec/Container and the DefaultTolerationSeconds admission), status reset to
// Pending with its QoS class on create and written through /status, validation (pod-validation.ts),
// printPod's columns and kube's pod field selectors.
import type { KubeObject, SubresourceDefinition } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { printerTable } from '../printing.js';
import { schemaBacked } from '../schemas.js';
import { validatePod, validatePodUpdate } from './pod-validation.js';
import { podColumns, podWideColumns } from './pod-printer.js';

type Item = Record<string, any>;
const itemsOf = (value: unknown): Item[] => (Array.isArray(value) ? value.filter((v) => v && typeof v === 'object') : []);

/** SetDefaults_Container's pull policy: Always for :latest or no tag, else IfNotPresent. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tagAt = image.indexOf(':', lastSlash + 1);
  const tag = tagAt >= 0 ? image.slice(tagAt + 1) : '';
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(c: Item, hostNetwork: boolean): void {
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  if (!c.imagePullPolicy && typeof c.image === 'string' && c.image) c.imagePullPolicy = defaultPullPolicy(c.image);
  c.resources ??= {};
  // SetDefaults_Pod: requests default to limits.
  const limits = c.resources.limits;
  if (limits && typeof limits === 'object') {
    c.resources.requests = { ...limits, ...(c.resources.requests ?? {}) };
  }
  for (const port of itemsOf(c.ports)) {
    port.protocol ||= 'TCP';
    if (hostNetwork && !port.hostPort) port.hostPort = port.containerPort;
  }
}

/** The NoExecute tolerations kube's DefaultTolerationSeconds admission adds. */
const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

export function defaultPod(pod: KubeObject): void {
  const spec: Item = (pod.spec = pod.spec && typeof pod.spec === 'object' ? pod.spec : {});
  spec.restartPolicy ||= 'Always';
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ||= 'default-scheduler';
  spec.enableServiceLinks ??= true;
  for (const c of [...itemsOf(spec.initContainers), ...itemsOf(spec.containers)]) defaultContainer(c, spec.hostNetwork === true);
}

/** qos.GetPodQOS: Guaranteed when every container limits cpu and memory at its requests, BestEffort with none. */
export function podQOSClass(pod: KubeObject): string {
  const containers = [...itemsOf(pod.spec?.initContainers), ...itemsOf(pod.spec?.containers)];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests: Item = c.resources?.requests ?? {};
    const limits: Item = c.resources?.limits ?? {};
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const resource of ['cpu', 'memory']) {
      if (limits[resource] === undefined || (requests[resource] !== undefined && String(requests[resource]) !== String(limits[resource]))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function addDefaultTolerations(pod: KubeObject): void {
  const tolerations: Item[] = Array.isArray(pod.spec.tolerations) ? pod.spec.tolerations : [];
  const missing = DEFAULT_TOLERATIONS.filter((d) => !tolerations.some((t) => t.key === d.key && (t.effect === d.effect || !t.effect)));
  if (missing.length > 0) pod.spec.tolerations = [...tolerations, ...missing.map((m) => ({ ...m }))];
}

const statusSubresource: SubresourceDefinition = {
  name: 'status',
  kind: 'Pod',
  verbs: ['get', 'patch', 'update'],
  strategy: { defaults: defaultPod, validate: validatePod, validateUpdate: validatePod, allowCreateOnUpdate: false, allowUnconditionalUpdate: true },
};

export const pods = defineResource({
  group: '',
  version: 'v1',
  resource: 'pods',
  kind: 'Pod',
  namespaced: true,
  shortNames: ['po'],
  categories: ['all'],
  subresources: [statusSubresource],
  ...schemaBacked('io.k8s.api.core.v1.Pod'),
  selectableFields: (pod) => ({
    'metadata.name': pod.metadata?.name ?? '',
    'metadata.namespace': pod.metadata?.namespace ?? '',
    'spec.nodeName': pod.spec?.nodeName ?? '',
    'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
    'spec.schedulerName': pod.spec?.schedulerName ?? '',
    'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(pod.spec?.hostNetwork === true),
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': itemsOf(pod.status?.podIPs)[0]?.ip ?? '',
    'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
  }),
  strategy: {
    prepareForCreate(pod) {
      pod.status = { phase: 'Pending' };
    },
    defaults(pod) {
      defaultPod(pod);
      if (pod.status?.phase === 'Pending' && !pod.status.qosClass && !pod.metadata?.resourceVersion) {
        pod.status.qosClass = podQOSClass(pod);
        addDefaultTolerations(pod);
        pod.spec.priority ??= 0;
      }
    },
    validate: validatePod,
    validateUpdate: validatePodUpdate,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  table: printerTable(podColumns, podWideColumns),
});
