// APF metrics under kube's names (k8s.io/apiserver/pkg/util/flowcontrol/metrics). The per-flow series
// are bound once per (priority level, flow schema) to plain numbers read at scrape time, so that a
// request only bumps numbers.
import { Counter, Gauge, type Registry } from 'prom-client';
import { PlainHistogram, PlainMetric } from './plain-metrics.js';

type FlowLabels = 'priority_level' | 'flow_schema';

export interface LevelLimits {
  nominal: number;
  lower: number;
  upper: number;
  current: number;
}

export interface APFMetrics {
  rejected: Counter<FlowLabels | 'reason'>;
  /** The series of one flow schema in one level. */
  forFlow(level: string, flowSchema: string): FlowMetrics;
}

export interface FlowMetrics {
  level: string;
  flowSchema: string;
  dispatched: { inc(): void };
  inQueue: { inc(): void; dec(): void };
  executing: { inc(): void; dec(): void };
  waited(admitted: boolean, seconds: number): void;
  estimatedSeats(seats: number): void;
}

export function registerAPFMetrics(registry: Registry, limits: () => Map<string, LevelLimits>): APFMetrics {
  const registers = [registry];
  const limitGauge = (name: string, help: string, read: (l: LevelLimits) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['priority_level'],
      registers,
      collect() {
        this.reset();
        for (const [level, l] of limits()) this.set({ priority_level: level }, read(l));
      },
    });
  limitGauge('apiserver_flowcontrol_nominal_limit_seats', '[BETA] Nominal number of execution seats configured for each priority level', (l) => l.nominal);
  limitGauge('apiserver_flowcontrol_lower_limit_seats', '[ALPHA] Configured lower bound on number of execution seats available to each priority level', (l) => l.lower);
  limitGauge('apiserver_flowcontrol_upper_limit_seats', '[ALPHA] Configured upper bound on number of execution seats available to each priority level', (l) => l.upper);
  limitGauge('apiserver_flowcontrol_current_limit_seats', '[ALPHA] current derived number of execution seats available to each priority level', (l) => l.current);
  const rejected = new Counter({ name: 'apiserver_flowcontrol_rejected_requests_total', help: '[BETA] Number of requests rejected by API Priority and Fairness subsystem', labelNames: ['priority_level', 'flow_schema', 'reason'], registers });
  // Bumped by every request: plain numbers, read at scrape time.
  const dispatched = new PlainMetric('apiserver_flowcontrol_dispatched_requests_total', '[BETA] Number of requests executed by API Priority and Fairness subsystem', 'counter', registry);
  const inQueue = new PlainMetric('apiserver_flowcontrol_current_inqueue_requests', '[BETA] Number of requests currently pending in queues of the API Priority and Fairness subsystem', 'gauge', registry);
  const executing = new PlainMetric(
    'apiserver_flowcontrol_current_executing_requests',
    '[BETA] Number of requests in initial (for a WATCH) or any (for a non-WATCH) execution stage in the API Priority and Fairness subsystem',
    'gauge',
    registry,
  );
  const waitDuration = new PlainHistogram('apiserver_flowcontrol_request_wait_duration_seconds', '[BETA] Length of time a request spent waiting in its queue', [0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30], registry);
  const workEstimatedSeats = new PlainHistogram(
    'apiserver_flowcontrol_work_estimated_seats',
    '[ALPHA] Number of estimated seats (maximum of initial and final seats) associated with requests in API Priority and Fairness',
    [1, 2, 4, 10],
    registry,
  );
  const flows = new Map<string, FlowMetrics>();
  const forFlow = (level: string, flowSchema: string): FlowMetrics => {
    const key = `${level}\0${flowSchema}`;
    let flow = flows.get(key);
    if (flow) return flow;
    const l = { priority_level: level, flow_schema: flowSchema };
    const d = dispatched.series$(l);
    const q = inQueue.series$(l);
    const x = executing.series$(l);
    const waitedTrue = waitDuration.series$({ ...l, execute: 'true' });
    const waitedFalse = waitDuration.series$({ ...l, execute: 'false' });
    const seats = workEstimatedSeats.series$(l);
    flow = {
      level,
      flowSchema,
      dispatched: { inc: () => void d.value++ },
      inQueue: { inc: () => void q.value++, dec: () => void q.value-- },
      executing: { inc: () => void x.value++, dec: () => void x.value-- },
      waited: (admitted, seconds) => (admitted ? waitedTrue : waitedFalse).observe(seconds),
      estimatedSeats: (n) => seats.observe(n),
    };
    // Bounded: schemas and levels come and go with the configuration.
    if (flows.size >= 1000) flows.clear();
    flows.set(key, flow);
    return flow;
  };
  return { rejected, forFlow };
}
