// rbac.authorization.k8s.io/v1: roles and rolebindings (namespaced), clusterroles and
// clusterrolebindings (cluster-scoped), with kube's strategies: no status, PUT never creates, any
// update may be unconditional, names valid as path segments (ValidateRBACName).
import { defineResource } from '../define.js';
import { validatePathSegmentName } from '../../registry/validation/names.js';
import { schemaBacked } from '../schemas.js';
import { decodeBinding, decodeRole } from './decoding.js';
import { bindingTableConvertor, roleTableConvertor } from './printers.js';
import { validateBindingUpdate, validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './validation.js';
import { RBAC_GROUP } from './types.js';

const common = { group: RBAC_GROUP, version: 'v1', validateName: validatePathSegmentName } as const;

export const roles = defineResource({
  ...common,
  resource: 'roles',
  kind: 'Role',
  namespaced: true,
  ...schemaBacked('io.k8s.api.rbac.v1.Role'),
  strategy: { defaults: decodeRole('Role'), validate: validateRole, validateUpdate: (role) => validateRole(role) },
  table: roleTableConvertor(),
});

export const clusterRoles = defineResource({
  ...common,
  resource: 'clusterroles',
  kind: 'ClusterRole',
  namespaced: false,
  ...schemaBacked('io.k8s.api.rbac.v1.ClusterRole'),
  strategy: { defaults: decodeRole('ClusterRole'), validate: (role) => validateClusterRole(role), validateUpdate: validateClusterRole },
  table: roleTableConvertor(),
});

export const roleBindings = defineResource({
  ...common,
  resource: 'rolebindings',
  kind: 'RoleBinding',
  namespaced: true,
  ...schemaBacked('io.k8s.api.rbac.v1.RoleBinding'),
  strategy: { defaults: decodeBinding('RoleBinding'), validate: validateRoleBinding, validateUpdate: validateBindingUpdate(true) },
  table: bindingTableConvertor('roleBinding'),
});

export const clusterRoleBindings = defineResource({
  ...common,
  resource: 'clusterrolebindings',
  kind: 'ClusterRoleBinding',
  namespaced: false,
  ...schemaBacked('io.k8s.api.rbac.v1.ClusterRoleBinding'),
  strategy: { defaults: decodeBinding('ClusterRoleBinding'), validate: validateClusterRoleBinding, validateUpdate: validateBindingUpdate(false) },
  table: bindingTableConvertor('clusterRoleBinding'),
});
