// core/v1 Services against kube's SetDefaults_Service, ValidateService / ValidateServiceUpdate,
// the service REST's IP family defaulting and printService.
import { describe, expect, it } from 'vitest';
import { servicesResource, defaultService } from '../../src/kube-apis/core/services.js';
import { validateService, validateServiceUpdate } from '../../src/kube-apis/core/service-validation.js';
import { initIPFamilyFields } from '../../src/kube-apis/core/service-allocation.js';
import { servicePorts, serviceExternalIP } from '../../src/kube-apis/core/service-printer.js';
import { thrownStatus } from '../support/errors.js';

const services = servicesResource();
const LABEL_ERROR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** A service as the store sees it at validation: defaulted, with a cluster IP allocated. */
function svc(spec: Record<string, unknown>, allocate = true) {
  const obj: Record<string, any> = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: structuredClone(spec) };
  defaultService(obj);
  if (allocate && obj.spec.type !== 'ExternalName' && !obj.spec.clusterIP) {
    obj.spec.clusterIP = '10.0.0.5';
    obj.spec.clusterIPs = ['10.0.0.5'];
  }
  if (obj.spec.clusterIP && !obj.spec.clusterIPs) obj.spec.clusterIPs = [obj.spec.clusterIP];
  return obj;
}
const errorsOf = (spec: Record<string, unknown>) => validateService(svc(spec)).map((e) => `${e.field}: ${e.detail}`);

describe('services: definition', () => {
  it('is core/v1 services, short name svc, category all, status subresource, PUT may create', () => {
    expect(services).toMatchObject({ group: '', version: 'v1', resource: 'services', kind: 'Service', listKind: 'ServiceList', namespaced: true, shortNames: ['svc'], categories: ['all'] });
    expect(services.subresources.map((s) => s.name)).toEqual(['status']);
    expect(services.strategy.allowCreateOnUpdate).toBe(true);
    expect(services.schemaRef).toBe('io.k8s.api.core.v1.Service');
  });

  it('names are DNS-1035 labels', () => {
    expect(services.validateName('web', false)).toEqual([]);
    expect(services.validateName('1web', false)[0]).toMatch(/^a DNS-1035 label must consist of/);
  });

  it('selects by spec.clusterIP and spec.type', () => {
    expect(services.selectableFields(svc({ ports: [{ port: 80 }] }))).toEqual({
      'metadata.name': 's', 'metadata.namespace': 'default', 'spec.clusterIP': '10.0.0.5', 'spec.type': 'ClusterIP',
    });
  });

  it('refuses a bad --service-cluster-ip-range', () => {
    expect(() => servicesResource({ serviceClusterIPRange: '10.0.0.0' })).toThrow(/not a CIDR/);
  });
});

describe('services: defaults', () => {
  it('fills type, session affinity, protocol, targetPort and the traffic policies', () => {
    const s = svc({ ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] }, false);
    expect(s.spec).toEqual({
      type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }],
    });
    expect(s.status).toEqual({ loadBalancer: {} });
  });

  it('externally reachable services get externalTrafficPolicy Cluster; LoadBalancers allocate node ports by default', () => {
    expect(svc({ type: 'NodePort', ports: [{ port: 80 }] }).spec.externalTrafficPolicy).toBe('Cluster');
    const lb = svc({ type: 'LoadBalancer', ports: [{ port: 80 }] }).spec;
    expect([lb.externalTrafficPolicy, lb.allocateLoadBalancerNodePorts]).toEqual(['Cluster', true]);
    expect(svc({ type: 'ExternalName', externalName: 'example.com' }).spec.internalTrafficPolicy).toBeUndefined();
  });

  it('ClientIP affinity gets a 10800 s timeout', () => {
    expect(svc({ sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }).spec.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
  });
});

