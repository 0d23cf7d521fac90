// The errors kube-apiserver answers a failed patch with (k8s.io/apiserver/pkg/endpoints/handlers/patch.go).

import { newBadRequest, newInvalid, StatusError } from '../status.js';
import { goQuote, goUnmarshalTypeError } from './go-json.js';
import { isJsonObject, setOwn, type JsonObject, type JsonValue } from './json-value.js';

/** The message of apimachinery's NewGenericServerResponse for 422: the server's own text is not passed on. */
export const SERVER_REJECTED_MESSAGE = 'the server rejected our request due to an error in our request';

/**
 * kube's answer to a JSON patch that fails to apply, and to SMP's "lists of lists" and "patch content
 * doesn't match retainKeys": NewGenericServerResponse(422, ...) — reason Invalid, a fixed message,
 * empty details. The real reason is kept on `cause` for logs only, as kube logs nothing either.
 */
export function newPatchRejected(reason: string): StatusError {
  const err = new StatusError(422, 'Invalid', SERVER_REJECTED_MESSAGE, {});
  Object.defineProperty(err, 'cause', { value: new Error(reason), enumerable: false });
  return err;
}

/**
 * What kube answers for a plain Go error that is not a Status (responsewriters.ErrorToAPIStatus):
 * 500 with an empty reason, the error text as message and no details. Strategic merge patch returns
 * those for malformed directives and merge keys, e.g. `map: map[image:nginx] does not contain declared merge key: name`.
 */
export function newUnknownServerError(message: string): StatusError {
  return new StatusError(500, '', message);
}

/** 400 with Go's json.UnmarshalTypeError text, for a patch body of the wrong JSON type. */
export function newBodyTypeError(value: JsonValue, goType: string): StatusError {
  return newBadRequest(goUnmarshalTypeError(value, goType));
}

/**
 * A patch whose result is not a JSON object (e.g. a merge patch that is an array) fails when kube decodes
 * the result: its JSON serializer first reads apiVersion/kind into an anonymous struct, and the handler wraps
 * that error as `field.Invalid(field.NewPath("patch"), <patched JSON>, <error>)` in a NewInvalid with an
 * empty GroupKind and name.
 */
export function newPatchedObjectNotAnObject(patched: JsonValue): StatusError {
  const typeError = goUnmarshalTypeError(
    patched,
    'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
  );
  return newInvalid('', '', '', [
    {
      type: 'FieldValueInvalid',
      field: 'patch',
      detail: `Invalid value: ${goQuote(goJsonMarshal(patched))}: couldn't get version/kind; json parse error: ${typeError}`,
    },
  ]);
}

/** Go's json.Marshal of a decoded value: map keys sorted, and <, >, &, U+2028, U+2029 escaped. */
export function goJsonMarshal(value: JsonValue): string {
  return JSON.stringify(sortKeys(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sortKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) setOwn(out, key, sortKeys(value[key]));
  return out;
}
