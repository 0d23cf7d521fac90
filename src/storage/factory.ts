// The storage a server runs on: the embedded memory store, or MongoDB.
import type { Logger } from 'pino';
import type { Storage } from './interface.js';
import { createMemoryStorage } from './memory/index.js';
import { Cacher } from './cacher/index.js';

export interface StorageConfig {
  backend: 'memory' | 'mongodb';
  mongodbUri?: string;
  logger?: Logger;
}

/**
 * The memory backend is served as is: it already is what the watch cache would add (the whole state
 * in memory, MVCC snapshots, one indexed watcher hub, frozen shared objects, kube's 3 s freshness
 * wait), and a cache in front of it would only add a hop and a second index of every key. Any other
 * backend is read through the watch cache.
 */
export async function createStorage(config: StorageConfig): Promise<Storage> {
  if (config.backend === 'memory') return createMemoryStorage();
  if (!config.mongodbUri) throw new Error('--storage-backend=mongodb needs --mongodb-uri');
  // Loaded only when asked for, so that the default start does not pay for the driver.
  const { createMongoStorage } = await import('./mongodb/index.js');
  // The embedded store is already memory; a database backend is read through the watch cache.
  // Frequent bookmarks let the cache learn quickly that revisions with no event of their own (gaps
  // left by racing writers) are behind it, so that consistent reads do not wait on them.
  return Cacher.create(await createMongoStorage({ uri: config.mongodbUri, bookmarkIntervalMs: 100 }), { logger: config.logger });
}
