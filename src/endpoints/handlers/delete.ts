// DELETE of one object and of a collection, with kube's DeleteOptions (body or query).
import type { KubeContext } from '../../server/context.js';
import type { DeleteParams, Store } from '../../registry/store.js';
import { newBadRequest, newInvalid, successStatus, type FieldError } from '../status.js';
import { readBody } from '../read-body.js';
import { decodeProtobufBody, isProtobufContentType } from '../protobuf/index.js';
import { parseListQuery, queryInt, queryString } from './params.js';
import { compilePredicate } from './predicate.js';
import { writeObject } from './io.js';
import { requestContext } from './request-context.js';
import { requestAudit } from '../../audit/request-audit.js';
import type { EndpointDeps } from './deps.js';

const POLICIES = ['Foreground', 'Background', 'Orphan'];

interface DeleteOptionsBody {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

async function readDeleteOptions(ctx: KubeContext, deps: EndpointDeps): Promise<{ params: DeleteParams; dryRun: boolean }> {
  let body: DeleteOptionsBody = {};
  const raw = await readBody(ctx.req, deps.maxRequestBodyBytes);
  if (raw.length > 0 && isProtobufContentType(ctx.get('content-type') || undefined)) {
    body = decodeProtobufBody(raw).object as DeleteOptionsBody;
  } else if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8')) as DeleteOptionsBody;
    } catch (err) {
      throw newBadRequest(`json parse error: ${(err as Error).message}`);
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw newBadRequest('the body of the request was not a DeleteOptions object');
  }
  if (raw.length > 0) requestAudit(ctx)?.logRequestObject(body);
  const propagation = queryString(ctx, 'propagationPolicy') ?? body.propagationPolicy;
  const grace = queryInt(ctx, 'gracePeriodSeconds') ?? body.gracePeriodSeconds;
  const orphanQuery = queryString(ctx, 'orphanDependents');
  const orphan = orphanQuery !== undefined ? orphanQuery === 'true' : body.orphanDependents;
  const dryRun = [...([] as string[]).concat(ctx.query.dryRun ?? []), ...(body.dryRun ?? [])];
  const errors: FieldError[] = [];
  if (propagation !== undefined && !POLICIES.includes(propagation)) {
    errors.push({ type: 'FieldValueNotSupported', field: 'propagationPolicy', detail: `Unsupported value: ${JSON.stringify(propagation)}: supported values: "Foreground", "Background", "Orphan", "nil"` });
  }
  if (propagation !== undefined && orphan !== undefined) {
    errors.push({ type: 'FieldValueInvalid', field: 'propagationPolicy', detail: `Invalid value: ${JSON.stringify(propagation)}: orphanDependents and deletionPropagation cannot be both set` });
  }
  if (grace !== undefined && grace < 0) errors.push({ type: 'FieldValueInvalid', field: 'gracePeriodSeconds', detail: `Invalid value: ${grace}: must be greater than or equal to 0` });
  for (const value of dryRun) if (value !== 'All') errors.push({ type: 'FieldValueNotSupported', field: 'dryRun', detail: `Unsupported value: ${JSON.stringify(dryRun)}: supported values: "All"` });
  if (errors.length > 0) throw newInvalid('DeleteOptions', 'meta.k8s.io', '', errors);
  const policy = (propagation ?? (orphan === true ? 'Orphan' : orphan === false ? 'Background' : undefined)) as DeleteParams['propagationPolicy'];
  return { params: { propagationPolicy: policy, gracePeriodSeconds: grace, preconditions: body.preconditions }, dryRun: dryRun.length > 0 };
}

export async function handleDelete(ctx: KubeContext, store: Store, deps: EndpointDeps): Promise<void> {
  const info = ctx.state.requestInfo;
  const { params, dryRun } = await readDeleteOptions(ctx, deps);
  const result = await store.delete(info.namespace, info.name, params, requestContext(ctx, { dryRun, fieldManager: '' }));
  if (!result.deleted || store.def.returnDeletedObject) return writeObject(ctx, 200, result.object, store);
  const meta = result.object.metadata;
  writeObject(ctx, 200, successStatus({ name: meta.name, group: store.def.group, kind: store.def.resource, uid: meta.uid }), store);
}

export async function handleDeleteCollection(ctx: KubeContext, store: Store, deps: EndpointDeps): Promise<void> {
  const info = ctx.state.requestInfo;
  const query = parseListQuery(ctx, false);
  const { params, dryRun } = await readDeleteOptions(ctx, deps);
  const predicate = compilePredicate(store, query.labelSelector, query.fieldSelector);
  const items = await store.deleteCollection(info.namespace, { predicate }, params, requestContext(ctx, { dryRun, fieldManager: '' }));
  writeObject(ctx, 200, { kind: store.def.listKind, apiVersion: store.apiVersion, metadata: {}, items }, store);
}
