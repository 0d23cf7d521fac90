// Process and Node.js runtime metrics (process_cpu_seconds_total, process_resident_memory_bytes,
// nodejs_*). They describe the process, not a server: they are collected once per process and shown
// by every server's registry, so many in-process servers do not each start an event-loop monitor and
// a GC observer that nothing could stop.
import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';

let processRegistry: Registry | undefined;

export function registerProcessMetrics(target: Registry): void {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  // The typings call these MetricObjects; at run time they are the metric instances themselves.
  for (const metric of processRegistry.getMetricsAsArray() as unknown as Metric[]) target.registerMetric(metric);
}
