// Server options: one object for the CLI flags (kube-apiserver's names, camel-cased here) and for
// the in-process startServer() call.

export type StorageBackendName = 'memory' | 'mongodb';

export interface ServerOptions {
  /** --secure-port: 0 picks a free port. */
  securePort: number;
  /** --bind-address */
  bindAddress: string;
  /** --data-dir: generated certificates and the admin kubeconfig live here. */
  dataDir: string;
  /** --tls-cert-file / --tls-private-key-file: the serving certificate; generated when absent. */
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  /** --client-ca-file: verifies client certificates; generated (with an admin cert) when absent. */
  clientCAFile?: string;
  /** --token-auth-file: kube's static token CSV. */
  tokenAuthFile?: string;
  /** --anonymous-auth */
  anonymousAuth: boolean;
  /** --authorization-mode: ["RBAC"] by default; also "AlwaysAllow", "AlwaysDeny", in the order given.
   *  system:masters is allowed everything whatever the modes. */
  authorizationMode: string[];
  /** --max-requests-inflight / --max-mutating-requests-inflight; 0 disables the limit. */
  maxRequestsInflight: number;
  maxMutatingRequestsInflight: number;
  /** --enable-priority-and-fairness (kube's default true): API Priority and Fairness replaces the
   *  max-in-flight filter, sharing both in-flight limits among the priority levels. */
  enablePriorityAndFairness: boolean;
  /** --etcd-count-metric-poll-period, in seconds (kube's default 1m; 0 disables): how often objects
   *  are counted per resource, for APF's estimate of what a list costs. */
  etcdCountMetricPollPeriodSeconds: number;
  /** --request-timeout, in seconds, for non-long-running requests. */
  requestTimeoutSeconds: number;
  /** --max-request-body-bytes (kube's limit: 3 MiB). */
  maxRequestBodyBytes: number;
  /** How long shutdown waits for in-flight requests before closing connections (seconds). */
  shutdownTimeoutSeconds: number;
  /** --storage-backend and --mongodb-uri */
  storageBackend: StorageBackendName;
  mongodbUri?: string;
  /** --storage-compaction-interval in seconds (kube/etcd default 5m); 0 disables. */
  storageCompactionIntervalSeconds: number;
  /** --service-cluster-ip-range: the CIDR services' cluster IPs come from. */
  serviceClusterIPRange: string;
  /** --service-node-port-range: the ports NodePort and LoadBalancer services get ("30000-32767" or "30000+2767"). */
  serviceNodePortRange: string;
  /** --advertise-address: this server's address in default/kubernetes' endpoints (default: from --bind-address or the machine). */
  advertiseAddress?: string;
  /** --v / log level: "info" (default) or "debug" (one line per request). */
  logLevel: string;
  /** --audit-policy-file: an audit.k8s.io/v1 Policy; without it nothing is audited. */
  auditPolicyFile?: string;
  /** --audit-log-path ("-" is stdout) and lumberjack's rotation: --audit-log-maxage (days),
   *  --audit-log-maxbackup, --audit-log-maxsize (megabytes); --audit-log-format (json). */
  auditLogPath?: string;
  auditLogMaxAge: number;
  auditLogMaxBackup: number;
  auditLogMaxSize: number;
  auditLogFormat: string;
  /** --audit-log-mode: "blocking" (kube's default; a failed write is counted and ignored) or
   *  "blocking-strict" (a request whose RequestReceived event cannot be written is refused). */
  auditLogMode: string;
  /** --audit-webhook-config-file (a kubeconfig) and its batching: --audit-webhook-batch-max-size,
   *  --audit-webhook-batch-max-wait, --audit-webhook-initial-backoff (seconds here). */
  auditWebhookConfigFile?: string;
  auditWebhookBatchMaxSize: number;
  auditWebhookBatchMaxWaitSeconds: number;
  auditWebhookInitialBackoffSeconds: number;
  /** --service-account-signing-key-file: signs service-account tokens; generated into the data dir when absent. */
  serviceAccountSigningKeyFile?: string;
  /** --service-account-key-file (repeatable): keys that verify service-account tokens; default: the signing key's. */
  serviceAccountKeyFiles: string[];
  /** --service-account-issuer (repeatable): the first issues, all are accepted. */
  serviceAccountIssuers: string[];
  /** --service-account-max-token-expiration in seconds (0: no limit). */
  serviceAccountMaxTokenExpirationSeconds: number;
  /** --api-audiences: what tokens must be meant for; default: the service-account issuers. */
  apiAudiences: string[];
  /** --oidc-issuer-url (https) and --oidc-client-id (the audience ID tokens must have). */
  oidcIssuerURL?: string;
  oidcClientID?: string;
  /** --oidc-username-claim (default sub) and --oidc-username-prefix (default "<issuer>#" unless the claim is email; "-": none). */
  oidcUsernameClaim?: string;
  oidcUsernamePrefix?: string;
  /** --oidc-groups-claim and --oidc-groups-prefix. */
  oidcGroupsClaim?: string;
  oidcGroupsPrefix?: string;
  /** --oidc-ca-file: the CA bundle that verifies the provider's certificate (default: the system's roots). */
  oidcCAFile?: string;
  /** --oidc-required-claim key=value (repeatable). */
  oidcRequiredClaims: Record<string, string>;
  /** --oidc-signing-algs (default RS256). */
  oidcSigningAlgs: string[];
  /** --authentication-token-webhook-config-file (a kubeconfig), --authentication-token-webhook-version
   *  (v1beta1 as kube-apiserver's default, or v1) and --authentication-token-webhook-cache-ttl (seconds; default 2m). */
  authenticationTokenWebhookConfigFile?: string;
  authenticationTokenWebhookVersion: 'v1' | 'v1beta1';
  authenticationTokenWebhookCacheTTLSeconds: number;
  /** kube-apiserver's TokenSuccessCacheTTL / TokenFailureCacheTTL (no flags in kube): how long the union
   *  of token authenticators remembers a success (10 s) or a failure (0: never), in seconds. */
  tokenSuccessCacheTTLSeconds: number;
  tokenFailureCacheTTLSeconds: number;
  /** --authorization-webhook-config-file (a kubeconfig; the Webhook authorization mode),
   *  --authorization-webhook-version (v1beta1 as kube-apiserver's default, or v1) and the answer caches
   *  --authorization-webhook-cache-authorized-ttl (5m) and -unauthorized-ttl (30s), in seconds. */
  authorizationWebhookConfigFile?: string;
  authorizationWebhookVersion: 'v1' | 'v1beta1';
  authorizationWebhookCacheAuthorizedTTLSeconds: number;
  authorizationWebhookCacheUnauthorizedTTLSeconds: number;
  /** Write <dataDir>/admin.kubeconfig (the CLI does; tests may not want to). Default true. */
  writeKubeconfig: boolean;
  /** --proxy-client-cert-file / --proxy-client-key-file: the certificate the aggregator presents to
   *  extension API servers; generated (signed by a generated requestheader CA) when absent. */
  proxyClientCertFile?: string;
  proxyClientKeyFile?: string;
  /** --requestheader-client-ca-file and friends, published in kube-system/extension-apiserver-authentication. */
  requestheaderClientCAFile?: string;
  requestheaderAllowedNames?: string[];
  requestheaderUsernameHeaders?: string[];
  requestheaderGroupHeaders?: string[];
  requestheaderExtraHeadersPrefix?: string[];
  /** --requestheader-uid-headers (default X-Remote-Uid when --requestheader-client-ca-file is set). */
  requestheaderUIDHeaders?: string[];
  /** How often the aggregator re-checks remote APIServices and refreshes their discovery (seconds). */
  aggregatorResyncSeconds?: number;
}

