// RBAC put together: the in-memory policy index, the authorizer and rule resolver over it, the
// escalation checks on RBAC writes, the bootstrap policy and the aggregation controller.
import type { Logger } from 'pino';
import type { Storage } from '../../storage/interface.js';
import type { Store } from '../../registry/store.js';
import type { Authorizer } from '../authorizer.js';
import type { AdmissionPlugin } from '../../admission/interface.js';
import { PolicyIndex } from './policy-index.js';
import { RBACAuthorizer } from './rbac-authorizer.js';
import { rbacEscalationAdmission } from './escalation.js';
import { ensureBootstrapPolicy } from './reconcile.js';
import { AggregationController } from './aggregation-controller.js';

export { RBACAuthorizer } from './rbac-authorizer.js';
export { PolicyIndex } from './policy-index.js';

export interface RBAC {
  authorizer: RBACAuthorizer;
  index: PolicyIndex;
  aggregation: AggregationController;
  escalation: AdmissionPlugin;
  stop(): void;
}

export interface RBACStores {
  clusterRoles: Store;
  clusterRoleBindings: Store;
  roles: Store;
  roleBindings: Store;
}

/** Reconciles the bootstrap policy, fills the index and starts the aggregation controller. */
export async function startRBAC(storage: Storage, stores: RBACStores, serverAuthorizer: () => Authorizer, logger?: Logger): Promise<RBAC> {
  await ensureBootstrapPolicy(stores);
  const index = new PolicyIndex(storage, logger);
  await index.start();
  const authorizer = new RBACAuthorizer(index);
  const aggregation = new AggregationController(stores.clusterRoles, index, logger);
  await aggregation.start();
  const escalation = rbacEscalationAdmission({ authorizer: serverAuthorizer, resolver: authorizer });
  return {
    authorizer,
    index,
    aggregation,
    escalation,
    stop: () => {
      aggregation.stop();
      index.stop();
    },
  };
}
