// Strategic merge patch failures, and how kube-apiserver answers each
// (handlers/patch.go interpretStrategicMergePatchError, util/mergepatch/errors.go).

import { newBadRequest, type StatusError } from '../status.js';
import { newPatchRejected, newUnknownServerError } from './errors.js';
import { goFormatValue, goTypeName } from './go-format.js';
import type { JsonObject, JsonValue } from './json-value.js';

/** How kube answers: BadRequest (400), the bare 422, or a plain error (500 with the text). */
export type SmpErrorAnswer = 'bad-request' | 'rejected' | 'plain';

export class SmpError extends Error {
  constructor(
    message: string,
    readonly answer: SmpErrorAnswer = 'plain',
  ) {
    super(message);
  }

  toStatusError(): StatusError {
    if (this.answer === 'bad-request') return newBadRequest(this.message);
    if (this.answer === 'rejected') return newPatchRejected(this.message);
    return newUnknownServerError(this.message);
  }
}

// The mergepatch sentinels kube maps to 400 or 422; every other error is a plain one.
export const errNoListOfLists = (): SmpError => new SmpError('lists of lists are not supported', 'rejected');
export const errBadPatchFormatForPrimitiveList = (): SmpError => new SmpError('invalid patch format of primitive list', 'bad-request');
export const errBadPatchFormatForRetainKeys = (): SmpError => new SmpError('invalid patch format of retainKeys', 'bad-request');
export const errBadPatchFormatForSetElementOrderList = (): SmpError =>
  new SmpError('invalid patch format of setElementOrder list', 'bad-request');

/** mergepatch.ErrNoMergeKey */
export const errNoMergeKey = (map: JsonObject, mergeKey: string): SmpError =>
  new SmpError(`map: ${goFormatValue(map)} does not contain declared merge key: ${mergeKey}`);

/** mergepatch.ErrBadArgType(expected, actual) with the Go type names of both. */
export const errBadArgType = (expectedGoType: string, actual: JsonValue | undefined): SmpError =>
  new SmpError(`expected a ${expectedGoType}, but received a ${goTypeName(actual)}`);

/** mergepatch.ErrBadPatchType: fmt's %s of the directive value, %v of the map. */
export const errBadPatchType = (directive: JsonValue, map: JsonObject): SmpError =>
  new SmpError(`unknown patch type: ${goFormatS(directive)} in map: ${goFormatValue(map)}`);

/** fmt's %s of a decoded JSON value: strings as they are, other scalars as %!s(type=value). */
function goFormatS(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return '%!s(<nil>)';
  if (typeof value === 'object') return goFormatValue(value);
  return `%!s(${goTypeName(value)}=${goFormatValue(value)})`;
}
