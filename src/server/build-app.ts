// Builds the Koa app: the handler chain of DESIGN.md, run once at the top, in front of the server chain.
import Koa from 'koa';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { KubeState, KubeMiddleware } from './context.js';
import type { ServerOptions } from './options.js';
import { createPanicRecoveryFilter } from './filters/panic-recovery.js';
import { createRequestInfoFilter } from './filters/request-info.js';
import { createBodyLimitFilter } from './filters/body-limit.js';
import { createTimeoutFilter } from './filters/timeout.js';
import { createAuthenticationFilter } from './filters/authentication.js';
import { createFlowControlFilter } from './filters/flow-control.js';
import { createAuthorizationFilter } from './filters/authorization.js';
import { createImpersonationFilter } from './filters/impersonation.js';
import { buildAuthenticator } from '../auth/build-authenticator.js';
import { buildAuthorizer, servedAuthorizationModes, validateAuthorizationModes, webhookModeAuthorizer } from '../auth/build-authorizer.js';
import type { Authorizer, RuleResolver } from '../auth/authorizer.js';
import { startRBAC } from '../auth/rbac/index.js';
import { RBAC_GROUP } from '../kube-apis/rbac/types.js';
import { createHealthChecks, type HealthChecks } from './healthz/index.js';
import { createMetrics } from './metrics/index.js';
import { versionMux } from './version.js';
import { requestLogger } from './logging.js';
import { createServerChain, type ServerChain } from './layers.js';
import { DiscoveryRegistry, discoveryMux } from '../aggregator/discovery/index.js';
import { OpenAPIRegistry, openapiMux } from '../aggregator/openapi/index.js';
import { createStorage } from '../storage/factory.js';
import { startCompaction } from '../storage/compaction.js';
import { registerStorageMetrics } from '../storage/metrics.js';
import { Cacher } from '../storage/cacher/index.js';
import { MemoryStorage } from '../storage/memory/index.js';
import type { Storage } from '../storage/interface.js';
import { AdmissionChain } from '../admission/interface.js';
import { namespaceLifecycle } from '../admission/plugins/namespace-lifecycle.js';
import { installAdmissionWebhooks } from '../admission/install.js';
import { DEFAULT_ENDPOINT_DEPS } from '../endpoints/handlers/deps.js';
import { installKubeAPIs, startControllers } from '../kube-apis/install.js';
import { advertiseAddress, KubernetesServiceController, kubernetesServiceIP } from '../kube-apis/kubernetes-service.js';
import { builtinGroupVersions } from '../kube-apis/builtin-groups.js';
import { installAPIExtensions, withBuiltins } from '../apiextensions/install.js';
import { installReviewAPIs } from '../kube-apis/install-reviews.js';
import { buildRuleResolver } from '../auth/rule-resolvers.js';
import type { APIDeps } from './install-api.js';
import { buildAudit } from '../audit/build.js';
import { installServiceAccounts } from '../kube-apis/service-accounts.js';
import { installAggregator, type InstalledAggregator } from '../aggregator/install.js';
import { ServiceIndex } from '../aggregator/service-index.js';
import { buildFlagAuthenticators } from '../auth/authenticator-extras.js';
import { startPriorityAndFairness } from './flowcontrol/index.js';
import { ObjectCountTracker } from './flowcontrol/object-counts.js';
import { apfDebugMux } from './flowcontrol/debug.js';
import type { APFConfigController } from './flowcontrol/config-controller.js';

export interface App {
  callback: ReturnType<Koa<KubeState>['callback']>;
  /** Once listening: keeps default/kubernetes pointing at this server's port. */
  startKubernetesService(securePort: number): Promise<void>;
  health: HealthChecks;
  chain: ServerChain;
  storage: Storage;
  api: APIDeps;
  discovery: DiscoveryRegistry;
  openapi: OpenAPIRegistry;
  /** The rules a user holds in a namespace (RBAC's RulesFor), for SelfSubjectRulesReview. */
  ruleResolver: RuleResolver;
  /** The server's whole authorizer (for SubjectAccessReviews). */
  authorizer: Authorizer;
  aggregator: InstalledAggregator;
  /** Flips readyz to failing and ends long-running requests. */
  beginShutdown(): void;
  /** Releases what the app holds (storage, timers). */
  close(): Promise<void>;
}

