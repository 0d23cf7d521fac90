// What the handler chain learns about a request, carried on the Koa context so that no layer re-parses it.
import type { ParameterizedContext, Middleware } from 'koa';
import type { RequestInfo } from './request-info.js';
import type { UserInfo } from '../auth/user.js';

export interface KubeState {
  requestInfo: RequestInfo;
  /** Set by authentication (and replaced by impersonation). */
  user: UserInfo;
  /** Audit annotations the authenticator added (the audit filter runs after authentication). */
  authenticationAuditAnnotations?: Record<string, string>;
  /** The authenticated user when the request impersonates another (kept for audit and logs). */
  impersonatedBy?: UserInfo;
  /** The request's start, for latency metrics and logs (performance.now()). */
  startTime: number;
  /** Long-running requests (watch, proxy upgrades) are exempt from timeouts and the in-flight limits. */
  longRunning: boolean;
  /** Audit ID, also returned as the Audit-Id header. */
  auditID: string;
  /** Aborted when the server begins shutting down: long-running requests (watches) end their streams. */
  shutdownSignal: AbortSignal;
  /** Set by priority and fairness for a watch: the watch handler calls it once its initial events are
   *  sent, and the watch gives back its seats (kube's watch initialization signal). */
  watchInitialized?: () => void;
  [key: string]: unknown;
}

export type KubeContext = ParameterizedContext<KubeState>;
export type KubeMiddleware = Middleware<KubeState>;
