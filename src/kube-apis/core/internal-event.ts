// kube keeps one internal Event for core/v1 and events.k8s.io/v1 alike: its validation, printer and
// field selectors all read that form, so field paths in errors are the internal (core/v1-like) names
// whatever API version the client used. This is that form and the core/v1 reading of it.
import type { KubeObject } from '../../registry/resource.js';

export interface EventReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface InternalEvent {
  name: string;
  namespace: string;
  involvedObject: EventReference;
  reason: string;
  message: string;
  source: { component?: string; host?: string };
  firstTimestamp?: string;
  lastTimestamp?: string;
  count: number;
  type: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  action: string;
  related?: EventReference;
  reportingController: string;
  reportingInstance: string;
}

/** Readers of decoded JSON fields: what Go's zero value would be when the field is absent or mistyped. */
export const str = (value: unknown): string => (typeof value === 'string' ? value : '');
/** A metav1.Time/MicroTime: undefined stands for the zero time. */
export const time = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
export const object = <T>(value: unknown): T | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as T) : undefined);

/** The fields an event has whatever its API version (metadata and the shared names). */
export function commonEventFields(obj: KubeObject): Pick<InternalEvent, 'name' | 'namespace' | 'reason' | 'type' | 'eventTime' | 'series' | 'action' | 'related' | 'reportingInstance'> {
  const series = object<{ count?: number; lastObservedTime?: string }>(obj.series);
  return {
    name: str(obj.metadata?.name),
    namespace: str(obj.metadata?.namespace),
    reason: str(obj.reason),
    type: str(obj.type),
    eventTime: time(obj.eventTime),
    series: series && { count: typeof series.count === 'number' ? series.count : 0, lastObservedTime: time(series.lastObservedTime) },
    action: str(obj.action),
    related: object<EventReference>(obj.related),
    reportingInstance: str(obj.reportingInstance),
  };
}

/** A core/v1 Event as kube's internal one. */
export function fromCoreV1Event(obj: KubeObject): InternalEvent {
  return {
    ...commonEventFields(obj),
    involvedObject: object<EventReference>(obj.involvedObject) ?? {},
    message: str(obj.message),
    source: object<InternalEvent['source']>(obj.source) ?? {},
    firstTimestamp: time(obj.firstTimestamp),
    lastTimestamp: time(obj.lastTimestamp),
    count: typeof obj.count === 'number' ? obj.count : 0,
    reportingController: str(obj.reportingComponent),
  };
}
