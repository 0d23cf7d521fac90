// RBAC over an in-memory storage, without a server: the bootstrap policy reconciled, the index
// filled, and helpers to write roles and bindings as the admin would.
import { MemoryStorage } from '../../src/storage/memory/index.js';
import { Store } from '../../src/registry/store.js';
import { AdmissionChain } from '../../src/admission/interface.js';
import { clusterRoleBindings, clusterRoles, roleBindings, roles } from '../../src/kube-apis/rbac/index.js';
import { startRBAC, type RBAC } from '../../src/auth/rbac/index.js';
import { buildAuthorizer } from '../../src/auth/build-authorizer.js';
import type { Authorizer } from '../../src/auth/authorizer.js';
import type { KubeObject } from '../../src/registry/resource.js';
import type { UserInfo } from '../../src/auth/user.js';

export const ADMIN = { user: { name: 'admin', groups: ['system:masters'] }, dryRun: false, fieldManager: 'test', subresource: '' };

export interface RBACFixture {
  rbac: RBAC;
  authorizer: Authorizer;
  stores: { roles: Store; clusterRoles: Store; roleBindings: Store; clusterRoleBindings: Store };
  /** Writes as `user` (default: admin), through the escalation checks. */
  create(store: Store, namespace: string, obj: KubeObject, user?: UserInfo): Promise<KubeObject>;
  /** Resolves once the index has seen every write so far. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function rbacFixture(): Promise<RBACFixture> {
  const storage = new MemoryStorage();
  const admission = new AdmissionChain();
  const stores = {
    roles: new Store(roles, storage, admission),
    clusterRoles: new Store(clusterRoles, storage, admission),
    roleBindings: new Store(roleBindings, storage, admission),
    clusterRoleBindings: new Store(clusterRoleBindings, storage, admission),
  };
  let authorizer: Authorizer | undefined;
  const rbac = await startRBAC(storage, stores, () => authorizer!);
  admission.add(rbac.escalation);
  authorizer = buildAuthorizer({ authorizationMode: ['RBAC'] }, { RBAC: rbac.authorizer });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    await rbac.aggregation.idle();
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    rbac,
    authorizer,
    stores,
    async create(store, namespace, obj, user) {
      const created = await store.create(namespace, obj, user ? { ...ADMIN, user } : ADMIN);
      await settle();
      return created;
    },
    settle,
    async close() {
      rbac.stop();
      await storage.close();
    },
  };
}
