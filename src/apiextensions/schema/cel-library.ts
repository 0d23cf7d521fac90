// The Kubernetes CEL libraries of a 1.32 CRD environment (k8s.io/apiserver v0.32.9 pkg/cel/library and
// cel-go ext) that @marcbachmann/cel-js lacks: lists (isSorted, sum, min, max, indexOf, lastIndexOf),
// regex (find, findAll, and matches with RE2 syntax), strings v2 (charAt, replace, reverse, format,
// strings.quote, indexOf/lastIndexOf with offsets), sets (sets.contains/equivalent/intersects), urls,
// quantity, format (format.dns1123Label()... .validate()) and ip/cidr basics.
import { Environment, Optional } from '@marcbachmann/cel-js';
import { isIP } from 'node:net';
import { compileGoRegexp, GoRegexpError } from './regex.js';
import { Quantity } from './quantity.js';
import { jsonEqual } from './equality.js';
import * as names from '../../registry/validation/names.js';

class CelNamespace {
  constructor(readonly name: string) {}
}
class KubeURL {
  constructor(readonly url: URL, readonly raw: string) {}
}
class KubeFormat {
  constructor(readonly name: string, readonly check: (s: string) => string[]) {}
}
class KubeIP {
  constructor(readonly addr: string) {}
}

function re(pattern: string): RegExp {
  const r = compileGoRegexp(pattern);
  if (r instanceof GoRegexpError) throw new Error(r.message);
  return r;
}
function reGlobal(pattern: string): RegExp {
  const r = re(pattern);
  return new RegExp(r.source, r.flags.includes('g') ? r.flags : `${r.flags}g`);
}

function celCompare(a: unknown, b: unknown): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof Quantity && b instanceof Quantity) return Number(a.compareTo(b));
  throw new Error('no such overload');
}

const celEqual = (a: unknown, b: unknown) => (typeof a === 'bigint' || typeof b === 'bigint' ? a == b : jsonEqual(a, b)); // eslint-disable-line eqeqeq

/** Go's fmt-like %s / %d / %f / %e / %x / %o / %b / %% of the strings.format extension (common verbs). */
function formatString(fmt: string, args: unknown[]): string {
  let n = 0;
  return fmt.replace(/%(\.\d+)?([sdfeEoxXb%])/g, (_m, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    const arg = args[n++];
    if (arg === undefined) throw new Error(`index ${n - 1} out of range`);
    const p = precision ? Number(precision.slice(1)) : 6;
    switch (verb) {
      case 's': return celToString(arg);
      case 'd': return String(typeof arg === 'bigint' ? arg : Math.trunc(Number(arg)));
      case 'f': return Number(arg).toFixed(p);
      case 'e': case 'E': { const s = Number(arg).toExponential(p).replace(/e([+-])(\d)$/, 'e$10$2'); return verb === 'E' ? s.toUpperCase() : s; }
      case 'x': return typeof arg === 'string' ? Buffer.from(arg).toString('hex') : BigInt(arg as bigint).toString(16);
      case 'X': return (typeof arg === 'string' ? Buffer.from(arg).toString('hex') : BigInt(arg as bigint).toString(16)).toUpperCase();
      case 'o': return BigInt(arg as bigint).toString(8);
      default: return BigInt(arg as bigint).toString(2);
    }
  });
}

