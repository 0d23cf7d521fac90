// core/v1 Services: kube's defaults (SetDefaults_Service), validation (service-validation.ts), the
// service REST's ClusterIP and node port allocation from --service-cluster-ip-range and
// --service-node-port-range (service-allocation.ts), a
// status subresource, printer columns and the spec.clusterIP / spec.type field selectors.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject, ResourceDefinition, SubresourceDefinition } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { printerTable } from '../printing.js';
import { keyPath } from '../../registry/validation/field-errors.js';
import { nameIsDNS1035Label } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';
import { parseCIDR } from '../net/ip.js';
import { validateIP } from '../net/ip-validation.js';
import { ServiceIPAllocator } from './service-ip-allocator.js';
import { DEFAULT_SERVICE_NODE_PORT_RANGE, NodePortAllocator } from './service-node-port-allocator.js';
import { parsePortRange } from '../net/port-range.js';
import { serviceWriteHooks } from './service-allocation.js';
import { validateService, validateServiceUpdate } from './service-validation.js';
import { serviceColumns, serviceWideColumns } from './service-printer.js';

export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.0.0.0/24';
/** v1.DefaultClientIPServiceAffinitySeconds */
const DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

/** SetDefaults_Service */
export function defaultService(svc: KubeObject): void {
  const spec = (svc.spec = svc.spec && typeof svc.spec === 'object' ? svc.spec : {});
  spec.sessionAffinity ||= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_AFFINITY_SECONDS } };
  }
  spec.type ||= 'ClusterIP';
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports) {
      if (!port || typeof port !== 'object') continue;
      port.protocol ||= 'TCP';
      if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port ?? 0;
    }
  }
  const externallyAccessible = spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0);
  if (externallyAccessible && !spec.externalTrafficPolicy) spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(spec.type)) spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts == null) spec.allocateLoadBalancerNodePorts = true;
  // status is a struct in Go: it always encodes, with its (struct) loadBalancer.
  svc.status = svc.status && typeof svc.status === 'object' ? svc.status : {};
  svc.status.loadBalancer ??= {};
}

/** ValidateServiceStatusUpdate: load balancer ingress IPs must be IPs. */
function validateServiceStatus(svc: KubeObject): FieldError[] {
  const ingress: Record<string, any>[] = Array.isArray(svc.status?.loadBalancer?.ingress) ? svc.status.loadBalancer.ingress : [];
  return ingress.flatMap((entry, i) => (entry?.ip ? validateIP(String(entry.ip), `${keyPath('status.loadBalancer.ingress', i)}.ip`) : []));
}

const statusSubresource: SubresourceDefinition = {
  name: 'status',
  kind: 'Service',
  verbs: ['get', 'patch', 'update'],
  strategy: {
    defaults: defaultService,
    validate: validateService,
    validateUpdate: validateServiceStatus,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
};

export interface ServiceConfig {
  /** --service-cluster-ip-range */
  serviceClusterIPRange: string;
  /** --service-node-port-range (default 30000-32767) */
  serviceNodePortRange?: string;
}

function parseNodePortRange(value: string) {
  try {
    const range = parsePortRange(value);
    if (range.size === 0) throw new Error('the range is empty');
    return range;
  } catch (err) {
    throw new Error(`invalid --service-node-port-range ${JSON.stringify(value)}: ${(err as Error).message}`);
  }
}

/** The services resource, allocating from the given ranges. */
export function servicesResource(config: ServiceConfig = { serviceClusterIPRange: DEFAULT_SERVICE_CLUSTER_IP_RANGE }): ResourceDefinition {
  const cidr = parseCIDR(config.serviceClusterIPRange);
  if (!cidr) throw new Error(`invalid --service-cluster-ip-range ${JSON.stringify(config.serviceClusterIPRange)}: not a CIDR`);
  const nodePortRange = parseNodePortRange(config.serviceNodePortRange ?? DEFAULT_SERVICE_NODE_PORT_RANGE);
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [statusSubresource],
    validateName: nameIsDNS1035Label,
    ...schemaBacked('io.k8s.api.core.v1.Service'),
    selectableFields: (svc) => ({
      'metadata.name': svc.metadata?.name ?? '',
      'metadata.namespace': svc.metadata?.namespace ?? '',
      'spec.clusterIP': svc.spec?.clusterIP ?? '',
      'spec.type': svc.spec?.type ?? '',
    }),
    writeHooks: (storage) => serviceWriteHooks(new ServiceIPAllocator(storage, cidr), new NodePortAllocator(storage, nodePortRange)),
    strategy: {
      prepareForCreate(svc) {
        svc.status = { loadBalancer: {} };
      },
      defaults: defaultService,
      validate: validateService,
      validateUpdate: validateServiceUpdate,
      // kube's service strategy: PUT may create a service.
      allowCreateOnUpdate: true,
      allowUnconditionalUpdate: true,
    },
    table: printerTable(serviceColumns, serviceWideColumns),
  });
}
