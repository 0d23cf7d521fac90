// kube-aggregator's ValidateAPIService / ValidateAPIServiceStatus (pkg/apis/apiregistration/validation):
// the name must be "<version>.<group>", priorities in range, a service reference with a namespace and
// a name, and TLS settings that make sense (local APIServices have none; caBundle excludes
// insecureSkipTLSVerify). Messages and field paths as kube writes them.
import type { FieldError } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { fieldInvalid, fieldNotSupported, fieldRequired } from '../../registry/validation/field-errors.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidPathSegmentName } from '../../registry/validation/names.js';
import { goQuote } from '../../endpoints/go-strconv.js';

export interface ServiceReference {
  namespace?: string;
  name?: string;
  port?: number;
}

export interface APIServiceSpec {
  group?: string;
  version?: string;
  service?: ServiceReference | null;
  caBundle?: string;
  insecureSkipTLSVerify?: boolean;
  groupPriorityMinimum?: number;
  versionPriority?: number;
}

export function specOf(obj: KubeObject): APIServiceSpec {
  return obj.spec && typeof obj.spec === 'object' ? (obj.spec as APIServiceSpec) : {};
}

/** The byte length of a (decoded) base64 caBundle. */
export function caBundleLength(caBundle: string | undefined): number {
  return caBundle ? Buffer.from(caBundle, 'base64').length : 0;
}

/** The name check kube passes to ValidateObjectMeta: a path segment, and exactly version.group. */
export function validateAPIServiceName(obj: KubeObject): FieldError[] {
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || name === '') return [];
  // The path segment check runs as the resource's validateName (with ObjectMeta's other checks).
  if (isValidPathSegmentName(name).length > 0) return [];
  const spec = specOf(obj);
  const required = `${spec.version ?? ''}.${spec.group ?? ''}`;
  return name === required ? [] : [fieldInvalid('metadata.name', name, `must be \`spec.version+"."+spec.group\`: ${goQuote(required)}`)];
}

/** ValidateAPIService without ObjectMeta (the store validates that). */
export function validateAPIService(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const group = spec.group ?? '';
  const version = spec.version ?? '';
  const errors: FieldError[] = [...validateAPIServiceName(obj)];
  if (group === '' && version !== 'v1') errors.push(fieldRequired('spec.group', 'only v1 may have an empty group and it better be legacy kube'));
  if (group !== '') for (const msg of isDNS1123Subdomain(group)) errors.push(fieldInvalid('spec.group', group, msg));
  for (const msg of isDNS1035Label(version)) errors.push(fieldInvalid('spec.version', version, msg));
  const groupPriority = spec.groupPriorityMinimum ?? 0;
  if (groupPriority <= 0 || groupPriority > 20000) errors.push(fieldInvalid('spec.groupPriorityMinimum', groupPriority, 'must be positive and less than 20000'));
  const versionPriority = spec.versionPriority ?? 0;
  if (versionPriority <= 0 || versionPriority > 1000) errors.push(fieldInvalid('spec.versionPriority', versionPriority, 'must be positive and less than 1000'));

  const caLength = caBundleLength(spec.caBundle);
  const insecure = spec.insecureSkipTLSVerify === true;
  if (!spec.service) {
    if (caLength !== 0) errors.push(fieldInvalid('spec.caBundle', `${caLength} bytes`, 'local APIServices may not have a caBundle'));
    if (insecure) errors.push(fieldInvalid('spec.insecureSkipTLSVerify', true, 'local APIServices may not have insecureSkipTLSVerify'));
    return errors;
  }
  if (!spec.service.namespace) errors.push(fieldRequired('spec.service.namespace'));
  if (!spec.service.name) errors.push(fieldRequired('spec.service.name'));
  if (insecure && caLength > 0) errors.push(fieldInvalid('spec.insecureSkipTLSVerify', true, 'may not be true if caBundle is present'));
  return errors;
}

const CONDITION_STATUSES = ['True', 'False', 'Unknown'];

/** ValidateAPIServiceStatus: every condition's status is True, False or Unknown. */
export function validateAPIServiceStatus(obj: KubeObject): FieldError[] {
  const conditions = Array.isArray(obj.status?.conditions) ? (obj.status.conditions as Array<{ status?: string }>) : [];
  const errors: FieldError[] = [];
  conditions.forEach((c, i) => {
    const status = c?.status ?? '';
    if (!CONDITION_STATUSES.includes(status)) errors.push(fieldNotSupported(`status.conditions[${i}].status`, status, CONDITION_STATUSES));
  });
  return errors;
}
