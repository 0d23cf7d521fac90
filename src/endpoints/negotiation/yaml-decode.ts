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
  nullYaml11Tag,
  parseEvents,
  type Event,
} from 'js-yaml';
import { goQuote } from '../../server/healthz/go-quote.js';

export class YamlDecodeError extends Error {}

// go-yaml v2's resolver without timestamps (it hands them back as strings) and without binary/omap.
const GO_YAML_SCHEMA = new Schema([...FAILSAFE_SCHEMA.tags, nullYaml11Tag, boolYaml11Tag, intYaml11Tag, floatYaml11Tag, mergeTag]);

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
