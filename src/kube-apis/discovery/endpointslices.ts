// discovery.k8s.io/v1 EndpointSlices: kube's ValidateEndpointSlice / ValidateEndpointSliceUpdate
// (pkg/apis/discovery/validation), the port defaults, and printEndpointSlice's ADDRESSTYPE PORTS
// ENDPOINTS columns.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, printerTable } from '../printing.js';
import {
  fieldDuplicate, fieldInvalid, fieldNotSupported, fieldRequired, fieldTooMany, keyPath,
} from '../../registry/validation/field-errors.js';
import { FIELD_IMMUTABLE_ERROR_MSG, validateLabels } from '../../registry/validation/object-meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidLabelValue } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { validateIPv4, validateIPv6, validateNonSpecialIP } from '../net/ip-validation.js';
import { validateDNS1123Label, validateProtocol, validateQualifiedName } from '../core/ports.js';
import { validateNodeNameField } from '../core/endpoints.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const MAX_TOPOLOGY_LABELS = 16;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20000;
const MAX_ENDPOINTS = 1000;
const MAX_ZONE_HINTS = 8;

type Item = Record<string, any>;
const itemsOf = (value: unknown): Item[] => (Array.isArray(value) ? value.filter((v) => v && typeof v === 'object') : []);

/** validation.IsFullyQualifiedDomainName */
function validateFQDN(name: string, path: string): FieldError[] {
  if (!name) return [fieldRequired(path)];
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  const subdomain = isDNS1123Subdomain(trimmed);
  if (subdomain.length > 0) return [fieldInvalid(path, trimmed, subdomain.join(','))];
  const labels = trimmed.split('.');
  if (labels.length < 2) return [fieldInvalid(path, trimmed, 'should be a domain with at least two segments separated by dots')];
  for (const label of labels) {
    const errs = isDNS1123Label(label);
    if (errs.length > 0) return [fieldInvalid(path, label, errs.join(','))];
  }
  return [];
}

function validateAddress(address: string, addressType: string, path: string): FieldError[] {
  switch (addressType) {
    case 'IPv4': {
      const errs = validateIPv4(address, path);
      return errs.length > 0 ? errs : validateNonSpecialIP(address, path);
    }
    case 'IPv6': {
      const errs = validateIPv6(address, path);
      return errs.length > 0 ? errs : validateNonSpecialIP(address, path);
    }
    case 'FQDN':
      return validateFQDN(address, path);
  }
  return [];
}

function validateEndpoint(endpoint: Item, addressType: string, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const addresses: unknown[] = Array.isArray(endpoint.addresses) ? endpoint.addresses : [];
  const addressPath = `${path}.addresses`;
  if (addresses.length === 0) errors.push(fieldRequired(addressPath, 'must contain at least 1 address'));
  else if (addresses.length > MAX_ADDRESSES) errors.push(fieldTooMany(addressPath, addresses.length, MAX_ADDRESSES));
  addresses.forEach((a, i) => errors.push(...validateAddress(String(a), addressType, keyPath(addressPath, i))));
  if (endpoint.nodeName != null) errors.push(...validateNodeNameField(String(endpoint.nodeName), `${path}.nodeName`));
  const topology = endpoint.deprecatedTopology && typeof endpoint.deprecatedTopology === 'object' ? endpoint.deprecatedTopology : {};
  if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS) errors.push(fieldTooMany(`${path}.deprecatedTopology`, Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
  errors.push(...validateLabels(topology, `${path}.deprecatedTopology`));
  if (endpoint.hostname != null) errors.push(...validateDNS1123Label(String(endpoint.hostname), `${path}.hostname`));
  const zones = itemsOf(endpoint.hints?.forZones);
  if (zones.length > MAX_ZONE_HINTS) errors.push(fieldTooMany(`${path}.hints.forZones`, zones.length, MAX_ZONE_HINTS));
  const seenZones = new Set<string>();
  zones.forEach((zone, i) => {
    const zonePath = `${keyPath(`${path}.hints.forZones`, i)}.name`;
    if (seenZones.has(zone.name)) errors.push(fieldDuplicate(zonePath, zone.name));
    else seenZones.add(zone.name);
    errors.push(...isValidLabelValue(String(zone.name ?? '')).map((msg) => fieldInvalid(zonePath, String(zone.name ?? ''), msg)));
  });
  return errors;
}

function validatePorts(ports: Item[]): FieldError[] {
  if (ports.length > MAX_PORTS) return [fieldTooMany('ports', ports.length, MAX_PORTS)];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const path = keyPath('ports', i);
    const name = typeof port.name === 'string' ? port.name : '';
    if (name) errors.push(...validateDNS1123Label(name, `${path}.name`));
    if (names.has(name)) errors.push(fieldDuplicate(`${path}.name`, name));
    else names.add(name);
    errors.push(...validateProtocol(port.protocol, `${path}.protocol`));
    if (typeof port.appProtocol === 'string') errors.push(...validateQualifiedName(port.appProtocol, `${path}.appProtocol`));
  });
  return errors;
}

