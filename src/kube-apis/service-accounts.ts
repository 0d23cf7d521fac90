// Service accounts put to work in one server: the token signing and verification keys, the
// serviceaccounts/token subresource, the token authenticator, the ServiceAccount admission plugin and
// the controller that keeps a `default` account in every namespace.
import type { Logger } from 'pino';
import type { ServerOptions } from '../server/options.js';
import type { APIDeps } from '../server/install-api.js';
import type { InstalledKubeAPIs } from './install.js';
import type { TokenAuthenticator } from '../auth/token-authenticator.js';
import { subresourceHandlerKey } from '../endpoints/handlers/deps.js';
import { loadServiceAccountConfig, type ServiceAccountConfig } from '../auth/serviceaccount/config.js';
import { serviceAccountJWTAuthenticator, type ServiceAccountTokenGetter } from '../auth/serviceaccount/jwt-authenticator.js';
import { serviceAccountTokenHandler } from './core/serviceaccount-token-handler.js';
import { serviceAccountAdmission } from '../admission/plugins/service-account.js';
import { ServiceAccountsController } from './serviceaccounts-controller.js';

export interface InstalledServiceAccounts {
  config: ServiceAccountConfig;
  tokenAuthenticator: TokenAuthenticator;
  /** Starts the default-account controller; returns its stop. */
  startController(): Promise<() => void>;
}

export async function installServiceAccounts(options: ServerOptions, kubeAPIs: InstalledKubeAPIs, api: APIDeps, logger: Logger): Promise<InstalledServiceAccounts | undefined> {
  const serviceAccounts = kubeAPIs.storeFor('', 'serviceaccounts');
  if (!serviceAccounts) return undefined;
  const secrets = kubeAPIs.storeFor('', 'secrets');
  const pods = () => kubeAPIs.storeFor('', 'pods');
  const config = await loadServiceAccountConfig(options);

  const handlers = (api.endpoints.subresourceHandlers ??= new Map());
  handlers.set(
    subresourceHandlerKey('', 'serviceaccounts', 'token'),
    serviceAccountTokenHandler({
      serviceAccounts,
      secrets,
      pods,
      issuer: config.issuer,
      apiAudiences: config.apiAudiences,
      maxExpirationSeconds: options.serviceAccountMaxTokenExpirationSeconds,
    }),
  );

  const missing = (kind: string) => () => Promise.reject(new Error(`${kind} are not served`));
  const getter: ServiceAccountTokenGetter = {
    getServiceAccount: (namespace, name) => serviceAccounts.get(namespace, name),
    getSecret: secrets ? (namespace, name) => secrets.get(namespace, name) : missing('secrets'),
    getPod: (namespace, name) => pods()?.get(namespace, name) ?? missing('pods')(),
  };
  const tokenAuthenticator = serviceAccountJWTAuthenticator({
    issuers: config.issuers,
    keys: config.keys,
    implicitAudiences: config.apiAudiences,
    getter,
    onRejected: (reason) => logger.debug({ reason }, 'service account token rejected'),
  });

  api.admission.add(serviceAccountAdmission({ getServiceAccount: (namespace, name) => serviceAccounts.get(namespace, name) }));

  return {
    config,
    tokenAuthenticator,
    async startController() {
      const namespaces = kubeAPIs.storeFor('', 'namespaces');
      if (!namespaces) return () => undefined;
      const controller = new ServiceAccountsController(api.storage, namespaces, serviceAccounts, logger);
      await controller.start();
      return () => controller.stop();
    },
  };
}
