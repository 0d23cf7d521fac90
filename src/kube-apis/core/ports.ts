// Port checks shared by Services, Endpoints, EndpointSlices and Pods (kube's validation.IsValidPortNum,
// IsValidPortName and ValidatePortNumOrName).
import type { FieldError } from '../../endpoints/status.js';
import { fieldInvalid, fieldNotSupported, fieldRequired } from '../../registry/validation/field-errors.js';
import { inclusiveRangeError, isDNS1123Label, isQualifiedName, maxLenError } from '../../registry/validation/names.js';

/** supportedPortProtocols, sorted as kube lists them. */
export const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;

export function isValidPortNum(port: unknown): string[] {
  return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** validation.IsValidPortName: an IANA_SVC_NAME. */
export function isValidPortName(name: string): string[] {
  const errors: string[] = [];
  if (name.length > 15) errors.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(name)) errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) errors.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errors.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errors.push('must not begin or end with a hyphen');
  return errors;
}

export function validatePortNum(port: unknown, path: string): FieldError[] {
  return isValidPortNum(port).map((msg) => fieldInvalid(path, port ?? 0, msg));
}

/** ValidatePortNumOrName: an int-or-string target port. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'string') return isValidPortName(port).map((msg) => fieldInvalid(path, port, msg));
  return validatePortNum(port ?? 0, path);
}

export function validateProtocol(protocol: unknown, path: string): FieldError[] {
  if (!protocol) return [fieldRequired(path)];
  return (PORT_PROTOCOLS as readonly string[]).includes(String(protocol)) ? [] : [fieldNotSupported(path, protocol, PORT_PROTOCOLS)];
}

/** ValidateDNS1123Label as a field check. */
export function validateDNS1123Label(value: string, path: string): FieldError[] {
  return isDNS1123Label(value).map((msg) => fieldInvalid(path, value, msg));
}

/** ValidateQualifiedName as a field check (appProtocol). */
export function validateQualifiedName(value: string, path: string): FieldError[] {
  return isQualifiedName(value).map((msg) => fieldInvalid(path, value, msg));
}
