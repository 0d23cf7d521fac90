// Compaction keeps, for every key, its newest entry at or below the horizon (so the state at the
// horizon stays readable) unless that entry is a deletion, and removes everything else at or below
// it, gap entries included, but never the newest entry of the whole log (revisions are allocated
// above it, see revisions.ts). The horizon is recorded first, so readers below it get Expired rather
// than a silently incomplete history.
import type { LogCollections } from './log.js';

const DELETE_BATCH = 64;

export async function recordHorizon(c: LogCollections, horizon: number): Promise<void> {
  await c.meta.updateOne({ _id: 'compacted' }, { $max: { n: horizon } }, { upsert: true });
}

/** Removes superseded entries at or below the horizon; returns how many were removed. */
export async function removeSuperseded(c: LogCollections, horizon: number): Promise<number> {
  const newest = await c.log.find({}, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).next();
  const cursor = c.log
    .find({ _id: { $lte: horizon } }, { projection: { _id: 1, key: 1, deleted: 1 } })
    .sort({ key: 1, _id: -1 })
    .batchSize(1000);
  let removed = 0;
  let batch: number[] = [];
  // Point deletes: FerretDB scans the whole collection for an $in, but finds an _id directly.
  const flush = async () => {
    if (batch.length === 0) return;
    const results = await Promise.all(batch.map((_id) => c.log.deleteOne({ _id })));
    removed += results.reduce((n, r) => n + r.deletedCount, 0);
    batch = [];
  };
  let currentKey: string | null = null;
  try {
    for await (const entry of cursor) {
      const newestOfKey = entry.key !== currentKey;
      currentKey = entry.key;
      if ((newestOfKey && !entry.deleted) || entry._id === newest?._id) continue;
      batch.push(entry._id);
      if (batch.length >= DELETE_BATCH) await flush();
    }
  } finally {
    await cursor.close();
  }
  await flush();
  return removed;
}
