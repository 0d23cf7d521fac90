// Reads one protobuf message by its descriptor, as the gogo-generated Unmarshal methods do: the last
// value of a scalar wins, a repeated field appends, a map entry sets its key, a nested message merges
// into what earlier occurrences decoded, Time and MicroTime are replaced; unknown fields are skipped.
// Repeated numbers are read packed or not, as gogo reads them.
import { goFieldName, type FieldDescriptor, type MapValueKind, type MessageDescriptor, type ScalarKind } from './schema.js';
import { Quantity } from '../../apiextensions/schema/quantity.js';
import { ProtoReader, ProtoWireError, WIRE_BYTES, WIRE_VARINT, wrongWireType } from './wire.js';

/** A point in time as Go holds it after Unmarshal; `undefined` total is Go's zero time. */
export interface GoTime {
  /** Nanoseconds since the Unix epoch, or undefined for the zero time (an empty message). */
  unixNanos: bigint | undefined;
}

export type ScalarValue = string | boolean | number | Uint8Array;
/** A decoded map's value: a string, bytes, or an ExtraValue's strings. */
export type MapEntryValue = string | Uint8Array | string[];
export type FieldValue = ScalarValue | DecodedMessage | GoTime | Map<string, MapEntryValue> | FieldValue[];

/** The fields a message carried, by field number. */
export type DecodedMessage = Map<number, FieldValue>;

const TIMESTAMP: MessageDescriptor = {
  name: 'Timestamp',
  fields: [
    { number: 1, json: 'seconds', type: { kind: 'scalar', scalar: 'int64' }, presence: 'always' },
    { number: 2, json: 'nanos', type: { kind: 'scalar', scalar: 'int32' }, presence: 'always' },
  ],
};

const FIELDS_V1: MessageDescriptor = {
  name: 'FieldsV1',
  fields: [{ number: 1, json: 'Raw', type: { kind: 'scalar', scalar: 'bytes' }, presence: 'pointer' }],
};

const utf8 = new TextDecoder('utf-8');

export function decodeMessage(descriptor: MessageDescriptor, data: Uint8Array, into: DecodedMessage = new Map()): DecodedMessage {
  const reader = new ProtoReader(data);
  while (!reader.done) {
    const start = reader.pos;
    const tag = reader.tag(descriptor.name);
    const field = descriptor.fields.find((f) => f.number === tag.field);
    if (!field) {
      reader.skip(start);
      continue;
    }
    readField(reader, field, tag.wireType, into);
  }
  return into;
}

function readField(reader: ProtoReader, field: FieldDescriptor, wireType: number, into: DecodedMessage): void {
  const type = field.type;
  const wantVarint = type.kind === 'scalar' && (type.scalar === 'bool' || type.scalar === 'int32' || type.scalar === 'int64');
  if (wantVarint && field.repeated && wireType === WIRE_BYTES) {
    readPacked(reader.bytes(), field, into);
    return;
  }
  if (wireType !== (wantVarint ? WIRE_VARINT : WIRE_BYTES)) throw wrongWireType(wireType, goFieldName(field));

  let value: FieldValue;
  switch (type.kind) {
    case 'scalar':
      value = readScalar(reader, type.scalar);
      break;
    case 'message':
    case 'intOrString': {
      const descriptor = type.kind === 'message' ? type.message() : INT_OR_STRING;
      const bytes = reader.bytes();
      if (field.repeated) {
        value = decodeMessage(descriptor, bytes);
      } else {
        const existing = into.get(field.number) as DecodedMessage | undefined;
        into.set(field.number, decodeMessage(descriptor, bytes, existing));
        return;
      }
      break;
    }
    case 'quantity': {
      // Quantity.Unmarshal parses its string; without one the quantity is left as it was (zero: "0").
      const parsed = readQuantity(reader.bytes());
      if (parsed === undefined && into.has(field.number)) return;
      value = parsed ?? '0';
      break;
    }
    case 'time':
    case 'microTime':
      value = readTime(reader.bytes(), type.kind === 'microTime');
      break;
    case 'fieldsV1': {
      // A pointer to FieldsV1: later occurrences merge, so the last Raw wins.
      const existing = into.get(field.number) as DecodedMessage | undefined;
      into.set(field.number, decodeMessage(FIELDS_V1, reader.bytes(), existing));
      return;
    }
    case 'map': {
      const entries = (into.get(field.number) as Map<string, MapEntryValue> | undefined) ?? new Map();
      readMapEntry(reader.bytes(), type.value, entries);
      into.set(field.number, entries);
      return;
    }
  }
  if (field.repeated) {
    const list = (into.get(field.number) as FieldValue[] | undefined) ?? [];
    list.push(value);
    into.set(field.number, list);
  } else {
    into.set(field.number, value);
  }
}

