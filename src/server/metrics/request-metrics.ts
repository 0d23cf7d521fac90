// kube-apiserver's request metrics (names, label sets and buckets of
// k8s.io/apiserver/pkg/endpoints/metrics/metrics.go), registered in one server's registry.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The label names, in kube's order. */
const REQUEST_LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
const RESOURCE_LABELS = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;

/** kube's latency buckets, tuned for its API call latency SLOs. */
export const REQUEST_DURATION_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60,
];
/** 1 KB to 1 GB, ×10 per bucket (kube: ExponentialBuckets(1000, 10, 7)). */
export const RESPONSE_SIZE_BUCKETS = [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

export type InflightCounts = () => { readOnly: number; mutating: number };

export interface RequestMetrics {
  requestTotal: Counter<(typeof REQUEST_LABELS)[number] | 'code'>;
  requestDuration: Histogram<(typeof REQUEST_LABELS)[number]>;
  responseSizes: Histogram<(typeof RESOURCE_LABELS)[number]>;
  longRunning: Gauge<(typeof RESOURCE_LABELS)[number]>;
  /** Resets what DELETE /metrics resets: the request metrics, not the process ones. */
  reset(): void;
}

// component-base prefixes help texts with the metric's stability level; kube's clients see "[STABLE] ...".
const stable = (help: string) => `[STABLE] ${help}`;

export function registerRequestMetrics(registry: Registry, inflight: InflightCounts): RequestMetrics {
  const registers = [registry];
  const requestTotal = new Counter({
    name: 'apiserver_request_total',
    help: stable('Counter of API requests by verb, dry run value, group, version, resource, scope, component and HTTP status code.'),
    labelNames: [...REQUEST_LABELS, 'code'],
    registers,
  });
  const requestDuration = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: stable('Response latency in seconds by verb, dry run value, group, version, resource, subresource, scope and component.'),
    labelNames: REQUEST_LABELS,
    buckets: REQUEST_DURATION_BUCKETS,
    registers,
  });
  const responseSizes = new Histogram({
    name: 'apiserver_response_sizes',
    help: stable('Response size in bytes of reads by verb, group, version, resource, subresource, scope and component.'),
    labelNames: RESOURCE_LABELS,
    buckets: RESPONSE_SIZE_BUCKETS,
    registers,
  });
  const longRunning = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: stable('Long-running requests (watches) open now, by verb, group, version, resource, scope and component.'),
    labelNames: RESOURCE_LABELS,
    registers,
  });
  new Gauge({
    name: 'apiserver_current_inflight_requests',
    help: stable('Requests being served now, against the in-flight limits, by request kind.'),
    labelNames: ['request_kind'],
    registers,
    collect() {
      const counts = inflight();
      this.set({ request_kind: 'readOnly' }, counts.readOnly);
      this.set({ request_kind: 'mutating' }, counts.mutating);
    },
  });
  return {
    requestTotal,
    requestDuration,
    responseSizes,
    longRunning,
    reset() {
      requestTotal.reset();
      requestDuration.reset();
      responseSizes.reset();
    },
  };
}
