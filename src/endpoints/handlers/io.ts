// Request bodies in, objects and lists out: the seam between the REST handlers and content
// negotiation (JSON, YAML, Table, PartialObjectMetadata) and field validation.
import type { KubeContext } from '../../server/context.js';
import type { Store } from '../../registry/store.js';
import type { KubeObject } from '../../registry/resource.js';
import { readBody } from '../read-body.js';
import { newBadRequest } from '../status.js';
import { negotiateInputFormat, decodeBody } from '../negotiation/decode.js';
import { applyFieldValidation, type FieldValidation } from '../negotiation/strict.js';
import { negotiateOutputMediaType, wantsPretty, type MediaTypeOptions } from '../negotiation/accept.js';
import { transformResponseObject, type TransformInput } from '../negotiation/transform.js';
import { encodeBody } from '../negotiation/encode.js';
import { cachedJSON } from '../negotiation/json-cache.js';
import { decodeProtobufBody, isProtobufContentType } from '../protobuf/index.js';
import { escapeHtml } from '../table/jsonpath.js';
import { addWarning } from '../warnings.js';
import { queryString } from './params.js';
import { requestAudit } from '../../audit/request-audit.js';
import type { EndpointDeps } from './deps.js';

/** What reading and writing an object needs of the endpoint: its resource and served apiVersion (a Store, or a create-only resource). */
export type ServedKind = Pick<Store, 'def' | 'apiVersion'>;

export interface DecodedObject {
  object: KubeObject;
  raw: Buffer;
}

/** Reads and decodes a create/update body for the store's kind; applies fieldValidation to what decoding found. */
export async function readObjectBody(ctx: KubeContext, store: ServedKind, deps: EndpointDeps, fieldValidation: FieldValidation): Promise<DecodedObject> {
  const contentType = ctx.get('content-type') || undefined;
  // client-go's typed clients (kubectl create configmap, ...) send built-in kinds as protobuf.
  if (isProtobufContentType(contentType) && !store.def.custom) {
    const raw = await readBody(ctx.req, deps.maxRequestBodyBytes);
    const decoded = decodeProtobufBody(raw, { group: store.def.group, version: store.def.version, kind: store.def.kind });
    requestAudit(ctx)?.logRequestObject(decoded.object);
    return { object: decoded.object as KubeObject, raw };
  }
  const format = negotiateInputFormat(contentType);
  const raw = await readBody(ctx.req, deps.maxRequestBodyBytes);
  const expected = { kind: store.def.kind, version: store.def.version, requireKind: store.def.custom === true };
  const decoded = decodeBody(raw, format, expected, fieldValidation !== 'Ignore');
  if (decoded.object === null) throw newBadRequest(`the object provided is unrecognized (must be of type ${store.def.kind}): Object 'Kind' is missing in 'null'`);
  const object = decoded.object as KubeObject;
  const unknownFields = fieldValidation === 'Ignore' ? [] : (store.def.unknownFields?.(object) ?? []);
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  const warnings = applyFieldValidation(
    fieldValidation,
    { yamlStrictError: decoded.yamlStrictError, duplicateFields: decoded.duplicateFields, unknownFields },
    { kind: (object.kind as string) || store.def.kind, version: version || store.def.version, expectedKind: store.def.kind },
  );
  for (const warning of warnings) addWarning(ctx, warning);
  requestAudit(ctx)?.logRequestObject(object);
  return { object, raw };
}

function negotiate(ctx: KubeContext, store: ServedKind | undefined): MediaTypeOptions {
  return negotiateOutputMediaType(ctx.get('accept') || undefined, { tableSupported: store !== undefined });
}


/** Plain compact JSON of stored objects: built from each object's cached text (the hot path of GET and LIST). */
function fastJSON(input: TransformInput, sortKeys: boolean): string {
  if (!input.list) return `${cachedJSON(input.value, sortKeys)}\n`;
  const { kind, apiVersion, metadata, items } = input.value;
  const head = escapeHtml(JSON.stringify({ kind, apiVersion, metadata }));
  return `${head.slice(0, -1)},"items":[${items.map((item) => cachedJSON(item, sortKeys)).join(',')}]}\n`;
}

function respond(ctx: KubeContext, code: number, input: TransformInput, store: ServedKind | undefined): void {
  requestAudit(ctx)?.logResponseObject(input.value);
  const options = negotiate(ctx, store);
  const pretty = wantsPretty(options, queryString(ctx, 'pretty'), ctx.get('user-agent'));
  const sortKeys = store?.def.custom === true;
  if (!options.convert && !pretty && options.serializer.mediaType === 'application/json') {
    ctx.status = code;
    ctx.body = fastJSON(input, sortKeys);
    ctx.set('Content-Type', 'application/json');
    return;
  }
  const value = transformResponseObject(input, options.convert, {
    convertor: store?.def.table,
    includeObject: queryString(ctx, 'includeObject'),
    resource: store ? (store.def.group ? `${store.def.resource}.${store.def.group}` : store.def.resource) : undefined,
  });
  ctx.status = code;
  // Custom resources are Go maps in kube: their keys come out sorted.
  ctx.body = encodeBody(value, options.serializer.mediaType, pretty, sortKeys);
  ctx.set('Content-Type', options.serializer.mediaType);
}

export function writeObject(ctx: KubeContext, code: number, obj: KubeObject, store?: ServedKind): void {
  respond(ctx, code, { list: false, value: obj }, store);
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export function writeList(ctx: KubeContext, store: Store, items: KubeObject[], meta: ListMeta): void {
  const metadata: ListMeta = { resourceVersion: meta.resourceVersion };
  if (meta.continue) metadata.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) metadata.remainingItemCount = meta.remainingItemCount;
  respond(ctx, 200, { list: true, value: { kind: store.def.listKind, apiVersion: store.apiVersion, metadata, items } }, store);
}
