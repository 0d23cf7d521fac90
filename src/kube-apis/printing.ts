// Table columns shared by the built-in printers (kube's pkg/printers/internalversion).
import type { KubeObject, TableColumn, TableConvertor } from '../registry/resource.js';
import { nameAgeTableConvertor } from '../endpoints/table/default-convertors.js';
export { NAME_COLUMN, AGE_COLUMN, nameAgeTableConvertor } from '../endpoints/table/default-convertors.js';
export { humanReadableAge as translateAge } from '../endpoints/table/human-duration.js';

export function column(name: string, type: TableColumn['type'], description: string, priority = 0, format = ''): TableColumn {
  return { name, type, format, description, priority };
}


export interface PrinterColumn {
  column: TableColumn;
  cell: (obj: KubeObject) => unknown;
}

/**
 * A kube printer's table: Name, the columns before Age, Age, then the columns after it (the -o wide
 * ones have priority 1).
 * kube's server-side printers always generate the wide cells; kubectl hides them unless asked.
 */
export function printerTable(beforeAge: PrinterColumn[], afterAge: PrinterColumn[] = [], now: () => number = Date.now): TableConvertor {
  const base = nameAgeTableConvertor(beforeAge, now);
  return {
    columns: [...base.columns, ...afterAge.map((c) => c.column)],
    cells: (obj) => [...base.cells(obj), ...afterAge.map((c) => c.cell(obj))],
  };
}
