// Name rules of k8s.io/apimachinery/pkg/util/validation (validation.go), pkg/api/validation
// (generic.go) and pkg/api/validation/path (name.go), kube 1.32, with kube's exact messages.
// Go measures strings in bytes and its patterns here are ASCII-only, so every check runs on the
// UTF-8 bytes of the value (one char per byte): lengths and matches come out as Go's.

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const C_IDENTIFIER_FMT = '[A-Za-z_][A-Za-z0-9_]*';

const whole = (fmt: string) => new RegExp(`^(?:${fmt})$`);
const dns1123Label = whole(DNS1123_LABEL_FMT);
const dns1123Subdomain = whole(DNS1123_SUBDOMAIN_FMT);
const dns1035Label = whole(DNS1035_LABEL_FMT);
const qualifiedName = whole(QUALIFIED_NAME_FMT);
const labelValue = whole(LABEL_VALUE_FMT);
const configMapKey = whole(CONFIG_MAP_KEY_FMT);
const cIdentifier = whole(C_IDENTIFIER_FMT);

const QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX_LENGTH = 63;
export const LABEL_VALUE_MAX_LENGTH = 63;
export const DNS1123_LABEL_MAX_LENGTH = 63;
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
export const DNS1035_LABEL_MAX_LENGTH = 63;

/** The value's UTF-8 bytes, one char each, so that .length and ASCII patterns behave as Go's. */
function bytes(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

/** validation.MaxLenError */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** validation.RegexError; Go joins "'a', " pieces with " or ", hence kube's double spaces. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** validation.EmptyError */
export const EMPTY_ERROR = 'must be non-empty';

/** validation.InclusiveRangeError */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** validation.IsDNS1123Label */
export function isDNS1123Label(value: string): string[] {
  return checkDNS1123Label(bytes(value));
}

function checkDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > DNS1123_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  if (!dns1123Label.test(v)) {
    // A valid subdomain that is not a label can only be failing on its dots (length is checked above).
    if (dns1123Subdomain.test(v)) errs.push('must not contain dots');
    else errs.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** validation.IsDNS1123Subdomain */
export function isDNS1123Subdomain(value: string): string[] {
  return checkDNS1123Subdomain(bytes(value));
}

function checkDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!dns1123Subdomain.test(v)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

/** validation.IsDNS1035Label */
export function isDNS1035Label(value: string): string[] {
  return checkDNS1035Label(bytes(value));
}

function checkDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > DNS1035_LABEL_MAX_LENGTH) errs.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  if (!dns1035Label.test(v)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  }
  return errs;
}

/** validation.IsQualifiedName: label keys, annotation keys (lower-cased first), finalizer names. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push(`prefix part ${EMPTY_ERROR}`);
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [`a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const n = bytes(name);
  if (n.length === 0) errs.push(`name part ${EMPTY_ERROR}`);
  else if (n.length > QUALIFIED_NAME_MAX_LENGTH) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  if (!qualifiedName.test(n)) errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** validation.IsValidLabelValue */
export function isValidLabelValue(value: string): string[] {
  const v = bytes(value);
  const errs: string[] = [];
  if (v.length > LABEL_VALUE_MAX_LENGTH) errs.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  if (!labelValue.test(v)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

/** validation.IsConfigMapKey: keys of ConfigMap and Secret data. */
export function isConfigMapKey(value: string): string[] {
  const v = bytes(value);
  const errs: string[] = [];
  if (v.length > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  if (!configMapKey.test(v)) errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", CONFIG_MAP_KEY_FMT, 'key.name', 'KEY_NAME', 'key-name'));
  if (v === '.') errs.push("must not be '.'");
  else if (v === '..') errs.push("must not be '..'");
  else if (v.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** validation.IsCIdentifier (format only, no length). */
export function isCIdentifier(value: string): string[] {
  return cIdentifier.test(bytes(value)) ? [] : [regexError("a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'", C_IDENTIFIER_FMT, 'my_name', 'MY_NAME', 'MyName')];
}

/** ValidateNameFunc: (name, prefix) → messages; prefix is true for a generateName. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/**
 * generic.go's maskTrailingDash, on bytes: a prefix may end in '-' since characters follow. kube
 * cuts the last TWO bytes and appends 'a' ("ab-" is checked as "aa"); so do we.
 */
function maskTrailingDash(nameBytes: string): string {
  return nameBytes.length > 1 && nameBytes.endsWith('-') ? `${nameBytes.slice(0, -2)}a` : nameBytes;
}

const onMasked = (check: (v: string) => string[]): NameValidator => (name, prefix) => check(prefix ? maskTrailingDash(bytes(name)) : bytes(name));

/** NameIsDNSSubdomain */
export const nameIsDNSSubdomain: NameValidator = onMasked(checkDNS1123Subdomain);
/** NameIsDNSLabel */
export const nameIsDNSLabel: NameValidator = onMasked(checkDNS1123Label);
/** NameIsDNS1035Label */
export const nameIsDNS1035Label: NameValidator = onMasked(checkDNS1035Label);
/** ValidateNamespaceName */
export const validateNamespaceName: NameValidator = nameIsDNSLabel;
/** ValidateServiceAccountName */
export const validateServiceAccountName: NameValidator = nameIsDNSSubdomain;

const NAME_MAY_NOT_BE = ['.', '..'];
const NAME_MAY_NOT_CONTAIN = ['/', '%'];

/** path.IsValidPathSegmentPrefix */
export function isValidPathSegmentPrefix(name: string): string[] {
  return NAME_MAY_NOT_CONTAIN.filter((bad) => name.includes(bad)).map((bad) => `may not contain '${bad}'`);
}

/** path.IsValidPathSegmentName: what any object name must satisfy to stand in a URL. */
export function isValidPathSegmentName(name: string): string[] {
  if (NAME_MAY_NOT_BE.includes(name)) return [`may not be '${name}'`];
  return isValidPathSegmentPrefix(name);
}

/** path.ValidatePathSegmentName, a ValidateNameFunc (kube's rule for names of most custom resources). */
export const validatePathSegmentName: NameValidator = (name, prefix) => (prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name));

/** names.SimpleNameGenerator: the prefix cut to 58 bytes, then 5 characters from utilrand's alphabet. */
export const MAX_GENERATED_NAME_LENGTH = 63 - 5;
const RANDOM_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function generateNameFromBase(base: string, random: () => number = Math.random): string {
  const b = Buffer.from(base, 'utf8');
  const cut = b.length > MAX_GENERATED_NAME_LENGTH ? b.subarray(0, MAX_GENERATED_NAME_LENGTH).toString('utf8') : base;
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += RANDOM_ALPHABET[Math.floor(random() * RANDOM_ALPHABET.length)];
  return cut + suffix;
}
