// kube's APF debug endpoints (apf_controller_debug.go): three unlisted paths answering comma-and-tab
// separated text, aligned by Go's tabwriter, one row per priority level, per queue, or per request
// (waiting ones with their index in their queue, executing ones with index -1, and those of levels
// without queues with queue index -1). `?includeRequestDetails=1` adds who asked for what. They are
// ordinary non-resource URLs to authorization (kube's default policy grants them to cluster-admin).
import type { KubeMiddleware } from '../context.js';
import type { NonRestMux } from '../director.js';
import type { APFConfigController, PriorityLevelState } from './config-controller.js';
import type { RequestDump } from './queue-set.js';
import { tabwrite } from './tabwriter.js';

export const APF_DEBUG_PREFIX = '/debug/api_priority_and_fairness/';
const DUMPS = new Set(['dump_priority_levels', 'dump_queues', 'dump_requests']);

const row = (...cells: Array<string | number | boolean>) => cells.map(String).join(',\t');

/** The levels by name (kube walks a map for queues and requests: any order is kube's order). */
function levelsByName(controller: APFConfigController): PriorityLevelState[] {
  return [...controller.levels.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function dumpPriorityLevels(controller: APFConfigController): string {
  const lines = [row('PriorityLevelName', 'ActiveQueues', 'IsIdle', 'IsQuiescing', 'WaitingRequests', 'ExecutingRequests', 'DispatchedRequests', 'RejectedRequests', 'TimedoutRequests', 'CancelledRequests')];
  for (const level of levelsByName(controller)) {
    const d = level.queueSet.dump();
    const active = d.queues.filter((q) => q.waiting.length > 0).length;
    lines.push(row(level.name, active, level.queueSet.isIdle, false, d.waiting, d.executing, d.dispatched, d.rejected, d.timedOut, d.cancelled));
  }
  return tabwrite(lines.map((l) => `${l}\n`).join(''), 8, 1);
}

export function dumpQueues(controller: APFConfigController): string {
  const lines = [row('PriorityLevelName', 'Index', 'PendingRequests', 'ExecutingRequests', 'SeatsInUse', 'NextDispatchR', 'InitialSeatsSum', 'MaxSeatsSum', 'TotalWorkSum')];
  for (const level of levelsByName(controller)) {
    level.queueSet.dump().queues.forEach((q, i) => {
      lines.push(row(level.name, i, q.waiting.length, q.executing.length, q.seatsInUse, seatSeconds(q.nextDispatchR), q.initialSeatsSum, q.maxSeatsSum, seatSeconds(q.totalWorkSum)));
    });
  }
  return tabwrite(lines.map((l) => `${l}\n`).join(''), 8, 1);
}

export function dumpRequests(controller: APFConfigController, includeDetails: boolean): string {
  let header = row('PriorityLevelName', 'FlowSchemaName', 'QueueIndex', 'RequestIndexInQueue', 'FlowDistingsher', 'ArriveTime', 'InitialSeats', 'FinalSeats', 'AdditionalLatency', 'StartTime');
  if (includeDetails) header += ',\t' + row('UserName', 'Verb', 'APIPath', 'Namespace', 'Name', 'APIVersion', 'Resource', 'SubResource');
  const lines = [header];
  for (const level of levelsByName(controller)) {
    const d = level.queueSet.dump();
    const add = (queueIndex: number, indexInQueue: number, r: RequestDump) => {
      let line = row(level.name, r.flowSchema, queueIndex, indexInQueue, r.distinguisher, rfc3339Nano(r.arrivalTime), r.estimate.initialSeats, r.estimate.finalSeats, goDuration(Math.round(r.estimate.additionalLatencyMs * 1e6)), rfc3339Nano(r.startTime));
      if (includeDetails) {
        const i = r.info;
        const groupVersion = i.apiGroup ? `${i.apiGroup}/${i.apiVersion}` : i.apiVersion;
        line += ',\t' + row(r.userName, i.verb, i.path, i.namespace, i.name, groupVersion, i.resource, i.subresource);
      }
      lines.push(line);
    };
    d.queues.forEach((q, iq) => {
      q.waiting.forEach((r, ir) => add(iq, ir, r));
      for (const r of q.executing) add(iq, -1, r);
    });
    for (const r of d.queuelessExecuting) add(-1, -1, r);
  }
  return tabwrite(lines.map((l) => `${l}\n`).join(''), 8, 1);
}

/** kube's SeatSeconds.String(): seat-seconds with 8 decimals and the unit "ss". */
export function seatSeconds(value: number): string {
  const scaled = BigInt(Math.max(0, Math.round(value * 1e8)));
  return `${scaled / 100_000_000n}.${String(scaled % 100_000_000n).padStart(8, '0')}ss`;
}

/** Go's time.Format(RFC3339Nano) in UTC; 0 is Go's zero time. */
export function rfc3339Nano(epochMs: number): string {
  if (epochMs === 0) return '0001-01-01T00:00:00Z';
  const seconds = Math.floor(epochMs / 1000);
  const nanos = Math.round((epochMs - seconds * 1000) * 1e6);
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  const fraction = String(Math.min(nanos, 999_999_999)).padStart(9, '0').replace(/0+$/, '');
  return `${base}${fraction ? `.${fraction}` : ''}Z`;
}

/** Go's time.Duration.String() of a whole number of nanoseconds. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  const decimal = (value: number, digits: number) => {
    const whole = Math.floor(value / 10 ** digits);
    const frac = String(value % 10 ** digits).padStart(digits, '0').replace(/0+$/, '');
    return frac ? `${whole}.${frac}` : String(whole);
  };
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${decimal(n, 3)}µs`;
  if (n < 1e9) return `${sign}${decimal(n, 6)}ms`;
  let out = '';
  const hours = Math.floor(n / 3.6e12);
  n -= hours * 3.6e12;
  const minutes = Math.floor(n / 6e10);
  n -= minutes * 6e10;
  if (hours > 0) out += `${hours}h`;
  if (hours > 0 || minutes > 0) out += `${minutes}m`;
  return `${sign}${out}${decimal(n, 9)}s`;
}

/** The three dump paths, answered once APF runs (the mux is installed before it starts). */
export function apfDebugMux(controller: () => APFConfigController | undefined): NonRestMux {
  const owns = (path: string) => path.startsWith(APF_DEBUG_PREFIX) && DUMPS.has(path.slice(APF_DEBUG_PREFIX.length)) && controller() !== undefined;
  const handle: KubeMiddleware = (ctx, next) => {
    const c = controller();
    if (!c || !owns(ctx.path)) return next();
    const dump = ctx.path.slice(APF_DEBUG_PREFIX.length);
    const details = ctx.query.includeRequestDetails;
    const body = dump === 'dump_priority_levels' ? dumpPriorityLevels(c) : dump === 'dump_queues' ? dumpQueues(c) : dumpRequests(c, (Array.isArray(details) ? details[0] : details ?? '').length > 0);
    ctx.status = 200;
    // What Go's http server sniffs from such text.
    ctx.set('Content-Type', 'text/plain; charset=utf-8');
    ctx.body = body;
  };
  return { owns, handle };
}
