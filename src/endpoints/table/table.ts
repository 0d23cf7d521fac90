// metav1.Table responses (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`), built as kube's
// handlers/response.go asTable does from a resource's TableConvertor: column definitions (unless
// noHeaders), one row per object with its cells and the object itself as includeObject asks, and the
// list's ListMeta (a single object's resourceVersion for a GET).
import type { KubeObject, TableColumn, TableConvertor } from '../../registry/resource.js';
import { newBadRequest } from '../status.js';
import { asPartialObjectMetadata, typedListMeta, type ListMetaFields, type PartialObjectMetadata } from '../negotiation/partial-metadata.js';

export type IncludeObjectPolicy = 'None' | 'Metadata' | 'Object';

/** A convertor may ask for kube's `"rows": null` on an empty list (rest.NewDefaultTableConvertor does). */
export interface KubeTableConvertor extends TableConvertor {
  rowsNullWhenEmpty?: boolean;
}

export interface TableRow {
  cells: unknown[];
  /** PartialObjectMetadata (Metadata, the default), the object (Object) or null (None). */
  object: PartialObjectMetadata | KubeObject | null;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: Record<string, unknown>;
  /** null when noHeaders (after the first event of a watch). */
  columnDefinitions: TableColumn[] | null;
  rows: TableRow[] | null;
}

export interface ToTableOptions {
  includeObject?: IncludeObjectPolicy | '';
  /** The list's resourceVersion, continue and remainingItemCount. */
  listMeta?: ListMetaFields;
  version?: 'v1' | 'v1beta1';
  noHeaders?: boolean;
}

/**
 * kube's metav1beta1 validation.ValidateTableOptions for the `includeObject` query parameter; a bad
 * value is a 400 `Unable to convert to Table as requested: includeObject: Invalid value: ...`.
 */
export function parseIncludeObject(value: string | undefined): IncludeObjectPolicy | '' {
  const policy = value ?? '';
  if (policy === '' || policy === 'None' || policy === 'Metadata' || policy === 'Object') return policy;
  throw newBadRequest(`Unable to convert to Table as requested: includeObject: Invalid value: ${JSON.stringify(policy)}: must be 'Metadata', 'Object', 'None', or empty`);
}

function rowObject(obj: KubeObject, policy: IncludeObjectPolicy | '', version: 'v1' | 'v1beta1'): TableRow['object'] {
  switch (policy) {
    case 'Object':
      return obj;
    case 'None':
      // kube clears the RawExtension, which Go writes as null.
      return null;
    default:
      return asPartialObjectMetadata(obj, version);
  }
}

/** The rows of a list (or of one object) as a Table. */
export function toTable(items: KubeObject[], convertor: TableConvertor, opts: ToTableOptions = {}): Table {
  const version = opts.version ?? 'v1';
  const policy = opts.includeObject ?? '';
  const rows = items.map((obj) => ({ cells: convertor.cells(obj), object: rowObject(obj, policy, version) }));
  const nullRows = rows.length === 0 && (convertor as KubeTableConvertor).rowsNullWhenEmpty === true;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: typedListMeta(opts.listMeta),
    columnDefinitions: opts.noHeaders ? null : convertor.columns,
    rows: nullRows ? null : rows,
  };
}

/** A single object as a Table (GET of one object, a watch event): one row, the object's resourceVersion. */
export function objectToTable(obj: KubeObject, convertor: TableConvertor, opts: Omit<ToTableOptions, 'listMeta'> = {}): Table {
  const resourceVersion = (obj.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
  return toTable([obj], convertor, { ...opts, listMeta: { resourceVersion } });
}
