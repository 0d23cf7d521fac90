// kube's ClusterRole aggregation controller (pkg/controller/clusterroleaggregation): a ClusterRole with
// an aggregationRule gets as rules the union of the rules of every other ClusterRole matched by its
// selectors (selectors in order, matched roles by name, each distinct rule once), kept current as
// roles change.
import type { Logger } from 'pino';
import type { Store, RequestContext } from '../../registry/store.js';
import type { KubeObject } from '../../registry/resource.js';
import { labelSelectorFromMeta, type MetaLabelSelector } from '../../registry/selectors/label-selector.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { compareBytes } from '../../registry/validation/go-value.js';
import { StatusError } from '../../endpoints/status.js';
import { MASTERS_GROUP } from '../user.js';
import type { PolicyIndex } from './policy-index.js';

const CONTROLLER: RequestContext = {
  user: { name: 'system:serviceaccount:kube-system:clusterrole-aggregation-controller', groups: [MASTERS_GROUP] },
  dryRun: false,
  fieldManager: 'clusterrole-aggregation-controller',
  subresource: '',
};

/** The rules an aggregated role should have, given every cluster role. */
export function aggregatedRules(role: KubeObject, all: KubeObject[]): unknown[] {
  const rules: unknown[] = [];
  const sorted = [...all].sort((a, b) => compareBytes(a.metadata.name, b.metadata.name));
  for (const selector of (role.aggregationRule?.clusterRoleSelectors ?? []) as MetaLabelSelector[]) {
    let matcher;
    try {
      matcher = labelSelectorFromMeta(selector);
    } catch {
      continue;
    }
    for (const other of sorted) {
      if (other.metadata.name === role.metadata.name || !matcher.matches(other.metadata.labels ?? {})) continue;
      for (const rule of Array.isArray(other.rules) ? other.rules : []) if (!rules.some((r) => deepEqual(r, rule))) rules.push(rule);
    }
  }
  return rules;
}

/** nil and empty rule lists are the same to kube's semantic equality. */
const sameRules = (a: unknown, b: unknown[]) => (Array.isArray(a) ? deepEqual(a, b) : b.length === 0);

export class AggregationController {
  private running: Promise<void> = Promise.resolve();
  private queued = false;
  private stopped = false;
  private unsubscribe?: () => void;

  constructor(
    private readonly clusterRoles: Store,
    private readonly index: PolicyIndex,
    private readonly logger?: Logger,
  ) {}

  /** Aggregates until nothing changes (view feeds edit, edit feeds admin), then follows changes. */
  async start(): Promise<void> {
    this.unsubscribe = this.index.onChange(() => this.enqueue());
    for (let pass = 0; pass < 5 && (await this.sync()); pass++);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
  }

  /** Resolves once the work queued so far is done. */
  idle(): Promise<void> {
    return this.running;
  }

  private enqueue(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    this.running = this.running.then(async () => {
      this.queued = false;
      await this.sync().catch((err: unknown) => this.logger?.warn({ err }, 'clusterrole aggregation failed'));
    });
  }

  /** One pass over the aggregated roles; true when one of them was updated. */
  async sync(): Promise<boolean> {
    if (this.stopped) return false;
    let changed = false;
    const { items } = await this.clusterRoles.list('', {});
    for (const role of items) {
      if (!role.aggregationRule) continue;
      const rules = aggregatedRules(role, items);
      if (sameRules(role.rules, rules)) continue;
      try {
        await this.clusterRoles.update('', role.metadata.name, (current) => {
          if (!current) throw new Error('gone');
          return { ...current, rules: aggregatedRules(current, items) };
        }, CONTROLLER);
        changed = true;
      } catch (err) {
        if (!(err instanceof StatusError)) this.logger?.warn({ err }, 'clusterrole aggregation update failed');
      }
    }
    return changed;
  }
}
