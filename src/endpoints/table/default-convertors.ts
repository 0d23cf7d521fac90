// The Table convertors of resources that declare no printer columns of their own.
import type { KubeObject, TableColumn } from '../../registry/resource.js';
import { humanReadableAge } from './human-duration.js';
import type { KubeTableConvertor } from './table.js';

// Column descriptions in our own words (kube sends its ObjectMeta field documentation here; clients
// only show the column names).
export const OBJECT_META_NAME_DESCRIPTION =
  'The name of the object: unique among objects of its kind in its namespace (or in the cluster, for cluster-scoped kinds); it cannot be changed once set.';
export const OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION =
  'When the server created the object, as an RFC 3339 timestamp in UTC; set by the server and read-only.';

/** The Name column every kube printer starts with. */
export const NAME_COLUMN: TableColumn = { name: 'Name', type: 'string', format: 'name', description: OBJECT_META_NAME_DESCRIPTION, priority: 0 };

/** The Age column of kube's built-in printers (a HumanDuration string). */
export const AGE_COLUMN: TableColumn = { name: 'Age', type: 'string', format: '', description: OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION, priority: 0 };

function metadataOf(obj: KubeObject): { name?: string; creationTimestamp?: string } {
  return (obj.metadata ?? {}) as { name?: string; creationTimestamp?: string };
}

/** Go formats a zero time.Time in RFC 3339 as the year-1 instant. */
const ZERO_TIME_RFC3339 = '0001-01-01T00:00:00Z';

/**
 * kube's rest.NewDefaultTableConvertor (k8s.io/apiserver/pkg/registry/rest/table.go), for resources
 * without printers: "Name" and "Created At" (type date, the RFC 3339 timestamp in UTC, no format), and
 * `"rows": null` for an empty list.
 */
export function defaultTableConvertor(): KubeTableConvertor {
  return {
    columns: [NAME_COLUMN, { name: 'Created At', type: 'date', format: '', description: OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION, priority: 0 }],
    cells(obj) {
      const meta = metadataOf(obj);
      return [meta.name ?? '', formatCreatedAt(meta.creationTimestamp)];
    },
    rowsNullWhenEmpty: true,
  };
}

/** time.Time.UTC().Format(time.RFC3339): seconds precision, "Z". */
function formatCreatedAt(timestamp: string | undefined): string {
  if (!timestamp) return ZERO_TIME_RFC3339;
  const at = Date.parse(timestamp);
  if (Number.isNaN(at)) return ZERO_TIME_RFC3339;
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/**
 * The Name + Age convertor of kube's built-in printers for simple resources (e.g. the printers of
 * serviceaccounts without their extra columns); extra columns go between Name and Age, as kube's do.
 */
export function nameAgeTableConvertor(
  extra: { column: TableColumn; cell: (obj: KubeObject) => unknown }[] = [],
  now: () => number = Date.now,
): KubeTableConvertor {
  return {
    columns: [NAME_COLUMN, ...extra.map((e) => e.column), AGE_COLUMN],
    cells(obj) {
      const meta = metadataOf(obj);
      return [meta.name ?? '', ...extra.map((e) => e.cell(obj)), humanReadableAge(meta.creationTimestamp, now())];
    },
  };
}
