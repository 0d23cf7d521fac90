// Go RE2 patterns (OpenAPI `pattern`, CEL matches()) as JS RegExps. The differences handled:
// \z and \A, flag groups (?i)(?s)(?m)(?U) at the start, (?P<name>, \pL / \p{Greek}, \Q..\E, \x{hex},
// POSIX classes [[:alpha:]], ASCII-only \s, '.' not matching only \n, escaped punctuation that the 'u'
// flag would reject, and RE2's refusal of lookaround, backreferences and possessive quantifiers
// (reported with Go's message, as regexp.Compile does).

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const GO_SPACE = '\\t\\n\\f\\r ';

export class GoRegexpError extends Error {}

function parseError(code: string, arg: string): GoRegexpError {
  return new GoRegexpError(`error parsing regexp: ${code}: \`${arg}\``);
}

/** Translates an RE2 pattern; throws GoRegexpError with Go's text for what RE2 rejects. */
export function translateGoRegexp(pattern: string): { source: string; flags: string } {
  let flags = 'u';
  let i = 0;
  // Leading flag groups such as (?i) or (?is) become RegExp flags.
  for (let m = /^\(\?([imsU]+)\)/.exec(pattern.slice(i)); m; m = /^\(\?([imsU]+)\)/.exec(pattern.slice(i))) {
    for (const f of m[1]) if (f !== 'U' && !flags.includes(f)) flags += f;
    i += m[0].length;
  }
  let out = '';
  let inClass = false;
  const dotAll = flags.includes('s');
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw parseError('trailing backslash at end of expression', '');
      if (n === 'z') { out += inClass ? 'z' : '$(?![\\s\\S])'; i += 2; continue; }
      if (n === 'A') { out += '^'; i += 2; continue; }
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const lit = end < 0 ? pattern.slice(i + 2) : pattern.slice(i + 2, end);
        out += lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      if (n === 'p' || n === 'P') {
        let name: string;
        if (pattern[i + 2] === '{') {
          const end = pattern.indexOf('}', i + 3);
          if (end < 0) throw parseError('invalid character class range', pattern.slice(i));
          name = pattern.slice(i + 3, end);
          i = end + 1;
        } else {
          name = pattern[i + 2] ?? '';
          i += 3;
        }
        const negate = name.startsWith('^');
        if (negate) name = name.slice(1);
        const general = /^(L|Lu|Ll|Lt|Lm|Lo|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Cs|Co)$/.test(name);
        const prop = name === 'Any' ? 'Any' : general ? name : `Script=${name}`;
        const upper = (n === 'P') !== negate;
        out += prop === 'Any' ? (upper ? '[^\\s\\S]' : '[\\s\\S]') : `\\${upper ? 'P' : 'p'}{${prop}}`;
        continue;
      }
      if (n === 'x' && pattern[i + 2] === '{') {
        const end = pattern.indexOf('}', i + 3);
        out += `\\u{${pattern.slice(i + 3, end)}}`;
        i = end + 1;
        continue;
      }
      if (n === 's') { out += inClass ? GO_SPACE : `[${GO_SPACE}]`; i += 2; continue; }
      if (n === 'S') { out += inClass ? '\\S' : `[^${GO_SPACE}]`; i += 2; continue; }
      if (/[1-9]/.test(n)) throw parseError('invalid escape sequence', `\\${n}`);
      if (/[a-zA-Z0-9]/.test(n)) { out += `\\${n}`; i += 2; continue; }
      // Escaped punctuation: the 'u' flag only allows syntax characters (and '-' in classes).
      out += SYNTAX.has(n) || (inClass && n === '-') ? `\\${n}` : n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end > 0) {
          let name = pattern.slice(i + 2, end);
          const negate = name.startsWith('^');
          if (negate) name = name.slice(1);
          const set = POSIX[name];
          if (!set) throw parseError('invalid character class range', pattern.slice(i, end + 2));
          if (negate) throw parseError('invalid character class range', pattern.slice(i, end + 2));
          out += set;
          i = end + 2;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (pattern[i] === '^') { out += '^'; i++; }
      if (pattern[i] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith('P<') || rest.startsWith('<')) {
        // Named capture, Go 1.22+ syntax: (?P<name>re) or (?<name>re).
        const begin = rest.startsWith('P<') ? 2 : 1;
        const end = rest.indexOf('>');
        if (end < 0) throw parseError('invalid named capture', pattern.slice(i));
        const name = rest.slice(begin, end);
        if (!/^[A-Za-z0-9_]+$/.test(name)) throw parseError('invalid named capture', `(?${rest.slice(0, end + 1)}`);
        out += `(?<${name}>`;
        i += 2 + end + 1;
        continue;
      }
      if (rest.startsWith(':')) {
        out += '(?:';
        i += 3;
        continue;
      }
      const flagGroup = /^([imsU-]+)(:|\))/.exec(rest);
      if (flagGroup) {
        // Flags in the middle of a pattern: applied to the whole pattern (JS has no scoped flags in Node 20).
        for (const f of flagGroup[1]) if (f !== 'U' && f !== '-' && !flags.includes(f)) flags += f;
        out += flagGroup[2] === ':' ? '(?:' : '';
        i += 2 + flagGroup[0].length;
        continue;
      }
      throw parseError('invalid or unsupported Perl syntax', `(?${rest[0] ?? ''}`);
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && (pattern[i + 1] === '+' || pattern[i + 1] === '*')) {
      throw parseError('invalid nested repetition operator', `${c}${pattern[i + 1]}`);
    }
    if (c === '.' && !dotAll) { out += '[^\\n]'; i++; continue; }
    if (c === '/') { out += '\\/'; i++; continue; }
    out += c;
    i++;
  }
  if (inClass) throw parseError('missing closing ]', pattern.slice(pattern.lastIndexOf('[')));
  return { source: out, flags };
}

const cache = new Map<string, RegExp | GoRegexpError>();

/** regexp.Compile for a Go pattern, cached; returns the Go error instead of throwing. */
export function compileGoRegexp(pattern: string): RegExp | GoRegexpError {
  let re = cache.get(pattern);
  if (re) return re;
  try {
    const { source, flags } = translateGoRegexp(pattern);
    re = new RegExp(source, flags);
  } catch (err) {
    re = err instanceof GoRegexpError ? err : new GoRegexpError(`error parsing regexp: invalid syntax: \`${pattern}\``);
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(pattern, re);
  return re;
}
