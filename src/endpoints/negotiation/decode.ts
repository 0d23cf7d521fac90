// Request bodies in, as kube-apiserver decodes them for create and update
// (k8s.io/apiserver handlers/negotiation NegotiateInputSerializer, handlers/rest.go
// transformDecodeError, apimachinery runtime/serializer/json: SimpleMetaFactory.Interpret and the
// YAML path through sigs.k8s.io/yaml). JSON and YAML are read; anything else is a 415. Malformed
// bodies are 400s with kube's message shapes and Go's parser messages.
import { SERIALIZERS, newUnsupportedMediaTypeFor, supportedMediaTypes } from './media-types.js';
import { newBadRequest } from '../status.js';
import { findDuplicateFields, goJsonSyntaxError } from './go-json.js';
import { yamlFirstDocumentToValue, YamlDecodeError } from './yaml-decode.js';

export type BodyFormat = 'json' | 'yaml';

/**
 * kube's NegotiateInputSerializerForMediaType: no Content-Type means JSON; parameters (charset) and
 * case do not matter; any other type is a 415 listing the accepted ones.
 */
export function negotiateInputFormat(contentType: string | undefined): BodyFormat {
  if (!contentType) return 'json';
  const mediaType = parseMediaType(contentType);
  const info = mediaType === undefined ? undefined : SERIALIZERS.find((s) => s.mediaType === mediaType);
  if (!info) throw newUnsupportedMediaTypeFor(supportedMediaTypes().mediaTypes);
  return info.mediaType === 'application/json' ? 'json' : 'yaml';
}

const TOKEN = "[^\\x00-\\x20\\x7f()<>@,;:\\\\\"/\\[\\]?=]+";
const MEDIA_TYPE = new RegExp(`^(${TOKEN})(?:/(${TOKEN}))?$`);
const PARAM = new RegExp(`^\\s*(${TOKEN})\\s*=\\s*(?:${TOKEN}|"(?:[^"\\\\]|\\\\.)*")\\s*$`);

/**
 * Go's mime.ParseMediaType as kube uses it: the lower-cased media type, or undefined when the value
 * does not parse (a parameter without a value, a bad token) — which kube answers with a 415 too.
 */
export function parseMediaType(value: string): string | undefined {
  const [head, ...params] = value.split(';');
  const match = MEDIA_TYPE.exec(head.trim());
  if (!match) return undefined;
  for (let i = 0; i < params.length; i++) {
    // A trailing semicolon is tolerated.
    if (i === params.length - 1 && params[i].trim() === '') break;
    if (!PARAM.test(params[i])) return undefined;
  }
  return head.trim().toLowerCase();
}

/** The endpoint's kind: what the body must be (kube's scope.Kind). */
export interface ExpectedKind {
  kind: string;
  /** The endpoint's version, e.g. "v1" (for `cannot be handled as` messages). */
  version: string;
  /**
   * Custom resources decode into unstructured objects, which need `kind` in the body (kube:
   * `Object 'Kind' is missing in '...'`); built-in types take it from the endpoint.
   */
  requireKind?: boolean;
}

export interface DecodedBody {
  /** The decoded JSON value: an object unless the body was `null` (which kube lets through). */
  object: Record<string, unknown> | null;
  /** Duplicate fields of a JSON body (sigs.k8s.io/json paths), when asked for. */
  duplicateFields: string[];
  /** For a YAML body: go-yaml's strict error for duplicate keys (`yaml: unmarshal errors:\n  line N: key "a" already set in map`). */
  yamlStrictError?: string;
}

/** kube's summarizeData: JSON bodies as text, anything else as hex, cut at 30 bytes. */
export function summarizeData(data: Uint8Array, maxLength = 30): string {
  if (data.length === 0) return '<empty>';
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // Go cuts bytes; a cut UTF-8 sequence becomes U+FFFD when the Status is encoded, as here.
  if (buf[0] === 0x7b) return buf.length > maxLength ? `${buf.subarray(0, maxLength).toString('utf8')} ...` : buf.toString('utf8');
  return buf.length > maxLength ? `${buf.subarray(0, maxLength).toString('hex')} ...` : buf.toString('hex');
}

