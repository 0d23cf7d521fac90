// resource.Quantity for the CEL quantity library: parsed exactly into value = mantissa × 10^exp (BigInt),
// with kube's grammar (<signedNumber><suffix>: Ki..Ei, n u m k M G T P E, e/E exponents).
const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const GRAMMAR = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

export class Quantity {
  constructor(
    readonly mantissa: bigint,
    readonly exp: number,
  ) {}

  static parse(s: string): Quantity | undefined {
    const m = GRAMMAR.exec(s);
    if (!m) return undefined;
    const [, sign, num, suffix = ''] = m;
    const [intPart, frac = ''] = num.split('.');
    let mantissa = BigInt((intPart || '0') + frac) * (sign === '-' ? -1n : 1n);
    let exp = -frac.length;
    if (suffix in BINARY) mantissa *= BINARY[suffix];
    else if (suffix in DECIMAL) exp += DECIMAL[suffix];
    else {
      const e = Number(suffix.slice(1));
      if (!Number.isFinite(e) || Math.abs(e) > 1000) return undefined;
      exp += e;
    }
    return new Quantity(mantissa, exp);
  }

  private aligned(other: Quantity): [bigint, bigint] {
    const e = Math.min(this.exp, other.exp);
    return [this.mantissa * 10n ** BigInt(this.exp - e), other.mantissa * 10n ** BigInt(other.exp - e)];
  }
  compareTo(other: Quantity): bigint {
    const [a, b] = this.aligned(other);
    return a < b ? -1n : a > b ? 1n : 0n;
  }
  add(other: Quantity): Quantity {
    const [a, b] = this.aligned(other);
    return new Quantity(a + b, Math.min(this.exp, other.exp));
  }
  sub(other: Quantity): Quantity {
    const [a, b] = this.aligned(other);
    return new Quantity(a - b, Math.min(this.exp, other.exp));
  }
  sign(): bigint {
    return this.mantissa > 0n ? 1n : this.mantissa < 0n ? -1n : 0n;
  }
  isInteger(): boolean {
    if (this.exp >= 0) return true;
    return this.mantissa % 10n ** BigInt(-this.exp) === 0n;
  }
  /** The value as an int64, or undefined when it is fractional or out of range. */
  asInteger(): bigint | undefined {
    if (!this.isInteger()) return undefined;
    const v = this.exp >= 0 ? this.mantissa * 10n ** BigInt(this.exp) : this.mantissa / 10n ** BigInt(-this.exp);
    return v >= -(2n ** 63n) && v < 2n ** 63n ? v : undefined;
  }
  asApproximateFloat(): number {
    return Number(this.mantissa) * 10 ** this.exp;
  }
}