describe('services: ports', () => {
  it('requires ports unless headless or ExternalName', () => {
    expect(errorsOf({})).toEqual(['spec.ports: Required value']);
    expect(errorsOf({ clusterIP: 'None' })).toEqual([]);
    expect(errorsOf({ type: 'ExternalName', externalName: 'db.example.com' })).toEqual([]);
  });

  it('names each port when there are several, uniquely, as DNS labels', () => {
    expect(errorsOf({ ports: [{ port: 80 }, { port: 81, name: 'b' }] })).toEqual(['spec.ports[0].name: Required value']);
    expect(errorsOf({ ports: [{ port: 80, name: 'a' }, { port: 81, name: 'a' }] })).toEqual(['spec.ports[1].name: Duplicate value: "a"']);
    expect(errorsOf({ ports: [{ port: 80, name: 'Web' }] })).toEqual([`spec.ports[0].name: Invalid value: "Web": ${LABEL_ERROR}`]);
    expect(errorsOf({ ports: [{ port: 80 }] })).toEqual([]);
  });

  it('checks port range, protocol and the int-or-string targetPort', () => {
    expect(errorsOf({ ports: [{ port: 70000 }] })).toEqual([
      'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]);
    expect(errorsOf({ ports: [{ port: 80, protocol: 'ICMP' }] })).toEqual(['spec.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"']);
    expect(errorsOf({ ports: [{ port: 80, targetPort: 'http-alt' }] })).toEqual([]);
    expect(errorsOf({ ports: [{ port: 80, targetPort: 'a-very-long-port-name' }] })).toEqual(['spec.ports[0].targetPort: Invalid value: "a-very-long-port-name": must be no more than 15 characters']);
    expect(errorsOf({ ports: [{ port: 80, targetPort: '8080' }] })).toEqual(['spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)']);
    expect(errorsOf({ ports: [{ port: 80, targetPort: 'Http' }] })).toEqual(['spec.ports[0].targetPort: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']);
  });

  it('refuses the same port and protocol twice', () => {
    expect(errorsOf({ ports: [{ port: 80, name: 'a' }, { port: 80, name: 'b' }] })).toEqual([
      'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ]);
    expect(errorsOf({ ports: [{ port: 53, name: 'a' }, { port: 53, name: 'b', protocol: 'UDP' }] })).toEqual([]);
  });

  it('forbids node ports on ClusterIP services and duplicates elsewhere', () => {
    expect(errorsOf({ ports: [{ port: 80, nodePort: 30080 }] })).toEqual(["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
    expect(errorsOf({ type: 'NodePort', ports: [{ port: 80, name: 'a', nodePort: 30080 }, { port: 81, name: 'b', nodePort: 30080 }] })).toEqual(['spec.ports[1].nodePort: Duplicate value: 30080']);
  });

  it('a LoadBalancer may not expose the kubelet port', () => {
    expect(errorsOf({ type: 'LoadBalancer', ports: [{ port: 10250 }] })).toEqual(['spec.ports[0]: Invalid value: 10250: may not expose port 10250 externally since it is used by kubelet']);
  });
});

describe('services: types', () => {
  it('accepts the four types only', () => {
    expect(errorsOf({ type: 'Magic', ports: [{ port: 80 }] })).toContain('spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"');
  });

  it('ExternalName needs a DNS name (a trailing dot is fine) and no cluster IPs or families', () => {
    expect(errorsOf({ type: 'ExternalName', externalName: 'db.example.com.' })).toEqual([]);
    expect(errorsOf({ type: 'ExternalName' })).toEqual(['spec.externalName: Required value']);
    expect(errorsOf({ type: 'ExternalName', externalName: 'Bad_Name' })[0]).toMatch(/^spec\.externalName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    expect(errorsOf({ type: 'ExternalName', externalName: 'x.example.com', clusterIP: '10.0.0.5', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })).toEqual([
      'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilies: Forbidden: may not be set for ExternalName services',
      'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
    ]);
  });

  it('headless is for ClusterIP services only', () => {
    expect(errorsOf({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] })).toContain("spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services");
    expect(errorsOf({ type: 'LoadBalancer', clusterIP: 'None', ports: [{ port: 80 }] })).toContain("spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for LoadBalancer services");
  });
});

describe('services: cluster IPs', () => {
  it('keeps clusterIP and clusterIPs in step', () => {
    expect(validateService(svc({ clusterIP: '10.0.0.5', clusterIPs: ['10.0.0.6'], ports: [{ port: 80 }] })).map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'spec.clusterIPs: Invalid value: []string{"10.0.0.6"}: first value must match `clusterIP`',
    ]);
    const noSingular = svc({ ports: [{ port: 80 }] }, false);
    noSingular.spec.clusterIPs = ['10.0.0.6'];
    expect(validateService(noSingular).map((e) => `${e.field}: ${e.detail}`)).toEqual(['spec.clusterIPs: Invalid value: []string{"10.0.0.6"}: must be empty when `clusterIP` is not specified']);
  });

  it('needs IPs, None first and alone, at most one per family', () => {
    expect(errorsOf({ clusterIP: 'ten', ports: [{ port: 80 }] })).toEqual(['spec.clusterIPs[0]: Invalid value: "ten": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
    expect(errorsOf({ clusterIP: 'None', clusterIPs: ['None', '10.0.0.1'], ports: [{ port: 80 }] })).toEqual(['spec.clusterIPs: Invalid value: []string{"None", "10.0.0.1"}: \'None\' must be the first and only value']);
    expect(errorsOf({ clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '10.0.0.2'], ipFamilyPolicy: 'PreferDualStack', ports: [{ port: 80 }] })).toEqual([
      'spec.clusterIPs: Invalid value: []string{"10.0.0.1", "10.0.0.2"}: may specify no more than one IP for each IP family',
    ]);
  });

  it('checks families and policy values, and IPs against their families', () => {
    expect(errorsOf({ ipFamilies: ['IPv5'], ipFamilyPolicy: 'Sometimes', ports: [{ port: 80 }] })).toEqual([
      'spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"',
      'spec.ipFamilyPolicy: Unsupported value: "Sometimes": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
    ]);
    expect(errorsOf({ clusterIP: '10.0.0.9', ipFamilies: ['IPv6'], ports: [{ port: 80 }] })).toEqual(['spec.clusterIPs[0]: Invalid value: "10.0.0.9": expected an IPv6 value as indicated by `ipFamilies[0]`']);
  });

  it('may not change a cluster IP once set', () => {
    const old = svc({ clusterIP: '10.0.0.5', ports: [{ port: 80 }] });
    const changed = svc({ clusterIP: '10.0.0.6', ports: [{ port: 80 }] });
    expect(validateServiceUpdate(changed, old).map((e) => `${e.field}: ${e.detail}`)).toEqual(['spec.clusterIPs[0]: Invalid value: []string{"10.0.0.6"}: may not change once set']);
    const toExternal = svc({ type: 'ExternalName', externalName: 'a.example.com' });
    expect(validateServiceUpdate(toExternal, old)).toEqual([]);
  });
});

describe('services: IP families for a single-stack IPv4 cluster', () => {
  const init = (spec: Record<string, unknown>) => {
    const s = svc(spec, false);
    initIPFamilyFields(s, undefined, 'IPv4');
    return s.spec;
  };

  it('defaults SingleStack and IPv4; headless selector-less services RequireDualStack with both families', () => {
    expect(init({ ports: [{ port: 80 }] })).toMatchObject({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] });
    expect(init({ clusterIP: 'None' })).toMatchObject({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4', 'IPv6'] });
    expect(init({ clusterIP: 'None', selector: { app: 'a' } })).toMatchObject({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] });
  });

  it('refuses what the cluster cannot serve', () => {
    const message = (spec: Record<string, unknown>) => thrownStatus(() => init(spec)).message;
    expect(message({ ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] })).toBe(
      'Service "s" is invalid: spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    );
    expect(message({ ipFamilies: ['IPv6'], ports: [{ port: 80 }] })).toBe('Service "s" is invalid: spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster');
    expect(message({ clusterIP: 'fd00::10', ports: [{ port: 80 }] })).toBe('Service "s" is invalid: spec.clusterIPs[0]: Invalid value: []string{"fd00::10"}: IPv6 is not configured on this cluster');
    expect(message({ ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'SingleStack', ports: [{ port: 80 }] })).toBe(
      'Service "s" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be \'RequireDualStack\' or \'PreferDualStack\' when multiple IP families are specified',
    );
  });
});

describe('services: session affinity, external IPs, traffic policies', () => {
  it('checks the ClientIP timeout and refuses unknown affinities', () => {
    expect(errorsOf({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } }, ports: [{ port: 80 }] })).toEqual([
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    ]);
    expect(errorsOf({ sessionAffinity: 'Sticky', ports: [{ port: 80 }] })).toEqual(['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"']);
  });

  it('external IPs are IPs, not loopback or link-local', () => {
    expect(errorsOf({ externalIPs: ['1.2.3.4'], ports: [{ port: 80 }] })).toEqual([]);
    expect(errorsOf({ externalIPs: ['127.0.0.1', 'x'], ports: [{ port: 80 }] })).toEqual([
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      'spec.externalIPs[1]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
  });

  it('externalTrafficPolicy only for externally reachable services', () => {
    expect(errorsOf({ externalTrafficPolicy: 'Local', ports: [{ port: 80 }] })).toEqual(['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services']);
    expect(errorsOf({ type: 'NodePort', externalTrafficPolicy: 'Nearest', ports: [{ port: 80 }] })).toEqual(['spec.externalTrafficPolicy: Unsupported value: "Nearest": supported values: "Cluster", "Local"']);
  });
});

describe('services: printer', () => {
  const row = (s: Record<string, any>) => services.table.cells({ ...s, metadata: { ...s.metadata, creationTimestamp: new Date().toISOString() } });

  it('has kubectl get svc columns, SELECTOR for -o wide', () => {
    expect(services.table.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0], ['Type', 0], ['Cluster-IP', 0], ['External-IP', 0], ['Port(s)', 0], ['Age', 0], ['Selector', 1],
    ]);
    expect(row(svc({ selector: { app: 'web', tier: 'a' }, ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] }))).toEqual(['s', 'ClusterIP', '10.0.0.5', '<none>', '80/TCP,53/UDP', '0s', 'app=web,tier=a']);
    expect(row(svc({ type: 'ExternalName', externalName: 'db.example.com' }))).toEqual(['s', 'ExternalName', '<none>', 'db.example.com', '<none>', '0s', '<none>']);
  });

  it('shows node ports, pending and ingress load balancers', () => {
    expect(servicePorts([{ port: 80, nodePort: 30080, protocol: 'TCP' }])).toBe('80:30080/TCP');
    const lb = svc({ type: 'LoadBalancer', ports: [{ port: 80 }] });
    expect(serviceExternalIP(lb, true)).toBe('<pending>');
    lb.status = { loadBalancer: { ingress: [{ ip: '203.0.113.7' }, { hostname: 'lb.example.com' }] } };
    expect(serviceExternalIP(lb, true)).toBe('203.0.113.7,lb.example.com');
  });
});
