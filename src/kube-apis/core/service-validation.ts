// kube's ValidateService / ValidateServiceUpdate (pkg/apis/core/validation) for core/v1 Services:
// ports, type, ExternalName, cluster IPs and families, session affinity, external IPs and traffic
// policies, with kube's field paths and messages.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import {
  fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, goStringSlice, GoLiteral, keyPath,
} from '../../registry/validation/field-errors.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { isDNS1123Subdomain } from '../../registry/validation/names.js';
import { validateLabels } from '../../registry/validation/object-meta.js';
import { parseIP } from '../net/ip.js';
import { validateIP, validateNonSpecialIP } from '../net/ip-validation.js';
import { validateDNS1123Label, validatePortNum, validatePortNumOrName, validateProtocol, validateQualifiedName } from './ports.js';

export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const;
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const IP_FAMILIES = ['IPv4', 'IPv6'];
const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const KUBELET_PORT = 10250;
const MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;

type Spec = Record<string, any>;
const specOf = (svc: KubeObject): Spec => (svc.spec && typeof svc.spec === 'object' ? svc.spec : {});
const portsOf = (spec: Spec): Record<string, any>[] => (Array.isArray(spec.ports) ? spec.ports : []);
const listOf = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** isHeadlessService: a ClusterIP service whose only cluster IP is "None". */
export function isHeadless(svc: KubeObject): boolean {
  const spec = specOf(svc);
  const ips = listOf(spec.clusterIPs);
  return spec.type === 'ClusterIP' && ips.length === 1 && ips[0] === 'None';
}

/** apiservice.ExternallyAccessible */
function externallyAccessible(spec: Spec): boolean {
  return spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && listOf(spec.externalIPs).length > 0);
}

/** %#v of the core.ServicePort{Protocol, Port} key kube reports a duplicate port with. */
function servicePortKey(protocol: string, port: unknown): GoLiteral {
  return new GoLiteral(
    `core.ServicePort{Name:"", Protocol:${goQuote(protocol)}, AppProtocol:(*string)(nil), Port:${Number(port) || 0}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`,
  );
}

function validateServicePort(port: Record<string, any>, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = typeof port.name === 'string' ? port.name : '';
  if (requireName && !name) errors.push(fieldRequired(`${path}.name`));
  else if (name) {
    errors.push(...validateDNS1123Label(name, `${path}.name`));
    if (names.has(name)) errors.push(fieldDuplicate(`${path}.name`, name));
    else names.add(name);
  }
  errors.push(...validatePortNum(port.port ?? 0, `${path}.port`));
  errors.push(...validateProtocol(port.protocol, `${path}.protocol`));
  errors.push(...validatePortNumOrName(port.targetPort ?? 0, `${path}.targetPort`));
  if (typeof port.appProtocol === 'string') errors.push(...validateQualifiedName(port.appProtocol, `${path}.appProtocol`));
  return errors;
}

