// core/v1 Nodes, as objects only (no kubelet behind them): kube's ValidateNode / ValidateNodeUpdate
// (pod CIDRs, taints, providerID), status settable on create and then only through /status,
// printNode's STATUS ROLES AGE VERSION columns, and the spec.unschedulable field selector.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject, SubresourceDefinition } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, printerTable } from '../printing.js';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, goStringSlice, GoLiteral, keyPath } from '../../registry/validation/field-errors.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { isValidLabelValue } from '../../registry/validation/names.js';
import { validateLabelName } from '../../registry/validation/object-meta.js';
import { schemaBacked } from '../schemas.js';
import { parseCIDR } from '../net/ip.js';
import { validateCIDR } from '../net/ip-validation.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
type Item = Record<string, any>;
const itemsOf = (value: unknown): Item[] => (Array.isArray(value) ? value.filter((v) => v && typeof v === 'object') : []);

function validateTaints(taints: Item[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  // kube reports node taints under "metadata.taints" (the path it builds from metadata's).
  taints.forEach((taint, i) => {
    const path = keyPath('metadata.taints', i);
    const key = String(taint.key ?? '');
    const value = String(taint.value ?? '');
    const effect = String(taint.effect ?? '');
    errors.push(...validateLabelName(key, `${path}.key`));
    const valueErrors = isValidLabelValue(value);
    if (valueErrors.length > 0) errors.push(fieldInvalid(`${path}.value`, value, valueErrors.join(';')));
    if (!effect) errors.push(fieldRequired(`${path}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) errors.push(fieldNotSupported(`${path}.effect`, effect, TAINT_EFFECTS));
    const unique = `${effect}\u0000${key}`;
    if (seen.has(unique)) {
      const literal = new GoLiteral(`core.Taint{Key:${goQuote(key)}, Value:${goQuote(value)}, Effect:${goQuote(effect)}, TimeAdded:(*v1.Time)(nil)}`);
      const duplicate = fieldDuplicate(path, literal);
      errors.push({ ...duplicate, detail: `${duplicate.detail}: taints must be unique by key and effect pair` });
      return;
    }
    seen.add(unique);
  });
  return errors;
}

export function validateNode(node: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const taints = itemsOf(node.spec?.taints);
  if (taints.length > 0) errors.push(...validateTaints(taints));
  const cidrs: string[] = Array.isArray(node.spec?.podCIDRs) ? node.spec.podCIDRs.map(String) : [];
  cidrs.forEach((cidr, i) => errors.push(...validateCIDR(cidr, keyPath('spec.podCIDRs', i))));
  if (cidrs.length > 1) {
    const families = cidrs.map((c) => parseCIDR(c)?.family);
    if (cidrs.length > 2 || families[0] === families[1]) errors.push(fieldInvalid('spec.podCIDRs', goStringSlice(cidrs), 'may specify no more than one CIDR for each IP family'));
  }
  return errors;
}

export function validateNodeUpdate(node: KubeObject, old: KubeObject): FieldError[] {
  const errors = validateNode(node);
  const oldCIDRs: string[] = old.spec?.podCIDRs ?? [];
  const newCIDRs: string[] = node.spec?.podCIDRs ?? [];
  if (oldCIDRs.length > 0) {
    const changed = oldCIDRs.length !== newCIDRs.length || oldCIDRs.some((c, i) => c !== newCIDRs[i]);
    if (changed) errors.push(fieldForbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errors.push(fieldForbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errors;
}

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
function defaultNode(node: KubeObject): void {
  if (node.status && typeof node.status === 'object' && node.status.allocatable == null && node.status.capacity != null) {
    node.status.allocatable = structuredClone(node.status.capacity);
  }
}

/** printNode's STATUS: Ready / NotReady / Unknown, then SchedulingDisabled. */
export function nodeStatus(node: KubeObject): string {
  const ready = itemsOf(node.status?.conditions).find((c) => c.type === 'Ready');
  const status = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
  if (node.spec?.unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

/** findNodeRoles: node-role.kubernetes.io/<role> labels and kubernetes.io/role, sorted. */
export function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries((node.metadata?.labels ?? {}) as Record<string, string>)) {
    if (key.startsWith('node-role.kubernetes.io/')) {
      const role = key.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && value) roles.add(value);
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

const addressOf = (node: KubeObject, type: string) => itemsOf(node.status?.addresses).find((a) => a.type === type)?.address ?? '<none>';
const infoOf = (node: KubeObject, key: string) => String(node.status?.nodeInfo?.[key] ?? '') || '<unknown>';

const statusSubresource: SubresourceDefinition = {
  name: 'status',
  kind: 'Node',
  verbs: ['get', 'patch', 'update'],
  strategy: { defaults: defaultNode, validate: validateNode, validateUpdate: validateNodeUpdate, allowCreateOnUpdate: false, allowUnconditionalUpdate: true },
};

export const nodes = defineResource({
  group: '',
  version: 'v1',
  resource: 'nodes',
  kind: 'Node',
  namespaced: false,
  shortNames: ['no'],
  subresources: [statusSubresource],
  ...schemaBacked('io.k8s.api.core.v1.Node'),
  selectableFields: (node) => ({ 'metadata.name': node.metadata?.name ?? '', 'spec.unschedulable': String(node.spec?.unschedulable === true) }),
  strategy: {
    // Nodes may set their status on create (a kubelet registers with it).
    defaults: defaultNode,
    validate: validateNode,
    validateUpdate: validateNodeUpdate,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: true,
  },
  table: printerTable(
    [
      { column: column('Status', 'string', 'Whether the node is ready, and whether it takes new pods.'), cell: nodeStatus },
      { column: column('Roles', 'string', 'The roles of the node, from its node-role.kubernetes.io labels.'), cell: nodeRoles },
    ],
    [
      { column: column('Version', 'string', 'The kubelet version the node reports.'), cell: (n) => String(n.status?.nodeInfo?.kubeletVersion ?? '') },
      { column: column('Internal-IP', 'string', 'The first internal address of the node.', 1), cell: (n) => addressOf(n, 'InternalIP') },
      { column: column('External-IP', 'string', 'The first external address of the node.', 1), cell: (n) => addressOf(n, 'ExternalIP') },
      { column: column('OS-Image', 'string', 'The operating system image of the node.', 1), cell: (n) => infoOf(n, 'osImage') },
      { column: column('Kernel-Version', 'string', 'The kernel version of the node.', 1), cell: (n) => infoOf(n, 'kernelVersion') },
      { column: column('Container-Runtime', 'string', 'The container runtime of the node and its version.', 1), cell: (n) => infoOf(n, 'containerRuntimeVersion') },
    ],
  ),
});
