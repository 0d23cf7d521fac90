// The revision log: one append-only collection whose _id is the revision. Every write appends an
// entry; the newest entry of a key is its current state. A unique index on (key, prevRevision) makes
// two writers that read the same state of a key collide, so exactly one of them wins.
import type { Collection, Db, WriteConcernSettings } from 'mongodb';
import type { StoredObject } from '../interface.js';

export interface LogEntry {
  /** The revision of this write. */
  _id: number;
  key: string;
  /** The revision that created the current incarnation of the key. */
  createRevision: number;
  /** The _id of the entry this one supersedes (0 for the first write of a key). */
  prevRevision: number;
  deleted: boolean;
  /** The object as JSON text (kube objects carry '.' and '$' in map keys, which BSON fields dislike). */
  value: string;
  /** A tombstone written for a revision that a writer took and never used (see revisions.ts). */
  gap?: true;
}

export interface MetaDoc {
  _id: 'compacted';
  n: number;
}

export interface LogCollections {
  log: Collection<LogEntry>;
  meta: Collection<MetaDoc>;
}

/** Acknowledged writes survive a crash of the server: journaled, and on a majority on replica sets. */
export const DURABLE: WriteConcernSettings = { w: 'majority', journal: true };

export function logCollections(db: Db, prefix: string): LogCollections {
  return {
    log: db.collection<LogEntry>(`${prefix}_log`),
    meta: db.collection<MetaDoc>(`${prefix}_meta`),
  };
}

export async function ensureIndexes({ log }: LogCollections): Promise<void> {
  await log.createIndex({ key: 1, prevRevision: 1 }, { unique: true, name: 'key_prevRevision_unique' });
  await log.createIndex({ key: 1, _id: -1 }, { name: 'key_revision' });
}

/** The entry used to fill a revision nobody wrote; unique on (key, prevRevision) by its negative prev. */
export function gapEntry(revision: number): LogEntry {
  return { _id: revision, key: '', createRevision: 0, prevRevision: -revision, deleted: true, value: '', gap: true };
}

/** The stored object with metadata.resourceVersion set to the revision that wrote it. */
export function decodeObject(value: string, revision: number): StoredObject {
  const obj = JSON.parse(value) as StoredObject;
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(revision) };
  return obj;
}

/** JSON text of an object without its resourceVersion: the log's _id is the one truth for that. */
export function encodeObject(obj: StoredObject): string {
  if (obj.metadata && 'resourceVersion' in obj.metadata) {
    const { resourceVersion: _dropped, ...metadata } = obj.metadata as Record<string, unknown>;
    return JSON.stringify({ ...obj, metadata });
  }
  return JSON.stringify(obj);
}

/** Entries by revision, one point lookup each (FerretDB scans the collection for an $in). */
export async function findByIds(c: LogCollections, ids: number[]): Promise<LogEntry[]> {
  const found = await Promise.all(ids.map((_id) => c.log.findOne({ _id })));
  return found.filter((e): e is LogEntry => e !== null);
}
