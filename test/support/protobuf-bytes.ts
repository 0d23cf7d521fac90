// A tiny protobuf writer of its own for tests that build request bodies field by field.

export const varint = (value: number | bigint): Buffer => {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
};
export const key = (field: number, wire: number): Buffer => varint((field << 3) | wire);
/** A length-delimited field: a string, bytes or an encoded message. */
export const ld = (field: number, data: Buffer | string): Buffer => {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([key(field, 2), varint(buf.length), buf]);
};
/** A varint field: bool, int32 or int64 (negative numbers as ten bytes, as Go writes them). */
export const vi = (field: number, value: number | bigint | boolean): Buffer =>
  Buffer.concat([key(field, 0), varint(typeof value === 'boolean' ? (value ? 1 : 0) : value)]);
/** A message field made of the given fields. */
export const msg = (field: number, ...parts: Buffer[]): Buffer => ld(field, Buffer.concat(parts));
/** A map entry: key 1, value 2. */
export const entry = (field: number, k: string, v: Buffer | string): Buffer => msg(field, ld(1, k), ld(2, v));
/** A Timestamp message {seconds, nanos}. */
export const ts = (field: number, seconds: number, nanos = 0): Buffer =>
  msg(field, ...(seconds ? [vi(1, seconds)] : []), ...(nanos ? [vi(2, nanos)] : []));
/** The serializer's envelope: `k8s\0` and a runtime.Unknown. */
export const envelope = (apiVersion: string, kind: string, raw: Buffer): Buffer =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), msg(1, ld(1, apiVersion), ld(2, kind)), ld(2, raw), ld(3, ''), ld(4, '')]);
