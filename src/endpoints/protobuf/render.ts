// Writes a decoded message as Go's encoding/json would write the typed struct: fields in declaration
// order, omitempty and pointers honoured, structs always present, maps with sorted keys, []byte as
// base64, Time as RFC3339 seconds and MicroTime with six fraction digits (null when zero).
import type { FieldDescriptor, MessageDescriptor } from './schema.js';
import type { DecodedMessage, FieldValue, GoTime, MapEntryValue } from './message.js';
import { ProtoWireError } from './wire.js';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function renderMessage(descriptor: MessageDescriptor, decoded: DecodedMessage): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const field of descriptor.fields) {
    if (field.inline && field.type.kind === 'message') {
      // Go's encoding/json promotes an embedded struct's fields into the parent.
      Object.assign(out, renderMessage(field.type.message(), (decoded.get(field.number) as DecodedMessage | undefined) ?? new Map()));
      continue;
    }
    const value = renderField(field, decoded.get(field.number));
    if (value !== OMIT) out[field.json] = value;
  }
  return out;
}

const OMIT = Symbol('omit');

function renderField(field: FieldDescriptor, value: FieldValue | undefined): JsonValue | typeof OMIT {
  const type = field.type;
  if (field.repeated) {
    const list = (value as FieldValue[] | undefined) ?? [];
    if (list.length === 0) return field.presence === 'always' ? null : OMIT;
    return list.map((item) => renderOne(field, item));
  }
  if (field.presence === 'pointer') return value === undefined ? OMIT : renderOne(field, value);
  switch (type.kind) {
    case 'map': {
      const entries = value as Map<string, MapEntryValue> | undefined;
      if (!entries || entries.size === 0) return field.presence === 'always' ? null : OMIT;
      return renderOne(field, entries);
    }
    case 'message':
      // encoding/json never omits a struct value.
      return renderMessage(type.message(), (value as DecodedMessage | undefined) ?? new Map());
    case 'time':
    case 'microTime': {
      const time = (value as GoTime | undefined) ?? { unixNanos: undefined };
      if (field.presence === 'omitzero' && isZeroTime(time)) return OMIT;
      return renderOne(field, time);
    }
    case 'fieldsV1':
      return value === undefined ? null : renderOne(field, value);
    // Struct values: never omitted; zero is 0 and "0".
    case 'intOrString':
      return renderOne(field, value ?? new Map());
    case 'quantity':
      return (value as string | undefined) ?? '0';
    case 'scalar': {
      const zero = type.scalar === 'string' ? '' : type.scalar === 'bool' ? false : type.scalar === 'bytes' ? null : 0;
      const isZero = value === undefined || value === '' || value === false || value === 0 || (value instanceof Uint8Array && value.length === 0);
      if (isZero && field.presence !== 'always') return OMIT;
      return value === undefined ? zero : renderOne(field, value);
    }
  }
}

function renderOne(field: FieldDescriptor, value: FieldValue): JsonValue {
  const type = field.type;
  switch (type.kind) {
    case 'message':
      return renderMessage(type.message(), value as DecodedMessage);
    case 'time':
      return formatTime(value as GoTime, false);
    case 'microTime':
      return formatTime(value as GoTime, true);
    case 'fieldsV1':
      return fieldsV1Json((value as DecodedMessage).get(1) as Uint8Array | undefined);
    case 'map': {
      const out: { [key: string]: JsonValue } = {};
      // Go writes map keys sorted by their bytes.
      const entries = value as Map<string, MapEntryValue>;
      const keys = [...entries.keys()].sort(compareBytes);
      for (const key of keys) out[key] = mapValueJson(entries.get(key)!);
      return out;
    }
    case 'intOrString':
      return intOrStringJson(value as DecodedMessage);
    case 'quantity':
      return value as string;
    case 'scalar':
      return scalarJson(value as string | boolean | number | Uint8Array);
  }
}

/** IntOrString.MarshalJSON: the int or the string, by its type. */
function intOrStringJson(decoded: DecodedMessage): JsonValue {
  const type = (decoded.get(1) as number | undefined) ?? 0;
  if (type === 0) return (decoded.get(2) as number | undefined) ?? 0;
  if (type === 1) return (decoded.get(3) as string | undefined) ?? '';
  throw new ProtoWireError('impossible IntOrString.Type');
}

/** An ExtraValue with no items is a nil slice in Go: null in JSON. */
function mapValueJson(value: MapEntryValue): JsonValue {
  if (Array.isArray(value)) return value.length === 0 ? null : [...value];
  return scalarJson(value);
}

function scalarJson(value: string | boolean | number | Uint8Array): JsonValue {
  return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : value;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// time.Time{} (January 1, year 1, UTC): also what time.Unix gives for its instant.
const ZERO_TIME_UNIX_NANOS = -62135596800n * 1_000_000_000n;

function isZeroTime(time: GoTime): boolean {
  return time.unixNanos === undefined || time.unixNanos === ZERO_TIME_UNIX_NANOS;
}

/** `2006-01-02T15:04:05Z` (Time) or `2006-01-02T15:04:05.000000Z` (MicroTime), in UTC; null when zero. */
export function formatTime(time: GoTime, micro: boolean): string | null {
  if (isZeroTime(time)) return null;
  const nanos = time.unixNanos!;
  const billion = 1_000_000_000n;
  let seconds = nanos / billion;
  let fraction = nanos % billion;
  if (fraction < 0n) {
    fraction += billion;
    seconds -= 1n;
  }
  const head = formatSeconds(seconds);
  if (!micro) return `${head}Z`;
  return `${head}.${String(fraction / 1000n).padStart(6, '0')}Z`;
}

/** Go's layout for the date and clock: the year padded to four digits, a '-' before negative years. */
function formatSeconds(seconds: bigint): string {
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) throw new ProtoWireError(`time ${seconds} is out of range`);
  const year = date.getUTCFullYear();
  const two = (n: number): string => String(n).padStart(2, '0');
  const yearText = `${year < 0 ? '-' : ''}${String(Math.abs(year)).padStart(4, '0')}`;
  return `${yearText}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())}T${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
}

/** FieldsV1 writes its raw bytes as they are (null when empty); kube-chain keeps them as parsed JSON. */
function fieldsV1Json(raw: Uint8Array | undefined): JsonValue {
  if (!raw || raw.length === 0) return null;
  try {
    return JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8')) as JsonValue;
  } catch {
    throw new ProtoWireError('metav1.FieldsV1 is not valid JSON');
  }
}
