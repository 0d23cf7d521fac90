// The narrow storage interface every backend and the watch cache implement, after
// k8s.io/apiserver/pkg/storage.Interface. Objects are plain JSON objects; keys are strings such as
// "/registry/configmaps/default/foo", listed in byte order (etcd's). The store owns
// metadata.resourceVersion: it is set on every object it returns, as the decimal string of the
// revision that last wrote it.
//
// Immutability: every object a store returns (from get, list, watch events, create, update, delete,
// and the `current` handed to tryUpdate/validateDeletion) is deeply frozen and shared by all readers,
// never copied. Build a new object to change one (`{ ...cur, data: {...} }`). This is what lets reads
// and watch fan-out cost no copies and lets the REST layer serialize each object once (cachedJSON).

/** A stored JSON object (a Kubernetes object with metadata). Frozen when it comes out of a store. */
export type StoredObject = Record<string, any>;

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

/** Filters objects for list and watch (label and field selectors compiled by the caller). */
export type Predicate = (obj: StoredObject) => boolean;

export type ResourceVersionMatch = 'NotOlderThan' | 'Exact' | '';

export interface GetOptions {
  /** "" = the latest (a consistent read); "0" = any; N = not older than N. */
  resourceVersion?: string;
  /** Return null instead of throwing KeyNotFound. */
  ignoreNotFound?: boolean;
}

/**
 * List semantics, as kube's storage.ValidateListOptions and watch cache:
 * - continue (recursive lists only): the token's snapshot from its key on; a token with rv < 0 goes on
 *   at the latest revision; a resourceVersion other than ""/"0" with it → BadRequest; a bad token →
 *   InvalidContinue; a compacted snapshot → Expired with `continueToken` (rv -1) set.
 * - resourceVersion N with match Exact, or with match "" and a limit (kube's legacy paged list): the
 *   snapshot at N; compacted → Expired.
 * - resourceVersion N otherwise: the latest state, once the store has reached N.
 * - "0": any state (served from memory without a consistency check); "": the latest (consistent).
 * A revision the store has not reached is waited for (up to 3 s, as kube's cache), then
 * TooLargeResourceVersion.
 */
export interface ListOptions {
  /** kube semantics: "" = the latest; "0" = any (cache); N with match NotOlderThan (default) or Exact. */
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  /** Page size; 0 or undefined = everything. */
  limit?: number;
  /** An opaque continue token from a previous page. */
  continue?: string;
  predicate?: Predicate;
  /** List everything under the key as a prefix (true), or the single key (false). Default true. */
  recursive?: boolean;
}

export interface ListResult {
  items: StoredObject[];
  /** The revision of the snapshot the list was served from. */
  resourceVersion: string;
  /** Set when more items remain. */
  continue?: string;
  /** Items left after this page, when known. */
  remainingItemCount?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  /** For DELETED: the last state of the object with resourceVersion set to the deleting revision.
   *  For BOOKMARK: an object with only metadata.resourceVersion (and annotations for watch-list).
   *  For ERROR: a metav1.Status. */
  object: StoredObject;
  /** The revision of this event. */
  revision: number;
  /** The storage key of the object (set for ADDED, MODIFIED and DELETED), for replicas such as the watch cache. */
  key?: string;
}

/**
 * Watch semantics, as kube's cacher: sendInitialEvents=true sends ADDED for the current state (once the
 * store has reached resourceVersion N, when given) then, with allowBookmarks, a BOOKMARK annotated
 * k8s.io/initial-events-end; without a resourceVersion (or "0") the current state is sent too unless
 * sendInitialEvents=false; from N (no initial events): every change after N, in order, exactly once,
 * or Expired ("too old resource version: N (horizon)") when N is compacted. With a predicate, a
 * MODIFIED that leaves it is sent as DELETED and one that enters it as ADDED.
 */
export interface WatchOptions {
  /** "" or undefined = start at the latest (with initial ADDED events if sendInitialEvents is not false);
   *  "0" = start at any revision, with initial ADDED events; N = every change after N, no initial events. */
  resourceVersion?: string;
  /** Watch everything under the key as a prefix. Default true. */
  recursive?: boolean;
  predicate?: Predicate;
  /** Send BOOKMARK events (periodic, and at the end of initial events). */
  allowBookmarks?: boolean;
  /** watch-list: ADDED for every current object, then a BOOKMARK annotated k8s.io/initial-events-end: "true". */
  sendInitialEvents?: boolean;
}

/** A running watch. Iterate it for events; it ends when stopped, when the store closes, or when the
 *  watcher is too slow (then the caller re-lists, as client-go does). */
export interface Watcher extends AsyncIterable<WatchEvent> {
  stop(): void;
  /** How many of the first events are the watch's initial state (for APF's watch initialization);
   *  absent when the backend cannot tell (then the watch counts as initialized at once). */
  readonly initialEvents?: number;
}

export type TryUpdate = (current: StoredObject) => StoredObject | Promise<StoredObject>;

export interface Storage {
  /** Stores a new object; throws KeyExists if the key is taken. Returns the stored object. */
  create(key: string, obj: StoredObject): Promise<StoredObject>;
  get(key: string, opts?: GetOptions): Promise<StoredObject | null>;
  list(key: string, opts?: ListOptions): Promise<ListResult>;
  /** Read-modify-write: tryUpdate gets the current object and returns the new one; retried on conflict.
   *  Preconditions are checked against each current object. An update that changes nothing writes nothing
   *  and returns the current object. Throws KeyNotFound if absent (unless ignoreNotFound, then tryUpdate gets null). */
  guaranteedUpdate(
    key: string,
    preconditions: Preconditions | undefined,
    tryUpdate: TryUpdate,
    opts?: { ignoreNotFound?: boolean },
  ): Promise<StoredObject>;
  /** Deletes the key; returns the last state. validateDeletion may throw to refuse (it sees the current object). */
  delete(
    key: string,
    preconditions?: Preconditions,
    validateDeletion?: (current: StoredObject) => void | Promise<void>,
  ): Promise<StoredObject>;
  watch(key: string, opts?: WatchOptions): Promise<Watcher>;
  /** The newest revision of the whole store. */
  currentRevision(): Promise<number>;
  /** Forgets history at and below the revision: reads and watches from it then fail with Expired. */
  compact(revision: number): Promise<void>;
  /** Throws when the backend cannot serve (for the /readyz storage check). */
  checkHealth(): Promise<void>;
  close(): Promise<void>;
}

export type StorageErrorCode =
  | 'KeyNotFound'
  | 'KeyExists'
  | 'ResourceVersionConflicts'
  | 'InvalidObj'
  | 'InvalidContinue'
  /** A request the storage refuses as kube's storage does with a 400 (message is the Status message). */
  | 'BadRequest'
  /** A watch's resourceVersion that is not a number (kube answers 422 Invalid). */
  | 'InvalidResourceVersion'
  | 'Expired'
  | 'TooLargeResourceVersion'
  | 'Unreachable'
  | 'Internal';

/** A storage failure with a code the REST layer maps onto a Status (see errors.ts). */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    /** For Expired/TooLargeResourceVersion: the revisions involved. */
    readonly revision?: number,
    readonly currentRevision?: number,
    /** For an Expired continue token: kube's token to go on at the latest revision (rv -1), sent in the 410's metadata.continue. */
    readonly continueToken?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}