/** transformDecodeError without a decoded kind: `the object provided is unrecognized (must be of type K): <err> (<summary>)`. */
function unrecognized(expected: ExpectedKind, message: string, body: Uint8Array): Error {
  return newBadRequest(`the object provided is unrecognized (must be of type ${expected.kind}): ${message} (${summarizeData(body)})`);
}

/** transformDecodeError with a decoded kind: `K in version "v" cannot be handled as a K: <err>`. */
export function newCannotBeHandledAs(decodedKind: string, decodedVersion: string, expectedKind: string, message: string): Error {
  return newBadRequest(`${decodedKind} in version ${JSON.stringify(decodedVersion)} cannot be handled as a ${expectedKind}: ${message}`);
}

// Go's reflect name of the anonymous struct SimpleMetaFactory.Interpret decodes into.
const FIND_KIND_TYPE = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return 'object';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  return 'string';
}

/** SimpleMetaFactory.Interpret: apiVersion and kind, or kube's `couldn't get version/kind` error text. */
function interpret(value: unknown): { group: string; version: string; kind: string } | string {
  if (value === null) return { group: '', version: '', kind: '' };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(value)} into Go value of type ${FIND_KIND_TYPE}`;
  }
  const obj = value as Record<string, unknown>;
  for (const field of ['apiVersion', 'kind']) {
    const v = obj[field];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      return `couldn't get version/kind; json parse error: json: cannot unmarshal ${jsonKind(v)} into Go struct field .${field} of type string`;
    }
  }
  const apiVersion = (obj.apiVersion as string | undefined) ?? '';
  const parts = apiVersion.split('/');
  if (apiVersion !== '' && parts.length > 2) return `unexpected GroupVersion string: ${apiVersion}`;
  const [group, version] = parts.length === 2 ? parts : ['', parts[0]];
  return { group, version, kind: (obj.kind as string | undefined) ?? '' };
}

/**
 * Decodes a create/update body. Throws kube's 400s for malformed JSON or YAML, for JSON that is not
 * an object, and (requireKind) for a missing kind. `strict` is kube's choice of the strict
 * serializer, made for fieldValidation Strict and Warn (the default): it collects the duplicate JSON
 * fields and YAML keys that strict field validation reports, and changes the missing-kind message.
 */
export function decodeBody(body: Uint8Array, format: BodyFormat, expected: ExpectedKind, strict = false): DecodedBody {
  let value: unknown;
  let jsonText: string;
  let yamlStrictError: string | undefined;
  if (format === 'yaml') {
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    try {
      const decoded = yamlFirstDocumentToValue(text, strict);
      value = decoded.value;
      yamlStrictError = decoded.duplicateKeysError;
    } catch (err) {
      if (err instanceof YamlDecodeError) throw unrecognized(expected, err.message, body);
      throw err;
    }
    jsonText = JSON.stringify(value);
  } else {
    jsonText = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    try {
      value = JSON.parse(jsonText);
    } catch {
      const syntax = goJsonSyntaxError(body) ?? 'unexpected end of JSON input';
      throw unrecognized(expected, `couldn't get version/kind; json parse error: ${syntax}`, body);
    }
  }

  const gvk = interpret(value);
  if (typeof gvk === 'string') throw unrecognized(expected, gvk, body);
  if (expected.requireKind && !gvk.kind) {
    const original = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
    // The strict serializer checks the decoded unstructured object and reports the body as sent; the
    // plain one fails inside the unstructured decoder, after the endpoint's kind was defaulted in.
    if (strict) throw unrecognized(expected, `Object 'Kind' is missing in '${original}'`, body);
    throw newCannotBeHandledAs(expected.kind, gvk.version || expected.version, expected.kind, `Object 'Kind' is missing in '${jsonText}'`);
  }
  const duplicateFields = strict && format === 'json' ? findDuplicateFields(jsonText) : [];
  const result: DecodedBody = { object: value as Record<string, unknown> | null, duplicateFields };
  if (yamlStrictError) result.yamlStrictError = yamlStrictError;
  return result;
}
