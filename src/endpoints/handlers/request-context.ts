// The per-request inputs of a store call: who, dry run, and the field manager kube would record; for
// admission also the operation's options (as AdmissionReview carries them) and a warning sink.
import type { KubeContext } from '../../server/context.js';
import type { RequestContext } from '../../registry/store.js';
import { managerFromUserAgent } from '../../registry/managed-fields.js';
import { addWarning } from '../warnings.js';
import { requestAudit } from '../../audit/request-audit.js';
import { levelAtLeast } from '../../audit/types.js';
import { queryString, type WriteQuery } from './params.js';

const OPTIONS_KIND: Record<string, string> = { create: 'CreateOptions', update: 'UpdateOptions', patch: 'PatchOptions', delete: 'DeleteOptions', deletecollection: 'DeleteOptions' };

/** The request's options object (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions) as sent. */
function operationOptions(ctx: KubeContext, write: Pick<WriteQuery, 'dryRun' | 'fieldManager'> | undefined): Record<string, unknown> | undefined {
  const kind = OPTIONS_KIND[ctx.state.requestInfo.verb];
  if (!kind) return undefined;
  const options: Record<string, unknown> = { kind, apiVersion: 'meta.k8s.io/v1' };
  if (write?.dryRun) options.dryRun = ['All'];
  if (kind === 'DeleteOptions') {
    const grace = queryString(ctx, 'gracePeriodSeconds');
    if (grace !== undefined && /^-?\d+$/.test(grace)) options.gracePeriodSeconds = Number(grace);
    const policy = queryString(ctx, 'propagationPolicy');
    if (policy) options.propagationPolicy = policy;
    return options;
  }
  if (write?.fieldManager) options.fieldManager = write.fieldManager;
  const force = queryString(ctx, 'force');
  if (kind === 'PatchOptions' && force === 'true') options.force = true;
  const validation = queryString(ctx, 'fieldValidation');
  if (validation) options.fieldValidation = validation;
  return options;
}

export function requestContext(ctx: KubeContext, write: Pick<WriteQuery, 'dryRun' | 'fieldManager'> | undefined): RequestContext {
  return {
    user: ctx.state.user,
    dryRun: write?.dryRun ?? false,
    fieldManager: write?.fieldManager || managerFromUserAgent(ctx.get('user-agent')),
    subresource: ctx.state.requestInfo.subresource,
    options: operationOptions(ctx, write),
    warn: (text) => addWarning(ctx, text),
    addAuditAnnotation: (key, value, level = 'Metadata') => {
      const audit = requestAudit(ctx);
      if (audit && levelAtLeast(audit.level, level)) audit.addAnnotation(key, value);
    },
  };
}
