// The query and path parameters kube documents on each route (from the option structs the installer
// reflects on: ListOptions, CreateOptions, UpdateOptions, PatchOptions, DeleteOptions), in the v3
// form kube-openapi writes: {name, in, description, schema: {type, uniqueItems: true}}.
// Descriptions are kube-chain's own.

export interface Parameter {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  schema: { type: 'string' | 'integer' | 'boolean'; uniqueItems: true };
}

function query(name: string, type: Parameter['schema']['type'], description: string): Parameter {
  return { name, in: 'query', description, schema: { type, uniqueItems: true } };
}

export function pathParameter(name: 'namespace' | 'name', kind: string): Parameter {
  const description = name === 'namespace' ? 'The namespace of the objects (a scope for names and for access control).' : `The name of the ${kind}.`;
  return { name, in: 'path', description, required: true, schema: { type: 'string', uniqueItems: true } };
}

export const PRETTY = query('pretty', 'string', "'true' indents the output. By default output is indented only for curl, wget and browsers.");

const LABEL_SELECTOR = query('labelSelector', 'string', 'Only objects whose labels match this selector (e.g. "app=web,tier!=db"). Default: all.');
const FIELD_SELECTOR = query('fieldSelector', 'string', 'Only objects whose fields match this selector (e.g. "metadata.name=x"). Default: all.');
const WATCH = query('watch', 'boolean', 'Stream changes (ADDED, MODIFIED, DELETED events) instead of returning a list; start from resourceVersion.');
const ALLOW_WATCH_BOOKMARKS = query('allowWatchBookmarks', 'boolean', 'Ask for BOOKMARK events, which carry only a resource version, so a watch can resume from there. Ignored outside watches.');
const RESOURCE_VERSION = query('resourceVersion', 'string', 'Which resource version the read may be served from; see resourceVersionMatch. Unset means the most recent data.');
const RESOURCE_VERSION_MATCH = query('resourceVersionMatch', 'string', 'How resourceVersion applies to a list: "Exact" or "NotOlderThan". Unset when resourceVersion is unset.');
const TIMEOUT_SECONDS = query('timeoutSeconds', 'integer', 'End the list or watch call after this many seconds, whatever happens.');
const LIMIT = query('limit', 'integer', 'Return at most this many items; if more exist, metadata.continue is set for the next page. All pages come from one consistent snapshot.');
const CONTINUE = query('continue', 'string', 'The continue token of the previous page, to fetch the next one with otherwise identical parameters. An expired token gives 410 Gone.');
const SEND_INITIAL_EVENTS = query('sendInitialEvents', 'boolean', 'With watch=true: first send ADDED events for every existing object, then a BOOKMARK annotated "k8s.io/initial-events-end", then the changes. Requires resourceVersionMatch=NotOlderThan.');

const DRY_RUN = query('dryRun', 'string', '"All": run every stage of the request but persist nothing.');
const FIELD_MANAGER = query('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields (at most 128 printable characters).');
const FIELD_MANAGER_PATCH = query('fieldManager', 'string', 'The name of the actor making the change, recorded in managedFields (at most 128 printable characters). Required for apply patches.');
const FIELD_VALIDATION = query('fieldValidation', 'string', 'What to do with unknown or duplicate fields in the body: "Ignore" drops them, "Warn" drops them with a Warning header per field, "Strict" fails the request.');
const FORCE = query('force', 'boolean', 'For apply patches only: take over fields owned by other managers instead of failing with a conflict.');

const GRACE_PERIOD = query('gracePeriodSeconds', 'integer', 'Seconds the object gets to terminate gracefully; 0 deletes immediately; unset uses the default of the kind.');
const ORPHAN_DEPENDENTS = query('orphanDependents', 'boolean', 'Deprecated: use propagationPolicy. True orphans the dependents, false deletes them.');
const PROPAGATION_POLICY = query('propagationPolicy', 'string', 'How dependents are garbage collected: "Orphan", "Background" or "Foreground".');
const IGNORE_STORE_READ_ERROR = query(
  'ignoreStoreReadErrorWithClusterBreakingPotential',
  'boolean',
  'Delete an object even if it cannot be read from storage (e.g. it cannot be decrypted). Dangerous; needs extra permission.',
);

/** ListOptions as documented on list and watch routes. */
export const LIST_PARAMETERS = [LABEL_SELECTOR, FIELD_SELECTOR, WATCH, ALLOW_WATCH_BOOKMARKS, RESOURCE_VERSION, RESOURCE_VERSION_MATCH, TIMEOUT_SECONDS, LIMIT, CONTINUE, SEND_INITIAL_EVENTS];
/** DeleteOptions fields passed as query parameters. */
export const DELETE_PARAMETERS = [GRACE_PERIOD, IGNORE_STORE_READ_ERROR, ORPHAN_DEPENDENTS, PROPAGATION_POLICY, DRY_RUN];
/** deletecollection takes DeleteOptions plus the ListOptions that select (no watch parameters). */
export const DELETE_COLLECTION_PARAMETERS = [
  ...DELETE_PARAMETERS,
  LABEL_SELECTOR,
  FIELD_SELECTOR,
  RESOURCE_VERSION,
  RESOURCE_VERSION_MATCH,
  TIMEOUT_SECONDS,
  LIMIT,
  CONTINUE,
  SEND_INITIAL_EVENTS,
];
export const CREATE_PARAMETERS = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
export const UPDATE_PARAMETERS = [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION];
export const PATCH_PARAMETERS = [DRY_RUN, FIELD_MANAGER_PATCH, FIELD_VALIDATION, FORCE];

/** kube-openapi's sortParameters: by name, then by location. */
export function sortParameters(params: Parameter[]): Parameter[] {
  return [...params].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.in < b.in ? -1 : a.in > b.in ? 1 : 0));
}
