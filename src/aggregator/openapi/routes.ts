// The REST routes kube's installer registers for each resource of a group-version
// (k8s.io/apiserver/pkg/endpoints/installer.go registerResourceHandlers): which paths, which
// operations, their IDs, actions, parameters, bodies and responses. documents.ts turns them into
// OpenAPI paths.
import type { ResourceDefinition, SubresourceDefinition } from '../../registry/resource.js';
import { groupVersionTag, operationId } from './operation-ids.js';
import {
  CREATE_PARAMETERS,
  DELETE_COLLECTION_PARAMETERS,
  DELETE_PARAMETERS,
  LIST_PARAMETERS,
  PATCH_PARAMETERS,
  PRETTY,
  UPDATE_PARAMETERS,
  pathParameter,
  type Parameter,
} from './parameters.js';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
export type Action = 'get' | 'list' | 'watch' | 'watchlist' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection';

export interface RouteResponse {
  code: number;
  description: string;
  /** components.schemas name of the response body. */
  schema: string;
  contentTypes: string[];
}

export interface Route {
  path: string;
  method: HttpMethod;
  operationId: string;
  description: string;
  tag: string;
  action?: Action;
  gvk?: { group: string; kind: string; version: string };
  parameters: Parameter[];
  requestBody?: { schema: string; contentTypes: string[]; required: boolean };
  responses: RouteResponse[];
}

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const STATUS_SCHEMA = `${META}Status`;
export const DELETE_OPTIONS_SCHEMA = `${META}DeleteOptions`;
export const WATCH_EVENT_SCHEMA = `${META}WatchEvent`;
export const PATCH_SCHEMA = `${META}Patch`;
export const API_RESOURCE_LIST_SCHEMA = `${META}APIResourceList`;

// The media types kube-chain serves (no protobuf), and the stream variant for lists and watches.
const OBJECT_TYPES = ['application/json', 'application/yaml'];
const STREAM_TYPES = ['application/json', 'application/json;stream=watch', 'application/yaml'];
const PATCH_TYPES_BUILTIN = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const PATCH_TYPES_CUSTOM = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

/** Schema names of kinds served by subresources of another kind. */
const SUBRESOURCE_KIND_SCHEMAS: Record<string, string> = {
  'autoscaling/v1/Scale': 'io.k8s.api.autoscaling.v1.Scale',
};

export interface ResourceSchemas {
  /** Schema of the kind. */
  kind: string;
  /** Schema of the list kind. */
  list: string;
}

