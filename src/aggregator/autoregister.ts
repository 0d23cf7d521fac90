// kube's autoregister and crdregistration controllers: a local APIService (no service) for every
// group-version the chain serves itself, built-in or CustomResourceDefinition, with its priorities,
// labelled kube-aggregator.kubernetes.io/automanaged ("onstart" for built-ins, "true" for CRDs).
// Group-versions that stop being served lose their APIService; APIServices without the label belong
// to their users and are never touched.
import type { Logger } from 'pino';
import type { Store, RequestContext } from '../registry/store.js';
import type { StoredObject } from '../storage/interface.js';
import type { DiscoveryRegistry } from './discovery/index.js';
import { MASTERS_GROUP } from '../auth/user.js';
import { deepEqual } from '../registry/deep-equal.js';
import { StatusError } from '../endpoints/status.js';
import { APIREGISTRATION_GROUP } from './apiregistration/apiservices.js';
import { specOf } from './apiregistration/validation.js';
import type { APIServiceController } from './apiservice-controller.js';

export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged';

const CONTROLLER: RequestContext = { user: { name: 'system:apiserver', groups: [MASTERS_GROUP] }, dryRun: false, fieldManager: 'kube-apiserver', subresource: '' };

interface Desired {
  name: string;
  label: 'onstart' | 'true';
  spec: { group: string; version: string; groupPriorityMinimum: number; versionPriority: number };
}

/** The local APIServices the served group-versions call for. */
export function desiredLocalAPIServices(discovery: DiscoveryRegistry): Map<string, Desired> {
  const out = new Map<string, Desired>();
  for (const gv of discovery.localGroupVersions()) {
    // The aggregator's own group sorts first in discovery (20001), beyond what an APIService may say;
    // its APIService carries kube's 18000/15.
    const priority = gv.group === APIREGISTRATION_GROUP ? { group: 18000, version: 15 } : gv.priority;
    const name = `${gv.version}.${gv.group}`;
    out.set(name, {
      name,
      label: gv.source === 'crd' ? 'true' : 'onstart',
      spec: { group: gv.group, version: gv.version, groupPriorityMinimum: priority.group, versionPriority: priority.version },
    });
  }
  return out;
}

export class AutoRegisterController {
  private scheduled = false;
  private running?: Promise<void>;
  private again = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly discovery: DiscoveryRegistry,
    private readonly store: Store,
    private readonly apiServices: APIServiceController,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.unsubscribe = this.discovery.onChange(() => this.schedule());
    await this.syncAll();
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Resolves once the APIServices match what is served now. */
  async settled(): Promise<void> {
    while (this.running || this.scheduled) await (this.running ?? new Promise((r) => setImmediate(r)));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.syncAll();
    });
  }

  private async syncAll(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.syncOnce()
      .catch((err: unknown) => this.logger.warn({ err }, 'local APIService sync failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
    return this.running;
  }

  private async syncOnce(): Promise<void> {
    const desired = desiredLocalAPIServices(this.discovery);
    for (const want of desired.values()) await this.ensure(want);
    for (const existing of this.apiServices.all()) {
      const name = String(existing.metadata?.name ?? '');
      const managed = existing.metadata?.labels?.[AUTOMANAGED_LABEL];
      if (!managed || desired.has(name) || specOf(existing).service) continue;
      await this.store.delete('', name, {}, CONTROLLER).catch(ignoreNotFound);
    }
  }

  private async ensure(want: Desired): Promise<void> {
    const existing: StoredObject | undefined = this.apiServices.get(want.name) ?? (await this.store.get('', want.name).catch(() => undefined));
    if (!existing) {
      const body = { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: want.name, labels: { [AUTOMANAGED_LABEL]: want.label } }, spec: want.spec };
      await this.store.create('', body, CONTROLLER).catch((err: unknown) => {
        if (!(err instanceof StatusError && err.code === 409)) throw err;
      });
      return;
    }
    if (!existing.metadata?.labels?.[AUTOMANAGED_LABEL]) return;
    if (deepEqual(existing.spec, want.spec) && existing.metadata.labels[AUTOMANAGED_LABEL] === want.label) return;
    await this.store
      .update('', want.name, (current) => {
        const next = structuredClone(current!);
        next.spec = { ...want.spec };
        next.metadata!.labels = { ...(next.metadata!.labels ?? {}), [AUTOMANAGED_LABEL]: want.label };
        return next;
      }, CONTROLLER)
      .catch(ignoreNotFound);
  }
}

function ignoreNotFound(err: unknown): void {
  if (!(err instanceof StatusError && err.code === 404)) throw err;
}
