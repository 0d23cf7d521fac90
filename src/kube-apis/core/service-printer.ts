// kube's printService (pkg/printers/internalversion): NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE,
// and SELECTOR with -o wide.
import type { KubeObject } from '../../registry/resource.js';
import { column } from '../printing.js';

type Spec = Record<string, any>;

/** makePortString: "80/TCP", or "80:30080/TCP" with a node port. */
export function servicePorts(ports: unknown): string {
  if (!Array.isArray(ports)) return '';
  return ports.map((p) => (p?.nodePort > 0 ? `${p.port ?? 0}:${p.nodePort}/${p.protocol ?? ''}` : `${p?.port ?? 0}/${p?.protocol ?? ''}`)).join(',');
}

/** loadBalancerStatusStringer: ingress IPs and hostnames; shortened unless wide. */
function loadBalancerIPs(status: Spec | undefined, wide: boolean): string {
  const ingress: Spec[] = Array.isArray(status?.loadBalancer?.ingress) ? status.loadBalancer.ingress : [];
  const text = ingress.flatMap((i) => [i.ip, i.hostname].filter(Boolean)).join(',');
  return !wide && text.length > 16 ? `${text.slice(0, 13)}...` : text;
}

/** getServiceExternalIP */
export function serviceExternalIP(svc: KubeObject, wide = false): string {
  const spec: Spec = svc.spec ?? {};
  const externalIPs: string[] = Array.isArray(spec.externalIPs) ? spec.externalIPs : [];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerIPs(svc.status, wide);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return String(spec.externalName ?? '');
  }
  return '<unknown>';
}

/** labels.FormatLabels: sorted k=v pairs, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  const entries = labels && typeof labels === 'object' ? Object.entries(labels as Record<string, string>) : [];
  if (entries.length === 0) return '<none>';
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(',');
}

export const serviceColumns = [
  { column: column('Type', 'string', 'The way the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'), cell: (s: KubeObject) => s.spec?.type ?? '' },
  { column: column('Cluster-IP', 'string', 'The virtual IP the cluster routes to the service.'), cell: (s: KubeObject) => (Array.isArray(s.spec?.clusterIPs) && s.spec.clusterIPs.length > 0 ? s.spec.clusterIPs[0] : '<none>') },
  { column: column('External-IP', 'string', 'Where the service is reachable from outside the cluster.'), cell: (s: KubeObject) => serviceExternalIP(s, true) },
  { column: column('Port(s)', 'string', 'The ports the service exposes.'), cell: (s: KubeObject) => servicePorts(s.spec?.ports) || '<none>' },
];

export const serviceWideColumns = [
  { column: column('Selector', 'string', 'The labels of the pods the service routes to.', 1), cell: (s: KubeObject) => formatLabels(s.spec?.selector) },
];
