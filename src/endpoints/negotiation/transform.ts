// The conversion a client asked for in its Accept header (Table, PartialObjectMetadata,
// PartialObjectMetadataList), applied to a handler's result as kube's handlers/response.go
// transformResponseObject / doTransformObject do.
import type { KubeObject, TableConvertor } from '../../registry/resource.js';
import { objectToTable, parseIncludeObject, toTable } from '../table/table.js';
import type { ConversionTarget } from './accept.js';
import { newNotAcceptableMessage } from './media-types.js';
import { asPartialObjectMetadata, asPartialObjectMetadataList, type ListMetaFields } from './partial-metadata.js';

/** A list as the handlers build it: `{kind: <Kind>List, apiVersion, metadata, items}`. */
export interface ObjectList {
  kind: string;
  apiVersion: string;
  metadata: ListMetaFields;
  items: KubeObject[];
}

export interface TransformContext {
  /** The resource's table convertor (required for Table targets; negotiation only offers Table when there is one). */
  convertor?: TableConvertor;
  /** The raw `includeObject` query parameter. */
  includeObject?: string;
  /** Table column headers left out (watch events after the first). */
  noHeaders?: boolean;
  /** Go's %T of the result in kube's messages, e.g. `*unstructured.UnstructuredList`, `*core.ConfigMapList`. */
  goTypeName?: string;
  /** The group-resource for kube's "does not support being converted to a Table", e.g. `widgets.example.com`. */
  resource?: string;
}

export type TransformInput = { list: true; value: ObjectList } | { list: false; value: KubeObject };

function isStatus(obj: KubeObject): boolean {
  return obj.kind === 'Status' && obj.apiVersion === 'v1';
}

function groupVersionString(target: ConversionTarget): string {
  return target.group ? `${target.group}/${target.version}` : target.version;
}

function metaVersion(target: ConversionTarget): 'v1' | 'v1beta1' | undefined {
  if (target.group !== 'meta.k8s.io') return undefined;
  return target.version === 'v1' || target.version === 'v1beta1' ? target.version : undefined;
}

/**
 * Converts a result for the response. Without a target the result is returned as is (an empty list
 * gets `items: []`, as kube makes sure of). Errors are kube's 406/400 Status errors.
 */
export function transformResponseObject(input: TransformInput, target: ConversionTarget | undefined, ctx: TransformContext = {}): unknown {
  // optionsForTransform runs first: a bad includeObject is a 400 whatever the object.
  const includeObject = target?.kind === 'Table' && metaVersion(target) ? parseIncludeObject(ctx.includeObject) : '';
  if (input.list && !Array.isArray(input.value.items)) input.value.items = [];
  if (!input.list && isStatus(input.value)) return input.value;
  if (!target) return input.value;

  const version = metaVersion(target);
  switch (target.kind) {
    case 'PartialObjectMetadata':
      if (input.list) {
        throw newNotAcceptableMessage(`you requested PartialObjectMetadata, but the requested object is a list (${ctx.goTypeName ?? '*unstructured.UnstructuredList'})`);
      }
      if (!version) throw newNotAcceptableMessage(`no PartialObjectMetadataList exists in group version ${groupVersionString(target)}`);
      return asPartialObjectMetadata(input.value, version);
    case 'PartialObjectMetadataList':
      if (!input.list) {
        throw newNotAcceptableMessage(`you requested PartialObjectMetadataList, but the requested object is not a list (${ctx.goTypeName ?? '*unstructured.Unstructured'})`);
      }
      if (!version) throw newNotAcceptableMessage(`no PartialObjectMetadataList exists in group version ${groupVersionString(target)}`);
      return asPartialObjectMetadataList(input.value.items, input.value.metadata, version);
    case 'Table': {
      if (!version) throw newNotAcceptableMessage(`no Table exists in group version ${groupVersionString(target)}`);
      if (!ctx.convertor) throw newNotAcceptableMessage(`the resource ${ctx.resource ?? ''} does not support being converted to a Table`);
      const opts = { includeObject, version, noHeaders: ctx.noHeaders };
      return input.list ? toTable(input.value.items, ctx.convertor, { ...opts, listMeta: input.value.metadata }) : objectToTable(input.value, ctx.convertor, opts);
    }
    default:
      throw newNotAcceptableMessage('only the following media types are accepted: application/json, application/yaml');
  }
}

/**
 * The per-event conversion of a watch (kube's watchEmbeddedEncoder): each event object converted as
 * asked, the Table column definitions only on the first event, and, as kube does, an object that
 * cannot be converted sent unconverted rather than breaking the stream.
 */
export function createWatchObjectTransformer(target: ConversionTarget | undefined, ctx: TransformContext = {}): (obj: KubeObject) => unknown {
  if (target?.kind === 'Table') parseIncludeObject(ctx.includeObject);
  let noHeaders = ctx.noHeaders ?? false;
  return (obj) => {
    let result: unknown;
    try {
      result = transformResponseObject({ list: false, value: obj }, target, { ...ctx, noHeaders });
    } catch {
      result = obj;
    }
    noHeaders = true;
    return result;
  };
}
