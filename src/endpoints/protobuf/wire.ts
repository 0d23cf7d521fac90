// The protocol buffers wire format as the gogo-generated Unmarshal methods of Kubernetes read it
// (k8s.io/apimachinery/pkg/runtime/generated.pb.go and every generated.pb.go): varints of up to 64
// bits, length-delimited fields checked against the buffer, unknown fields skipped, and Go's error
// texts, which kube reports inside its 400s.

/** A decode failure with the text Go's generated code returns. */
export class ProtoWireError extends Error {}

const INT_OVERFLOW = 'proto: integer overflow';
const INVALID_LENGTH = 'proto: negative length found during unmarshaling';
const UNEXPECTED_EOF = 'unexpected EOF';
const END_OF_GROUP = 'proto: unexpected end of group';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

export interface Tag {
  field: number;
  wireType: number;
  /** The whole key varint, which Go prints in `illegal tag` errors. */
  key: bigint;
}

export class ProtoReader {
  pos = 0;

  constructor(readonly buf: Uint8Array, private readonly end = buf.length) {}

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint of up to 64 bits (Go: overflow after ten bytes' worth of shifts). */
  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (shift >= 64n) throw new ProtoWireError(INT_OVERFLOW);
      if (this.pos >= this.end) throw new ProtoWireError(UNEXPECTED_EOF);
      const b = this.buf[this.pos++];
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
    }
  }

  /** A field key; `message` names the Go type for its error texts. */
  tag(message: string): Tag {
    const key = this.varint();
    const field = Number(BigInt.asIntN(32, key >> 3n));
    const wireType = Number(key & 7n);
    if (wireType === WIRE_END_GROUP) throw new ProtoWireError(`proto: ${message}: wiretype end group for non-group`);
    if (field <= 0) throw new ProtoWireError(`proto: ${message}: illegal tag ${field} (wire type ${key})`);
    return { field, wireType, key };
  }

  /** A length-delimited payload; Go's int is 64 bits, so a length with the top bit set is negative. */
  bytes(): Uint8Array {
    const length = BigInt.asIntN(64, this.varint());
    if (length < 0n) throw new ProtoWireError(INVALID_LENGTH);
    if (length > BigInt(this.end - this.pos)) throw new ProtoWireError(UNEXPECTED_EOF);
    const start = this.pos;
    this.pos += Number(length);
    return this.buf.subarray(start, this.pos);
  }

  /** skipGenerated: steps over a field Go does not know, starting at its key (`from`). */
  skip(from: number): void {
    this.pos = from;
    let depth = 0;
    while (this.pos < this.end) {
      const wireType = Number(this.varint() & 7n);
      switch (wireType) {
        case WIRE_VARINT:
          this.varint();
          break;
        case WIRE_FIXED64:
          this.advance(8);
          break;
        case WIRE_BYTES:
          this.bytes();
          break;
        case WIRE_START_GROUP:
          depth++;
          break;
        case WIRE_END_GROUP:
          if (depth === 0) throw new ProtoWireError(END_OF_GROUP);
          depth--;
          break;
        case WIRE_FIXED32:
          this.advance(4);
          break;
        default:
          throw new ProtoWireError(`proto: illegal wireType ${wireType}`);
      }
      if (depth === 0) return;
    }
    throw new ProtoWireError(UNEXPECTED_EOF);
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new ProtoWireError(UNEXPECTED_EOF);
    this.pos += n;
  }
}

/** gogo's `wrong wireType` error for a known field (named by its Go field name). */
export function wrongWireType(wireType: number, goField: string): ProtoWireError {
  return new ProtoWireError(`proto: wrong wireType = ${wireType} for field ${goField}`);
}
