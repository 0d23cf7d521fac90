// Command-line flags with kube-apiserver's names, parsed by yargs (it understands pflag's styles:
// `--secure-port=0`, `--secure-port 0`, `--anonymous-auth=false`).
import yargs from 'yargs';
import { DEFAULT_OPTIONS, withDefaults, type ServerOptions } from './options.js';
import { parseGoDuration } from '../endpoints/go-duration.js';

/** pflag's StringSlice: comma-separated; absent stays undefined. */
function commaList(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((v) => v.trim()).filter(Boolean);
}

export function parseFlags(argv: string[]): ServerOptions {
  const d = DEFAULT_OPTIONS;
  const parsed = yargs(argv)
    .scriptName('kube-chain')
    .usage('kube-chain: a Kubernetes API server in TypeScript.\n\nUsage: kube-chain [flags]')
    .parserConfiguration({ 'camel-case-expansion': false, 'strip-dashed': false, 'boolean-negation': false })
    .option('secure-port', { type: 'number', default: d.securePort, describe: 'The port on which to serve HTTPS (0 picks a free port).' })
    .option('bind-address', { type: 'string', default: d.bindAddress, describe: 'The IP address on which to listen.' })
    .option('advertise-address', { type: 'string', describe: "The address published in default/kubernetes' endpoints (default: --bind-address unless loopback, else the machine's first address)." })
    .option('data-dir', { type: 'string', default: d.dataDir, describe: 'Where generated certificates and admin.kubeconfig are kept.' })
    .option('tls-cert-file', { type: 'string', describe: 'x509 serving certificate (PEM); generated when absent.' })
    .option('tls-private-key-file', { type: 'string', describe: 'The serving certificate\'s private key (PEM).' })
    .option('client-ca-file', { type: 'string', describe: 'CA bundle that verifies client certificates; generated when absent.' })
    .option('token-auth-file', { type: 'string', describe: 'Static bearer tokens, CSV: token,user,uid,"group1,group2".' })
    .option('anonymous-auth', { type: 'boolean', default: d.anonymousAuth, describe: 'Serve unauthenticated requests as system:anonymous.' })
    .option('authorization-mode', { type: 'string', describe: 'Ordered list of authorizers: RBAC (the default), AlwaysAllow, AlwaysDeny (comma-separated).' })
    .option('max-requests-inflight', { type: 'number', default: d.maxRequestsInflight, describe: 'Maximum non-mutating requests in flight (0: no limit).' })
    .option('max-mutating-requests-inflight', { type: 'number', default: d.maxMutatingRequestsInflight, describe: 'Maximum mutating requests in flight (0: no limit).' })
    .option('enable-priority-and-fairness', { type: 'boolean', default: d.enablePriorityAndFairness, describe: 'Share the in-flight limits among priority levels with fair queuing (API Priority and Fairness).' })
    .option('etcd-count-metric-poll-period', { type: 'string', default: '1m', describe: 'Frequency of polling storage for number of resources per type (Go duration; 0 disables).' })
    .option('request-timeout', { type: 'string', default: `${d.requestTimeoutSeconds}s`, describe: 'Timeout for non-long-running requests (Go duration).' })
    .option('shutdown-timeout', { type: 'string', default: `${d.shutdownTimeoutSeconds}s`, describe: 'How long shutdown waits for in-flight requests.' })
    .option('storage-backend', { type: 'string', choices: ['memory', 'mongodb'], default: d.storageBackend, describe: 'Where objects are stored.' })
    .option('mongodb-uri', { type: 'string', describe: 'MongoDB connection string, with --storage-backend=mongodb.' })
    .option('storage-compaction-interval', { type: 'string', default: '5m', describe: 'How often old revisions are compacted (0 disables).' })
    .option('service-cluster-ip-range', { type: 'string', default: d.serviceClusterIPRange, describe: 'A CIDR from which services get their cluster IPs.' })
    .option('service-node-port-range', { type: 'string', default: d.serviceNodePortRange, describe: 'The ports NodePort and LoadBalancer services get (inclusive: "30000-32767" or "30000+2767").' })
    .option('audit-policy-file', { type: 'string', describe: 'Path to an audit.k8s.io/v1 Policy; without it nothing is audited.' })
    .option('audit-log-path', { type: 'string', describe: 'Write audit events as JSON lines to this file ("-" means stdout).' })
    .option('audit-log-maxage', { type: 'number', default: d.auditLogMaxAge, describe: 'Days to keep rotated audit log files (0: no limit).' })
    .option('audit-log-maxbackup', { type: 'number', default: d.auditLogMaxBackup, describe: 'Rotated audit log files to keep (0: no limit).' })
    .option('audit-log-maxsize', { type: 'number', default: d.auditLogMaxSize, describe: 'Megabytes an audit log file may reach before rotation (0: 100).' })
    .option('audit-log-format', { type: 'string', default: d.auditLogFormat, describe: 'Format of the audit log: json.' })
    .option('audit-log-mode', { type: 'string', default: d.auditLogMode, describe: 'Strategy for writing audit events: blocking or blocking-strict.' })
    .option('audit-webhook-config-file', { type: 'string', describe: 'A kubeconfig naming the audit webhook that receives EventLists.' })
    .option('audit-webhook-batch-max-size', { type: 'number', default: d.auditWebhookBatchMaxSize, describe: 'Most events in one webhook batch.' })
    .option('audit-webhook-batch-max-wait', { type: 'string', default: `${d.auditWebhookBatchMaxWaitSeconds}s`, describe: 'Longest wait before a partial batch is sent.' })
    .option('audit-webhook-initial-backoff', { type: 'string', default: `${d.auditWebhookInitialBackoffSeconds}s`, describe: 'Wait before retrying a failed webhook request.' })
    .option('service-account-signing-key-file', { type: 'string', describe: 'Private key (PEM, RSA or ECDSA) that signs service-account tokens; generated into --data-dir when absent.' })
    .option('service-account-key-file', { type: 'string', array: true, default: [] as string[], describe: 'PEM keys that verify service-account tokens (repeatable); default: the signing key.' })
    .option('service-account-issuer', { type: 'string', array: true, default: [] as string[], describe: 'Issuer of service-account tokens (repeatable; the first issues).' })
    .option('service-account-max-token-expiration', { type: 'string', default: '0s', describe: 'The longest lifetime a TokenRequest may get (Go duration; 0: no limit).' })
    .option('api-audiences', { type: 'string', describe: 'Audiences of the API (comma-separated); default: the service-account issuers.' })
    .option('proxy-client-cert-file', { type: 'string', describe: 'Client certificate the aggregator presents to extension API servers; generated when absent.' })
    .option('proxy-client-key-file', { type: 'string', describe: 'The proxy client certificate\'s private key (PEM).' })
    .option('requestheader-client-ca-file', { type: 'string', describe: 'CA that signs the proxy client certificate (published for extension API servers).' })
    .option('requestheader-allowed-names', { type: 'string', describe: 'Common names the proxy client certificate may have (comma-separated).' })
    .option('requestheader-username-headers', { type: 'string', describe: 'Request headers to inspect for the user name (comma-separated).' })
    .option('requestheader-group-headers', { type: 'string', describe: 'Request headers to inspect for groups (comma-separated).' })
    .option('requestheader-uid-headers', { type: 'string', describe: 'Request headers to inspect for the user\'s uid (comma-separated).' })
    .option('requestheader-extra-headers-prefix', { type: 'string', describe: 'Request header prefixes to inspect for extra user information (comma-separated).' })
    .option('oidc-issuer-url', { type: 'string', describe: 'The OpenID issuer URL (https); enables OIDC ID tokens as bearer tokens.' })
    .option('oidc-client-id', { type: 'string', describe: 'The client ID ID tokens must be issued for (their audience).' })
    .option('oidc-username-claim', { type: 'string', default: 'sub', describe: 'The ID token claim used as the user name.' })
    .option('oidc-username-prefix', { type: 'string', describe: 'Prefix of OIDC user names (default: "<issuer>#" unless the claim is email; "-" for none).' })
    .option('oidc-groups-claim', { type: 'string', describe: 'The ID token claim that lists the user\'s groups (a string or an array of strings).' })
    .option('oidc-groups-prefix', { type: 'string', describe: 'Prefix of OIDC group names.' })
    .option('oidc-ca-file', { type: 'string', describe: 'CA bundle that verifies the OpenID provider\'s certificate (default: the system roots).' })
    .option('oidc-required-claim', { type: 'string', array: true, default: [] as string[], describe: 'key=value a token\'s claims must hold (repeatable).' })
    .option('oidc-signing-algs', { type: 'string', default: 'RS256', describe: 'Accepted ID token signing algorithms (comma-separated).' })
    .option('authentication-token-webhook-config-file', { type: 'string', describe: 'A kubeconfig naming the service that reviews bearer tokens (TokenReview).' })
    .option('authentication-token-webhook-version', { type: 'string', choices: ['v1', 'v1beta1'], default: d.authenticationTokenWebhookVersion, describe: 'The authentication.k8s.io TokenReview version sent to the webhook.' })
    .option('authentication-token-webhook-cache-ttl', { type: 'string', default: '2m0s', describe: 'How long webhook answers are cached.' })
    .option('authorization-webhook-config-file', { type: 'string', describe: 'A kubeconfig naming the service that answers SubjectAccessReviews (authorization mode Webhook).' })
    .option('authorization-webhook-version', { type: 'string', choices: ['v1', 'v1beta1'], default: d.authorizationWebhookVersion, describe: 'The authorization.k8s.io SubjectAccessReview version sent to the webhook.' })
    .option('authorization-webhook-cache-authorized-ttl', { type: 'string', default: '5m0s', describe: 'How long allowed answers of the authorization webhook are cached.' })
    .option('authorization-webhook-cache-unauthorized-ttl', { type: 'string', default: '30s', describe: 'How long other answers of the authorization webhook are cached.' })
    .option('v', { type: 'number', default: 0, describe: 'Log verbosity: 4 and above logs every request.' })
    .strict()
    .help('help')
    .version(false)
    .exitProcess(true)
    .parseSync();

  const seconds = (flag: string, text: string): number => {
    const ms = parseGoDuration(text);
    if (ms === undefined) throw new Error(`invalid argument "${text}" for "--${flag}" flag: time: invalid duration "${text}"`);
    return ms / 1000;
  };
  const mode = parsed['authorization-mode'];
  // pflag's StringSlice: repeatable, and each value may itself be comma-separated.
  const commaList = (values: string | string[] | undefined): string[] =>
    ([] as string[]).concat(values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  // pflag's mapStringString: key=value pairs.
  const keyValues = (flag: string, pairs: string[]): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq === -1) throw new Error(`invalid argument "${pair}" for "--${flag}" flag: ${pair} must be formatted as key=value`);
      out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return out;
  };
  return withDefaults({
    securePort: parsed['secure-port'],
    bindAddress: parsed['bind-address'],
    advertiseAddress: parsed['advertise-address'],
    dataDir: parsed['data-dir'],
    tlsCertFile: parsed['tls-cert-file'],
    tlsPrivateKeyFile: parsed['tls-private-key-file'],
    clientCAFile: parsed['client-ca-file'],
    tokenAuthFile: parsed['token-auth-file'],
    anonymousAuth: parsed['anonymous-auth'],
    authorizationMode: mode !== undefined ? mode.split(',').map((m) => m.trim()).filter(Boolean) : undefined,
    maxRequestsInflight: parsed['max-requests-inflight'],
    maxMutatingRequestsInflight: parsed['max-mutating-requests-inflight'],
    enablePriorityAndFairness: parsed['enable-priority-and-fairness'],
    etcdCountMetricPollPeriodSeconds: seconds('etcd-count-metric-poll-period', parsed['etcd-count-metric-poll-period']),
    requestTimeoutSeconds: seconds('request-timeout', parsed['request-timeout']),
    shutdownTimeoutSeconds: seconds('shutdown-timeout', parsed['shutdown-timeout']),
    storageBackend: parsed['storage-backend'] as ServerOptions['storageBackend'],
    mongodbUri: parsed['mongodb-uri'],
    storageCompactionIntervalSeconds: seconds('storage-compaction-interval', parsed['storage-compaction-interval']),
    serviceClusterIPRange: parsed['service-cluster-ip-range'],
    serviceNodePortRange: parsed['service-node-port-range'],
    auditPolicyFile: parsed['audit-policy-file'],
    auditLogPath: parsed['audit-log-path'],
    auditLogMaxAge: parsed['audit-log-maxage'],
    auditLogMaxBackup: parsed['audit-log-maxbackup'],
    auditLogMaxSize: parsed['audit-log-maxsize'],
    auditLogFormat: parsed['audit-log-format'],
    auditLogMode: parsed['audit-log-mode'],
    auditWebhookConfigFile: parsed['audit-webhook-config-file'],
    auditWebhookBatchMaxSize: parsed['audit-webhook-batch-max-size'],
    auditWebhookBatchMaxWaitSeconds: seconds('audit-webhook-batch-max-wait', parsed['audit-webhook-batch-max-wait']),
    auditWebhookInitialBackoffSeconds: seconds('audit-webhook-initial-backoff', parsed['audit-webhook-initial-backoff']),
    logLevel: parsed.v >= 4 ? 'debug' : 'info',
    serviceAccountSigningKeyFile: parsed['service-account-signing-key-file'],
    serviceAccountKeyFiles: parsed['service-account-key-file'].filter(Boolean),
    serviceAccountIssuers: parsed['service-account-issuer'].filter(Boolean),
    serviceAccountMaxTokenExpirationSeconds: seconds('service-account-max-token-expiration', parsed['service-account-max-token-expiration']),
    apiAudiences: commaList(parsed['api-audiences']),
    proxyClientCertFile: parsed['proxy-client-cert-file'],
    proxyClientKeyFile: parsed['proxy-client-key-file'],
    requestheaderClientCAFile: parsed['requestheader-client-ca-file'],
    requestheaderAllowedNames: commaList(parsed['requestheader-allowed-names']),
    requestheaderUsernameHeaders: commaList(parsed['requestheader-username-headers']),
    requestheaderGroupHeaders: commaList(parsed['requestheader-group-headers']),
    requestheaderExtraHeadersPrefix: commaList(parsed['requestheader-extra-headers-prefix']),
    requestheaderUIDHeaders: parsed['requestheader-uid-headers'] === undefined ? undefined : commaList(parsed['requestheader-uid-headers']),
    oidcIssuerURL: parsed['oidc-issuer-url'],
    oidcClientID: parsed['oidc-client-id'],
    oidcUsernameClaim: parsed['oidc-username-claim'],
    oidcUsernamePrefix: parsed['oidc-username-prefix'],
    oidcGroupsClaim: parsed['oidc-groups-claim'],
    oidcGroupsPrefix: parsed['oidc-groups-prefix'],
    oidcCAFile: parsed['oidc-ca-file'],
    oidcRequiredClaims: keyValues('oidc-required-claim', commaList(parsed['oidc-required-claim'])),
    oidcSigningAlgs: commaList(parsed['oidc-signing-algs']),
    authenticationTokenWebhookConfigFile: parsed['authentication-token-webhook-config-file'],
    authenticationTokenWebhookVersion: parsed['authentication-token-webhook-version'] as ServerOptions['authenticationTokenWebhookVersion'],
    authenticationTokenWebhookCacheTTLSeconds: seconds('authentication-token-webhook-cache-ttl', parsed['authentication-token-webhook-cache-ttl']),
    authorizationWebhookConfigFile: parsed['authorization-webhook-config-file'],
    authorizationWebhookVersion: parsed['authorization-webhook-version'] as ServerOptions['authorizationWebhookVersion'],
    authorizationWebhookCacheAuthorizedTTLSeconds: seconds('authorization-webhook-cache-authorized-ttl', parsed['authorization-webhook-cache-authorized-ttl']),
    authorizationWebhookCacheUnauthorizedTTLSeconds: seconds('authorization-webhook-cache-unauthorized-ttl', parsed['authorization-webhook-cache-unauthorized-ttl']),
  });
}
