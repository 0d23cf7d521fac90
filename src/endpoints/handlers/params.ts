// Query parameters of the REST verbs, parsed and validated as kube's ListOptions, GetOptions,
// CreateOptions, UpdateOptions, PatchOptions and DeleteOptions are.
import type { Context } from 'koa';
import { newBadRequest, newInvalid, type FieldError } from '../status.js';

export function queryString(ctx: Context, name: string): string | undefined {
  const value = ctx.query[name];
  return Array.isArray(value) ? value[0] : value;
}

/** kube parses booleans with strconv.ParseBool. */
function parseBool(name: string, text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw newBadRequest(`strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}

export function queryBool(ctx: Context, name: string): boolean | undefined {
  const text = queryString(ctx, name);
  return text === undefined || text === '' ? undefined : parseBool(name, text);
}

export function queryInt(ctx: Context, name: string): number | undefined {
  const text = queryString(ctx, name);
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) throw newBadRequest(`strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
  return Number(text);
}

export interface ListQuery {
  labelSelector: string;
  fieldSelector: string;
  resourceVersion?: string;
  resourceVersionMatch: '' | 'NotOlderThan' | 'Exact';
  limit: number;
  continue?: string;
  watch: boolean;
  allowWatchBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
}

function listOptionsInvalid(errors: FieldError[]): Error {
  return newInvalid('ListOptions', 'meta.k8s.io', '', errors);
}

const forbidden = (field: string, message: string): FieldError => ({ type: 'FieldValueForbidden', field, detail: `Forbidden: ${message}` });
const notSupported = (field: string, value: string, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  detail: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((v) => JSON.stringify(v)).join(', ')}`,
});

/** kube's ValidateListOptions for a list, in its order and with its messages. */
function validateListOptions(q: ListQuery): FieldError[] {
  const errors: FieldError[] = [];
  const match = q.resourceVersionMatch;
  if (match) {
    if (!q.resourceVersion) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden unless resourceVersion is provided'));
    if (q.continue) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
    if (match !== 'Exact' && match !== 'NotOlderThan') errors.push(notSupported('resourceVersionMatch', match, ['Exact', 'NotOlderThan', '']));
    if (match === 'Exact' && q.resourceVersion === '0') errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (q.sendInitialEvents !== undefined) errors.push(forbidden('sendInitialEvents', 'sendInitialEvents is forbidden for list'));
  return errors;
}

/** kube's validateWatchOptions (the WatchList feature is on, as in kube 1.32). */
function validateWatchOptions(q: ListQuery): FieldError[] {
  const errors: FieldError[] = [];
  const match = q.resourceVersionMatch;
  if (q.sendInitialEvents !== undefined && match !== 'NotOlderThan') {
    errors.push(forbidden('resourceVersionMatch', 'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'));
  }
  if (match) {
    if (q.sendInitialEvents === undefined) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'));
    if (match !== 'NotOlderThan') errors.push(notSupported('resourceVersionMatch', match, ['NotOlderThan']));
    if (q.continue) errors.push(forbidden('resourceVersionMatch', 'resourceVersionMatch is forbidden when continue is provided'));
  }
  return errors;
}

/** Parses the list and watch query parameters and validates them as kube does. */
export function parseListQuery(ctx: Context, isWatch: boolean): ListQuery {
  const match = queryString(ctx, 'resourceVersionMatch') ?? '';
  const query: ListQuery = {
    labelSelector: queryString(ctx, 'labelSelector') ?? '',
    fieldSelector: queryString(ctx, 'fieldSelector') ?? '',
    resourceVersion: queryString(ctx, 'resourceVersion') || undefined,
    resourceVersionMatch: match as ListQuery['resourceVersionMatch'],
    limit: Math.max(0, queryInt(ctx, 'limit') ?? 0),
    continue: queryString(ctx, 'continue') || undefined,
    watch: isWatch,
    allowWatchBookmarks: queryBool(ctx, 'allowWatchBookmarks') ?? false,
    sendInitialEvents: queryBool(ctx, 'sendInitialEvents'),
    timeoutSeconds: queryInt(ctx, 'timeoutSeconds'),
  };
  const errors = isWatch ? validateWatchOptions(query) : validateListOptions(query);
  if (!isWatch && query.continue && query.resourceVersion && query.resourceVersion !== '0') {
    throw newBadRequest('specifying resource version is not allowed when using continue');
  }
  if (errors.length > 0) throw listOptionsInvalid(errors);
  return query;
}

export interface WriteQuery {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
}

/** dryRun, fieldManager and fieldValidation, as kube validates them for create, update and patch. */
export function parseWriteQuery(ctx: Context, kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions'): WriteQuery {
  const errors: FieldError[] = [];
  const dryRunValues = ([] as string[]).concat(ctx.query.dryRun ?? []);
  for (const value of dryRunValues) {
    if (value !== 'All') errors.push({ type: 'FieldValueNotSupported', field: 'dryRun', detail: `Unsupported value: ${JSON.stringify(dryRunValues)}: supported values: "All"` });
  }
  const fieldManager = queryString(ctx, 'fieldManager') ?? '';
  if (fieldManager.length > 128) errors.push({ type: 'FieldValueTooLong', field: 'fieldManager', detail: `Too long: may not be more than 128 bytes` });
  if ([...fieldManager].some((c) => c < ' ' || c > '~')) {
    errors.push({ type: 'FieldValueInvalid', field: 'fieldManager', detail: `Invalid value: ${JSON.stringify(fieldManager)}: must be made of printable characters` });
  }
  const validation = queryString(ctx, 'fieldValidation') ?? '';
  const normalized = validation === '' ? 'Warn' : validation;
  if (!['Strict', 'Warn', 'Ignore'].includes(normalized)) {
    errors.push({ type: 'FieldValueNotSupported', field: 'fieldValidation', detail: `Unsupported value: ${JSON.stringify(validation)}: supported values: "Ignore", "Strict", "Warn"` });
  }
  if (errors.length > 0) throw newInvalid(kind, 'meta.k8s.io', '', errors);
  return { dryRun: dryRunValues.length > 0, fieldManager, fieldValidation: normalized as WriteQuery['fieldValidation'] };
}