/** ValidateServiceClusterIPsRelatedFields */
export function validateClusterIPsRelatedFields(svc: KubeObject): FieldError[] {
  const spec = specOf(svc);
  if (spec.type === 'ExternalName') return [];
  const errors: FieldError[] = [];
  const clusterIP = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  const clusterIPs = listOf(spec.clusterIPs);
  const ipsValue = goStringSlice(Array.isArray(spec.clusterIPs) ? clusterIPs : null);
  if (clusterIP) {
    if (clusterIPs.length === 0) errors.push(fieldRequired('spec.clusterIPs'));
    else if (clusterIPs[0] !== clusterIP) errors.push(fieldInvalid('spec.clusterIPs', ipsValue, 'first value must match `clusterIP`'));
  } else if (clusterIPs.length > 0) {
    errors.push(fieldInvalid('spec.clusterIPs', ipsValue, 'must be empty when `clusterIP` is not specified'));
  }
  const seen = new Set<string>();
  listOf(spec.ipFamilies).forEach((family, i) => {
    if (!IP_FAMILIES.includes(family)) errors.push(fieldNotSupported(keyPath('spec.ipFamilies', i), family, IP_FAMILIES));
    if (seen.has(family)) errors.push(fieldDuplicate(keyPath('spec.ipFamilies', i), family));
    seen.add(family);
  });
  if (spec.ipFamilyPolicy != null && !IP_FAMILY_POLICIES.includes(spec.ipFamilyPolicy)) {
    errors.push(fieldNotSupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, IP_FAMILY_POLICIES));
  }
  let invalidIPs = false;
  clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (clusterIPs.length > 1) {
        invalidIPs = true;
        errors.push(fieldInvalid('spec.clusterIPs', ipsValue, "'None' must be the first and only value"));
      }
      return;
    }
    const ipErrors = validateIP(ip, keyPath('spec.clusterIPs', i));
    invalidIPs ||= ipErrors.length > 0;
    errors.push(...ipErrors);
  });
  if (clusterIPs.length > 2) errors.push(fieldInvalid('spec.clusterIPs', ipsValue, 'may only hold up to 2 values'));
  if (invalidIPs) return errors;
  if (clusterIPs.length > 1) {
    const families = clusterIPs.map((ip) => parseIP(ip)?.family);
    if (families[0] === families[1] || clusterIPs.length > 2) errors.push(fieldInvalid('spec.clusterIPs', ipsValue, 'may specify no more than one IP for each IP family'));
  }
  const families = listOf(spec.ipFamilies);
  if (!isHeadless(svc) && clusterIPs.length > 0 && families.length > 0) {
    clusterIPs.forEach((ip, i) => {
      if (i >= families.length) return;
      const family = parseIP(ip)?.family;
      if (families[i] === 'IPv4' && family === 'IPv6') errors.push(fieldInvalid(keyPath('spec.clusterIPs', i), ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``));
      if (families[i] === 'IPv6' && family !== 'IPv6') errors.push(fieldInvalid(keyPath('spec.clusterIPs', i), ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``));
    });
  }
  return errors;
}

