// APF metrics under kube's names (k8s.io/apiserver/pkg/util/flowcontrol/metrics).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface APFMetrics {
  dispatched: Counter<'priority_level' | 'flow_schema'>;
  rejected: Counter<'priority_level' | 'flow_schema' | 'reason'>;
  inQueue: Gauge<'priority_level' | 'flow_schema'>;
  executing: Gauge<'priority_level' | 'flow_schema'>;
  waitDuration: Histogram<'priority_level' | 'flow_schema' | 'execute'>;
  nominalLimit: Gauge<'priority_level'>;
}

export function registerAPFMetrics(registry: Registry, nominalLimits: () => Map<string, number>): APFMetrics {
  const registers = [registry];
  const labels = ['priority_level', 'flow_schema'] as const;
  return {
    dispatched: new Counter({ name: 'apiserver_flowcontrol_dispatched_requests_total', help: '[BETA] Number of requests executed by API Priority and Fairness subsystem', labelNames: labels, registers }),
    rejected: new Counter({ name: 'apiserver_flowcontrol_rejected_requests_total', help: '[BETA] Number of requests rejected by API Priority and Fairness subsystem', labelNames: [...labels, 'reason'], registers }),
    inQueue: new Gauge({ name: 'apiserver_flowcontrol_current_inqueue_requests', help: '[BETA] Number of requests currently pending in queues of the API Priority and Fairness subsystem', labelNames: labels, registers }),
    executing: new Gauge({ name: 'apiserver_flowcontrol_current_executing_requests', help: '[BETA] Number of requests in initial (for a WATCH) or any (for a non-WATCH) execution stage in the API Priority and Fairness subsystem', labelNames: labels, registers }),
    waitDuration: new Histogram({
      name: 'apiserver_flowcontrol_request_wait_duration_seconds',
      help: '[BETA] Length of time a request spent waiting in its queue',
      labelNames: [...labels, 'execute'],
      buckets: [0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30],
      registers,
    }),
    nominalLimit: new Gauge({
      name: 'apiserver_flowcontrol_nominal_limit_seats',
      help: '[BETA] Nominal number of execution seats configured for each priority level',
      labelNames: ['priority_level'],
      registers,
      collect() {
        this.reset();
        for (const [level, limit] of nominalLimits()) this.set({ priority_level: level }, limit);
      },
    }),
  };
}
