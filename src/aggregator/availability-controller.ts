// kube-aggregator's availability controller for remote APIServices: the Available condition says
// whether the service exists, listens on the port, has endpoints, and whether the backend answers its
// discovery path. Checked when the APIService, its Service or its endpoints change, every resync, and
// again soon after a failure (backing off); the status is written through the API (the status
// subresource), only when it changed.
import type { Logger } from 'pino';
import type { StoredObject } from '../storage/interface.js';
import type { ServiceIndex } from './service-index.js';
import type { Store, RequestContext } from '../registry/store.js';
import type { KeyPairPem } from '../server/serving/certs.js';
import { MASTERS_GROUP } from '../auth/user.js';
import { deepEqual } from '../registry/deep-equal.js';
import { goQuote } from '../endpoints/go-strconv.js';
import { specOf } from './apiregistration/validation.js';
import { nowRFC3339, setCondition, type APIServiceCondition } from './apiregistration/conditions.js';
import type { ServiceResolver } from './service-resolver.js';
import { checkDiscovery, discoveryPath } from './discovery-check.js';
import type { APIServiceController } from './apiservice-controller.js';

const CONTROLLER: RequestContext = {
  user: { name: 'system:kube-aggregator', groups: [MASTERS_GROUP] },
  dryRun: false,
  fieldManager: 'kube-apiserver',
  subresource: 'status',
};

const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 5_000;

/** The Available condition of a remote APIService, without its transition time. */
export async function availabilityOf(apiService: StoredObject, resolver: ServiceResolver, client: KeyPairPem): Promise<Omit<APIServiceCondition, 'lastTransitionTime'>> {
  const spec = specOf(apiService);
  const svc = spec.service!;
  const name = svc.name ?? '';
  const namespace = svc.namespace ?? '';
  const port = svc.port ?? 443;
  const where = `service/${name} in ${goQuote(namespace)}`;
  const resolved = await resolver.resolve(namespace, name, port);
  if (!resolved.ok) {
    switch (resolved.reason) {
      case 'ServiceNotFound':
        return { type: 'Available', status: 'False', reason: 'ServiceNotFound', message: `${where} is not present` };
      case 'ServicePortError':
        return { type: 'Available', status: 'False', reason: 'ServicePortError', message: `${where} is not listening on port ${port}` };
      case 'EndpointsNotFound':
        return { type: 'Available', status: 'False', reason: 'EndpointsNotFound', message: `cannot find endpoints for ${where}` };
      case 'MissingEndpoints':
        return { type: 'Available', status: 'False', reason: 'MissingEndpoints', message: `endpoints for ${where} have no addresses with port name ${goQuote(resolved.portName)}` };
    }
  }
  try {
    await checkDiscovery(resolved.host, resolved.port, discoveryPath(String(apiService.metadata?.name ?? ''), spec.group ?? '', spec.version ?? ''), client);
  } catch (err) {
    return { type: 'Available', status: 'False', reason: 'FailedDiscoveryCheck', message: (err as Error).message };
  }
  return { type: 'Available', status: 'True', reason: 'Passed', message: 'all checks passed' };
}

export class AvailabilityController {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  private readonly rerun = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly stops: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly services: ServiceIndex,
    private readonly store: Store,
    private readonly apiServices: APIServiceController,
    private readonly resolver: ServiceResolver,
    private readonly client: KeyPairPem,
    private readonly resyncMs: number,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.apiServices.onChange((name, obj) => {
      if (obj && specOf(obj).service) this.enqueue(name);
    });
    for (const obj of this.apiServices.all()) if (specOf(obj).service) this.enqueue(String(obj.metadata?.name));
    // A Service, Endpoints or EndpointSlice change queues the APIServices pointing at that service,
    // heard from the index the resolver reads, so the check sees the change.
    this.services.onChange((namespace, serviceName) => {
      for (const obj of this.apiServices.all()) {
        const svc = specOf(obj).service;
        if (svc && svc.namespace === namespace && svc.name === serviceName) this.enqueue(String(obj.metadata?.name));
      }
    });
    const resync = setInterval(() => {
      for (const obj of this.apiServices.all()) if (specOf(obj).service) this.enqueue(String(obj.metadata?.name));
    }, this.resyncMs);
    resync.unref();
    this.stops.push(() => clearInterval(resync));
  }

  stop(): void {
    this.stopped = true;
    for (const stop of this.stops) stop();
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  enqueue(name: string, delayMs = 0): void {
    if (this.stopped) return;
    if (this.running.has(name)) {
      this.rerun.add(name);
      return;
    }
    const pending = this.timers.get(name);
    if (pending) {
      if (delayMs > 0) return;
      clearTimeout(pending);
    }
    const timer = setTimeout(() => {
      this.timers.delete(name);
      void this.run(name);
    }, delayMs);
    timer.unref();
    this.timers.set(name, timer);
  }

  private async run(name: string): Promise<void> {
    this.running.add(name);
    let failed = false;
    try {
      failed = !(await this.sync(name));
    } catch (err) {
      failed = true;
      this.logger.warn({ err, apiService: name }, 'APIService availability check failed');
    } finally {
      this.running.delete(name);
    }
    if (this.rerun.delete(name)) this.enqueue(name);
    else if (failed) {
      // As kube's rate-limited requeue: quick at first, then backing off (capped low so recovery shows fast).
      const n = (this.failures.get(name) ?? 0) + 1;
      this.failures.set(name, n);
      this.enqueue(name, Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (n - 1)));
    } else this.failures.delete(name);
  }

  /** Returns false when the check should be retried soon. */
  private async sync(name: string): Promise<boolean> {
    const current = this.apiServices.get(name);
    if (!current || !specOf(current).service) return true;
    const condition = await availabilityOf(current, this.resolver, this.client);
    // Only a failed discovery check is retried on a timer (kube requeues it rate-limited); the other
    // reasons wait for the Service or its endpoints to change.
    let settled = condition.reason !== 'FailedDiscoveryCheck';
    await this.store
      .update(
        '',
        name,
        (latest) => {
          if (!latest || !specOf(latest).service) return latest!;
          const next = structuredClone(latest);
          setCondition(next, { ...condition, lastTransitionTime: nowRFC3339() } as APIServiceCondition);
          if (deepEqual(next.status, latest.status)) throw new Unchanged();
          return next;
        },
        CONTROLLER,
      )
      .catch((err: unknown) => {
        if (err instanceof Unchanged) return;
        // Deleted meanwhile: nothing to do.
        if ((err as { code?: number }).code === 404) {
          settled = true;
          return;
        }
        throw err;
      });
    return settled;
  }
}

class Unchanged extends Error {}
