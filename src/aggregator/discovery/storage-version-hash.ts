// kube's discovery.StorageVersionHash: the first 8 bytes of sha256("<group>/<version>/<kind>"), in
// standard base64. Clients compare it only for equality (the storage migrator does).
import { createHash } from 'node:crypto';

export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}
