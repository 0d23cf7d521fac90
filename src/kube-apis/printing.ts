// Table columns shared by the built-in printers (kube's pkg/printers/internalversion).
import type { TableColumn } from '../registry/resource.js';
export { NAME_COLUMN, AGE_COLUMN, nameAgeTableConvertor } from '../endpoints/table/default-convertors.js';
export { humanReadableAge as translateAge } from '../endpoints/table/human-duration.js';

export function column(name: string, type: TableColumn['type'], description: string, priority = 0, format = ''): TableColumn {
  return { name, type, format, description, priority };
}

