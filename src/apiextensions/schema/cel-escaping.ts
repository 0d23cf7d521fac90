// Property names as CEL sees them (k8s.io/apiserver v0.32.9 pkg/cel/escaping.go Escape): reserved words
// become __word__, "__" → __underscores__, "." → __dot__, "-" → __dash__, "/" → __slash__; names starting
// with a digit or holding other characters are not accessible from CEL.
const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

export function escapeCelName(ident: string): string | undefined {
  if (ident.length === 0 || (ident[0] >= '0' && ident[0] <= '9')) return undefined;
  if (RESERVED.has(ident)) return `__${ident}__`;
  if (/[^a-zA-Z0-9\-./_]/.test(ident)) return undefined;
  return ident.replace(/__|[-./]/g, (m) => (m === '__' ? '__underscores__' : m === '.' ? '__dot__' : m === '-' ? '__dash__' : '__slash__'));
}

const cache = new Map<string, string | undefined>();
export function celName(ident: string): string | undefined {
  if (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(ident) && !ident.includes('__') && !RESERVED.has(ident)) return ident;
  if (!cache.has(ident)) cache.set(ident, escapeCelName(ident));
  return cache.get(ident);
}
