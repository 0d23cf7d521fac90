// A list at revision R, read from the log: for each key in range, its newest entry at or below R,
// unless that entry is a deletion. Entries above R are ignored, so the snapshot never moves and
// continue tokens at R give a consistent list while writes go on.
import type { Filter } from 'mongodb';
import type { Predicate, StoredObject } from '../interface.js';
import { decodeObject, type LogEntry } from './log.js';

export interface ListPage {
  items: StoredObject[];
  /** The storage key of each item. */
  keys: string[];
  /** The last key examined, when more live keys follow it. */
  moreAfter?: string;
}

/** The smallest string greater than every string that starts with the prefix. */
export function prefixEnd(prefix: string): string {
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

export interface ListQuery {
  /** The exact key, or the prefix (ending in '/') when recursive. */
  key: string;
  recursive: boolean;
  revision: number;
  /** Resume at this key (inclusive); a trailing NUL (kube's "next key") means "after". */
  fromKey?: string;
  limit?: number;
  predicate?: Predicate;
}

function keyFilter(q: ListQuery): Filter<LogEntry>['key'] {
  if (!q.recursive) return q.key;
  const range: { $gte?: string; $gt?: string; $lt: string } = { $lt: prefixEnd(q.key) };
  const from = q.fromKey ?? q.key;
  if (from.endsWith('\u0000')) range.$gt = from.slice(0, -1);
  else range.$gte = from;
  return range;
}

export async function listAt(log: import('mongodb').Collection<LogEntry>, q: ListQuery): Promise<ListPage> {
  const limit = q.limit && q.limit > 0 ? q.limit : Infinity;
  const cursor = log
    .find({ key: keyFilter(q), _id: { $lte: q.revision } })
    .sort({ key: 1, _id: -1 })
    .batchSize(1000);
  const items: StoredObject[] = [];
  const keys: string[] = [];
  let currentKey: string | null = null;
  let lastKey: string | undefined;
  let more = false;
  try {
    for await (const entry of cursor) {
      if (entry.key === currentKey) continue; // an older entry of a key already seen
      currentKey = entry.key;
      if (entry.deleted) continue;
      if (items.length >= limit) {
        more = true;
        break;
      }
      const obj = decodeObject(entry.value, entry._id);
      lastKey = entry.key;
      if (!q.predicate || q.predicate(obj)) {
        items.push(obj);
        keys.push(entry.key);
      }
    }
  } finally {
    await cursor.close();
  }
  return more && lastKey !== undefined ? { items, keys, moreAfter: lastKey } : { items, keys };
}
