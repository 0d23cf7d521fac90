// The scale subresource (autoscaling/v1 Scale) of custom resources: replicas read from and written
// to the paths the CRD names (specReplicasPath, statusReplicasPath, labelSelectorPath), so that
// `kubectl scale` and autoscalers work.
import type { KubeContext } from '../../server/context.js';
import type { Store } from '../../registry/store.js';
import type { KubeObject } from '../../registry/resource.js';
import { newBadRequest, newInvalid } from '../status.js';
import { readBody } from '../read-body.js';
import { applyPatch, patchTypeFromContentType, permissivePatchSchema } from '../patch/index.js';
import { parseWriteQuery } from './params.js';
import { writeObject } from './io.js';
import { requestContext } from './request-context.js';
import type { EndpointDeps } from './deps.js';

export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter(Boolean);
}

function read(obj: KubeObject, path: string | undefined): unknown {
  if (!path) return undefined;
  let node: unknown = obj;
  for (const key of segments(path)) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

function write(obj: KubeObject, path: string, value: unknown): void {
  const keys = segments(path);
  let node = obj as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

export function toScale(obj: KubeObject, paths: ScalePaths): KubeObject {
  const meta = obj.metadata;
  const status: Record<string, unknown> = { replicas: Number(read(obj, paths.statusReplicasPath) ?? 0) };
  const selector = read(obj, paths.labelSelectorPath);
  if (typeof selector === 'string' && selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: meta.name, namespace: meta.namespace, uid: meta.uid, resourceVersion: meta.resourceVersion, creationTimestamp: meta.creationTimestamp },
    spec: { replicas: Number(read(obj, paths.specReplicasPath) ?? 0) },
    status,
  };
}

export async function handleScale(ctx: KubeContext, store: Store, paths: ScalePaths, deps: EndpointDeps): Promise<void> {
  const info = ctx.state.requestInfo;
  if (info.verb === 'get') {
    writeObject(ctx, 200, toScale(await store.get(info.namespace, info.name), paths));
    return;
  }
  const write_ = parseWriteQuery(ctx, info.verb === 'patch' ? 'PatchOptions' : 'UpdateOptions');
  const body = await readBody(ctx.req, deps.maxRequestBodyBytes);
  const patchType = info.verb === 'patch' ? patchTypeFromContentType(ctx.get('content-type') || undefined, { allowStrategic: false, contentLength: ctx.get('content-length') }) : undefined;
  const rc = { ...requestContext(ctx, write_), subresource: '' };
  const { object } = await store.update(
    info.namespace,
    info.name,
    (current) => {
      const scale = toScale(current!, paths);
      let wanted: KubeObject;
      if (patchType) wanted = applyPatch(patchType, scale, body, { schema: permissivePatchSchema, allowStrategic: false }) as KubeObject;
      else {
        try {
          wanted = JSON.parse(body.toString('utf8')) as KubeObject;
        } catch (err) {
          throw newBadRequest(`json parse error: ${(err as Error).message}`);
        }
      }
      const replicas = wanted.spec?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw newInvalid('Scale', 'autoscaling', info.name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', detail: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0` }]);
      }
      const next = structuredClone(current!);
      write(next, paths.specReplicasPath, replicas);
      // A Scale that names a resourceVersion is a precondition, as kube's scale update honours it.
      const rv = wanted.metadata?.resourceVersion;
      next.metadata.resourceVersion = rv && !patchType ? rv : current!.metadata.resourceVersion;
      return next;
    },
    rc,
    { patch: true },
  );
  writeObject(ctx, 200, toScale(object, paths));
}