export const DEFAULT_OPTIONS: ServerOptions = {
  securePort: 6443,
  bindAddress: '127.0.0.1',
  dataDir: '.kube-chain',
  anonymousAuth: true,
  authorizationMode: ['RBAC'],
  maxRequestsInflight: 400,
  maxMutatingRequestsInflight: 200,
  enablePriorityAndFairness: true,
  etcdCountMetricPollPeriodSeconds: 60,
  requestTimeoutSeconds: 60,
  maxRequestBodyBytes: 3 * 1024 * 1024,
  shutdownTimeoutSeconds: 60,
  storageBackend: 'memory',
  storageCompactionIntervalSeconds: 300,
  serviceClusterIPRange: '10.0.0.0/24',
  serviceNodePortRange: '30000-32767',
  logLevel: 'info',
  writeKubeconfig: true,
  auditLogMaxAge: 0,
  auditLogMaxBackup: 0,
  auditLogMaxSize: 0,
  auditLogFormat: 'json',
  auditLogMode: 'blocking',
  auditWebhookBatchMaxSize: 400,
  auditWebhookBatchMaxWaitSeconds: 30,
  auditWebhookInitialBackoffSeconds: 10,
  serviceAccountKeyFiles: [],
  serviceAccountIssuers: [],
  serviceAccountMaxTokenExpirationSeconds: 0,
  apiAudiences: [],
  oidcRequiredClaims: {},
  oidcSigningAlgs: ['RS256'],
  authenticationTokenWebhookVersion: 'v1beta1',
  authenticationTokenWebhookCacheTTLSeconds: 120,
  tokenSuccessCacheTTLSeconds: 10,
  tokenFailureCacheTTLSeconds: 0,
  authorizationWebhookVersion: 'v1beta1',
  authorizationWebhookCacheAuthorizedTTLSeconds: 300,
  authorizationWebhookCacheUnauthorizedTTLSeconds: 30,
};

export function withDefaults(partial: Partial<ServerOptions>): ServerOptions {
  const merged = { ...DEFAULT_OPTIONS };
  for (const [key, value] of Object.entries(partial)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
