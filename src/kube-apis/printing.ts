// Table columns shared by the built-in printers (kube's pkg/printers/internalversion).
import type { TableColumn } from '../registry/resource.js';
export { NAME_COLUMN, AGE_COLUMN, nameAgeTableConvertor } from '../endpoints/table/default-convertors.js';
export { humanReadableAge as translateAge } from '../endpoints/table/human-duration.js';

export function column(name: string, type: TableColumn['type'], description: string, priority = 0, format = ''): TableColumn {
  return { name, type, format, description, priority };
}

/** The columns core/v1 and events.k8s.io/v1 events share (kube prints both the same way). */
export const EVENT_COLUMNS = {
  lastSeen: column('Last Seen', 'string', 'When the event was last seen.'),
  type: column('Type', 'string', 'Normal or Warning.'),
  reason: column('Reason', 'string', 'Why the event happened, in a word.'),
  object: column('Object', 'string', 'The object the event is about.'),
  message: column('Message', 'string', 'What happened, for a human.'),
};

/** "kind/name" of an object reference, lower-cased kind, as kube's event printer shows it. */
export function referenceColumn(ref: { kind?: string; name?: string } | undefined): string {
  return `${(ref?.kind ?? '').toLowerCase()}/${ref?.name ?? ''}`;
}
