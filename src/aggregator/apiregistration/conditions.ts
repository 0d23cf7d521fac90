// APIService conditions (kube-aggregator's apiregistration helper): one Available condition whose
// lastTransitionTime moves only when its status changes.
import type { KubeObject } from '../../registry/resource.js';

export interface APIServiceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** metav1.Time's RFC 3339 form, to the second. */
export function nowRFC3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function conditionsOf(obj: KubeObject): APIServiceCondition[] {
  return Array.isArray(obj.status?.conditions) ? (obj.status.conditions as APIServiceCondition[]) : [];
}

export function availableCondition(obj: KubeObject): APIServiceCondition | undefined {
  return conditionsOf(obj).find((c) => c.type === 'Available');
}

export function isAvailable(obj: KubeObject): boolean {
  return availableCondition(obj)?.status === 'True';
}

/** SetAPIServiceCondition: replaces the condition of that type, keeping its transition time if the status did not change. */
export function setCondition(obj: KubeObject, condition: APIServiceCondition): void {
  const conditions = [...conditionsOf(obj)];
  const index = conditions.findIndex((c) => c.type === condition.type);
  const next = { ...condition };
  if (index >= 0 && conditions[index].status === condition.status) next.lastTransitionTime = conditions[index].lastTransitionTime;
  if (index >= 0) conditions[index] = next;
  else conditions.push(next);
  obj.status = { ...(obj.status ?? {}), conditions };
}

/** What a local APIService always carries (NewLocalAvailableAPIServiceCondition). */
export function localAvailableCondition(): APIServiceCondition {
  return { type: 'Available', status: 'True', lastTransitionTime: nowRFC3339(), reason: 'Local', message: 'Local APIServices are always available' };
}