/** What buildApp learns from the serving material (the client CA, published for extension servers). */
export interface BuildAppExtras {
  clientCAPem?: string;
  /** The CA of the serving certificate (what legacy token Secrets carry as ca.crt). */
  servingCAPem?: string;
}

export async function buildApp(options: ServerOptions, logger: Logger, extras: BuildAppExtras = {}): Promise<App> {
  const shutdown = new AbortController();
  const health = createHealthChecks({ shutdownSignal: shutdown.signal, logger, flushLog: (done) => logger.flush(done) });

  const flowControl = createFlowControlFilter(options);
  // With priority and fairness on, its filter counts the requests in flight instead.
  let inflight = flowControl.inflight;
  const metrics = createMetrics({ inflight: () => inflight() });
  // Modes are checked before anything is opened; the authorizer itself needs the RBAC state.
  validateAuthorizationModes(options.authorizationMode, servedAuthorizationModes());
  const webhookMode = webhookModeAuthorizer(options);
  const audit = await buildAudit(options, logger, metrics.registry);
  // The aggregator serves discovery and OpenAPI for the whole chain; each layer registers what it serves.
  const discovery = new DiscoveryRegistry();
  const openapi = new OpenAPIRegistry();
  // APF's debug dumps answer once priority and fairness has started.
  let apfController: APFConfigController | undefined;
  const chain = createServerChain([health.mux, versionMux, metrics.mux, discoveryMux(discovery), openapiMux(openapi), apfDebugMux(() => apfController)]);

  const storage = await createStorage({ backend: options.storageBackend, mongodbUri: options.mongodbUri, logger });
  health.addCheck('healthz', 'storage', () => storage.checkHealth());
  health.addCheck('readyz', 'storage', () => storage.checkHealth());
  const compactor = startCompaction(storage, options.storageCompactionIntervalSeconds, logger);
  const storageMetrics = registerStorageMetrics(metrics.registry, storage);
  const admission = new AdmissionChain();
  const api: APIDeps = {
    storage,
    storageMetrics,
    admission,
    endpoints: { ...DEFAULT_ENDPOINT_DEPS, maxRequestBodyBytes: options.maxRequestBodyBytes },
    discovery,
    openapi,
    objectCounts: new ObjectCountTracker(),
  };
  const kubeAPIs = await installKubeAPIs(chain.kubeAPIServer, builtinGroupVersions({ serviceClusterIPRange: options.serviceClusterIPRange, serviceNodePortRange: options.serviceNodePortRange }), api);
  const namespaces = kubeAPIs.storeFor('', 'namespaces');
  if (namespaces) admission.add(namespaceLifecycle(storage, (name) => namespaces.key('', name)));
  let authorizer: Authorizer | undefined;
  const rbac = await startRBAC(
    storage,
    {
      clusterRoles: kubeAPIs.storeFor(RBAC_GROUP, 'clusterroles')!,
      clusterRoleBindings: kubeAPIs.storeFor(RBAC_GROUP, 'clusterrolebindings')!,
      roles: kubeAPIs.storeFor(RBAC_GROUP, 'roles')!,
      roleBindings: kubeAPIs.storeFor(RBAC_GROUP, 'rolebindings')!,
    },
    () => authorizer!,
    logger,
  );
  admission.add(rbac.escalation);
  authorizer = buildAuthorizer(options, { RBAC: rbac.authorizer, ...webhookMode });
  const serviceAccounts = await installServiceAccounts(options, kubeAPIs, api, logger, extras.servingCAPem);
  const apiAudiences = serviceAccounts?.config.apiAudiences ?? options.apiAudiences;
  const flagAuthenticators = await buildFlagAuthenticators(options, logger, apiAudiences, extras.clientCAPem);
  const authenticator = await buildAuthenticator(options, {
    onNotice: (notice) => logger.warn(notice.message),
    tokenAuthenticators: [...(serviceAccounts ? [serviceAccounts.tokenAuthenticator] : []), ...flagAuthenticators.tokenAuthenticators],
    requestAuthenticators: flagAuthenticators.requestAuthenticators,
    clientCAs: flagAuthenticators.clientCAs,
    apiAudiences,
  });
  const namespaceKey = (name: string) => namespaces?.key('', name) ?? `/registry/namespaces/${name}`;
  // One in-memory view of Services and endpoints for everything that dials a Service: the aggregator's
  // proxy, admission webhooks and CRD conversion webhooks (kube's informer-backed endpoint routing).
  const services = new ServiceIndex(storage, logger);
  await services.start();
  const stopAdmissionWebhooks = await installAdmissionWebhooks(admission, {
    storage, services, discovery, namespaceKey, logger, authorizer, openapi, policyStore: kubeAPIs.storeFor('admissionregistration.k8s.io', 'validatingadmissionpolicies'),
  });
  const ruleResolver = buildRuleResolver(options, { RBAC: rbac.authorizer });
  installReviewAPIs(chain.kubeAPIServer, api, { authenticator, authorizer, ruleResolver, apiAudiences });
  const apiExtensions = await installAPIExtensions(chain.apiExtensions, api, logger, services);
  const apf = options.enablePriorityAndFairness ? await startPriorityAndFairness(options, kubeAPIs.storeFor, metrics.registry, logger, api.objectCounts) : undefined;
  if (apf) inflight = apf.inflight;
  apfController = apf?.controller;
  const stopControllers = await startControllers(api, namespaces, withBuiltins(kubeAPIs.stores, apiExtensions.stores), logger);
  const stopServiceAccountsController = serviceAccounts ? await serviceAccounts.startController() : () => undefined;
  const aggregator = await installAggregator(chain.aggregator, api, { options, clientCAPem: extras.clientCAPem, configMaps: kubeAPIs.storeFor('', 'configmaps'), services }, logger);

  const app = new Koa<KubeState>();
  app.silent = true;
  app.on('error', (err: Error) => logger.debug({ err: err.message }, 'response error'));

  const initState: KubeMiddleware = (ctx, next) => {
    ctx.state.startTime = performance.now();
    // kube's WithAuditInit: a client (or a front proxy) may bring its own Audit-ID.
    ctx.state.auditID = ctx.get('audit-id') || randomUUID();
    ctx.state.shutdownSignal = shutdown.signal;
    ctx.set('Audit-Id', ctx.state.auditID);
    // kube's WithCacheControl: responses are private unless a handler says otherwise.
    ctx.set('Cache-Control', 'no-cache, private');
    return next();
  };

  // Outermost first, as kube-apiserver's DefaultBuildHandlerChain runs them.
  app.use(createPanicRecoveryFilter(logger));
  app.use(initState);
  app.use(requestLogger(logger));
  app.use(createRequestInfoFilter());
  app.use(createBodyLimitFilter(options.maxRequestBodyBytes));
  app.use(createTimeoutFilter(options.requestTimeoutSeconds));
  app.use(createAuthenticationFilter(authenticator, logger, apiAudiences, flagAuthenticators.proxyHeaders, audit.failedAuthentication));
  app.use(audit.filter);
  app.use(createImpersonationFilter(authorizer));
  app.use(metrics.droppedRecorder);
  app.use(apf ? apf.middleware : flowControl.middleware);
  app.use(createAuthorizationFilter(authorizer));
  // kube counts what the handlers answer, not the 401/403s of the filters in front of them.
  app.use(metrics.instrument);
  app.use(chain.middleware);

  // default/kubernetes: needs the port the server ends up listening on.
  let kubernetesService: KubernetesServiceController | undefined;
  const startKubernetesService = async (securePort: number) => {
    const services = kubeAPIs.storeFor('', 'services');
    if (!services) return;
    const stores = { services, endpoints: kubeAPIs.storeFor('', 'endpoints'), endpointSlices: kubeAPIs.storeFor('discovery.k8s.io', 'endpointslices') };
    const publicIP = options.advertiseAddress ?? advertiseAddress(options.bindAddress);
    kubernetesService = new KubernetesServiceController(stores, kubernetesServiceIP(options.serviceClusterIPRange), publicIP, securePort, logger);
    await kubernetesService.start();
  };

  return {
    callback: app.callback(),
    startKubernetesService,
    health,
    chain,
    storage,
    api,
    discovery,
    openapi,
    ruleResolver,
    authorizer,
    aggregator,
    beginShutdown: () => shutdown.abort(),
    close: async () => {
      await kubernetesService?.stop();
      stopControllers();
      rbac.stop();
      stopServiceAccountsController();
      aggregator.stop();
      services.stop();
      stopAdmissionWebhooks();
      flagAuthenticators.stop();
      apf?.stop();
      apiExtensions.controller.stop();
      compactor.stop();
      health.stop();
      await storage.close();
      await audit.shutdown();
    },
  };
}
