// Structured JSON-line logs (pino), and the one-line-per-request log at debug level.
import { pino, type DestinationStream, type Logger } from 'pino';
import type { KubeContext, KubeMiddleware } from './context.js';

export type { Logger } from 'pino';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * A JSON-lines logger: {"level":"info","time":"<ISO 8601>","pid":…,"msg":…, fields…}.
 * Writes to stdout unless given a destination (tests, or a file).
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  if (!LEVELS.includes(level)) {
    throw new Error(`invalid log level "${level}": use one of ${LEVELS.join(', ')}`);
  }
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Logs one finished request at debug level: user, verb, path, code, latency and audit ID.
 * At info level and above it returns before reading anything from the request.
 */
export function logRequest(logger: Logger, ctx: KubeContext): void {
  if (!logger.isLevelEnabled('debug')) return;
  const state = ctx.state;
  const res = ctx.res;
  logger.debug(
    {
      user: state.user?.name,
      verb: state.requestInfo?.verb ?? ctx.method.toLowerCase(),
      method: ctx.method,
      path: ctx.path,
      code: res.headersSent ? res.statusCode : ctx.status,
      latencyMs: typeof state.startTime === 'number' ? Math.round((performance.now() - state.startTime) * 1000) / 1000 : undefined,
      auditID: state.auditID,
      userAgent: ctx.get('User-Agent') || undefined,
      srcIP: ctx.ip,
    },
    'HTTP',
  );
}

/** Logs each request when its response is over (so the code is final and a watch's latency is its life). */
export function requestLogger(logger: Logger): KubeMiddleware {
  return function logRequests(ctx, next) {
    if (logger.isLevelEnabled('debug')) ctx.res.once('close', () => logRequest(logger, ctx));
    return next();
  };
}
