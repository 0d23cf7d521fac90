// A range of ports as kube's flags take it (apimachinery's net.PortRange): "30000-32767",
// "30000+2767" (base plus offset) or a single port, inclusive at both ends.

export interface PortRange {
  base: number;
  size: number;
}

/** Go's strconv.Atoi on a decimal (an optional sign, digits only). */
function atoi(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** Parses a range; throws with the reason the flag is refused. */
export function parsePortRange(input: string): PortRange {
  const value = input.trim();
  if (value === '') return { base: 0, size: 0 };
  const hyphen = value.indexOf('-');
  const plus = value.indexOf('+');
  let low: number | undefined;
  let high: number | undefined;
  if (hyphen === -1 && plus === -1) {
    low = high = atoi(value);
  } else if (hyphen !== -1 && plus === -1) {
    low = atoi(value.slice(0, hyphen));
    high = atoi(value.slice(hyphen + 1));
  } else if (plus !== -1 && hyphen === -1) {
    low = atoi(value.slice(0, plus));
    const offset = atoi(value.slice(plus + 1));
    high = low === undefined || offset === undefined ? undefined : low + offset;
  } else {
    throw new Error(`unable to parse port range: ${value}`);
  }
  if (low === undefined || high === undefined) throw new Error(`unable to parse port range: ${value}`);
  if (low > 65535 || high > 65535) throw new Error(`the port range cannot be greater than 65535: ${value}`);
  if (high < low) throw new Error(`end port cannot be less than start port: ${value}`);
  return { base: low, size: 1 + high - low };
}

/** "30000-32767", as kube prints a range in its messages. */
export function formatPortRange(range: PortRange): string {
  return range.size === 0 ? '' : `${range.base}-${range.base + range.size - 1}`;
}
