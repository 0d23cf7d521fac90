// kube's printers for RBAC (pkg/printers/internalversion): roles print Name and Created At; bindings
// print Name, Role ("<kind>/<name>"), Age, and in wide output Users, Groups and ServiceAccounts
// ("<namespace>/<name>"), each list joined with ", ".
import type { KubeObject } from '../../registry/resource.js';
import type { KubeTableConvertor } from '../../endpoints/table/table.js';
import { AGE_COLUMN, NAME_COLUMN, OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION } from '../../endpoints/table/default-convertors.js';
import { humanReadableAge } from '../../endpoints/table/human-duration.js';
import { column } from '../printing.js';
import { GROUP_KIND, SERVICE_ACCOUNT_KIND, USER_KIND, type Subject } from './types.js';

/** time.Time.UTC().Format(time.RFC3339) of the creation timestamp. */
function createdAt(obj: KubeObject): string {
  const at = Date.parse(obj.metadata?.creationTimestamp ?? '');
  if (Number.isNaN(at)) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function roleTableConvertor(): KubeTableConvertor {
  return {
    columns: [NAME_COLUMN, column('Created At', 'date', OBJECT_META_CREATION_TIMESTAMP_DESCRIPTION)],
    cells: (role) => [role.metadata?.name ?? '', createdAt(role)],
  };
}

/** rbac.SubjectsStrings: users, groups and service accounts of a binding. */
export function subjectsStrings(subjects: Subject[] | null | undefined): { users: string[]; groups: string[]; serviceAccounts: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const subject of subjects ?? []) {
    if (!subject) continue;
    if (subject.kind === SERVICE_ACCOUNT_KIND) serviceAccounts.push(`${subject.namespace ?? ''}/${subject.name}`);
    else if (subject.kind === USER_KIND) users.push(subject.name);
    else if (subject.kind === GROUP_KIND) groups.push(subject.name);
  }
  return { users, groups, serviceAccounts };
}

export function bindingTableConvertor(kind: 'roleBinding' | 'clusterRoleBinding', now: () => number = Date.now): KubeTableConvertor {
  return {
    columns: [
      NAME_COLUMN,
      column('Role', 'string', 'The role the binding grants: its kind and name.'),
      AGE_COLUMN,
      column('Users', 'string', `Users in the ${kind}`, 1),
      column('Groups', 'string', `Groups in the ${kind}`, 1),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${kind}`, 1),
    ],
    cells(binding) {
      const { users, groups, serviceAccounts } = subjectsStrings(binding.subjects);
      const ref = binding.roleRef ?? {};
      return [
        binding.metadata?.name ?? '',
        `${ref.kind ?? ''}/${ref.name ?? ''}`,
        humanReadableAge(binding.metadata?.creationTimestamp, now()),
        users.join(', '),
        groups.join(', '),
        serviceAccounts.join(', '),
      ];
    },
  };
}
