// kube's APF configuration controller: at start it creates the mandatory and suggested FlowSchemas and
// PriorityLevelConfigurations (and puts back the spec of those marked autoupdate-spec "true"), then
// follows both resources: each change rebuilds the ordered schema list and the levels (keeping the
// queues of levels that stay), and keeps each FlowSchema's Dangling condition true to whether its
// priority level exists. Every 10 seconds (and after each rebuild) it moves seats between levels
// (borrowing.ts).
import type { Logger } from 'pino';
import type { Store, RequestContext } from '../../registry/store.js';
import type { KubeObject } from '../../registry/resource.js';
import { StatusError } from '../../endpoints/status.js';
import { MASTERS_GROUP } from '../../auth/user.js';
import { MANDATORY_FLOW_SCHEMAS, MANDATORY_PRIORITY_LEVELS, SUGGESTED_FLOW_SCHEMAS, SUGGESTED_PRIORITY_LEVELS } from '../../kube-apis/flowcontrol/bootstrap.js';
import { defaultFlowSchema, defaultPriorityLevel } from '../../kube-apis/flowcontrol/defaults.js';
import { AUTO_UPDATE_ANNOTATION, type Condition, type FlowSchema, type PriorityLevelConfiguration } from '../../kube-apis/flowcontrol/types.js';
import { nominalConcurrencyLimits } from './concurrency.js';
import { QueueSet, type QueueSetConfig } from './queue-set.js';
import { BORROWING_PERIOD_MS, currentLimits, goRound, newSeatDemandStats, updateSeatDemandStats, type SeatDemandStats } from './borrowing.js';
import { isDeepStrictEqual } from 'node:util';

/** kube's field manager for what the APF bootstrap writes. */
const FIELD_MANAGER = 'api-priority-and-fairness-config-producer-v1';
const CONDITION_MANAGER = 'api-priority-and-fairness-config-consumer-v1';

export interface PriorityLevelState {
  name: string;
  uid: string;
  exempt: boolean;
  nominalLimit: number;
  /** The seats it may lend (lendablePercent of nominal) and borrow (borrowingLimitPercent). */
  lendableLimit: number;
  borrowingLimit: number;
  /** The cap on one request's seats (kube's max seats: 0 for none but the work estimator's). */
  maxSeats: number;
  /** Exempt levels run everything at once, but are tracked the same way. */
  queueSet: QueueSet;
  demand: SeatDemandStats;
}

/** kube: a Queue level's requests take at most max(1, min(ceil(15% of nominal), nominal / handSize)) seats. */
function levelMaxSeats(nominal: number, handSize: number | undefined): number {
  if (handSize === undefined) return 0;
  return Math.max(1, Math.min(Math.ceil(nominal * 0.15), Math.trunc(nominal / handSize)));
}

export interface ClassifiedSchema {
  name: string;
  uid: string;
  spec: FlowSchema['spec'];
  level: PriorityLevelState;
}

