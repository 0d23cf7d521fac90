// Audit from the server's options, as kube-apiserver wires it: a policy file and at least one backend
// (--audit-log-path, --audit-webhook-config-file) or nothing is audited. The audit metrics are
// registered either way, as kube registers them.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServerOptions } from '../server/options.js';
import type { KubeContext, KubeMiddleware } from '../server/context.js';
import { loadPolicyFile } from './policy.js';
import { newPolicyRuleEvaluator } from './policy-evaluator.js';
import { createLogBackend, ignoreErrors } from './backends/log.js';
import { createWebhookBackend, DEFAULT_WEBHOOK_BATCH } from './backends/webhook.js';
import { unionBackend } from './backends/union.js';
import { loadKubeconfigClient } from '../server/webhook/kubeconfig-client.js';
import { createAuditFilter } from '../server/filters/audit.js';
import { createFailedAuthenticationAudit } from './failed-authentication.js';
import { registerAuditMetrics } from './metrics.js';
import type { AuditBackend, PluginErrorHandler } from './types.js';

export interface Audit {
  /** The audit filter, or a pass-through when auditing is off. */
  filter: KubeMiddleware;
  /** Audits a request that failed authentication (kube's WithFailedAuthenticationAudit), when auditing is on. */
  failedAuthentication?: (ctx: KubeContext) => void;
  /** Flushes buffered events (webhook batches) and closes the log. */
  shutdown(): Promise<void>;
}

const LOG_MODES = ['batch', 'blocking', 'blocking-strict'];

/** kube's validateBackendMode, for the modes kube-chain has. */
export function validateAuditLogMode(mode: string): void {
  if (!LOG_MODES.includes(mode)) throw new Error(`invalid audit log mode ${mode}, allowed modes are "${LOG_MODES.join(',')}"`);
  if (mode === 'batch') throw new Error('--audit-log-mode=batch is not supported: use blocking or blocking-strict');
}

export async function buildAudit(options: ServerOptions, logger: Logger, registry: Registry): Promise<Audit> {
  const metrics = registerAuditMetrics(registry);
  const off: Audit = { filter: (_ctx, next) => next(), shutdown: async () => undefined };
  if (!options.auditPolicyFile) return off;
  if (options.auditLogFormat !== 'json') throw new Error(`invalid --audit-log-format "${options.auditLogFormat}": only "json" is supported`);
  validateAuditLogMode(options.auditLogMode);
  const policy = await loadPolicyFile(options.auditPolicyFile);
  const backends: AuditBackend[] = [];
  // kube's HandlePluginError: counted per plugin, and logged.
  const onPluginError: PluginErrorHandler = (plugin, err, events) => {
    metrics.pluginError(plugin, events);
    logger.error({ plugin, events }, `Error in audit plugin '${plugin}' affecting ${events} audit events: ${err.message}`);
  };
  if (options.auditLogPath) {
    const log = createLogBackend(options.auditLogPath, { maxSizeMB: options.auditLogMaxSize, maxBackups: options.auditLogMaxBackup, maxAgeDays: options.auditLogMaxAge }, onPluginError);
    backends.push(options.auditLogMode === 'blocking-strict' ? log : ignoreErrors(log));
  }
  if (options.auditWebhookConfigFile) {
    const client = loadKubeconfigClient(options.auditWebhookConfigFile);
    backends.push(
      createWebhookBackend(
        client,
        {
          ...DEFAULT_WEBHOOK_BATCH,
          maxBatchSize: options.auditWebhookBatchMaxSize,
          maxBatchWaitMs: options.auditWebhookBatchMaxWaitSeconds * 1000,
          initialBackoffMs: options.auditWebhookInitialBackoffSeconds * 1000,
        },
        onPluginError,
      ),
    );
  }
  const backend = unionBackend(backends);
  if (!backend) return off;
  const evaluate = newPolicyRuleEvaluator(policy);
  return {
    filter: createAuditFilter(evaluate, backend, metrics),
    failedAuthentication: createFailedAuthenticationAudit(evaluate, backend, metrics),
    shutdown: () => backend.shutdown(),
  };
}
