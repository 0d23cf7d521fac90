// kube's IP field checks (pkg/apis/core/validation and k8s.io/apimachinery validation/ip.go).
import type { FieldError } from '../../endpoints/status.js';
import { fieldInvalid } from '../../registry/validation/field-errors.js';
import { INVALID_IP_MESSAGE, parseIP, parseCIDR, type ParsedIP } from './ip.js';

/** validation.IsValidIP (and IsValidIPForLegacyField, which tolerates what ParseIPSloppy reads). */
export function validateIP(value: string, path: string): FieldError[] {
  return parseIP(value) ? [] : [fieldInvalid(path, value, INVALID_IP_MESSAGE)];
}

export function validateIPv4(value: string, path: string): FieldError[] {
  return parseIP(value)?.family === 'IPv4' ? [] : [fieldInvalid(path, value, 'must be a valid IPv4 address')];
}

export function validateIPv6(value: string, path: string): FieldError[] {
  return parseIP(value)?.family === 'IPv6' ? [] : [fieldInvalid(path, value, 'must be a valid IPv6 address')];
}

/** validation.IsValidCIDR */
export function validateCIDR(value: string, path: string): FieldError[] {
  return parseCIDR(value) ? [] : [fieldInvalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

const inRange = (ip: ParsedIP, v4: [bigint, number], v6: [bigint, number]): boolean => {
  const [base, length] = ip.family === 'IPv4' ? v4 : v6;
  const bits = ip.family === 'IPv4' ? 32 : 128;
  return ip.value >> BigInt(bits - length) === base >> BigInt(bits - length);
};

/** ValidateNonSpecialIP (ValidateEndpointIP): no unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(value: string, path: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [fieldInvalid(path, value, 'must be a valid IP address')];
  const errors: FieldError[] = [];
  if (ip.value === 0n) errors.push(fieldInvalid(path, value, `may not be unspecified (${value})`));
  if (inRange(ip, [0x7f000000n, 8], [1n, 128])) errors.push(fieldInvalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (inRange(ip, [0xa9fe0000n, 16], [0xfe80n << 112n, 10])) errors.push(fieldInvalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (inRange(ip, [0xe0000000n, 24], [0xff02n << 112n, 16])) errors.push(fieldInvalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errors;
}