function celToString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(celToString).join(', ')}]`;
  if (v instanceof Date) return v.toISOString().replace('.000Z', 'Z');
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${k}: ${celToString(x)}`).join(', ')}}`;
  return String(v);
}

const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: names.isDNS1123Label,
  dns1123Subdomain: names.isDNS1123Subdomain,
  dns1035Label: names.isDNS1035Label,
  qualifiedName: names.isQualifiedName,
  labelValue: names.isValidLabelValue,
  dns1123LabelPrefix: (s) => names.isDNS1123Label(s.endsWith('-') ? `${s.slice(0, -1)}a` : s),
  dns1123SubdomainPrefix: (s) => names.isDNS1123Subdomain(s.endsWith('-') ? `${s.slice(0, -1)}a` : s),
  dns1035LabelPrefix: (s) => names.isDNS1035Label(s.endsWith('-') ? `${s.slice(0, -1)}a` : s),
  uri: (s) => { try { new URL(s); return []; } catch { return ['invalid URI']; } },
  uuid: (s) => (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s) ? [] : ['invalid base64']),
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid date']),
  datetime: (s) => (!Number.isNaN(Date.parse(s)) && /T/.test(s) ? [] : ['invalid datetime']),
};

/**
 * Builds the CRD rule environment: `self` is dyn, `oldSelf` dyn or, for optionalOldSelf rules,
 * optional<dyn>; all kube libraries registered.
 */
export function newKubeCelEnvironment(optionalOldSelf = false): Environment {
  const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false, unlistedVariablesAreDyn: false });
  env.registerVariable('self', 'dyn').registerVariable('oldSelf', optionalOldSelf ? 'optional<dyn>' : 'dyn');
  env.registerType('KubeNamespace', CelNamespace).registerType('URL', KubeURL).registerType('Quantity', Quantity).registerType('KubeFormat', KubeFormat).registerType('net.IP', KubeIP);
  env.registerConstant('sets', 'KubeNamespace', new CelNamespace('sets'));
  env.registerConstant('strings', 'KubeNamespace', new CelNamespace('strings'));
  env.registerConstant('format', 'KubeNamespace', new CelNamespace('format'));

  // Lists
  env.registerFunction('list.isSorted(): bool', (l: unknown[]) => l.every((x, i) => i === 0 || celCompare(l[i - 1], x) <= 0));
  env.registerFunction('list.sum(): dyn', (l: unknown[]) => {
    if (l.length === 0) return 0n;
    return l.reduce((a: unknown, b: unknown) => {
      if (typeof a === 'bigint' && typeof b === 'bigint') return a + b;
      return Number(a) + Number(b);
    });
  });
  env.registerFunction('list.min(): dyn', (l: unknown[]) => {
    if (l.length === 0) throw new Error('min called on empty list');
    return l.reduce((a, b) => (celCompare(b, a) < 0 ? b : a));
  });
  env.registerFunction('list.max(): dyn', (l: unknown[]) => {
    if (l.length === 0) throw new Error('max called on empty list');
    return l.reduce((a, b) => (celCompare(b, a) > 0 ? b : a));
  });
  env.registerFunction('list.indexOf(dyn): int', (l: unknown[], x: unknown) => BigInt(l.findIndex((y) => celEqual(x, y))));
  env.registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], x: unknown) => {
    for (let i = l.length - 1; i >= 0; i--) if (celEqual(x, l[i])) return BigInt(i);
    return -1n;
  });

  // Regex (RE2 syntax)
  env.registerFunction('string.re2matches(string): bool', (s: string, p: string) => re(p).test(s));
  env.registerFunction('string.find(string): string', (s: string, p: string) => re(p).exec(s)?.[0] ?? '');
  env.registerFunction('string.findAll(string): list<string>', (s: string, p: string) => [...s.matchAll(reGlobal(p))].map((m) => m[0]));
  env.registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => {
    const all = [...s.matchAll(reGlobal(p))].map((m) => m[0]);
    return n < 0n ? all : all.slice(0, Number(n));
  });

  // Strings v2
  env.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    const cps = [...s];
    if (i < 0n || i > BigInt(cps.length)) throw new Error(`index out of range: ${i}`);
    return cps[Number(i)] ?? '';
  });
  env.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b));
  env.registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
    if (n < 0n) return s.split(a).join(b);
    let out = s;
    let from = 0;
    for (let k = 0n; k < n; k++) {
      const at = out.indexOf(a, from);
      if (at < 0) break;
      out = out.slice(0, at) + b + out.slice(at + a.length);
      from = at + b.length;
    }
    return out;
  });
  env.registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''));
  env.registerFunction('string.format(list): string', (s: string, args: unknown[]) => formatString(s, args));
  env.registerFunction('KubeNamespace.quote(string): string', (_ns: CelNamespace, s: string) => JSON.stringify(s));

  // Sets
  env.registerFunction('KubeNamespace.contains(list, list): bool', (_ns: CelNamespace, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEqual(x, y))));
  env.registerFunction('KubeNamespace.equivalent(list, list): bool', (_ns: CelNamespace, a: unknown[], b: unknown[]) => b.every((x) => a.some((y) => celEqual(x, y))) && a.every((x) => b.some((y) => celEqual(x, y))));
  env.registerFunction('KubeNamespace.intersects(list, list): bool', (_ns: CelNamespace, a: unknown[], b: unknown[]) => a.some((x) => b.some((y) => celEqual(x, y))));

  // URLs
  const parseURL = (s: string): URL | undefined => {
    if (!/^([a-zA-Z][a-zA-Z0-9+.-]*:|\/)/.test(s)) return undefined;
    try { return new URL(s, s.startsWith('/') ? 'relative:///' : undefined); } catch { return undefined; }
  };
  env.registerFunction('url(string): URL', (s: string) => {
    const u = parseURL(s);
    if (!u) throw new Error(`URL parse error during conversion from string: parse "${s}": invalid URI for request`);
    return new KubeURL(u, s);
  });
  env.registerFunction('isURL(string): bool', (s: string) => parseURL(s) !== undefined);
  env.registerFunction('URL.getScheme(): string', (u: KubeURL) => (u.url.protocol === 'relative:' ? '' : u.url.protocol.slice(0, -1)));
  env.registerFunction('URL.getHost(): string', (u: KubeURL) => (u.url.protocol === 'relative:' ? '' : u.url.host));
  env.registerFunction('URL.getHostname(): string', (u: KubeURL) => (u.url.protocol === 'relative:' ? '' : u.url.hostname.replace(/^\[|\]$/g, '')));
  env.registerFunction('URL.getPort(): string', (u: KubeURL) => u.url.port);
  env.registerFunction('URL.getEscapedPath(): string', (u: KubeURL) => u.url.pathname);
  env.registerFunction('URL.getQuery(): map', (u: KubeURL) => {
    const q: Record<string, string[]> = {};
    for (const [k, v] of u.url.searchParams) (q[k] ??= []).push(v);
    return q;
  });

  // Quantity
  const toQuantity = (s: string) => {
    const q = Quantity.parse(s);
    if (!q) throw new Error('quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
    return q;
  };
  env.registerFunction('quantity(string): Quantity', toQuantity);
  env.registerFunction('isQuantity(string): bool', (s: string) => Quantity.parse(s) !== undefined);
  env.registerFunction('Quantity.sign(): int', (q: Quantity) => q.sign());
  env.registerFunction('Quantity.isInteger(): bool', (q: Quantity) => q.isInteger());
  env.registerFunction('Quantity.asInteger(): int', (q: Quantity) => {
    const v = q.asInteger();
    if (v === undefined) throw new Error('cannot convert value to integer');
    return v;
  });
  env.registerFunction('Quantity.asApproximateFloat(): double', (q: Quantity) => q.asApproximateFloat());
  env.registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => a.add(b));
  env.registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) => a.add(new Quantity(b, 0)));
  env.registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => a.sub(b));
  env.registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) => a.sub(new Quantity(b, 0)));
  env.registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) => a.compareTo(b));
  env.registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0n);
  env.registerFunction('Quantity.isGreaterThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) > 0n);

  // Format
  for (const [name, check] of Object.entries(FORMATS)) {
    env.registerFunction(`KubeNamespace.${name}(): KubeFormat`, () => new KubeFormat(name, check));
  }
  env.registerFunction('KubeNamespace.named(string): optional<KubeFormat>', (_ns: CelNamespace, name: string) =>
    FORMATS[name] ? Optional.of(new KubeFormat(name, FORMATS[name])) : Optional.none(),
  );
  env.registerFunction('KubeFormat.validate(string): optional<list<string>>', (f: KubeFormat, s: string) => {
    const errs = f.check(s);
    return errs.length ? Optional.of(errs) : Optional.none();
  });

  // IP (the common checks)
  env.registerFunction('isIP(string): bool', (s: string) => isIP(s) !== 0);
  env.registerFunction('ip(string): net.IP', (s: string) => {
    if (isIP(s) === 0) throw new Error(`IP Address "${s}" parse error during conversion from string`);
    return new KubeIP(s);
  });
  env.registerFunction('net.IP.family(): int', (ip: KubeIP) => BigInt(isIP(ip.addr)));
  env.registerFunction('isCIDR(string): bool', (s: string) => {
    const [addr, bits, extra] = s.split('/');
    if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
    const family = isIP(addr);
    return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
  });
  return env;
}
