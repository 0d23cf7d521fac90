// kube's ValidatePodCreate / ValidatePodUpdate essentials (pkg/apis/core/validation) for pods kept as
// objects: containers (names, images, ports), restartPolicy, nodeName, and the update rule that a
// pod's spec changes only in images, activeDeadlineSeconds, tolerations and a negative grace period.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, keyPath } from '../../registry/validation/field-errors.js';
import { isValidPortName, validateDNS1123Label, validatePortNum, validateProtocol } from './ports.js';
import { validateNodeNameField } from './endpoints.js';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
type Item = Record<string, any>;
const itemsOf = (value: unknown): Item[] => (Array.isArray(value) ? value.filter((v) => v && typeof v === 'object') : []);

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

function validateContainerPorts(ports: Item[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const portPath = keyPath(path, i);
    if (port.name) {
      const name = String(port.name);
      for (const msg of isValidPortName(name)) errors.push(fieldInvalid(`${portPath}.name`, name, msg));
      if (names.has(name)) errors.push(fieldDuplicate(`${portPath}.name`, name));
      else names.add(name);
    }
    if (port.containerPort === undefined || port.containerPort === 0) errors.push(fieldRequired(`${portPath}.containerPort`));
    else errors.push(...validatePortNum(port.containerPort, `${portPath}.containerPort`));
    if (port.hostPort) errors.push(...validatePortNum(port.hostPort, `${portPath}.hostPort`));
    errors.push(...validateProtocol(port.protocol, `${portPath}.protocol`));
  });
  return errors;
}

function validateContainers(containers: Item[], path: string, names: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  containers.forEach((container, i) => {
    const cPath = keyPath(path, i);
    const name = String(container.name ?? '');
    if (!name) errors.push(fieldRequired(`${cPath}.name`));
    else {
      errors.push(...validateDNS1123Label(name, `${cPath}.name`));
      if (names.has(name)) errors.push(fieldDuplicate(`${cPath}.name`, name));
      else names.add(name);
    }
    const image = String(container.image ?? '');
    if (!image) errors.push(fieldRequired(`${cPath}.image`));
    else if (image !== image.trim()) errors.push(fieldInvalid(`${cPath}.image`, image, 'must not have leading or trailing whitespace'));
    errors.push(...validateContainerPorts(itemsOf(container.ports), `${cPath}.ports`));
  });
  return errors;
}

export function validatePod(pod: KubeObject): FieldError[] {
  const spec: Item = pod.spec && typeof pod.spec === 'object' ? pod.spec : {};
  const errors: FieldError[] = [];
  const names = new Set<string>();
  errors.push(...validateContainers(itemsOf(spec.initContainers), 'spec.initContainers', names));
  const containers = itemsOf(spec.containers);
  if (containers.length === 0) errors.push(fieldRequired('spec.containers'));
  errors.push(...validateContainers(containers, 'spec.containers', names));
  const restartPolicy = spec.restartPolicy ?? '';
  if (!restartPolicy) errors.push(fieldRequired('spec.restartPolicy'));
  else if (!RESTART_POLICIES.includes(restartPolicy)) errors.push(fieldNotSupported('spec.restartPolicy', restartPolicy, RESTART_POLICIES));
  if (spec.nodeName) errors.push(...validateNodeNameField(String(spec.nodeName), 'spec.nodeName'));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null && !(spec.activeDeadlineSeconds > 0)) {
    errors.push(fieldInvalid('spec.activeDeadlineSeconds', spec.activeDeadlineSeconds, 'must be between 1 and 2147483647, inclusive'));
  }
  return errors;
}

/** The spec with what an update may change set to the old values (kube's mungedPodSpec). */
function mungedSpec(spec: Item, old: Item): Item {
  const munged = structuredClone(spec);
  const withOldImages = (list: Item[] | undefined, oldList: Item[] | undefined) =>
    list?.map((c, i) => (oldList?.[i] ? { ...c, image: oldList[i].image } : c));
  if (munged.containers) munged.containers = withOldImages(munged.containers, old.containers);
  if (munged.initContainers) munged.initContainers = withOldImages(munged.initContainers, old.initContainers);
  if (old.activeDeadlineSeconds !== undefined) munged.activeDeadlineSeconds = old.activeDeadlineSeconds;
  else delete munged.activeDeadlineSeconds;
  // Tolerations may only be added to.
  const oldTolerations: Item[] = old.tolerations ?? [];
  const tolerations: Item[] = munged.tolerations ?? [];
  if (oldTolerations.every((t) => tolerations.some((n) => deepEqual(n, t)))) {
    if (old.tolerations !== undefined) munged.tolerations = old.tolerations;
    else delete munged.tolerations;
  }
  if ((old.terminationGracePeriodSeconds ?? 0) < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  return munged;
}

export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errors = validatePod(pod);
  const spec: Item = pod.spec ?? {};
  const oldSpec: Item = old.spec ?? {};
  if (!deepEqual(mungedSpec(spec, oldSpec), oldSpec)) errors.push(fieldForbidden('spec', POD_UPDATE_FORBIDDEN));
  return errors;
}