function validateTypeSpecifics(svc: KubeObject, spec: Spec): FieldError[] {
  const errors: FieldError[] = [];
  const clusterIPs = listOf(spec.clusterIPs);
  switch (spec.type) {
    case 'LoadBalancer':
      portsOf(spec).forEach((port, i) => {
        if (port.port === KUBELET_PORT) errors.push(fieldInvalid(keyPath('spec.ports', i), port.port, `may not expose port ${KUBELET_PORT} externally since it is used by kubelet`));
      });
      if (clusterIPs[0] === 'None') errors.push(fieldInvalid('spec.clusterIPs[0]', clusterIPs[0], "may not be set to 'None' for LoadBalancer services"));
      break;
    case 'NodePort':
      if (clusterIPs[0] === 'None') errors.push(fieldInvalid('spec.clusterIPs[0]', clusterIPs[0], "may not be set to 'None' for NodePort services"));
      break;
    case 'ExternalName': {
      if (clusterIPs.length > 0) errors.push(fieldForbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      if (listOf(spec.ipFamilies).length > 0) errors.push(fieldForbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
      if (spec.ipFamilyPolicy != null) errors.push(fieldForbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
      // A trailing dot marks the name fully qualified.
      const cname = String(spec.externalName ?? '').replace(/\.$/, '');
      if (cname) errors.push(...isDNS1123Subdomain(cname).map((msg) => fieldInvalid('spec.externalName', cname, msg)));
      else errors.push(fieldRequired('spec.externalName'));
      break;
    }
  }
  void svc;
  return errors;
}

function validateSessionAffinity(spec: Spec): FieldError[] {
  const affinity = spec.sessionAffinity;
  if (!affinity) return [fieldRequired('spec.sessionAffinity')];
  if (!SESSION_AFFINITIES.includes(affinity)) return [fieldNotSupported('spec.sessionAffinity', affinity, SESSION_AFFINITIES)];
  const config = spec.sessionAffinityConfig;
  if (affinity === 'None') return config != null ? [fieldForbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None')] : [];
  const when = 'when session affinity type is ClientIP';
  if (config == null) return [fieldRequired('spec.sessionAffinityConfig', when)];
  if (config.clientIP == null) return [fieldRequired('spec.sessionAffinityConfig.clientIP', when)];
  const timeout = config.clientIP.timeoutSeconds;
  if (timeout == null) return [fieldRequired('spec.sessionAffinityConfig.clientIP.timeoutSeconds', when)];
  if (!(timeout > 0 && timeout <= MAX_CLIENT_IP_AFFINITY_SECONDS)) {
    return [fieldInvalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, `must be greater than 0 and less than ${MAX_CLIENT_IP_AFFINITY_SECONDS}`)];
  }
  return [];
}

function validateTrafficPolicies(spec: Spec): FieldError[] {
  const errors: FieldError[] = [];
  const external = spec.externalTrafficPolicy;
  if (!externallyAccessible(spec)) {
    if (external) errors.push(fieldInvalid('spec.externalTrafficPolicy', external, 'may only be set for externally-accessible services'));
  } else if (!external) errors.push(fieldRequired('spec.externalTrafficPolicy'));
  else if (!TRAFFIC_POLICIES.includes(external)) errors.push(fieldNotSupported('spec.externalTrafficPolicy', external, TRAFFIC_POLICIES));
  const needsHealthCheck = spec.type === 'LoadBalancer' && external === 'Local';
  if (!needsHealthCheck && spec.healthCheckNodePort) {
    errors.push(fieldInvalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
  }
  const internal = spec.internalTrafficPolicy;
  if (internal == null) {
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer' || spec.type === 'ClusterIP') errors.push(fieldRequired('spec.internalTrafficPolicy'));
  } else if (!TRAFFIC_POLICIES.includes(internal)) errors.push(fieldNotSupported('spec.internalTrafficPolicy', internal, TRAFFIC_POLICIES));
  return errors;
}

/** ValidateService (after ObjectMeta, which the store checks). */
export function validateService(svc: KubeObject): FieldError[] {
  const spec = specOf(svc);
  const ports = portsOf(spec);
  const errors: FieldError[] = [];
  if (ports.length === 0 && !isHeadless(svc) && spec.type !== 'ExternalName') errors.push(fieldRequired('spec.ports'));
  errors.push(...validateTypeSpecifics(svc, spec));
  const names = new Set<string>();
  ports.forEach((port, i) => errors.push(...validateServicePort(port ?? {}, ports.length > 1, names, keyPath('spec.ports', i))));
  if (spec.selector && typeof spec.selector === 'object') errors.push(...validateLabels(spec.selector, 'spec.selector'));
  errors.push(...validateSessionAffinity(spec));
  errors.push(...validateClusterIPsRelatedFields(svc));
  listOf(spec.externalIPs).forEach((ip, i) => {
    const path = keyPath('spec.externalIPs', i);
    const ipErrors = validateIP(ip, path);
    errors.push(...(ipErrors.length > 0 ? ipErrors : validateNonSpecialIP(ip, path)));
  });
  if (!spec.type) errors.push(fieldRequired('spec.type'));
  else if (!(SERVICE_TYPES as readonly string[]).includes(spec.type)) errors.push(fieldNotSupported('spec.type', spec.type, SERVICE_TYPES));
  if (spec.type === 'ClusterIP') {
    ports.forEach((port, i) => {
      if (port?.nodePort) errors.push(fieldForbidden(`${keyPath('spec.ports', i)}.nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const nodePorts = new Set<string>();
  ports.forEach((port, i) => {
    if (!port?.nodePort) return;
    const key = `${port.protocol}/${port.nodePort}`;
    if (nodePorts.has(key)) errors.push(fieldDuplicate(`${keyPath('spec.ports', i)}.nodePort`, port.nodePort));
    nodePorts.add(key);
  });
  const seenPorts = new Set<string>();
  ports.forEach((port, i) => {
    const key = `${port?.protocol}/${port?.port}`;
    if (seenPorts.has(key)) errors.push(fieldDuplicate(keyPath('spec.ports', i), servicePortKey(String(port?.protocol ?? ''), port?.port)));
    seenPorts.add(key);
  });
  errors.push(...validateTrafficPolicies(spec));
  return errors;
}

/** ValidateServiceUpdate: cluster IPs and IP families may be added or removed, never changed. */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = specOf(svc);
  const oldSpec = specOf(old);
  if (spec.type !== 'ExternalName' && oldSpec.type !== 'ExternalName') {
    const ips = listOf(spec.clusterIPs);
    listOf(oldSpec.clusterIPs).forEach((ip, i) => {
      if (i < ips.length && ip !== ips[i]) errors.push(fieldInvalid(keyPath('spec.clusterIPs', i), goStringSlice(ips), 'may not change once set'));
    });
    const families = listOf(spec.ipFamilies);
    listOf(oldSpec.ipFamilies).forEach((family, i) => {
      if (i < families.length && family !== families[i]) errors.push(fieldInvalid(keyPath('spec.ipFamilies', i), new GoLiteral(`[]core.IPFamily{${families.map(goQuote).join(', ')}}`), 'may not change once set'));
    });
  }
  return [...errors, ...validateService(svc)];
}
