// audit.k8s.io/v1 types: the Policy read from --audit-policy-file and the Event the backends receive.
import type { Status } from '../endpoints/status.js';

export const AUDIT_API_VERSION = 'audit.k8s.io/v1';

export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type Level = (typeof LEVELS)[number];
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type Stage = (typeof STAGES)[number];

/** Level.Less / GreaterOrEqual of k8s.io/apiserver/pkg/apis/audit. */
export function levelAtLeast(level: Level, wanted: Level): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(wanted);
}

export interface GroupResources {
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  level: Level;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

export interface Policy {
  rules: PolicyRule[];
  omitStages?: Stage[];
  omitManagedFields?: boolean;
}

/** What the policy says about one request (auditinternal.RequestAuditConfig). */
export interface RequestAuditConfig {
  level: Level;
  omitStages: Stage[];
  omitManagedFields: boolean;
}

export interface AuditUserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

export interface ObjectReference {
  resource?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiGroup?: string;
  apiVersion?: string;
  resourceVersion?: string;
  subresource?: string;
}

/** metav1.Status as kube copies it into an event: no kind/apiVersion, an empty metadata. */
export type ResponseStatus = { metadata: Record<string, never> } & Partial<Pick<Status, 'status' | 'message' | 'reason' | 'details'>> & { code?: number };

export interface AuditEvent {
  kind: 'Event';
  apiVersion: typeof AUDIT_API_VERSION;
  level: Level;
  auditID: string;
  stage: Stage;
  requestURI: string;
  verb: string;
  user: AuditUserInfo;
  impersonatedUser?: AuditUserInfo;
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: ObjectReference;
  responseStatus?: ResponseStatus;
  requestObject?: unknown;
  responseObject?: unknown;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

/** Where events go (audit.Backend): a log file, a webhook, or several. */
export interface AuditBackend {
  /** False when an event could not be recorded (only a blocking-strict backend says so). */
  processEvents(events: AuditEvent[]): boolean;
  /** Flushes what is buffered and stops. */
  shutdown(): Promise<void>;
}

/** kube's audit.HandlePluginError: a plugin ("log", "webhook", "buffered") failed to record some events. */
export type PluginErrorHandler = (plugin: string, err: Error, events: number) => void;
