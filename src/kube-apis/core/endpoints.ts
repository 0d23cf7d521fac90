// core/v1 Endpoints: kube's ValidateEndpoints (subsets of addresses and ports), the port protocol
// default, and printEndpoints' ENDPOINTS column. People point a selector-less Service (an
// aggregated API's, say) at servers outside the cluster with these.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, printerTable } from '../printing.js';
import { fieldInvalid, fieldRequired, keyPath } from '../../registry/validation/field-errors.js';
import { isDNS1123Subdomain } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';
import { validateIP, validateNonSpecialIP } from '../net/ip-validation.js';
import { validateDNS1123Label, validatePortNum, validateProtocol, validateQualifiedName } from './ports.js';

type Item = Record<string, any>;
const itemsOf = (value: unknown): Item[] => (Array.isArray(value) ? value.filter((v) => v && typeof v === 'object') : []);

/** ValidateNodeName (a DNS subdomain) as a field check. */
export function validateNodeNameField(name: string, path: string): FieldError[] {
  return isDNS1123Subdomain(name).map((msg) => fieldInvalid(path, name, msg));
}

function validateEndpointAddress(address: Item, path: string): FieldError[] {
  const ip = String(address.ip ?? '');
  const ipErrors = validateIP(ip, `${path}.ip`);
  const errors = [...ipErrors];
  if (address.hostname) errors.push(...validateDNS1123Label(String(address.hostname), `${path}.hostname`));
  if (address.nodeName != null) errors.push(...validateNodeNameField(String(address.nodeName), `${path}.nodeName`));
  if (ipErrors.length === 0) errors.push(...validateNonSpecialIP(ip, `${path}.ip`));
  return errors;
}

function validateEndpointPort(port: Item, requireName: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const name = typeof port.name === 'string' ? port.name : '';
  if (requireName && !name) errors.push(fieldRequired(`${path}.name`));
  else if (name) errors.push(...validateDNS1123Label(name, `${path}.name`));
  errors.push(...validatePortNum(port.port ?? 0, `${path}.port`));
  errors.push(...validateProtocol(port.protocol, `${path}.protocol`));
  if (typeof port.appProtocol === 'string') errors.push(...validateQualifiedName(port.appProtocol, `${path}.appProtocol`));
  return errors;
}

/** ValidateEndpoints (validateEndpointSubsets). */
export function validateEndpoints(ep: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  itemsOf(ep.subsets).forEach((subset, i) => {
    const path = keyPath('subsets', i);
    const addresses = itemsOf(subset.addresses);
    const notReady = itemsOf(subset.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) errors.push(fieldRequired(path, 'must specify `addresses` or `notReadyAddresses`'));
    addresses.forEach((a, j) => errors.push(...validateEndpointAddress(a, keyPath(`${path}.addresses`, j))));
    notReady.forEach((a, j) => errors.push(...validateEndpointAddress(a, keyPath(`${path}.notReadyAddresses`, j))));
    const ports = itemsOf(subset.ports);
    ports.forEach((p, j) => errors.push(...validateEndpointPort(p, ports.length > 1, keyPath(`${path}.ports`, j))));
  });
  return errors;
}

/** SetDefaults_EndpointPort: TCP. */
function defaultEndpoints(ep: KubeObject): void {
  for (const subset of itemsOf(ep.subsets)) for (const port of itemsOf(subset.ports)) port.protocol ||= 'TCP';
}

/** formatEndpoints: up to three ip:port pairs, then "+ N more...". */
export function formatEndpoints(ep: KubeObject): string {
  const subsets = itemsOf(ep.subsets);
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const list: string[] = [];
  let count = 0;
  let more = false;
  const add = (text: string) => {
    if (list.length === max) more = true;
    else list.push(text);
  };
  for (const subset of subsets) {
    const addresses = itemsOf(subset.addresses);
    const ports = itemsOf(subset.ports);
    if (ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) add(String(a.ip ?? ''));
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const a of addresses) add(joinHostPort(String(a.ip ?? ''), port.port ?? 0));
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - max} more...` : text;
}

/** net.JoinHostPort: IPv6 hosts in brackets. */
export function joinHostPort(host: string, port: unknown): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export const endpoints = defineResource({
  group: '',
  version: 'v1',
  resource: 'endpoints',
  kind: 'Endpoints',
  listKind: 'EndpointsList',
  singularName: 'endpoints',
  namespaced: true,
  shortNames: ['ep'],
  ...schemaBacked('io.k8s.api.core.v1.Endpoints'),
  strategy: {
    defaults: defaultEndpoints,
    validate: validateEndpoints,
    validateUpdate: validateEndpoints,
    // kube's endpoints strategy: PUT may create.
    allowCreateOnUpdate: true,
    allowUnconditionalUpdate: true,
  },
  table: printerTable([{ column: column('Endpoints', 'string', 'The addresses and ports the service routes to.'), cell: formatEndpoints }]),
});
