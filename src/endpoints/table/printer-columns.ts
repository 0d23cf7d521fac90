// The Table convertor of custom resources, built from additionalPrinterColumns as kube's
// apiextensions-apiserver/pkg/registry/customresource/tableconvertor does: a Name column, then one
// column per printer column whose cell is the first JSONPath result, formatted by the column type
// (dates become ages, e.g. "5m"); with no printer columns, an Age column.
import type { KubeObject, TableColumn } from '../../registry/resource.js';
import { NAME_COLUMN, OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION } from './default-convertors.js';
import { humanDuration, parseRFC3339 } from './human-duration.js';
import { findResults, parseJsonPath, printResult, type JsonPath, type JsonValue } from './jsonpath.js';
import type { KubeTableConvertor } from './table.js';

/** A CRD's additionalPrinterColumns entry (apiextensions.k8s.io/v1 CustomResourceColumnDefinition). */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** kube's serveDefaultColumnsIfEmpty: a CRD without printer columns shows its Age. */
export const DEFAULT_CRD_COLUMNS: PrinterColumn[] = [
  { name: 'Age', type: 'date', description: OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

export interface PrinterColumnsConvertor extends KubeTableConvertor {
  /** Set when a column's JSONPath does not parse: kube then serves the columns before it (and logs). */
  parseError?: string;
}

/**
 * kube's tableconvertor.New. `now` is injectable for tests. A JSONPath that does not parse stops the
 * column list there with `unrecognized column definition "<path>"`, as kube's convertor does.
 */
export function columnsFromPrinterColumns(columns: PrinterColumn[], now: () => number = Date.now): PrinterColumnsConvertor {
  const headers: TableColumn[] = [NAME_COLUMN];
  const paths: JsonPath[] = [];
  let parseError: string | undefined;
  for (const column of columns) {
    let path: JsonPath;
    try {
      path = parseJsonPath(`{${column.jsonPath}}`, true);
    } catch {
      parseError = `unrecognized column definition ${JSON.stringify(column.jsonPath)}`;
      break;
    }
    paths.push(path);
    headers.push({
      name: column.name,
      type: column.type as TableColumn['type'],
      format: column.format ?? '',
      description: column.description || `Custom resource definition column (in JSONPath format): ${column.jsonPath}`,
      priority: column.priority ?? 0,
    });
  }
  const convertor: PrinterColumnsConvertor = {
    columns: headers,
    cells(obj: KubeObject): unknown[] {
      const name = (obj.metadata as { name?: string } | undefined)?.name ?? '';
      const cells: unknown[] = [name];
      paths.forEach((path, i) => cells.push(cellFor(path, headers[i + 1].type, obj as JsonValue, now)));
      return cells;
    },
  };
  if (parseError) convertor.parseError = parseError;
  return convertor;
}

/** The convertor a CRD version serves: its printer columns, or kube's default Age column. */
export function crdTableConvertor(columns: PrinterColumn[] | undefined, now: () => number = Date.now): PrinterColumnsConvertor {
  return columnsFromPrinterColumns(columns && columns.length > 0 ? columns : DEFAULT_CRD_COLUMNS, now);
}

function cellFor(path: JsonPath, type: string, data: JsonValue, now: () => number): unknown {
  let results;
  try {
    results = findResults(path, data);
  } catch {
    // kube shows an empty cell for any evaluation error (JsonPathError, or a stack overflow on a deep object).
    return null;
  }
  if (results.length === 0 || results[0].length === 0) return null;
  // Only the first result counts: `.items[*].name` shows the first name.
  const value = results[0][0];
  if (type === 'string') return printResult(value);
  return cellForJsonValue(type, value, now);
}

/** time.Time{} (0001-01-01T00:00:00Z), which kube shows as <unknown>. */
const GO_ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/** kube's cellForJSONValue. */
function cellForJsonValue(type: string, value: unknown, now: () => number): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      // metav1.Time.UnmarshalQueryParameter: "" and "null" are the zero time, shown as <unknown>.
      if (value === '' || value === 'null') return '<unknown>';
      const at = parseRFC3339(value);
      if (at === undefined) return '<invalid>';
      if (at === GO_ZERO_TIME) return '<unknown>';
      return humanDuration(now() - at);
    }
    default:
      return null;
  }
}
