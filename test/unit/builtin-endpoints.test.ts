// core/v1 Endpoints and discovery.k8s.io/v1 EndpointSlices against kube's ValidateEndpoints,
// ValidateEndpointSlice(Update), their defaults and printers.
import { describe, expect, it } from 'vitest';
import { endpoints, formatEndpoints } from '../../src/kube-apis/core/endpoints.js';
import { endpointSlices, formatSliceEndpoints, formatSlicePorts } from '../../src/kube-apis/discovery/endpointslices.js';

const text = (errors: { field: string; detail: string }[]) => errors.map((e) => `${e.field}: ${e.detail}`);
const ep = (subsets: unknown) => {
  const obj = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'svc', namespace: 'default' }, subsets };
  endpoints.strategy.defaults?.(obj);
  return obj;
};
const slice = (extra: Record<string, unknown>) => {
  const obj: Record<string, any> = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's', namespace: 'default' }, addressType: 'IPv4', endpoints: [], ...structuredClone(extra) };
  endpointSlices.strategy.defaults?.(obj);
  return obj;
};

describe('endpoints', () => {
  it('is core/v1 endpoints (singular endpoints), short name ep, PUT may create', () => {
    expect(endpoints).toMatchObject({ group: '', version: 'v1', resource: 'endpoints', singularName: 'endpoints', kind: 'Endpoints', listKind: 'EndpointsList', shortNames: ['ep'], namespaced: true });
    expect(endpoints.strategy.allowCreateOnUpdate).toBe(true);
  });

  it('accepts addresses with ports, defaulting the protocol to TCP', () => {
    const obj = ep([{ addresses: [{ ip: '192.168.1.10' }], ports: [{ port: 443 }] }]);
    expect(endpoints.strategy.validate(obj)).toEqual([]);
    expect(obj.subsets).toEqual([{ addresses: [{ ip: '192.168.1.10' }], ports: [{ port: 443, protocol: 'TCP' }] }]);
  });

  it('needs addresses or notReadyAddresses in each subset', () => {
    expect(text(endpoints.strategy.validate(ep([{ ports: [{ port: 80 }] }])))).toEqual(['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']);
  });

  it('checks each address: an IP, not special; hostname a DNS label; nodeName a subdomain', () => {
    expect(text(endpoints.strategy.validate(ep([{ addresses: [{ ip: 'nope' }, { ip: '127.0.0.1' }, { ip: '169.254.1.1', hostname: 'A' }], notReadyAddresses: [{ ip: '0.0.0.0', nodeName: 'N_1' }] }])))).toEqual([
      'subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'subsets[0].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
      expect.stringMatching(/^subsets\[0\]\.addresses\[2\]\.hostname: Invalid value: "A": a lowercase RFC 1123 label/),
      'subsets[0].addresses[2].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
      expect.stringMatching(/^subsets\[0\]\.notReadyAddresses\[0\]\.nodeName: Invalid value: "N_1": a lowercase RFC 1123 subdomain/),
      'subsets[0].notReadyAddresses[0].ip: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)',
    ]);
  });

  it('checks ports: names required when several, range, protocol', () => {
    expect(text(endpoints.strategy.validate(ep([{ addresses: [{ ip: '10.1.1.1' }], ports: [{ port: 0, name: 'a' }, { port: 80, protocol: 'ICMP' }] }])))).toEqual([
      'subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'subsets[0].ports[1].name: Required value',
      'subsets[0].ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });

  it('prints up to three ip:port pairs, then how many more', () => {
    expect(formatEndpoints(ep(undefined))).toBe('<none>');
    const many = ep([{ addresses: [{ ip: '10.1.1.1' }, { ip: '10.1.1.2' }, { ip: 'fd00::1' }, { ip: '10.1.1.4' }], ports: [{ port: 80 }] }]);
    expect(formatEndpoints(many)).toBe('10.1.1.1:80,10.1.1.2:80,[fd00::1]:80 + 1 more...');
    expect(formatEndpoints(ep([{ addresses: [{ ip: '10.1.1.1' }] }]))).toBe('10.1.1.1');
    expect(endpoints.table.columns.map((c) => c.name)).toEqual(['Name', 'Endpoints', 'Age']);
  });
});

describe('endpointslices', () => {
  it('is discovery.k8s.io/v1 endpointslices, namespaced, tracking generation', () => {
    expect(endpointSlices).toMatchObject({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true, shortNames: [] });
    expect(endpointSlices.strategy.generationChanged?.(slice({ ports: [{ port: 1 }] }), slice({}))).toBe(true);
  });

  it('defaults port name and protocol', () => {
    expect(slice({ ports: [{ port: 80 }] }).ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
  });

  it('requires a supported addressType that never changes', () => {
    expect(text(endpointSlices.strategy.validate(slice({ addressType: undefined })))).toEqual(['addressType: Required value']);
    expect(text(endpointSlices.strategy.validate(slice({ addressType: 'MAC' })))).toEqual(['addressType: Unsupported value: "MAC": supported values: "FQDN", "IPv4", "IPv6"']);
    expect(text(endpointSlices.strategy.validateUpdate(slice({ addressType: 'IPv6' }), slice({})))).toEqual(['addressType: Invalid value: "IPv6": field is immutable']);
  });

  it('checks addresses by type, 1 to 100 per endpoint', () => {
    expect(text(endpointSlices.strategy.validate(slice({ endpoints: [{ addresses: [] }, { addresses: ['fd00::1', '127.0.0.1'] }] })))).toEqual([
      'endpoints[0].addresses: Required value: must contain at least 1 address',
      'endpoints[1].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address',
      'endpoints[1].addresses[1]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ]);
    expect(text(endpointSlices.strategy.validate(slice({ endpoints: [{ addresses: Array.from({ length: 101 }, (_, i) => `10.0.${i >> 8}.${(i % 250) + 1}`) }] })))).toEqual([
      'endpoints[0].addresses: Too many: 101: must have at most 100 items',
    ]);
    expect(text(endpointSlices.strategy.validate(slice({ addressType: 'FQDN', endpoints: [{ addresses: ['db.example.com', 'single'] }] })))).toEqual([
      'endpoints[0].addresses[1]: Invalid value: "single": should be a domain with at least two segments separated by dots',
    ]);
  });

  it('checks ports: unique names, protocol', () => {
    expect(text(endpointSlices.strategy.validate(slice({ ports: [{ port: 80 }, { port: 81 }, { name: 'x', protocol: 'ICMP' }] })))).toEqual([
      'ports[1].name: Duplicate value: ""',
      'ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    ]);
  });

  it('prints ADDRESSTYPE PORTS ENDPOINTS', () => {
    expect(endpointSlices.table.columns.map((c) => c.name)).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age']);
    expect(formatSlicePorts(slice({}))).toBe('<unset>');
    expect(formatSlicePorts(slice({ ports: [{ port: 80 }, { name: 'dns' }, {}, { port: 4 }] }))).toBe('80,dns, + 1 more...');
    expect(formatSliceEndpoints(slice({ endpoints: [{ addresses: ['10.1.1.1'] }, { addresses: ['10.1.1.2'] }] }))).toBe('10.1.1.1,10.1.1.2');
  });
});