/** A packed run of varints (`[packed=true]` writers; gogo reads both forms). */
function readPacked(data: Uint8Array, field: FieldDescriptor, into: DecodedMessage): void {
  const reader = new ProtoReader(data);
  const list = (into.get(field.number) as FieldValue[] | undefined) ?? [];
  const scalar = field.type.kind === 'scalar' ? field.type.scalar : 'int64';
  while (!reader.done) list.push(readScalar(reader, scalar));
  into.set(field.number, list);
}

const INT_OR_STRING: MessageDescriptor = {
  name: 'IntOrString',
  fields: [
    { number: 1, json: 'type', type: { kind: 'scalar', scalar: 'int64' }, presence: 'always' },
    { number: 2, json: 'intVal', go: 'IntVal', type: { kind: 'scalar', scalar: 'int32' }, presence: 'always' },
    { number: 3, json: 'strVal', go: 'StrVal', type: { kind: 'scalar', scalar: 'string' }, presence: 'always' },
  ],
};

const QUANTITY: MessageDescriptor = {
  name: 'Quantity',
  fields: [{ number: 1, json: 'string', go: 'String_', type: { kind: 'scalar', scalar: 'string' }, presence: 'always' }],
};

// resource.ParseQuantity's errors: the text does not split into number and suffix, or either part is bad.
const QUANTITY_SPLIT = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_SPLIT.source}'`;

/** A Quantity message's string, checked as Quantity.Unmarshal parses it; undefined when it has none. */
function readQuantity(data: Uint8Array): string | undefined {
  const text = decodeMessage(QUANTITY, data).get(1) as string | undefined;
  if (text === undefined) return undefined;
  if (!QUANTITY_SPLIT.test(text)) throw new ProtoWireError(ERR_FORMAT_WRONG);
  if (!Quantity.parse(text)) throw new ProtoWireError("unable to parse quantity's suffix");
  return text;
}

function readScalar(reader: ProtoReader, kind: ScalarKind): ScalarValue {
  switch (kind) {
    case 'string':
      // Go keeps invalid UTF-8; its JSON encoder then writes U+FFFD, as this decoder does.
      return utf8.decode(reader.bytes());
    case 'bytes':
      return reader.bytes().slice();
    case 'bool':
      return reader.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, reader.varint()));
    case 'int64':
      return Number(BigInt.asIntN(64, reader.varint()));
  }
}

/**
 * metav1.Time.Unmarshal keeps whole seconds only; MicroTime.Unmarshal keeps the nanos truncated to
 * microseconds (Go's Duration.Truncate, which rounds toward zero). Empty data is Go's zero time.
 */
function readTime(data: Uint8Array, micro: boolean): GoTime {
  if (data.length === 0) return { unixNanos: undefined };
  const ts = decodeMessage(TIMESTAMP, data);
  const seconds = BigInt((ts.get(1) as number | undefined) ?? 0);
  const nanos = (ts.get(2) as number | undefined) ?? 0;
  const kept = micro ? nanos - (nanos % 1000) : 0;
  return { unixNanos: seconds * 1_000_000_000n + BigInt(kept) };
}

/** A map entry: key is field 1, value field 2, both read as length-delimited whatever their wire type. */
function readMapEntry(data: Uint8Array, valueKind: MapValueKind, entries: Map<string, MapEntryValue>): void {
  const reader = new ProtoReader(data);
  let key = '';
  let value: MapEntryValue = valueKind === 'string' ? '' : valueKind === 'bytes' ? new Uint8Array(0) : valueKind === 'quantity' ? '0' : [];
  while (!reader.done) {
    const start = reader.pos;
    const field = Number(BigInt.asIntN(32, reader.varint() >> 3n));
    if (field === 1) key = utf8.decode(reader.bytes());
    else if (field === 2) value = readMapValue(reader.bytes(), valueKind);
    else reader.skip(start);
  }
  entries.set(key, value);
}

function readMapValue(data: Uint8Array, valueKind: MapValueKind): MapEntryValue {
  if (valueKind === 'string') return utf8.decode(data);
  if (valueKind === 'bytes') return data.slice();
  if (valueKind === 'quantity') return readQuantity(data) ?? '0';
  // ExtraValue: `repeated string items = 1`.
  const decoded = decodeMessage(EXTRA_VALUE, data);
  return ((decoded.get(1) as string[] | undefined) ?? []).slice();
}

const EXTRA_VALUE: MessageDescriptor = {
  name: 'ExtraValue',
  fields: [{ number: 1, json: 'items', type: { kind: 'scalar', scalar: 'string' }, repeated: true, presence: 'omitempty' }],
};

export { ProtoWireError };
