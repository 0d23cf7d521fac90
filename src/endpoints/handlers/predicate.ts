// labelSelector and fieldSelector compiled once per request into one storage predicate.
import type { Predicate } from '../../storage/interface.js';
import type { Store } from '../../registry/store.js';
import { parseLabelSelector } from '../../registry/selectors/label-selector.js';
import { parseFieldSelector, validateFieldSelector } from '../../registry/selectors/field-selector.js';

export function compilePredicate(store: Store, labelSelector: string, fieldSelector: string): Predicate | undefined {
  const labels = labelSelector ? parseLabelSelector(labelSelector) : undefined;
  const fields = fieldSelector ? parseFieldSelector(fieldSelector) : undefined;
  if (fields) validateFieldSelector(fields, supportedFields(store), { group: store.def.group, resource: store.def.resource });
  const checkLabels = labels && !labels.isEmpty() ? labels : undefined;
  const checkFields = fields && !fields.isEmpty() ? fields : undefined;
  if (!checkLabels && !checkFields) return undefined;
  const def = store.def;
  return (obj) => {
    if (checkLabels && !checkLabels.matches(obj.metadata?.labels)) return false;
    if (checkFields && !checkFields.matches(def.selectableFields(obj))) return false;
    return true;
  };
}

/** The field selectors a resource supports: what its selectableFields() returns for an empty object. */
function supportedFields(store: Store): string[] {
  return Object.keys(store.def.selectableFields({ metadata: { name: '', namespace: '' } }));
}
