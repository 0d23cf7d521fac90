// A minimal protocol buffers (proto3) writer: just what encoding an OpenAPI document needs.
// Default values (empty strings, false, 0, empty messages for optional fields) are left out, as proto3
// encoders do.

export class ProtoWriter {
  private chunks: Buffer[] = [];
  private length = 0;

  private push(buf: Buffer): void {
    this.chunks.push(buf);
    this.length += buf.length;
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    while (v >= 0x80n) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.push(Buffer.from(bytes));
  }

  private tag(field: number, wireType: 0 | 1 | 2): void {
    this.varint((field << 3) | wireType);
  }

  string(field: number, value: string | undefined): this {
    if (!value) return this;
    this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  strings(field: number, values: readonly string[] | undefined): this {
    // Repeated strings are never packed; empty strings in a list are kept.
    for (const v of values ?? []) this.bytes(field, Buffer.from(v, 'utf8'));
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    if (!value) return this;
    this.tag(field, 0);
    this.varint(1);
    return this;
  }

  /** A bool inside a oneof: written even when false, as a set oneof member always is. */
  oneofBool(field: number, value: boolean): this {
    this.tag(field, 0);
    this.varint(value ? 1 : 0);
    return this;
  }

  int64(field: number, value: number | undefined): this {
    if (!value) return this;
    this.tag(field, 0);
    this.varint(Math.trunc(value));
    return this;
  }

  double(field: number, value: number | undefined): this {
    if (value === undefined || value === 0) return this;
    const buf = Buffer.alloc(8);
    buf.writeDoubleLE(value);
    this.tag(field, 1);
    this.push(buf);
    return this;
  }

  /** A nested message; written even when empty when `always` (a set oneof or present field). */
  message(field: number, build: (w: ProtoWriter) => void, always = true): this {
    const inner = new ProtoWriter();
    build(inner);
    if (inner.length === 0 && !always) return this;
    this.bytes(field, inner.finish());
    return this;
  }

  private bytes(field: number, buf: Buffer): void {
    this.tag(field, 2);
    this.varint(buf.length);
    this.push(buf);
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}
