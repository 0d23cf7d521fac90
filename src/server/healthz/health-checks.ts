// The registry of named checks behind /healthz, /livez and /readyz (kube's healthCheckRegistry and
// the checks every generic apiserver installs: ping and log on all three, shutdown last on readyz).
import type { NonRestMux } from '../director.js';
import { createLogCheck, type FlushLog } from './log-check.js';
import { healthNonRestMux } from './health-mux.js';
import { endpointOfRoot } from './paths.js';
import { HEALTH_ENDPOINTS, type HealthCheckFn, type HealthEndpoint, type HealthLogger, type NamedHealthCheck } from './types.js';

/** kube's etcd health and readiness checks time out after 2 s (--etcd-healthcheck-timeout). */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

export const SHUTDOWN_CHECK = 'shutdown';

export interface HealthChecksOptions {
  /** Longest an asynchronous check may run before it counts as failed. */
  checkTimeoutMs?: number;
  /** Flushes the log, for the `log` check. Without it the check only proves the event loop runs. */
  flushLog?: FlushLog;
  /** Receives failing checks with their reasons (the HTTP answer withholds them). */
  logger?: HealthLogger;
  /** The `shutdown` readyz check fails once this is aborted (as kube's closes its stop channel). */
  shutdownSignal?: AbortSignal;
}

export interface HealthChecks {
  /** Adds a check to one endpoint, or to all three (kube's AddHealthChecks). Names are unique per endpoint. */
  addCheck(endpoint: HealthEndpoint | 'all', name: string, check: HealthCheckFn): void;
  /** The checks of an endpoint in the order they are reported. */
  checksOf(endpoint: HealthEndpoint): readonly NamedHealthCheck[];
  /** True for /healthz, /livez, /readyz and /<endpoint>/<check name>. */
  ownsPath(path: string): boolean;
  /** Makes /readyz fail from now on: the server is going away. (Or abort the shutdownSignal option.) */
  markShuttingDown(): void;
  readonly shuttingDown: boolean;
  readonly checkTimeoutMs: number;
  readonly logger: HealthLogger | undefined;
  /** Stops the background timer of the `log` check. */
  stop(): void;
  /** The endpoints in the shape a layer's director takes. */
  readonly mux: NonRestMux;
}

export function createHealthChecks(options: HealthChecksOptions = {}): HealthChecks {
  const byEndpoint = new Map<HealthEndpoint, NamedHealthCheck[]>(HEALTH_ENDPOINTS.map((e) => [e, []]));
  let shuttingDown = false;
  const isShuttingDown = () => shuttingDown || options.shutdownSignal?.aborted === true;
  // kube adds the shutdown check right before installing /readyz, after every other check: keep it last.
  const shutdownCheck: NamedHealthCheck = {
    name: SHUTDOWN_CHECK,
    check: () => {
      if (isShuttingDown()) throw new Error('process is shutting down');
    },
  };
  const readyzWithShutdown = (): NamedHealthCheck[] => [...(byEndpoint.get('readyz') ?? []), shutdownCheck];
  let readyzView = readyzWithShutdown();

  const assertFree = (endpoint: HealthEndpoint, name: string) => {
    if (endpoint === 'readyz' && name === SHUTDOWN_CHECK) {
      throw new Error('the "shutdown" readyz check is built in: call markShuttingDown() or pass shutdownSignal');
    }
    if (byEndpoint.get(endpoint)!.some((c) => c.name === name)) {
      throw new Error(`health check "${name}" is already installed on /${endpoint}`);
    }
  };

  const checksOf = (endpoint: HealthEndpoint): readonly NamedHealthCheck[] =>
    endpoint === 'readyz' ? readyzView : byEndpoint.get(endpoint)!;

  const logCheck = createLogCheck(options.flushLog);

  const registry: HealthChecks = {
    addCheck(endpoint, name, check) {
      if (!name || name.includes('/')) throw new Error(`invalid health check name "${name}"`);
      const targets = endpoint === 'all' ? HEALTH_ENDPOINTS : [endpoint];
      // All or nothing: check every target before adding to any.
      for (const target of targets) assertFree(target, name);
      for (const target of targets) byEndpoint.get(target)!.push({ name, check });
      readyzView = readyzWithShutdown();
    },
    checksOf,
    ownsPath(path) {
      const endpoint = endpointOfRoot(path);
      if (endpoint) return true;
      const slash = path.indexOf('/', 1);
      if (slash === -1) return false;
      const parent = endpointOfRoot(path.slice(0, slash));
      if (!parent) return false;
      const name = path.slice(slash + 1);
      return checksOf(parent).some((c) => c.name === name);
    },
    markShuttingDown() {
      shuttingDown = true;
    },
    get shuttingDown() {
      return isShuttingDown();
    },
    checkTimeoutMs: options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    logger: options.logger,
    stop: () => logCheck.stop(),
    // The mux needs the finished registry: built right below, read only once requests come.
    get mux() {
      return mux;
    },
  };
  const mux = healthNonRestMux(registry);

  registry.addCheck('all', 'ping', () => {});
  registry.addCheck('all', 'log', logCheck.check);
  return registry;
}