export function validateEndpointSlice(slice: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const addressType = slice.addressType;
  if (!addressType) errors.push(fieldRequired('addressType'));
  else if (!ADDRESS_TYPES.includes(addressType)) errors.push(fieldNotSupported('addressType', addressType, ADDRESS_TYPES));
  const endpoints = itemsOf(slice.endpoints);
  if (endpoints.length > MAX_ENDPOINTS) errors.push(fieldTooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
  else endpoints.forEach((e, i) => errors.push(...validateEndpoint(e, String(addressType ?? ''), keyPath('endpoints', i))));
  errors.push(...validatePorts(itemsOf(slice.ports)));
  return errors;
}

function validateEndpointSliceUpdate(slice: KubeObject, old: KubeObject): FieldError[] {
  const errors = validateEndpointSlice(slice);
  if (slice.addressType !== old.addressType) errors.push(fieldInvalid('addressType', slice.addressType ?? '', FIELD_IMMUTABLE_ERROR_MSG));
  return errors;
}

/** SetDefaults_EndpointPort (v1): name "" and protocol TCP. */
function defaultEndpointSlice(slice: KubeObject): void {
  for (const port of itemsOf(slice.ports)) {
    port.name ??= '';
    port.protocol ??= 'TCP';
  }
}

function listWithMore(list: string[], count: number, max: number): string {
  const text = list.join(',');
  if (count > max) return `${text} + ${count - max} more...`;
  return text || '<unset>';
}

/** formatDiscoveryPorts */
export function formatSlicePorts(slice: KubeObject): string {
  const ports = itemsOf(slice.ports);
  const list = ports.slice(0, 3).map((p) => (p.port != null ? String(p.port) : p.name != null ? String(p.name) : '*'));
  return listWithMore(list, ports.length, 3);
}

/** formatDiscoveryEndpoints */
export function formatSliceEndpoints(slice: KubeObject): string {
  const addresses = itemsOf(slice.endpoints).flatMap((e) => (Array.isArray(e.addresses) ? e.addresses.map(String) : []));
  return listWithMore(addresses.slice(0, 3), addresses.length, 3);
}

export const endpointSlices = defineResource({
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
  kind: 'EndpointSlice',
  namespaced: true,
  ...schemaBacked('io.k8s.api.discovery.v1.EndpointSlice'),
  strategy: {
    defaults: defaultEndpointSlice,
    validate: validateEndpointSlice,
    validateUpdate: validateEndpointSliceUpdate,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
    // kube's endpointslice strategy bumps generation on any change but metadata.
    generationChanged: (slice, old) => !deepEqual({ ...slice, metadata: null }, { ...old, metadata: null }),
  },
  table: printerTable([
    { column: column('AddressType', 'string', 'The kind of addresses the slice holds: IPv4, IPv6 or FQDN.'), cell: (s) => s.addressType ?? '' },
    { column: column('Ports', 'string', 'The ports of the slice.'), cell: formatSlicePorts },
    { column: column('Endpoints', 'string', 'The addresses of the slice.'), cell: formatSliceEndpoints },
  ]),
});
