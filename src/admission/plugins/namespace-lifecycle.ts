// kube's NamespaceLifecycle admission: no new content in a namespace that does not exist or is being
// terminated, and the namespaces the system needs cannot be deleted.
import type { AdmissionPlugin } from '../interface.js';
import { StorageError, type Storage } from '../../storage/interface.js';
import { storageErrorToStatus } from '../../storage/errors.js';
import { newForbidden, newNotFound, StatusError } from '../../endpoints/status.js';

export const IMMORTAL_NAMESPACES = ['default', 'kube-system', 'kube-public'];

export function namespaceLifecycle(storage: Storage, namespaceKey: (name: string) => string): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(attrs) {
      const def = attrs.resource;
      if (attrs.operation === 'DELETE' && def.group === '' && def.resource === 'namespaces' && !attrs.subresource && IMMORTAL_NAMESPACES.includes(attrs.name)) {
        throw newForbidden({ group: '', resource: 'namespaces' }, attrs.name, 'this namespace may not be deleted');
      }
      if (attrs.operation !== 'CREATE' || !def.namespaced || attrs.subresource) return;
      const namespace = await storage.get(namespaceKey(attrs.namespace), { ignoreNotFound: true }).catch((err: unknown) => {
        throw err instanceof StorageError ? storageErrorToStatus(err, { group: '', resource: 'namespaces' }, attrs.namespace) : err;
      });
      if (!namespace) throw newNotFound({ group: '', resource: 'namespaces' }, attrs.namespace);
      if (namespace.metadata.deletionTimestamp) {
        const err = newForbidden(
          { group: def.group, resource: def.resource },
          attrs.name,
          `unable to create new content in namespace ${attrs.namespace} because it is being terminated`,
        );
        throw withCause(err, { reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' });
      }
    },
  };
}

function withCause(err: StatusError, cause: { reason: string; message: string; field: string }): StatusError {
  const details = { ...(err.status.details ?? {}), causes: [cause] };
  return new StatusError(err.status.code, err.status.reason ?? '', err.status.message ?? '', details);
}
