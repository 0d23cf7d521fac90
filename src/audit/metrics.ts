// kube's audit metrics (k8s.io/apiserver/pkg/audit/metrics.go), registered whether or not auditing is
// on, as kube registers them: events handed to the backends, events a backend failed to record (by
// plugin), requests refused because their event could not be stored, and each request's policy level.
import { Counter, type Registry } from 'prom-client';
import type { Level } from './types.js';

export interface AuditMetrics {
  /** ObserveEvent: one event handed to the backend (omitted stages are not). */
  observeEvent(): void;
  /** ObservePolicyLevel: the level the policy gave a request (one per request, None included). */
  observePolicyLevel(level: Level): void;
  /** HandlePluginError's count: events a plugin ("log", "webhook", "buffered") failed to record. */
  pluginError(plugin: string, events: number): void;
  /** A request answered 500 because its RequestReceived event could not be stored (blocking-strict). */
  requestRejected(): void;
}

export function registerAuditMetrics(registry: Registry): AuditMetrics {
  const registers = [registry];
  const events = new Counter({ name: 'apiserver_audit_event_total', help: '[ALPHA] Counter of audit events generated and sent to the audit backend.', registers });
  const errors = new Counter({
    name: 'apiserver_audit_error_total',
    help: '[ALPHA] Counter of audit events that failed to be audited properly. Plugin identifies the plugin affected by the error.',
    labelNames: ['plugin'],
    registers,
  });
  const levels = new Counter({ name: 'apiserver_audit_level_total', help: '[ALPHA] Counter of policy levels for audit events (1 per request).', labelNames: ['level'], registers });
  const rejected = new Counter({
    name: 'apiserver_audit_requests_rejected_total',
    help: '[ALPHA] Counter of apiserver requests rejected due to an error in audit logging backend.',
    registers,
  });
  return {
    observeEvent: () => events.inc(),
    observePolicyLevel: (level) => levels.inc({ level }),
    pluginError: (plugin, count) => errors.inc({ plugin }, count),
    requestRejected: () => rejected.inc(),
  };
}