export class APFConfigController {
  /** FlowSchemas whose level exists, by matchingPrecedence then name. */
  schemas: ClassifiedSchema[] = [];
  levels = new Map<string, PriorityLevelState>();
  private watchers: Array<{ stop(): void }> = [];
  private rebuildScheduled = false;
  private stopped = false;
  private borrowingTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly flowSchemaStore: Store,
    private readonly priorityLevelStore: Store,
    private readonly serverConcurrencyLimit: number,
    private readonly logger: Logger,
  ) {}

  private rc(fieldManager: string, subresource = ''): RequestContext {
    return { user: { name: 'system:apiserver', groups: [MASTERS_GROUP] }, dryRun: false, fieldManager, subresource };
  }

  async start(): Promise<void> {
    await Promise.all([
      this.bootstrap(this.priorityLevelStore, [...MANDATORY_PRIORITY_LEVELS, ...SUGGESTED_PRIORITY_LEVELS], defaultPriorityLevel),
      this.bootstrap(this.flowSchemaStore, [...MANDATORY_FLOW_SCHEMAS, ...SUGGESTED_FLOW_SCHEMAS], defaultFlowSchema),
    ]);
    await this.rebuild();
    this.borrowingTimer = setInterval(() => this.updateBorrowing(), BORROWING_PERIOD_MS);
    this.borrowingTimer.unref();
    for (const store of [this.flowSchemaStore, this.priorityLevelStore]) {
      const watcher = await store.watch('', {});
      this.watchers.push(watcher);
      void (async () => {
        try {
          for await (const event of watcher) {
            if (event.type !== 'BOOKMARK') this.scheduleRebuild();
          }
        } catch (err) {
          if (!this.stopped) this.logger.error({ err: (err as Error).message }, 'APF configuration watch ended');
        }
      })();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.borrowingTimer) clearInterval(this.borrowingTimer);
    for (const w of this.watchers) w.stop();
  }

  /** Creates what is missing and restores auto-updated specs; one list, then only the writes needed, at once. */
  private async bootstrap(store: Store, objects: Array<FlowSchema | PriorityLevelConfiguration>, defaults: (o: KubeObject) => void): Promise<void> {
    const existing = new Map((await store.list('', {})).items.map((o) => [o.metadata?.name as string, o]));
    await Promise.all(objects.map((wanted) => this.ensure(store, wanted, existing.get(wanted.metadata.name), defaults)));
  }

  private async ensure(store: Store, wanted: FlowSchema | PriorityLevelConfiguration, current: KubeObject | undefined, defaults: (o: KubeObject) => void): Promise<void> {
    const name = wanted.metadata.name;
    const body = structuredClone(wanted) as unknown as KubeObject;
    defaults(body);
    if (!current) {
      await store.create('', body, this.rc(FIELD_MANAGER)).catch((err: unknown) => {
        // Another server sharing the storage created it first.
        if (!(err instanceof StatusError && err.code === 409)) throw err;
      });
      return;
    }
    if (current.metadata?.annotations?.[AUTO_UPDATE_ANNOTATION] !== 'true' || isDeepStrictEqual(current.spec, body.spec)) return;
    await store
      .update('', name, (cur) => ({ ...(cur ?? current), spec: body.spec }), this.rc(FIELD_MANAGER))
      .catch((err: unknown) => this.logger.warn({ name, err: (err as Error).message }, 'could not restore the bootstrap APF configuration'));
  }

  private scheduleRebuild(): void {
    if (this.rebuildScheduled || this.stopped) return;
    this.rebuildScheduled = true;
    setImmediate(() => {
      this.rebuildScheduled = false;
      this.rebuild().catch((err: unknown) => {
        if (!this.stopped) this.logger.error({ err: (err as Error).message }, 'APF configuration rebuild failed');
      });
    });
  }

  private async rebuild(): Promise<void> {
    const [plList, fsList] = await Promise.all([this.priorityLevelStore.list('', {}), this.flowSchemaStore.list('', {})]);
    const pls = plList.items as unknown as PriorityLevelConfiguration[];
    const shares = new Map<string, number>();
    for (const pl of pls) {
      const s = pl.spec.type === 'Exempt' ? (pl.spec.exempt?.nominalConcurrencyShares ?? 0) : (pl.spec.limited?.nominalConcurrencyShares ?? 0);
      shares.set(pl.metadata.name, s);
    }
    const limits = nominalConcurrencyLimits(this.serverConcurrencyLimit, shares);
    const levels = new Map<string, PriorityLevelState>();
    for (const pl of pls) {
      const name = pl.metadata.name;
      const exempt = pl.spec.type === 'Exempt';
      const nominalLimit = limits.get(name) ?? 0;
      const commons = exempt ? pl.spec.exempt : pl.spec.limited;
      const lendableLimit = goRound((nominalLimit * (commons?.lendablePercent ?? 0)) / 100);
      const borrowingPercent = exempt ? undefined : pl.spec.limited?.borrowingLimitPercent;
      const borrowingLimit = borrowingPercent === undefined || borrowingPercent === null ? this.serverConcurrencyLimit : goRound((nominalLimit * borrowingPercent) / 100);
      const response = pl.spec.limited?.limitResponse;
      const queuing = !exempt && response?.type === 'Queue' ? response.queuing : undefined;
      const previous = this.levels.get(name);
      const config: QueueSetConfig = {
        // A new level starts with its nominal seats less half what it can lend, as in kube.
        concurrencyLimit: previous && previous.exempt === exempt ? previous.queueSet.concurrencyLimit : nominalLimit - Math.trunc(lendableLimit / 2),
        queuing: queuing ? { queues: queuing.queues ?? 64, handSize: queuing.handSize ?? 8, queueLengthLimit: queuing.queueLengthLimit ?? 50 } : undefined,
        exempt,
      };
      let queueSet: QueueSet;
      if (previous && previous.exempt === exempt) {
        previous.queueSet.reconfigure(config);
        queueSet = previous.queueSet;
      } else queueSet = new QueueSet(config);
      const maxSeats = queuing ? levelMaxSeats(nominalLimit, config.queuing!.handSize) : 0;
      const demand = previous?.demand ?? newSeatDemandStats();
      levels.set(name, { name, uid: pl.metadata.uid ?? '', exempt, nominalLimit, lendableLimit, borrowingLimit, maxSeats, queueSet, demand });
    }
    const fss = fsList.items as unknown as FlowSchema[];
    const schemas: ClassifiedSchema[] = [];
    for (const fs of fss) {
      const level = levels.get(fs.spec.priorityLevelConfiguration?.name);
      if (level) schemas.push({ name: fs.metadata.name, uid: fs.metadata.uid ?? '', spec: fs.spec, level });
    }
    schemas.sort((a, b) => (a.spec.matchingPrecedence ?? 1000) - (b.spec.matchingPrecedence ?? 1000) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.levels = levels;
    this.schemas = schemas;
    this.updateBorrowing();
    // Conditions are written in the background: classification does not wait for them.
    for (const fs of fss) void this.updateDangling(fs, levels.has(fs.spec.priorityLevelConfiguration?.name));
  }

  /** Moves seats from levels that do not use them to levels that want more (borrowing.ts). */
  updateBorrowing(): void {
    const levels = [...this.levels.values()];
    let nominalSum = 0;
    for (const level of levels) {
      updateSeatDemandStats(level.demand, level.queueSet.seatDemand.reset());
      nominalSum += level.nominalLimit;
    }
    const limits = currentLimits(
      levels.map((l) => ({
        exempt: l.exempt,
        nominalLimit: l.nominalLimit,
        minLimit: l.nominalLimit - l.lendableLimit,
        maxLimit: l.nominalLimit + l.borrowingLimit,
        currentLimit: l.queueSet.concurrencyLimit,
        demand: l.demand,
      })),
      nominalSum,
    );
    levels.forEach((level, i) => {
      if (limits[i] !== level.queueSet.concurrencyLimit) level.queueSet.setConcurrencyLimit(limits[i]);
    });
  }

  /** The Dangling condition as kube's controller writes it. */
  private async updateDangling(fs: FlowSchema, levelExists: boolean): Promise<void> {
    const plName = fs.spec.priorityLevelConfiguration?.name;
    const wanted: Condition = levelExists
      ? { type: 'Dangling', status: 'False', reason: 'Found', message: `This FlowSchema references the PriorityLevelConfiguration object named "${plName}" and it exists` }
      : { type: 'Dangling', status: 'True', reason: 'NotFound', message: `This FlowSchema references the PriorityLevelConfiguration object named "${plName}" but there is no such object` };
    const current = (fs.status?.conditions ?? []).find((c) => c.type === 'Dangling');
    if (current && current.status === wanted.status && current.reason === wanted.reason && current.message === wanted.message) return;
    const condition: Condition = { type: 'Dangling', status: wanted.status, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), reason: wanted.reason, message: wanted.message };
    await this.flowSchemaStore
      .update(
        '',
        fs.metadata.name,
        (cur) => {
          if (!cur) throw new StatusError(404, 'NotFound', 'gone');
          const others = (cur.status?.conditions ?? []).filter((c: Condition) => c.type !== 'Dangling');
          return { ...cur, status: { ...(cur.status ?? {}), conditions: [...others, condition] } };
        },
        this.rc(CONDITION_MANAGER, 'status'),
      )
      .catch((err: unknown) => {
        if (this.stopped) return;
        if (!(err instanceof StatusError && (err.code === 404 || err.code === 409))) this.logger.warn({ name: fs.metadata.name, err: (err as Error).message }, 'could not update the Dangling condition');
      });
  }
}
