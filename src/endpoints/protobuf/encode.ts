// Objects out as protobuf, as kube's serializer writes them for a client that asks for
// application/vnd.kubernetes.protobuf: the `k8s\0` envelope around the gogo-marshalled object.
// gogo writes fields by number; value fields (strings, ints, bools, structs, Time) always, even
// when zero; pointers, slices and maps only when set; map entries sorted by key.
import type { FieldDescriptor, MessageDescriptor } from './schema.js';
import { PROTOBUF_PREFIX } from './envelope.js';
import { protobufDescriptorFor } from './kinds.js';
import { ProtoBuilder } from './writer.js';

type Json = unknown;

/** Whether kube-chain can write this kind as protobuf. */
export function canEncodeProtobuf(apiVersion: string, kind: string): boolean {
  return protobufDescriptorFor(apiVersion, kind) !== undefined;
}

/** Encodes a JSON object of a kind with a descriptor; throws for other kinds (check canEncodeProtobuf). */
export function encodeProtobuf(obj: Record<string, unknown>): Buffer {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const descriptor = protobufDescriptorFor(apiVersion, kind);
  if (!descriptor) throw new Error(`no protobuf description of ${apiVersion}, Kind=${kind}`);
  const typeMeta = new ProtoBuilder();
  typeMeta.stringField(1, apiVersion);
  typeMeta.stringField(2, kind);
  const unknown = new ProtoBuilder();
  unknown.bytesField(1, typeMeta.finish());
  unknown.bytesField(2, encodeMessage(descriptor, obj));
  unknown.stringField(3, '');
  unknown.stringField(4, '');
  return Buffer.concat([PROTOBUF_PREFIX, unknown.finish()]);
}

export function encodeMessage(descriptor: MessageDescriptor, obj: Record<string, unknown> | undefined): Buffer {
  const out = new ProtoBuilder();
  const fields = [...descriptor.fields].sort((a, b) => a.number - b.number);
  for (const field of fields) {
    // An embedded struct takes its fields from the parent's JSON.
    if (field.inline && field.type.kind === 'message') out.bytesField(field.number, encodeMessage(field.type.message(), obj));
    else writeField(out, field, obj?.[field.json]);
  }
  return out.finish();
}

function writeField(out: ProtoBuilder, field: FieldDescriptor, value: Json): void {
  const absent = value === undefined || value === null;
  if (field.repeated) {
    if (Array.isArray(value)) for (const item of value) writeOne(out, field, item);
    return;
  }
  if (field.type.kind === 'map') {
    if (absent || typeof value !== 'object') return;
    const entries = value as Record<string, unknown>;
    const keys = Object.keys(entries).sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    for (const key of keys) {
      const entry = new ProtoBuilder();
      entry.stringField(1, key);
      const v = entries[key];
      if (field.type.value === 'bytes') entry.bytesField(2, Buffer.from(typeof v === 'string' ? v : '', 'base64'));
      else if (field.type.value === 'stringList') entry.bytesField(2, encodeExtraValue(v));
      else if (field.type.value === 'quantity') entry.bytesField(2, encodeQuantity(v));
      else entry.stringField(2, typeof v === 'string' ? v : '');
      out.bytesField(field.number, entry.finish());
    }
    return;
  }
  if ((field.presence === 'pointer' || field.type.kind === 'fieldsV1') && absent) return;
  writeOne(out, field, value);
}

function writeOne(out: ProtoBuilder, field: FieldDescriptor, value: Json): void {
  const type = field.type;
  switch (type.kind) {
    case 'message':
      out.bytesField(field.number, encodeMessage(type.message(), isObject(value) ? value : undefined));
      return;
    case 'time':
    case 'microTime':
      out.bytesField(field.number, encodeTime(value, type.kind === 'microTime'));
      return;
    case 'fieldsV1': {
      const raw = new ProtoBuilder();
      raw.bytesField(1, Buffer.from(JSON.stringify(value), 'utf8'));
      out.bytesField(field.number, raw.finish());
      return;
    }
    case 'map':
      return;
    case 'intOrString':
      out.bytesField(field.number, encodeIntOrString(value));
      return;
    case 'quantity':
      out.bytesField(field.number, encodeQuantity(value));
      return;
    case 'scalar':
      switch (type.scalar) {
        case 'string':
          out.stringField(field.number, typeof value === 'string' ? value : '');
          return;
        case 'bytes':
          out.bytesField(field.number, Buffer.from(typeof value === 'string' ? value : '', 'base64'));
          return;
        case 'bool':
          out.varintField(field.number, value === true);
          return;
        case 'int32':
        case 'int64':
          out.varintField(field.number, typeof value === 'number' ? Math.trunc(value) : 0);
          return;
      }
  }
}

/** IntOrString: type, intVal and strVal, all three always written. */
function encodeIntOrString(value: Json): Buffer {
  const out = new ProtoBuilder();
  const isString = typeof value === 'string';
  out.varintField(1, isString ? 1 : 0);
  out.varintField(2, typeof value === 'number' ? Math.trunc(value) : 0);
  out.stringField(3, isString ? value : '');
  return out.finish();
}

/** Quantity: its canonical string as field 1 (kube-chain keeps the string as written; zero is "0"). */
function encodeQuantity(value: Json): Buffer {
  const out = new ProtoBuilder();
  out.stringField(1, typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '0');
  return out.finish();
}

/** ExtraValue: `repeated string items = 1`. */
function encodeExtraValue(value: Json): Buffer {
  const items = new ProtoBuilder();
  if (Array.isArray(value)) for (const item of value) items.stringField(1, typeof item === 'string' ? item : '');
  return items.finish();
}

const isObject = (value: Json): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** A Timestamp {seconds, nanos} (both always written); empty for a zero (null) time. Time drops the fraction. */
function encodeTime(value: Json, micro: boolean): Buffer {
  if (typeof value !== 'string') return Buffer.alloc(0);
  const m = RFC3339.exec(value);
  if (!m) throw new Error(`time ${JSON.stringify(value)} is not RFC3339`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  // setUTCFullYear, unlike Date.UTC, takes years 0-99 as they are.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), 0);
  let seconds = date.getTime() / 1000;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    seconds -= sign * (Number(zone.slice(1, 3)) * 3600 + Number(zone.slice(4, 6)) * 60);
  }
  // MicroTime keeps microseconds (read as digits, not floats); Time keeps whole seconds.
  const nanos = micro && frac ? Number(frac.padEnd(6, '0').slice(0, 6)) * 1000 : 0;
  const ts = new ProtoBuilder();
  ts.varintField(1, seconds);
  ts.varintField(2, nanos);
  return ts.finish();
}
