// kube's naming controller: which of a CRD's requested names it may have, given the names other CRDs
// of its group already hold (their status.acceptedNames); a conflict keeps the previously accepted
// name and sets NamesAccepted=False with the reason of the last conflicting kind of name.
export interface CRDNames {
  plural: string;
  singular?: string;
  shortNames?: string[];
  kind: string;
  listKind?: string;
  categories?: string[];
}

export interface NamesVerdict {
  names: CRDNames;
  /** Undefined when every name is accepted. */
  conflict?: { reason: string; message: string };
}

function equalToAcceptedOrFresh(requested: string | undefined, accepted: string | undefined, used: Set<string>): string | undefined {
  if (requested === accepted || requested === undefined || !used.has(requested)) return undefined;
  return `"${requested}" is already in use`;
}

function sameList(a: string[] | undefined, b: string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** `others`: the accepted names of every other CRD in the same group. */
export function calculateNames(requested: CRDNames, accepted: Partial<CRDNames>, others: Array<Partial<CRDNames>>): NamesVerdict {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const o of others) {
    for (const n of [o.plural, o.singular, ...(o.shortNames ?? [])]) if (n) resources.add(n);
    for (const n of [o.kind, o.listKind]) if (n) kinds.add(n);
  }
  const names: CRDNames = { ...(accepted as CRDNames) };
  let conflict: NamesVerdict['conflict'];
  const check = (field: 'plural' | 'singular' | 'kind' | 'listKind', used: Set<string>, reason: string) => {
    const error = equalToAcceptedOrFresh(requested[field], accepted[field], used);
    if (error) conflict = { reason, message: error };
    else if (requested[field] !== undefined) names[field] = requested[field] as string;
  };
  check('plural', resources, 'PluralConflict');
  check('singular', resources, 'SingularConflict');
  if (!sameList(requested.shortNames, accepted.shortNames)) {
    const mine = new Set(accepted.shortNames ?? []);
    const errors = (requested.shortNames ?? []).filter((s) => !mine.has(s)).map((s) => equalToAcceptedOrFresh(s, '', resources)).filter((e): e is string => Boolean(e));
    if (errors.length > 0) conflict = { reason: 'ShortNamesConflict', message: errors.length === 1 ? errors[0] : `[${errors.join(', ')}]` };
    else if (requested.shortNames) names.shortNames = requested.shortNames;
    else delete names.shortNames;
  }
  check('kind', kinds, 'KindConflict');
  check('listKind', kinds, 'ListKindConflict');
  if (requested.categories) names.categories = requested.categories;
  else delete names.categories;
  return { names, conflict };
}
