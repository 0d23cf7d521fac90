// Health endpoints: /healthz, /livez, /readyz with named checks, as kube-apiserver serves them.
export {
  createHealthChecks,
  DEFAULT_CHECK_TIMEOUT_MS,
  SHUTDOWN_CHECK,
  type HealthChecks,
  type HealthChecksOptions,
} from './health-checks.js';
export { healthMux, healthNonRestMux } from './health-mux.js';
export type { FlushLog } from './log-check.js';
export type { HealthCheckFn, HealthEndpoint, HealthLogger, NamedHealthCheck } from './types.js';
