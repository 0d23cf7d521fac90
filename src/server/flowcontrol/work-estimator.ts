// kube's APF work estimation (k8s.io/apiserver/pkg/util/flowcontrol/request, as of 1.32: object-count
// based lists). A request occupies InitialSeats while it runs and FinalSeats for AdditionalLatency
// after it (max of the two throughout).
// - list, and watch (WatchList is on in 1.32): one seat per 100 objects it will process, from the
//   resource's object count in storage: 1 for a list naming one object (fieldSelector metadata.name
//   sets the name), all stored objects when served from the watch cache, stored + limit with a
//   selector from storage, twice the limit otherwise. A watch that asks for no initial events costs
//   the minimum. An unknown resource (e.g. aggregated) costs the minimum, a stale count the maximum,
//   unparseable options the maximum. Capped at 10 (or the level's max seats when lower).
// - create, update, patch, delete: 1 seat, and, when 10 or more watches will receive the change,
//   ceil(watches / 10) final seats (capped likewise) for 5 ms worth of work per final seat.
// - everything else: 1 seat.
import type { RequestInfo } from '../request-info.js';
import type { ObjectCountTracker } from './object-counts.js';
import type { WatchTracker } from './watch-tracker.js';

export interface WorkEstimate {
  initialSeats: number;
  finalSeats: number;
  additionalLatencyMs: number;
}

const MINIMUM_SEATS = 1;
const MAXIMUM_LIST_SEATS = 10;
const MAXIMUM_MUTATING_SEATS = 10;
const OBJECTS_PER_SEAT = 100;
const WATCHES_PER_SEAT = 10;
const EVENT_ADDITIONAL_MS = 5;
/** kube's "infinite" object count, for a count gone stale. */
const INFINITE_OBJECT_COUNT = 1_000_000_000;

export const ONE_SEAT: WorkEstimate = Object.freeze({ initialSeats: MINIMUM_SEATS, finalSeats: 0, additionalLatencyMs: 0 });

/** The request's list options, read only for lists and watches. */
export type QueryParam = (name: string) => string | undefined;

export function maxSeatsOf(estimate: WorkEstimate): number {
  return Math.max(estimate.initialSeats, estimate.finalSeats);
}

