// One server's metrics: its own registry (several servers share a test process), kube's request
// metrics, the process metrics, the instrument middleware and the /metrics handler.
import { Registry } from 'prom-client';
import type { KubeMiddleware } from '../context.js';
import type { NonRestMux } from '../director.js';
import { createInstrumentation } from './instrument.js';
import { createMetricsHandler, METRICS_PATH } from './metrics-handler.js';
import { registerProcessMetrics } from './process-metrics.js';
import { registerRequestMetrics, type InflightCounts, type RequestMetrics } from './request-metrics.js';

export interface MetricsOptions {
  /** The requests being served now, read at each scrape for apiserver_current_inflight_requests. */
  inflight: InflightCounts;
}

export interface ServerMetrics {
  /** Where other parts (storage, watch cache, ...) register their metrics. */
  registry: Registry;
  requestMetrics: RequestMetrics;
  /** Records each request its handler answered, when the response is over. Place it right before the
   *  server chain (after authorization), as kube's instrumentation wraps the handlers. */
  instrument: KubeMiddleware;
  /** Counts the requests the in-flight limit answers 429. Place it right outside the flow-control filter. */
  droppedRecorder: KubeMiddleware;
  /** Answers /metrics, passes everything else on. */
  handler: KubeMiddleware;
  ownsPath(path: string): boolean;
  /** The handler in the shape a layer's director takes. */
  mux: NonRestMux;
}

export function createMetrics(opts: MetricsOptions): ServerMetrics {
  const registry = new Registry();
  const requestMetrics = registerRequestMetrics(registry, opts.inflight);
  registerProcessMetrics(registry);
  const handler = createMetricsHandler(registry, () => requestMetrics.reset());
  const ownsPath = (path: string) => path === METRICS_PATH;
  const { instrument, droppedRecorder } = createInstrumentation(requestMetrics);
  return {
    registry,
    requestMetrics,
    instrument,
    droppedRecorder,
    handler,
    ownsPath,
    mux: { owns: ownsPath, handle: handler },
  };
}

export { REQUEST_DURATION_BUCKETS, RESPONSE_SIZE_BUCKETS, type InflightCounts, type RequestMetrics } from './request-metrics.js';
export { cleanDryRun, cleanScope, droppedRequestLabels, reportedVerb, requestLabels, type RequestLabels } from './request-labels.js';
