// kube-apiserver's cluster authentication trust controller: kube-system/extension-apiserver-authentication
// tells extension API servers which client CA to trust and how the front proxy (this aggregator)
// identifies users. Written at start and rewritten whenever someone changes or deletes it.
import type { Logger } from 'pino';
import type { Storage } from '../storage/interface.js';
import type { Store, RequestContext } from '../registry/store.js';
import { MASTERS_GROUP } from '../auth/user.js';
import { deepEqual } from '../registry/deep-equal.js';
import { StatusError } from '../endpoints/status.js';
import type { RequestHeaderConfig } from './proxy/proxy-client-material.js';

export const AUTHENTICATION_CONFIGMAP_NAMESPACE = 'kube-system';
export const AUTHENTICATION_CONFIGMAP_NAME = 'extension-apiserver-authentication';

const CONTROLLER: RequestContext = { user: { name: 'system:apiserver', groups: [MASTERS_GROUP] }, dryRun: false, fieldManager: 'kube-apiserver', subresource: '' };

/** The ConfigMap's data: the client CA, and the requestheader settings as JSON string arrays. */
export function authenticationConfigMapData(clientCAPem: string | undefined, requestHeader: RequestHeaderConfig | undefined): Record<string, string> {
  const data: Record<string, string> = {};
  if (clientCAPem) data['client-ca-file'] = clientCAPem;
  if (requestHeader) {
    data['requestheader-allowed-names'] = JSON.stringify(requestHeader.allowedNames);
    data['requestheader-client-ca-file'] = requestHeader.clientCAPem;
    data['requestheader-extra-headers-prefix'] = JSON.stringify(requestHeader.extraHeadersPrefix);
    data['requestheader-group-headers'] = JSON.stringify(requestHeader.groupHeaders);
    data['requestheader-username-headers'] = JSON.stringify(requestHeader.usernameHeaders);
  }
  return data;
}

export class AuthenticationConfigMapPublisher {
  private stopWatch?: () => void;
  private stopped = false;

  constructor(
    private readonly storage: Storage,
    private readonly configMaps: Store,
    private readonly data: Record<string, string>,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.publish();
    const watcher = await this.storage.watch(this.configMaps.prefix(AUTHENTICATION_CONFIGMAP_NAMESPACE), { resourceVersion: '', recursive: true, sendInitialEvents: false });
    this.stopWatch = () => watcher.stop();
    void (async () => {
      for await (const event of watcher) {
        if (this.stopped) break;
        if (event.object.metadata?.name !== AUTHENTICATION_CONFIGMAP_NAME) continue;
        if (event.type === 'DELETED' || ((event.type === 'MODIFIED' || event.type === 'ADDED') && !deepEqual(event.object.data, this.data))) {
          await this.publish().catch((err: unknown) => this.logger.warn({ err }, 'could not publish extension-apiserver-authentication'));
        }
      }
    })().catch((err: unknown) => this.logger.warn({ err }, 'authentication ConfigMap watch ended'));
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }

  private async publish(): Promise<void> {
    const ns = AUTHENTICATION_CONFIGMAP_NAMESPACE;
    const name = AUTHENTICATION_CONFIGMAP_NAME;
    try {
      await this.configMaps.update(ns, name, (current) => {
        if (current && deepEqual(current.data, this.data)) throw new Unchanged();
        const next = current ? structuredClone(current) : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } };
        next.data = { ...this.data };
        return next;
      }, CONTROLLER, { forceAllowCreate: true });
    } catch (err) {
      if (err instanceof Unchanged) return;
      if (err instanceof StatusError && err.code === 409) return this.publish();
      throw err;
    }
  }
}

class Unchanged extends Error {}
