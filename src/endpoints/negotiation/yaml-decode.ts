// YAML bodies as kube reads them through sigs.k8s.io/yaml and go-yaml v2: YAML 1.1 scalars
// (yes/no/on/off are booleans, 0777 is octal, timestamps stay strings), only the first document of
// a multi-document body, the last of duplicate keys wins (non-strict), and in strict mode go-yaml's
// `yaml: unmarshal errors:\n  line N: key "k" already set in map` for every duplicate.
import {
  EVENT_ID,
  FAILSAFE_SCHEMA,
  SCALAR_STYLE,
  Schema,
  YAMLException,
  boolYaml11Tag,
  constructFromEvents,
  floatYaml11Tag,
  getScalarValue,
  intYaml11Tag,
  load,
  mergeTag,
  NOT_RESOLVED,
  nullYaml11Tag,
  parseEvents,
  type Event,
} from 'js-yaml';
import { goQuote } from '../go-strconv.js';

export class YamlDecodeError extends Error {}

const GO_INT_BASE0 = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const GO_TIMESTAMP_PREFIX = /^[0-9]{4}-/;

function parseGoInt(text: string): number {
  const negative = text.startsWith('-');
  const digits = text.replace(/^[-+]/, '');
  let value: number;
  if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
  else if (/^0[oO]/.test(digits)) value = parseInt(digits.slice(2), 8);
  else if (/^0[bB]/.test(digits)) value = parseInt(digits.slice(2), 2);
  else if (digits.length > 1 && digits.startsWith('0')) value = parseInt(digits, 8);
  else value = parseInt(digits, 10);
  return negative && value !== 0 ? -value : value;
}

/**
 * go-yaml v2's resolve() for numbers in plain scalars: strconv.ParseInt with base 0 (0x, 0o, 0b and
 * leading-0 octal; underscores dropped), then its float pattern. Base-60 numbers stay strings, as do
 * timestamps (go-yaml hands those back as strings when decoding into interface{}).
 */
function resolveGoNumber(source: string): number | typeof NOT_RESOLVED {
  const first = source[0];
  if (first === '.') return DOT_FLOAT.test(source) ? Number(source) : NOT_RESOLVED;
  if (!(first === '+' || first === '-' || (first >= '0' && first <= '9'))) return NOT_RESOLVED;
  if (GO_TIMESTAMP_PREFIX.test(source) && !GO_INT_BASE0.test(source.replace(/_/g, ''))) return NOT_RESOLVED;
  const plain = source.replace(/_/g, '');
  if (GO_INT_BASE0.test(plain)) return parseGoInt(plain);
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return NOT_RESOLVED;
}

const SPECIAL_FLOATS = /^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;

const goIntTag = {
  ...intYaml11Tag,
  implicitFirstChars: null,
  resolve: (source: string, isExplicit: boolean, tagName: string) => (isExplicit ? intYaml11Tag.resolve(source, isExplicit, tagName) : resolveGoNumber(source)),
};

const goFloatTag = {
  ...floatYaml11Tag,
  resolve: (source: string, isExplicit: boolean, tagName: string) =>
    isExplicit || SPECIAL_FLOATS.test(source) ? floatYaml11Tag.resolve(source, isExplicit, tagName) : NOT_RESOLVED,
};

// go-yaml v2's resolver: YAML 1.1 null and booleans, its own number rules, merge keys; no timestamps
// (they come back as strings), binary, omap or sets.
const GO_YAML_SCHEMA = new Schema([...FAILSAFE_SCHEMA.tags, nullYaml11Tag, boolYaml11Tag, goIntTag, goFloatTag, mergeTag]);

const DOCUMENT_MARKER = /^(---|\.\.\.)(?=\s|$)/;

/** The source of the first YAML document: go-yaml's Unmarshal reads no further. */
export function firstDocument(text: string): string {
  let offset = 0;
  let contentSeen = false;
  for (const line of text.split('\n')) {
    const marker = DOCUMENT_MARKER.exec(line);
    if (marker) {
      if (contentSeen || marker[1] === '...') return text.slice(0, offset);
      // The explicit start of the first document; it may carry content on the same line.
      if (line.slice(3).trim() !== '' && !line.slice(3).trim().startsWith('#')) contentSeen = true;
    } else if (line.trim() !== '' && !/^\s*#/.test(line) && !(!contentSeen && line.startsWith('%'))) {
      contentSeen = true;
    }
    offset += line.length + 1;
  }
  return text;
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source.charCodeAt(i) === 0x0a) line++;
  return line;
}

