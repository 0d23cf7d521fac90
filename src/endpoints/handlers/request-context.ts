// The per-request inputs of a store call: who, dry run, and the field manager kube would record.
import type { KubeContext } from '../../server/context.js';
import type { RequestContext } from '../../registry/store.js';
import { managerFromUserAgent } from '../../registry/managed-fields.js';
import type { WriteQuery } from './params.js';

export function requestContext(ctx: KubeContext, write: Pick<WriteQuery, 'dryRun' | 'fieldManager'> | undefined): RequestContext {
  return {
    user: ctx.state.user,
    dryRun: write?.dryRun ?? false,
    fieldManager: write?.fieldManager || managerFromUserAgent(ctx.get('user-agent')),
    subresource: ctx.state.requestInfo.subresource,
  };
}
