// PATCH: JSON patch, merge patch and strategic merge patch applied to the current object, retried
// on conflict by the store's guaranteed update (a patch without a resourceVersion never conflicts).
import type { KubeContext } from '../../server/context.js';
import type { Store } from '../../registry/store.js';
import { applyPatch, patchTypeFromContentType, permissivePatchSchema } from '../patch/index.js';
import { readBody } from '../read-body.js';
import { parseWriteQuery } from './params.js';
import { writeObject } from './io.js';
import { requestContext } from './request-context.js';
import type { EndpointDeps } from './deps.js';
import { requestAudit } from '../../audit/request-audit.js';
import { load as loadYAML } from 'js-yaml';

/** The patch document for the audit event (kube's LogRequestPatch keeps the bytes as sent). */
function patchDocument(body: Buffer): unknown {
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    try {
      return loadYAML(text);
    } catch {
      return text;
    }
  }
}

export async function handlePatch(ctx: KubeContext, store: Store, deps: EndpointDeps): Promise<void> {
  const info = ctx.state.requestInfo;
  // Built-in kinds take strategic merge patch; custom resources do not (kube's 415 lists what they take).
  const allowStrategic = !store.def.custom;
  const patchType = patchTypeFromContentType(ctx.get('content-type') || undefined, { allowStrategic, contentLength: ctx.get('content-length') });
  const write = parseWriteQuery(ctx, 'PatchOptions');
  const body = await readBody(ctx.req, deps.maxRequestBodyBytes);
  const audit = requestAudit(ctx);
  if (audit) audit.logRequestPatch(patchDocument(body));
  const schema = store.def.patchSchema ?? permissivePatchSchema;
  const { object } = await store.update(
    info.namespace,
    info.name,
    (current) => applyPatch(patchType, current ?? {}, body, { schema, allowStrategic }),
    requestContext(ctx, write),
    { patch: true },
  );
  writeObject(ctx, 200, object, store);
}
