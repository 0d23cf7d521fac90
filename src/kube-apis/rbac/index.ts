// The rbac.authorization.k8s.io/v1 resources, in kube's discovery order.
import type { ResourceDefinition } from '../../registry/resource.js';
import { clusterRoleBindings, clusterRoles, roleBindings, roles } from './resources.js';

export { clusterRoleBindings, clusterRoles, roleBindings, roles };

export const rbacV1Resources: ResourceDefinition[] = [clusterRoleBindings, clusterRoles, roleBindings, roles];
