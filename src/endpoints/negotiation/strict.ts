// Field validation (`fieldValidation=Strict|Warn|Ignore`) of decoded bodies, with kube's texts:
// each problem is `unknown field "spec.x"` or `duplicate field "metadata.name"` (sigs.k8s.io/json),
// Strict fails the request with 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: strict
// decoding error: <problems joined by ", ">` (apimachinery runtime.strictDecodingError,
// apiserver handlers/rest.go transformDecodeError), Warn returns each problem as a warning
// (handlers/create.go addStrictDecodingWarnings), Ignore drops them.
import { goQuote } from '../go-strconv.js';
import { newCannotBeHandledAs } from './decode.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

const MAX_STRICT_ERRORS = 100;

export function unknownFieldMessage(path: string): string {
  return `unknown field ${goQuote(path)}`;
}

export function duplicateFieldMessage(path: string): string {
  return `duplicate field ${goQuote(path)}`;
}

export interface StrictProblems {
  /** go-yaml's duplicate key error of a YAML body; kube lists it first. */
  yamlStrictError?: string;
  /** Duplicate JSON fields, in document order. */
  duplicateFields?: string[];
  /** Unknown fields (from the schema: pruning for custom resources), in the order found. */
  unknownFields?: string[];
}

/**
 * The strict decoding errors in kube's order for custom resources: the YAML error, the duplicate
 * fields, then the unknown fields, each once and at most 100 of the JSON ones (sigs.k8s.io/json's
 * cap). Built-in types interleave duplicates and unknown fields in document order; pass them in
 * that order as `duplicateFields` is just a list of messages' paths.
 */
export function strictErrorMessages(problems: StrictProblems): string[] {
  const jsonErrors: string[] = [];
  for (const path of problems.duplicateFields ?? []) jsonErrors.push(duplicateFieldMessage(path));
  for (const path of problems.unknownFields ?? []) jsonErrors.push(unknownFieldMessage(path));
  const unique = [...new Set(jsonErrors)].slice(0, MAX_STRICT_ERRORS);
  return problems.yamlStrictError ? [problems.yamlStrictError, ...unique] : unique;
}

/** runtime.strictDecodingError's text. */
export function strictDecodingErrorText(messages: string[]): string {
  return `strict decoding error: ${messages.join(', ')}`;
}

export interface DecodedKind {
  /** The kind and version the body was decoded as (its own, or the endpoint's defaults). */
  kind: string;
  version: string;
  /** The endpoint's kind. */
  expectedKind: string;
}

const YAML_STRICT_PREFIXES = ['yaml: unmarshal errors:\n', 'error converting YAML to JSON: yaml: unmarshal errors:\n'];

/** kube's parseYAMLWarnings: go-yaml's multi-line error becomes one warning per line. */
function warningsOf(message: string): string[] {
  const prefix = YAML_STRICT_PREFIXES.find((p) => message.startsWith(p));
  if (!prefix) return [message];
  return message.slice(prefix.length).split('\n').map((line) => line.trim());
}

/**
 * Applies a fieldValidation directive: Strict throws kube's 400, Warn returns the warnings to send
 * (as `Warning: 299 - "<text>"` headers; a YAML duplicate-key error gives one per key), Ignore
 * returns none.
 */
export function applyFieldValidation(directive: FieldValidation, problems: StrictProblems, decoded: DecodedKind): string[] {
  const messages = strictErrorMessages(problems);
  if (messages.length === 0 || directive === 'Ignore') return [];
  if (directive === 'Strict') throw newCannotBeHandledAs(decoded.kind, decoded.version, decoded.expectedKind, strictDecodingErrorText(messages));
  return messages.flatMap(warningsOf);
}
