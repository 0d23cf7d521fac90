// Turns log entries into watch events for one watcher, as kube's etcd3 watcher does with a
// predicate: an object that starts matching is ADDED, one that stops matching is DELETED.
import type { StoredObject, WatchEvent } from '../interface.js';
import { decodeObject, type LogEntry } from './log.js';
import type { WatchSpec } from './watch-queue.js';

/** The object a MODIFIED entry replaced (needed only for watchers with a predicate). */
export type PrevLookup = (entry: LogEntry) => StoredObject | undefined;

export function eventFor(entry: LogEntry, spec: WatchSpec, prevOf: PrevLookup): WatchEvent | null {
  if (entry.gap) return null;
  const object = decodeObject(entry.value, entry._id);
  const revision = entry._id;
  const pred = spec.predicate;
  if (entry.deleted) {
    return !pred || pred(object) ? { type: 'DELETED', object, revision, key: entry.key } : null;
  }
  const created = entry.createRevision === entry._id;
  if (!pred) return { type: created ? 'ADDED' : 'MODIFIED', object, revision, key: entry.key };
  const nowMatches = pred(object);
  const prev = created ? undefined : prevOf(entry);
  const before = prev !== undefined && pred(prev);
  if (nowMatches) return { type: before ? 'MODIFIED' : 'ADDED', object, revision, key: entry.key };
  if (before && prev) {
    prev.metadata = { ...(prev.metadata ?? {}), resourceVersion: String(revision) };
    return { type: 'DELETED', object: prev, revision, key: entry.key };
  }
  return null;
}

/** Loads the previous state of the MODIFIED entries in a batch, for watchers with predicates. */
export async function loadPrevious(
  entries: LogEntry[],
  find: (ids: number[]) => Promise<LogEntry[]>,
): Promise<PrevLookup> {
  const ids = entries.filter((e) => !e.gap && !e.deleted && e.createRevision !== e._id).map((e) => e.prevRevision);
  const byId = new Map<number, LogEntry>();
  const inBatch = new Map(entries.map((e) => [e._id, e]));
  const missing = ids.filter((id) => !inBatch.has(id));
  if (missing.length > 0) for (const e of await find(missing)) byId.set(e._id, e);
  return (entry) => {
    const prev = inBatch.get(entry.prevRevision) ?? byId.get(entry.prevRevision);
    return prev && !prev.deleted ? decodeObject(prev.value, prev._id) : undefined;
  };
}

export function bookmark(revision: number, annotations?: Record<string, string>): WatchEvent {
  const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
  if (annotations) metadata.annotations = annotations;
  return { type: 'BOOKMARK', object: { metadata }, revision };
}

export function expiredEvent(revision: number, horizon: number): WatchEvent {
  return {
    type: 'ERROR',
    object: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `too old resource version: ${revision} (${horizon})`,
      reason: 'Expired',
      code: 410,
    },
    revision,
  };
}

export function internalErrorEvent(err: unknown, revision: number): WatchEvent {
  return {
    type: 'ERROR',
    object: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: err instanceof Error ? err.message : String(err),
      reason: 'InternalError',
      code: 500,
    },
    revision,
  };
}
