// Maps MongoDB driver failures onto StorageErrors: anything that means "the server cannot be reached
// right now" becomes Unreachable (the REST layer answers 503), so callers fail fast instead of hanging.
import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { StorageError } from '../interface.js';

const DUPLICATE_KEY = 11000;

export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoError && Number(err.code) === DUPLICATE_KEY;
}

export function isUnreachable(err: unknown): boolean {
  return (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNotConnectedError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoOperationTimeoutError ||
    (err instanceof MongoError && err.hasErrorLabel('ResetPool'))
  );
}

/** Wraps driver errors; anything else (a StorageError, or what a caller's tryUpdate threw) passes as is. */
export function toStorageError(err: unknown, key: string): unknown {
  if (isUnreachable(err)) {
    return new StorageError('Unreachable', key, `storage is unreachable: ${(err as Error).message}`);
  }
  if (err instanceof MongoError) return new StorageError('Internal', key, err.message);
  return err;
}
