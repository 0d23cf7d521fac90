// Outermost filter: whatever a handler throws becomes a Status and the server keeps serving.
// StatusErrors are intended answers; anything else is a bug, logged with the request and answered 500.
import type { Logger } from 'pino';
import type { KubeMiddleware } from '../context.js';
import { failureStatus, isStatusError } from '../../endpoints/status.js';
import { writeStatus, writeStatusError } from '../../endpoints/write-status.js';
import { StorageError } from '../../storage/interface.js';
import { storageErrorToStatus } from '../../storage/errors.js';

export const PANIC_MESSAGE = 'This request caused apiserver to panic. Look in the logs for details.';

export function createPanicRecoveryFilter(logger: Logger): KubeMiddleware {
  return async function panicRecovery(ctx, next) {
    try {
      await next();
    } catch (err) {
      if (isStatusError(err)) {
        if (!ctx.headerSent) writeStatusError(ctx, err);
        return;
      }
      // A storage failure that no resource-aware code translated (e.g. the database is down) is still
      // the storage's answer, not a bug.
      if (err instanceof StorageError && !ctx.headerSent) {
        writeStatusError(ctx, storageErrorToStatus(err, { group: '', resource: '' }, ''));
        return;
      }
      logger.error(
        { err, method: ctx.method, path: ctx.path, user: ctx.state.user?.name, auditID: ctx.state.auditID },
        'handler panicked',
      );
      if (ctx.headerSent) {
        // A stream already under way cannot carry a Status any more: end the connection.
        ctx.res.destroy();
        return;
      }
      writeStatus(ctx, failureStatus(500, 'InternalError', PANIC_MESSAGE));
    }
  };
}
