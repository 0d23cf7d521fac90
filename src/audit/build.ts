// Audit from the server's options, as kube-apiserver wires it: a policy file and at least one backend
// (--audit-log-path, --audit-webhook-config-file) or nothing is audited.
import type { Logger } from 'pino';
import type { ServerOptions } from '../server/options.js';
import type { KubeMiddleware } from '../server/context.js';
import { loadPolicyFile } from './policy.js';
import { newPolicyRuleEvaluator } from './policy-evaluator.js';
import { createLogBackend } from './backends/log.js';
import { createWebhookBackend, DEFAULT_WEBHOOK_BATCH } from './backends/webhook.js';
import { unionBackend } from './backends/union.js';
import { loadKubeconfigClient } from '../server/webhook/kubeconfig-client.js';
import { createAuditFilter } from '../server/filters/audit.js';
import type { AuditBackend } from './types.js';

export interface Audit {
  /** The audit filter, or a pass-through when auditing is off. */
  filter: KubeMiddleware;
  /** Flushes buffered events (webhook batches) and closes the log. */
  shutdown(): Promise<void>;
}

export async function buildAudit(options: ServerOptions, logger: Logger): Promise<Audit> {
  const off: Audit = { filter: (_ctx, next) => next(), shutdown: async () => undefined };
  if (!options.auditPolicyFile) return off;
  if (options.auditLogFormat !== 'json') throw new Error(`invalid --audit-log-format "${options.auditLogFormat}": only "json" is supported`);
  const policy = await loadPolicyFile(options.auditPolicyFile);
  const backends: AuditBackend[] = [];
  const onError = (err: Error) => logger.error({ err: err.message }, 'Unable to write audit event');
  if (options.auditLogPath) {
    backends.push(
      createLogBackend(options.auditLogPath, { maxSizeMB: options.auditLogMaxSize, maxBackups: options.auditLogMaxBackup, maxAgeDays: options.auditLogMaxAge }, onError),
    );
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
        onError,
      ),
    );
  }
  const backend = unionBackend(backends);
  if (!backend) return off;
  return { filter: createAuditFilter(newPolicyRuleEvaluator(policy), backend), shutdown: () => backend.shutdown() };
}