/** %#v of a go-yaml map key: plain scalars resolve (1, 0x1, 01 are all 1; y is true), others are quoted strings. */
function goKey(source: string, ev: Event & { type: typeof EVENT_ID.SCALAR }): string {
  const text = getScalarValue(source, ev);
  if (ev.style === SCALAR_STYLE.PLAIN && ev.tagStart < 0 && /^([-+.0-9]|(y|Y|yes|Yes|YES|on|On|ON|true|True|TRUE|n|N|no|No|NO|off|Off|OFF|false|False|FALSE|~|null|Null|NULL)$)/.test(text)) {
    const resolved = load(text, { schema: GO_YAML_SCHEMA });
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    if (resolved === null) return '<nil>';
  }
  return goQuote(text);
}

interface MapFrame {
  type: 'map';
  keys: Set<string>;
  /** key: a key comes next; inKey: a (collection) key is open; value: its value comes next; inValue: the value is open. */
  phase: 'key' | 'inKey' | 'value' | 'inValue';
  pending?: { key: string; duplicate: boolean };
  valueStart: number;
}
type Frame = MapFrame | { type: 'other' };

function nodeStart(ev: Event): number {
  switch (ev.type) {
    case EVENT_ID.SCALAR:
      return ev.valueStart;
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return ev.start;
    case EVENT_ID.ALIAS:
      return ev.anchorStart;
    default:
      return -1;
  }
}

/** go-yaml v2's strict-mode duplicate key errors, in its order (errors inside a value first). */
function duplicateKeyErrors(source: string, events: Event[]): string[] {
  const errors: string[] = [];
  const stack: Frame[] = [];
  const beginNode = (ev: Event): void => {
    const parent = stack[stack.length - 1];
    if (!parent || parent.type !== 'map') return;
    if (parent.phase === 'key') {
      parent.pending = { key: '', duplicate: false };
      if (ev.type === EVENT_ID.SCALAR) {
        const merge = ev.style === SCALAR_STYLE.PLAIN && getScalarValue(source, ev) === '<<';
        const key = goKey(source, ev);
        parent.pending = { key, duplicate: !merge && parent.keys.has(key) };
        if (!merge) parent.keys.add(key);
      }
      parent.phase = 'inKey';
    } else {
      parent.valueStart = nodeStart(ev);
      parent.phase = 'inValue';
    }
  };
  const endNode = (): void => {
    const parent = stack[stack.length - 1];
    if (!parent || parent.type !== 'map') return;
    if (parent.phase === 'inKey') {
      parent.phase = 'value';
      return;
    }
    // go-yaml reports a duplicate after decoding its value, at the line where the value starts.
    if (parent.pending?.duplicate) errors.push(`line ${lineOf(source, Math.max(parent.valueStart, 0))}: key ${parent.pending.key} already set in map`);
    parent.pending = undefined;
    parent.phase = 'key';
  };
  for (const ev of events) {
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        stack.push({ type: 'other' });
        break;
      case EVENT_ID.MAPPING:
        beginNode(ev);
        stack.push({ type: 'map', keys: new Set(), phase: 'key', valueStart: -1 });
        break;
      case EVENT_ID.SEQUENCE:
        beginNode(ev);
        stack.push({ type: 'other' });
        break;
      case EVENT_ID.SCALAR:
      case EVENT_ID.ALIAS:
        beginNode(ev);
        endNode();
        break;
      case EVENT_ID.POP:
        stack.pop();
        endNode();
        break;
    }
  }
  return errors;
}

function yamlError(err: unknown): YamlDecodeError {
  if (err instanceof YAMLException) {
    const e = err as YAMLException & { reason?: string; mark?: { line: number } };
    const reason = e.reason ?? e.message;
    return new YamlDecodeError(e.mark ? `yaml: line ${e.mark.line + 1}: ${reason}` : `yaml: ${reason}`);
  }
  return new YamlDecodeError(`yaml: ${(err as Error).message}`);
}

/** JSON cannot carry what YAML can: Go's json.Marshal refuses infinities and NaN. */
function checkJsonable(value: unknown): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new YamlDecodeError(`json: unsupported value: ${Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf'}`);
  }
  if (Array.isArray(value)) value.forEach(checkJsonable);
  else if (value && typeof value === 'object') Object.values(value).forEach(checkJsonable);
}

/**
 * The JSON value of the first document of a YAML body (null for an empty one), and, when asked,
 * go-yaml's strict error for its duplicate keys.
 */
export function yamlFirstDocumentToValue(text: string, detectDuplicates: boolean): { value: unknown; duplicateKeysError?: string } {
  const source = firstDocument(text);
  let events: Event[];
  let value: unknown;
  try {
    events = parseEvents(source, {});
    const docs = constructFromEvents(events, { source, schema: GO_YAML_SCHEMA, json: true });
    value = docs.length === 0 || docs[0] === undefined ? null : docs[0];
  } catch (err) {
    throw yamlError(err);
  }
  checkJsonable(value);
  if (!detectDuplicates) return { value };
  const errors = duplicateKeyErrors(source, events);
  return errors.length === 0 ? { value } : { value, duplicateKeysError: `yaml: unmarshal errors:\n  ${errors.join('\n  ')}` };
}
