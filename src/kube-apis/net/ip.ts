// IP addresses and CIDRs as kube's validation reads them (k8s.io/utils/net and
// k8s.io/apimachinery/pkg/util/validation): IPv4 dotted quads (leading zeros tolerated, as
// ParseIPSloppy does), IPv6 in any textual form, and IPv4-mapped IPv6 as IPv4.
import { isIPv4, isIPv6 } from 'node:net';

export type IPFamily = 'IPv4' | 'IPv6';

export interface ParsedIP {
  family: IPFamily;
  /** The address as an unsigned integer (32 or 128 bits). */
  value: bigint;
}

/** ParseIPSloppy: also takes IPv4 octets with leading zeros ("010.0.0.1" is 10.0.0.1). */
export function parseIP(text: string): ParsedIP | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const octets = text.split('.').map((o) => Number.parseInt(o, 10));
    if (octets.some((o) => o > 255)) return undefined;
    return { family: 'IPv4', value: octets.reduce((acc, o) => (acc << 8n) | BigInt(o), 0n) };
  }
  if (!isIPv6(text)) return undefined;
  const value = ipv6Value(text);
  // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is an IPv4 address to Go's net.IP.
  if (value >> 32n === 0xffffn) return { family: 'IPv4', value: value & 0xffffffffn };
  return { family: 'IPv6', value };
}

function ipv6Value(text: string): bigint {
  let head = text;
  let tailV4: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (isIPv4(tail)) {
    tailV4 = tail.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const [left, right] = head.includes('::') ? head.split('::') : [head, undefined];
  const leftGroups = left ? left.split(':') : [];
  const rightGroups = right ? right.split(':') : [];
  const zeros = right === undefined ? 0 : 8 - leftGroups.length - rightGroups.length;
  const groups = [...leftGroups, ...Array<string>(zeros).fill('0'), ...rightGroups];
  let value = groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g || '0', 16)), 0n);
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

export function formatIP(ip: ParsedIP): string {
  if (ip.family === 'IPv4') return [24n, 16n, 8n, 0n].map((s) => String((ip.value >> s) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes "::" (RFC 5952, as Go prints).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

export interface ParsedCIDR {
  family: IPFamily;
  /** The network address. */
  base: bigint;
  prefixLength: number;
  /** Address bits of the family: 32 or 128. */
  bits: number;
}

export function parseCIDR(text: string): ParsedCIDR | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIP(text.slice(0, slash));
  const lengthText = text.slice(slash + 1);
  if (!ip || !/^\d{1,3}$/.test(lengthText)) return undefined;
  const bits = ip.family === 'IPv4' ? 32 : 128;
  const prefixLength = Number(lengthText);
  if (prefixLength > bits) return undefined;
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  return { family: ip.family, base: ip.value & ~hostMask, prefixLength, bits };
}

export function formatCIDR(cidr: ParsedCIDR): string {
  return `${formatIP({ family: cidr.family, value: cidr.base })}/${cidr.prefixLength}`;
}

export function cidrContains(cidr: ParsedCIDR, ip: ParsedIP): boolean {
  if (ip.family !== cidr.family) return false;
  return ip.value >> BigInt(cidr.bits - cidr.prefixLength) === cidr.base >> BigInt(cidr.bits - cidr.prefixLength);
}

/** validation.IsValidIP's message. */
export const INVALID_IP_MESSAGE = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