/** "configmaps", "deployments.apps": kube's GroupResource.String(), the key of object counts. */
export function groupResourceKey(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

export class WorkEstimator {
  constructor(
    private readonly objectCounts: ObjectCountTracker,
    private readonly watches: WatchTracker,
  ) {}

  /** levelMaxSeats: the level's cap (0: none but kube's). */
  estimate(info: RequestInfo, param: QueryParam, levelMaxSeats: number): WorkEstimate {
    switch (info.verb) {
      case 'list':
      case 'watch':
        return info.isResourceRequest ? this.estimateList(info, param, levelMaxSeats) : ONE_SEAT;
      case 'create':
      case 'update':
      case 'patch':
      case 'delete':
        return info.isResourceRequest ? this.estimateMutating(info, levelMaxSeats) : ONE_SEAT;
      default:
        return ONE_SEAT;
    }
  }

  private estimateList(info: RequestInfo, param: QueryParam, levelMaxSeats: number): WorkEstimate {
    const maxSeats = levelMaxSeats === 0 || levelMaxSeats > MAXIMUM_LIST_SEATS ? MAXIMUM_LIST_SEATS : levelMaxSeats;
    const options = parseListOptions(param);
    if (!options) return seats(maxSeats);
    const resourceVersion = options.resourceVersion;
    if (info.verb === 'watch') {
      const legacy = resourceVersion === '' || resourceVersion === '0';
      if (options.sendInitialEvents !== true && !legacy) return ONE_SEAT;
    }
    const fromCache = info.verb === 'watch' || !listsFromStorage(options);
    const count = this.objectCounts.get(groupResourceKey(info.apiGroup, info.resource));
    if (count === 'not-found') return ONE_SEAT;
    const stored = count === 'stale' ? INFINITE_OBJECT_COUNT : count;
    const limit = options.limit > 0 && options.limit < stored ? options.limit : stored;
    let objects: number;
    if (info.name !== '' || options.singleName) objects = 1;
    else if (fromCache) objects = stored;
    else if (options.fieldSelector !== '' || options.labelSelector !== '') objects = stored + limit;
    else objects = 2 * limit;
    return seats(Math.min(Math.max(Math.ceil(objects / OBJECTS_PER_SEAT), MINIMUM_SEATS), maxSeats));
  }

  private estimateMutating(info: RequestInfo, levelMaxSeats: number): WorkEstimate {
    // A token for a service account changes nothing anyone watches.
    if (info.resource === 'serviceaccounts' && info.subresource === 'token') return ONE_SEAT;
    const watchers = this.watches.interestedWatchCount(info);
    if (watchers < WATCHES_PER_SEAT) return ONE_SEAT;
    const maxSeats = levelMaxSeats === 0 || levelMaxSeats > MAXIMUM_MUTATING_SEATS ? MAXIMUM_MUTATING_SEATS : levelMaxSeats;
    const wanted = Math.ceil(watchers / WATCHES_PER_SEAT);
    const finalSeats = Math.min(wanted, maxSeats);
    // The same work (wanted seats for 5 ms), reshaped narrower and longer when capped.
    return { initialSeats: 1, finalSeats, additionalLatencyMs: (wanted * EVENT_ADDITIONAL_MS) / finalSeats };
  }
}

function seats(n: number): WorkEstimate {
  return n === MINIMUM_SEATS ? ONE_SEAT : { initialSeats: n, finalSeats: 0, additionalLatencyMs: 0 };
}

interface ListOptions {
  resourceVersion: string;
  resourceVersionMatch: string;
  limit: number;
  continue: string;
  labelSelector: string;
  fieldSelector: string;
  sendInitialEvents?: boolean;
  /** The field selector pins metadata.name (kube's list of one object). */
  singleName: boolean;
}

/** undefined when kube could not convert the options (such a request is bound to fail validation). */
function parseListOptions(param: QueryParam): ListOptions | undefined {
  const limitText = param('limit');
  let limit = 0;
  if (limitText !== undefined && limitText !== '') {
    if (!/^-?\d+$/.test(limitText)) return undefined;
    limit = Number(limitText);
  }
  const sendText = param('sendInitialEvents');
  let sendInitialEvents: boolean | undefined;
  if (sendText !== undefined && sendText !== '') {
    const parsed = parseGoBool(sendText);
    if (parsed === undefined) return undefined;
    sendInitialEvents = parsed;
  }
  const fieldSelector = param('fieldSelector') ?? '';
  return {
    resourceVersion: param('resourceVersion') ?? '',
    resourceVersionMatch: param('resourceVersionMatch') ?? '',
    limit,
    continue: param('continue') ?? '',
    labelSelector: param('labelSelector') ?? '',
    fieldSelector,
    sendInitialEvents,
    singleName: fieldSelector !== '' && fieldSelector.split(',').some((term) => /^metadata\.name==?[^=]/.test(term.trim())),
  };
}

/** Go's strconv.ParseBool. */
function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** Whether kube's cacher would hand the list to storage rather than serve it from the watch cache. */
function listsFromStorage(o: ListOptions): boolean {
  switch (o.resourceVersionMatch) {
    case 'Exact':
      return true;
    case 'NotOlderThan':
      return false;
    case '':
      if (o.continue !== '') return true;
      // kube's legacy exact match: a limit with a revision.
      if (o.limit > 0 && o.resourceVersion !== '' && o.resourceVersion !== '0') return true;
      // A consistent list is served from the cache (ConsistentListFromCache).
      return false;
    default:
      return true;
  }
}
