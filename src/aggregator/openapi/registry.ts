// The OpenAPI state of the whole server chain: layers register their group-versions (resources and,
// for custom resources, component schemas); the aggregator serves /openapi/v3, the per-group-version
// documents and /openapi/v2 from it. A document is rebuilt only after its group-version changed; its
// ETag is SHA-512 of its JSON in upper-case hex, as kube-openapi's handler3 computes it.
import { createHash } from 'node:crypto';
import type { ResourceDefinition } from '../../registry/resource.js';
import { versionInfo } from '../../server/version.js';
import { builtinSchemas, type SchemaObject } from './builtin-schemas.js';
import { buildDocument, sortKeysDeep, type OpenAPIV3Document } from './document.js';
import { listSchema, permissiveKindSchema, resourceSchemaNames } from './resource-schemas.js';
import { apiResourcesRoute, resourceRoutes, type Route } from './routes.js';
import { toSwaggerV2 } from './swagger-v2.js';
import { swaggerV2ToProtobuf } from './swagger-v2-protobuf.js';

export interface OpenAPIGroupVersion {
  /** "" for the core group. */
  group: string;
  version: string;
  resources: ResourceDefinition[];
  /** Component schemas the group-version brings (custom resources); the built-in ones are always known. */
  schemas?: Record<string, SchemaObject>;
  /** Custom resources are not offered strategic merge patch (default: built-in). */
  source?: 'builtin' | 'crd';
}

export interface RenderedDocument {
  body: string;
  etag: string;
  lastModified: Date;
}

export interface OpenAPIRegistryOptions {
  /** The schemas every document may reference (default: the built-in types of openapi/). */
  baseSchemas?: Readonly<Record<string, SchemaObject>>;
  info?: { title: string; version: string };
}

interface Entry {
  gv: OpenAPIGroupVersion;
  document?: OpenAPIV3Document;
  rendered?: RenderedDocument;
}

/** "api/v1" or "apis/<group>/<version>": the key kube uses in the /openapi/v3 index. */
export function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function etagOf(body: string): string {
  return createHash('sha512').update(body).digest('hex').toUpperCase();
}

export class OpenAPIRegistry {
  private readonly local = new Map<string, Entry>();
  /** Documents of aggregated API servers, by group-version path; they hide local ones. */
  private readonly remote = new Map<string, Entry>();
  private entries = new Map<string, Entry>();
  private readonly baseSchemas: Readonly<Record<string, SchemaObject>>;
  private readonly info: { title: string; version: string };
  private swaggerCache?: RenderedDocument & { object: object };
  private swaggerProtoCache?: { body: Buffer; etag: string; lastModified: Date };
  private readonly listeners = new Set<() => void>();

  constructor(options: OpenAPIRegistryOptions = {}) {
    this.baseSchemas = options.baseSchemas ?? builtinSchemas();
    // kube titles its documents "Kubernetes" and versions them with the server's git version.
    this.info = options.info ?? { title: 'Kubernetes', version: versionInfo().gitVersion };
  }

  addGroupVersion(gv: OpenAPIGroupVersion): void {
    this.local.set(groupVersionPath(gv.group, gv.version), { gv: { ...gv, resources: [...gv.resources] } });
    this.changed();
  }

  removeGroupVersion(group: string, version: string): void {
    if (this.local.delete(groupVersionPath(group, version))) this.changed();
  }

  /** The document an aggregated API server published for its group-version (already v3). */
  setRemoteDocument(group: string, version: string, document: OpenAPIV3Document): void {
    this.remote.set(groupVersionPath(group, version), { gv: { group, version, resources: [] }, document });
    this.changed();
  }

  removeRemoteDocument(group: string, version: string): void {
    if (this.remote.delete(groupVersionPath(group, version))) this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The served group-version paths, sorted (the keys of the /openapi/v3 index). */
  groupVersionPaths(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The v3 document of a group-version path ("api/v1", "apis/g/v"), as an object. */
  document(path: string): OpenAPIV3Document | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    entry.document ??= this.build(entry.gv);
    return entry.document;
  }

  /** The v3 document of a group-version path, serialized, with its ETag and build time. */
  rendered(path: string): RenderedDocument | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    if (!entry.rendered) {
      const body = JSON.stringify(sortKeysDeep(this.document(path)));
      entry.rendered = { body, etag: etagOf(body), lastModified: new Date() };
    }
    return entry.rendered;
  }

  /** The /openapi/v3 index: every group-version with its hash-versioned URL, keys sorted. */
  index(): { paths: Record<string, { serverRelativeURL: string }> } {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const path of this.groupVersionPaths()) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${this.rendered(path)!.etag}` };
    return { paths };
  }

  /** /openapi/v2: every group-version in one Swagger 2.0 document. */
  swagger(): RenderedDocument & { object: object } {
    if (!this.swaggerCache) {
      const docs = this.groupVersionPaths().map((p) => this.document(p)!);
      const object = sortKeysDeep(toSwaggerV2(docs, this.info)) as object;
      const body = JSON.stringify(object);
      this.swaggerCache = { object, body, etag: etagOf(body), lastModified: new Date() };
    }
    return this.swaggerCache;
  }

  /** /openapi/v2 as gnostic protocol buffers; same ETag and time as the JSON form (kube: Vary: Accept tells them apart). */
  swaggerProtobuf(): { body: Buffer; etag: string; lastModified: Date } {
    const json = this.swagger();
    if (!this.swaggerProtoCache || this.swaggerProtoCache.etag !== json.etag) {
      this.swaggerProtoCache = { body: swaggerV2ToProtobuf(json.object as Record<string, unknown>), etag: json.etag, lastModified: json.lastModified };
    }
    return this.swaggerProtoCache;
  }

  private changed(): void {
    this.entries = new Map([...this.local, ...this.remote]);
    this.swaggerCache = undefined;
    this.swaggerProtoCache = undefined;
    for (const listener of this.listeners) listener();
  }

  private build(gv: OpenAPIGroupVersion): OpenAPIV3Document {
    const pool: Record<string, SchemaObject> = { ...this.baseSchemas, ...(gv.schemas ?? {}) };
    const routes: Route[] = [apiResourcesRoute(gv.group, gv.version)];
    for (const def of gv.resources) {
      const names = resourceSchemaNames(def);
      pool[names.kind] ??= permissiveKindSchema(def);
      pool[names.list] ??= listSchema(def, names.kind);
      routes.push(...resourceRoutes(def, names, { strategicMergePatch: (gv.source ?? 'builtin') === 'builtin', hasSchema: (name) => name in pool }));
    }
    return buildDocument(routes, pool, this.info);
  }
}
