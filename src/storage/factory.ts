// The storage a server runs on: the embedded memory store, or MongoDB.
import type { Storage } from './interface.js';
import { createMemoryStorage } from './memory/index.js';

export interface StorageConfig {
  backend: 'memory' | 'mongodb';
  mongodbUri?: string;
}

export async function createStorage(config: StorageConfig): Promise<Storage> {
  if (config.backend === 'memory') return createMemoryStorage();
  if (!config.mongodbUri) throw new Error('--storage-backend=mongodb needs --mongodb-uri');
  // Loaded only when asked for, so that the default start does not pay for the driver.
  const { createMongoStorage } = await import('./mongodb/index.js');
  return createMongoStorage({ uri: config.mongodbUri });
}
