// Service accounts put to work in one server: the token signing and verification keys, the
// serviceaccounts/token subresource, the token authenticator, the ServiceAccount admission plugin and
// the controllers that keep a `default` account in every namespace and fill legacy token Secrets.
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
import { ServiceAccountTokensController } from './serviceaccount-tokens-controller.js';
import { LAST_USED_LABEL, LEGACY_ISSUER, legacyClaims, legacyTokenValidator, type LegacyTokenGetter } from '../auth/serviceaccount/legacy.js';
import { signClaims } from '../auth/serviceaccount/token-issuer.js';
import { unionTokenAuthenticator } from '../auth/token-authenticator.js';
import type { RequestContext } from '../registry/store.js';
import { StatusError } from '../endpoints/status.js';
import { MASTERS_GROUP } from '../auth/user.js';

/** Who labels a legacy token's Secret on use (kube: the apiserver's loopback client). */
const APISERVER: RequestContext = { user: { name: 'system:apiserver', groups: [MASTERS_GROUP] }, dryRun: false, fieldManager: 'kube-apiserver', subresource: '' };

export interface InstalledServiceAccounts {
  config: ServiceAccountConfig;
  tokenAuthenticator: TokenAuthenticator;
  /** Starts the default-account and token controllers; returns their stop. */
  startController(): Promise<() => void>;
}

export async function installServiceAccounts(
  options: ServerOptions,
  kubeAPIs: InstalledKubeAPIs,
  api: APIDeps,
  logger: Logger,
  /** The CA clients of this server trust: what token Secrets carry as ca.crt. */
  rootCA?: string,
): Promise<InstalledServiceAccounts | undefined> {
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
  const onRejected = (reason: string) => logger.debug({ reason }, 'service account token rejected');
  const boundTokens = serviceAccountJWTAuthenticator({ issuers: config.issuers, keys: config.keys, implicitAudiences: config.apiAudiences, getter, onRejected });
  const legacyGetter: LegacyTokenGetter = {
    getServiceAccount: getter.getServiceAccount,
    getSecret: getter.getSecret,
    async markSecretUsed(secret, day) {
      if (!secrets) return;
      const { namespace, name, uid } = secret.metadata;
      await secrets
        .update(
          namespace,
          name,
          (current) => {
            // kube's merge patch carries the Secret's uid: a Secret made again since is left alone.
            if (!current || current.metadata.uid !== uid) throw new StatusError(409, 'Conflict', 'the Secret changed');
            return { ...current, metadata: { ...current.metadata, labels: { ...current.metadata.labels, [LAST_USED_LABEL]: day } } };
          },
          APISERVER,
        )
        .catch((err: unknown) => logger.error({ err, namespace, name }, 'Failed to label legacy service account token with last-used date'));
    },
  };
  // kube-apiserver's legacy authenticator: issuer kubernetes/serviceaccount, the same keys, its own validator.
  const validateLegacy = legacyTokenValidator(legacyGetter);
  const legacyTokens = serviceAccountJWTAuthenticator({
    issuers: [LEGACY_ISSUER],
    keys: config.keys,
    implicitAudiences: config.apiAudiences,
    validator: (token, claims, payload) => validateLegacy(token, claims.sub ?? '', payload),
    onRejected,
  });
  const tokenAuthenticator = unionTokenAuthenticator([legacyTokens, boundTokens]);

  api.admission.add(serviceAccountAdmission({ getServiceAccount: (namespace, name) => serviceAccounts.get(namespace, name) }));

  return {
    config,
    tokenAuthenticator,
    async startController() {
      const namespaces = kubeAPIs.storeFor('', 'namespaces');
      if (!namespaces) return () => undefined;
      const controller = new ServiceAccountsController(api.storage, namespaces, serviceAccounts, logger);
      await controller.start();
      const tokens = secrets
        ? new ServiceAccountTokensController({
            storage: api.storage,
            secrets,
            serviceAccounts,
            rootCA,
            logger,
            // kube-controller-manager signs with --service-account-private-key-file; here the server's key.
            generateToken: (sa, secretName) => signClaims(config.signingKey, LEGACY_ISSUER, legacyClaims(sa, secretName)),
          })
        : undefined;
      await tokens?.start();
      return () => {
        controller.stop();
        tokens?.stop();
      };
    },
  };
}
