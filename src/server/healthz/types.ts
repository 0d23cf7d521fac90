// The shapes shared by the health-check registry, its runner and its HTTP answers.

/** The three health endpoints of kube-apiserver. */
export type HealthEndpoint = 'healthz' | 'livez' | 'readyz';

export const HEALTH_ENDPOINTS: readonly HealthEndpoint[] = ['healthz', 'livez', 'readyz'];

/** A check passes by returning (or resolving); it fails by throwing (or rejecting). */
export type HealthCheckFn = () => Promise<void> | void;

export interface NamedHealthCheck {
  name: string;
  check: HealthCheckFn;
}

/** The outcome of one check: undefined when it passed, else the reason it failed. */
export type CheckOutcome = string | undefined;

/** The part of a (pino) logger the health endpoints use to report failing checks. */
export interface HealthLogger {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}
