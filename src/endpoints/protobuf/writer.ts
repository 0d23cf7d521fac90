// Protobuf wire writing: varints, keys and length-delimited fields, collected into one buffer.

export class ProtoBuilder {
  private chunks: Uint8Array[] = [];

  varintField(field: number, value: number | bigint | boolean): void {
    this.key(field, 0);
    this.varint(typeof value === 'boolean' ? (value ? 1 : 0) : value);
  }

  bytesField(field: number, data: Uint8Array): void {
    this.key(field, 2);
    this.varint(data.length);
    this.chunks.push(data);
  }

  stringField(field: number, value: string): void {
    this.bytesField(field, Buffer.from(value, 'utf8'));
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private key(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** Negative numbers are written as 64-bit two's complement, as Go's uint64(int32/int64) does. */
  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    while (v >= 0x80n) {
      out.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    out.push(Number(v));
    this.chunks.push(Uint8Array.from(out));
  }
}
