// resourceVersion parameters as kube's APIObjectVersioner reads them (strconv.ParseUint), and the
// error each read answers with when one is not a number: a list 400 (storage.ValidateListOptions),
// a watch 422 (InterpretWatchError of the versioner's InvalidError), a get 500 (passed through).
import { goQuote } from '../endpoints/go-strconv.js';
import { StorageError } from './interface.js';

const MAX_UINT64 = 2n ** 64n - 1n;

/** The field error body kube's versioner gives: `Invalid value: "x": strconv.ParseUint: ...`. */
function invalidValue(rv: string): string {
  const reason = /^[0-9]+$/.test(rv) ? 'value out of range' : 'invalid syntax';
  return `Invalid value: ${goQuote(rv)}: strconv.ParseUint: parsing ${goQuote(rv)}: ${reason}`;
}

/** undefined for "" (or absent); the revision otherwise ("0" → 0); throws kube's error for `operation`. */
export function parseResourceVersion(key: string, rv: string | undefined, operation: 'get' | 'list' | 'watch'): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (/^[0-9]+$/.test(rv) && BigInt(rv) <= MAX_UINT64) return Number(rv);
  const body = invalidValue(rv);
  if (operation === 'list') throw new StorageError('BadRequest', key, `invalid resource version: resourceVersion: ${body}`);
  if (operation === 'watch') throw new StorageError('InvalidResourceVersion', key, body);
  throw new StorageError('Internal', key, `resourceVersion: ${body}`);
}