function title(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

export interface RouteOptions {
  /** Strategic merge patch is offered for built-in kinds only (not for custom resources). */
  strategicMergePatch: boolean;
  /** Whether a schema name can be referenced (it exists in the document's schema pool). */
  hasSchema(name: string): boolean;
}

/** The discovery route of a group-version: GET /api/v1/ or /apis/<g>/<v>/. */
export function apiResourcesRoute(group: string, version: string): Route {
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  return {
    path: `${prefix}/`,
    method: 'get',
    operationId: operationId('get', group, version, 'APIResources'),
    description: 'get available resources',
    tag: groupVersionTag(group, version),
    parameters: [],
    responses: [{ code: 200, description: 'OK', schema: API_RESOURCE_LIST_SCHEMA, contentTypes: OBJECT_TYPES }],
  };
}

export function resourceRoutes(def: ResourceDefinition, schemas: ResourceSchemas, options: RouteOptions): Route[] {
  const { group, version, kind, resource } = def;
  const prefix = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const tag = groupVersionTag(group, version);
  const scope = def.namespaced ? 'Namespaced' : '';
  const nsParams = def.namespaced ? [pathParameter('namespace', kind)] : [];
  const collection = def.namespaced ? `${prefix}/namespaces/{namespace}/${resource}` : `${prefix}/${resource}`;
  const item = `${collection}/{name}`;
  const itemParams = [pathParameter('name', kind), ...nsParams];
  const gvk = { group, kind, version };
  const verbs = new Set(def.verbs);
  const id = (verb: string, rest: string) => operationId(verb, group, version, rest);
  const patchTypes = options.strategicMergePatch ? PATCH_TYPES_BUILTIN : PATCH_TYPES_CUSTOM;
  const objectResponse = (code: number, description: string): RouteResponse => ({ code, description, schema: schemas.kind, contentTypes: OBJECT_TYPES });
  const statusResponse = (code: number, description: string): RouteResponse => ({ code, description, schema: STATUS_SCHEMA, contentTypes: OBJECT_TYPES });
  const watchResponse: RouteResponse = { code: 200, description: 'OK', schema: WATCH_EVENT_SCHEMA, contentTypes: STREAM_TYPES };
  const routes: Route[] = [];
  const add = (route: Omit<Route, 'tag' | 'gvk'> & { gvk?: Route['gvk'] }) => routes.push({ tag, gvk, ...route, parameters: [...route.parameters, PRETTY] });

  if (verbs.has('list')) {
    add({
      path: collection,
      method: 'get',
      operationId: id('list', `${scope}${kind}`),
      description: `list or watch objects of kind ${kind}`,
      action: 'list',
      parameters: [...nsParams, ...LIST_PARAMETERS],
      responses: [{ code: 200, description: 'OK', schema: schemas.list, contentTypes: STREAM_TYPES }],
    });
    if (def.namespaced) {
      add({
        path: `${prefix}/${resource}`,
        method: 'get',
        operationId: id('list', `${kind}ForAllNamespaces`),
        description: `list or watch objects of kind ${kind}`,
        action: 'list',
        parameters: [...LIST_PARAMETERS],
        responses: [{ code: 200, description: 'OK', schema: schemas.list, contentTypes: STREAM_TYPES }],
      });
    }
  }
  if (verbs.has('create')) {
    add({
      path: collection,
      method: 'post',
      operationId: id('create', `${scope}${kind}`),
      description: `create ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`,
      action: 'post',
      parameters: [...nsParams, ...CREATE_PARAMETERS],
      requestBody: { schema: schemas.kind, contentTypes: ['*/*'], required: true },
      responses: [objectResponse(200, 'OK'), objectResponse(201, 'Created'), objectResponse(202, 'Accepted')],
    });
  }
  if (verbs.has('deletecollection')) {
    add({
      path: collection,
      method: 'delete',
      operationId: id('delete', `Collection${scope}${kind}`),
      description: `delete collection of ${kind}`,
      action: 'deletecollection',
      parameters: [...nsParams, ...DELETE_COLLECTION_PARAMETERS],
      requestBody: { schema: DELETE_OPTIONS_SCHEMA, contentTypes: ['*/*'], required: false },
      responses: [statusResponse(200, 'OK')],
    });
  }
  if (verbs.has('get')) {
    add({
      path: item,
      method: 'get',
      operationId: id('read', `${scope}${kind}`),
      description: `read the specified ${kind}`,
      action: 'get',
      parameters: itemParams,
      responses: [objectResponse(200, 'OK')],
    });
  }
  if (verbs.has('update')) {
    add({
      path: item,
      method: 'put',
      operationId: id('replace', `${scope}${kind}`),
      description: `replace the specified ${kind}`,
      action: 'put',
      parameters: [...itemParams, ...UPDATE_PARAMETERS],
      requestBody: { schema: schemas.kind, contentTypes: ['*/*'], required: true },
      responses: [objectResponse(200, 'OK'), objectResponse(201, 'Created')],
    });
  }
  if (verbs.has('patch')) {
    add({
      path: item,
      method: 'patch',
      operationId: id('patch', `${scope}${kind}`),
      description: `partially update the specified ${kind}`,
      action: 'patch',
      parameters: [...itemParams, ...PATCH_PARAMETERS],
      requestBody: { schema: PATCH_SCHEMA, contentTypes: patchTypes, required: true },
      responses: [objectResponse(200, 'OK'), objectResponse(201, 'Created')],
    });
  }
  if (verbs.has('delete')) {
    add({
      path: item,
      method: 'delete',
      operationId: id('delete', `${scope}${kind}`),
      description: `delete ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`,
      action: 'delete',
      parameters: [...itemParams, ...DELETE_PARAMETERS],
      requestBody: { schema: DELETE_OPTIONS_SCHEMA, contentTypes: ['*/*'], required: false },
      responses: [statusResponse(200, 'OK'), statusResponse(202, 'Accepted')],
    });
  }
  if (verbs.has('watch')) {
    const watchPrefix = def.namespaced ? `${prefix}/watch/namespaces/{namespace}/${resource}` : `${prefix}/watch/${resource}`;
    add({
      path: watchPrefix,
      method: 'get',
      operationId: id('watch', `${scope}${kind}List`),
      description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
      action: 'watchlist',
      parameters: [...nsParams, ...LIST_PARAMETERS],
      responses: [watchResponse],
    });
    add({
      path: `${watchPrefix}/{name}`,
      method: 'get',
      operationId: id('watch', `${scope}${kind}`),
      description: `watch changes to an object of kind ${kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
      action: 'watch',
      parameters: [...itemParams, ...LIST_PARAMETERS],
      responses: [watchResponse],
    });
    if (def.namespaced) {
      add({
        path: `${prefix}/watch/${resource}`,
        method: 'get',
        operationId: id('watch', `${kind}ListForAllNamespaces`),
        description: `watch individual changes to a list of ${kind}. deprecated: use the 'watch' parameter with a list operation instead.`,
        action: 'watchlist',
        parameters: [...LIST_PARAMETERS],
        responses: [watchResponse],
      });
    }
  }
  for (const sub of def.subresources) routes.push(...subresourceRoutes(def, sub, item, itemParams, schemas, options, tag));
  return routes;
}

function subresourceRoutes(
  def: ResourceDefinition,
  sub: SubresourceDefinition,
  item: string,
  itemParams: Parameter[],
  schemas: ResourceSchemas,
  options: RouteOptions,
  tag: string,
): Route[] {
  const group = sub.group ?? def.group;
  const version = sub.version ?? def.version;
  const schema = sub.kind === def.kind && group === def.group && version === def.version ? schemas.kind : SUBRESOURCE_KIND_SCHEMAS[`${group}/${version}/${sub.kind}`];
  if (!schema || !options.hasSchema(schema)) return [];
  const scope = def.namespaced ? 'Namespaced' : '';
  const rest = `${scope}${def.kind}${title(sub.name)}`;
  const id = (verb: string) => operationId(verb, def.group, def.version, rest);
  const gvk = { group, kind: sub.kind, version };
  const path = `${item}/${sub.name}`;
  const response = (code: number, description: string): RouteResponse => ({ code, description, schema, contentTypes: OBJECT_TYPES });
  const routes: Route[] = [];
  const verbs = new Set(sub.verbs);
  if (verbs.has('get')) {
    routes.push({ path, method: 'get', operationId: id('read'), description: `read ${sub.name} of the specified ${def.kind}`, tag, action: 'get', gvk, parameters: [...itemParams, PRETTY], responses: [response(200, 'OK')] });
  }
  if (verbs.has('update')) {
    routes.push({
      path,
      method: 'put',
      operationId: id('replace'),
      description: `replace ${sub.name} of the specified ${def.kind}`,
      tag,
      action: 'put',
      gvk,
      parameters: [...itemParams, ...UPDATE_PARAMETERS, PRETTY],
      requestBody: { schema, contentTypes: ['*/*'], required: true },
      responses: [response(200, 'OK'), response(201, 'Created')],
    });
  }
  if (verbs.has('patch')) {
    routes.push({
      path,
      method: 'patch',
      operationId: id('patch'),
      description: `partially update ${sub.name} of the specified ${def.kind}`,
      tag,
      action: 'patch',
      gvk,
      parameters: [...itemParams, ...PATCH_PARAMETERS, PRETTY],
      requestBody: { schema: PATCH_SCHEMA, contentTypes: options.strategicMergePatch ? PATCH_TYPES_BUILTIN : PATCH_TYPES_CUSTOM, required: true },
      responses: [response(200, 'OK'), response(201, 'Created')],
    });
  }
  return routes;
}
