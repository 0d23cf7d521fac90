// Discovery and OpenAPI of aggregated API servers, merged into the chain's (kube-aggregator's
// discovery manager and OpenAPI v3 aggregator). Each remote APIService's group-version joins
// aggregated discovery, with its priorities, once its backend has been asked: its resources come from
// the backend's aggregated discovery (asked first, with the last ETag in If-None-Match), or its legacy
// /apis/<group>/<version>; when the backend cannot be reached the last known resources (or none)
// stay, marked Stale. Its OpenAPI v3 document comes from /openapi/v3 (or /openapi/v2, converted).
import https from 'node:https';
import type { Logger } from 'pino';
import type { StoredObject } from '../storage/interface.js';
import type { DiscoveryRegistry, APIResource, APIResourceDiscovery, APIGroupDiscovery } from './discovery/index.js';
import { aggregatedFromAPIResources } from './discovery/index.js';
import type { OpenAPIRegistry, OpenAPIV3Document } from './openapi/index.js';
import { swaggerV2ToV3 } from './openapi/v2-to-v3.js';
import { specOf, type APIServiceSpec } from './apiregistration/validation.js';
import { APIREGISTRATION_GROUP } from './apiregistration/apiservices.js';
import type { ServiceResolver } from './service-resolver.js';
import type { APIServiceController } from './apiservice-controller.js';
import type { BackendTransport } from './proxy/transport.js';

const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const FETCH_TIMEOUT_MS = 5000;
// A failed fetch is retried with a doubling delay, as kube's discovery manager requeues with a rate
// limiter, so a backend that comes up a moment after its APIService is listed within a second.
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 30_000;

interface Known {
  group: string;
  version: string;
  priority: { group: number; version: number };
  resources?: APIResourceDiscovery[];
  freshness?: 'Current' | 'Stale';
  /** The ETag of the backend's aggregated discovery the resources came from. */
  etag?: string;
}

interface Fetched {
  status: number;
  contentType: string;
  body: string;
  etag?: string;
}

function fetchFrom(host: string, port: number, path: string, accept: string, transport: BackendTransport, ifNoneMatch?: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host, port, path, agent: transport.agent, timeout: FETCH_TIMEOUT_MS, headers: { Accept: accept, 'X-Remote-User': 'system:kube-aggregator', 'X-Remote-Group': 'system:masters', ...(ifNoneMatch ? { 'If-None-Match': ifNoneMatch } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8'), etag: res.headers.etag }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

export class RemoteAPIsController {
  private readonly known = new Map<string, Known>();
  private readonly refreshing = new Set<string>();
  /** Refreshes asked for while one was in flight: the answer may predate the change that asked. */
  private readonly refreshAgain = new Set<string>();
  private readonly retries = new Map<string, { delayMs: number; timer: NodeJS.Timeout }>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly apiServices: APIServiceController,
    private readonly resolver: ServiceResolver,
    private readonly discovery: DiscoveryRegistry,
    private readonly openapi: OpenAPIRegistry,
    private readonly resyncMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.apiServices.onChange((name, obj) => this.changed(name, obj));
    this.timer = setInterval(() => {
      for (const name of this.known.keys()) void this.refresh(name);
    }, this.resyncMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const retry of this.retries.values()) clearTimeout(retry.timer);
    this.retries.clear();
  }

  private changed(name: string, obj: StoredObject | undefined): void {
    const previous = this.known.get(name);
    const spec = obj ? specOf(obj) : undefined;
    const remote = spec?.service && spec.group !== APIREGISTRATION_GROUP;
    if (previous && (!remote || previous.group !== spec!.group || previous.version !== spec!.version)) {
      this.discovery.removeRemoteGroupVersion(previous.group, previous.version);
      this.openapi.removeRemoteDocument(previous.group, previous.version);
      this.known.delete(name);
      clearTimeout(this.retries.get(name)?.timer);
      this.retries.delete(name);
    }
    if (!remote) return;
    // The same group-version keeps its entry, so a fetch in flight still lands (status updates are
    // frequent); a refresh asked for meanwhile runs after it.
    const priority = { group: spec.groupPriorityMinimum ?? 0, version: spec.versionPriority ?? 0 };
    const entry = this.known.get(name) ?? { group: spec.group ?? '', version: spec.version ?? '', priority };
    entry.priority = priority;
    this.known.set(name, entry);
    // As kube's discovery manager: a group-version joins aggregated discovery once its backend has
    // been asked (Current with its resources, or Stale and empty when that failed); a known one
    // takes its new priorities at once.
    if (entry.resources) this.publishDiscovery(entry, entry.freshness ?? 'Current');
    void this.refresh(name);
  }

  private publishDiscovery(entry: Known, freshness: 'Current' | 'Stale'): void {
    entry.freshness = freshness;
    this.discovery.setRemoteGroupVersion({ group: entry.group, version: entry.version, resources: [], priority: entry.priority, aggregatedResources: entry.resources ?? [], freshness });
  }

  /** Refetches one APIService's discovery and OpenAPI; failures leave the last known, marked Stale. */
  async refresh(name: string): Promise<void> {
    if (this.refreshing.has(name)) {
      this.refreshAgain.add(name);
      return;
    }
    const retry = this.retries.get(name);
    if (retry) clearTimeout(retry.timer);
    const entry = this.known.get(name);
    const obj = this.apiServices.get(name);
    const transport = this.apiServices.transportFor(name);
    if (!entry || !obj || !transport) return;
    this.refreshing.add(name);
    try {
      await this.fetchInto(name, entry, specOf(obj), transport);
      this.retries.delete(name);
    } catch (err) {
      this.logger.debug({ err, apiService: name }, 'aggregated discovery refresh failed');
      if (this.known.get(name) === entry) {
        this.publishDiscovery(entry, 'Stale');
        this.retryLater(name, retry?.delayMs);
      }
    } finally {
      this.refreshing.delete(name);
    }
    if (this.refreshAgain.delete(name)) await this.refresh(name);
  }

  private async fetchInto(name: string, entry: Known, spec: APIServiceSpec, transport: BackendTransport): Promise<void> {
    const svc = spec.service!;
    const resolved = await this.resolver.resolve(svc.namespace ?? '', svc.name ?? '', svc.port ?? 443);
    if (!resolved.ok) throw new Error(resolved.reason);
    const resources = await this.fetchResources(resolved.host, resolved.port, entry, transport);
    if (this.known.get(name) !== entry) return;
    entry.resources = resources;
    this.publishDiscovery(entry, 'Current');
    const document = await this.fetchOpenAPI(resolved.host, resolved.port, entry, transport).catch(() => undefined);
    if (document && this.known.get(name) === entry) this.openapi.setRemoteDocument(entry.group, entry.version, document);
  }

  private retryLater(name: string, lastDelayMs: number | undefined): void {
    const delayMs = lastDelayMs === undefined ? RETRY_FIRST_MS : Math.min(lastDelayMs * 2, RETRY_MAX_MS);
    const timer = setTimeout(() => void this.refresh(name), delayMs);
    timer.unref();
    this.retries.set(name, { delayMs, timer });
  }

  private async fetchResources(host: string, port: number, entry: Known, transport: BackendTransport): Promise<APIResourceDiscovery[]> {
    const root = entry.group ? '/apis' : '/api';
    const aggregated = await fetchFrom(host, port, root, AGGREGATED_ACCEPT, transport, entry.resources ? entry.etag : undefined);
    // Not modified since the ETag we hold: the resources we have are current.
    if (aggregated.status === 304 && entry.resources) return entry.resources;
    entry.etag = undefined;
    if (aggregated.status === 200 && aggregated.contentType.includes('as=APIGroupDiscoveryList')) {
      entry.etag = aggregated.etag;
      const list = JSON.parse(aggregated.body) as { items?: APIGroupDiscovery[] };
      const group = (list.items ?? []).find((g) => (g.metadata?.name ?? '') === entry.group);
      const version = group?.versions?.find((v) => v.version === entry.version);
      if (version) return version.resources ?? [];
    }
    const legacyPath = entry.group ? `/apis/${entry.group}/${entry.version}` : `/api/${entry.version}`;
    const legacy = await fetchFrom(host, port, legacyPath, 'application/json', transport);
    if (legacy.status !== 200) throw new Error(`${legacyPath}: ${legacy.status}`);
    const resourceList = JSON.parse(legacy.body) as { resources?: APIResource[] };
    return aggregatedFromAPIResources(resourceList.resources ?? []);
  }

  private async fetchOpenAPI(host: string, port: number, entry: Known, transport: BackendTransport): Promise<OpenAPIV3Document | undefined> {
    const gvPath = entry.group ? `apis/${entry.group}/${entry.version}` : `api/${entry.version}`;
    const index = await fetchFrom(host, port, '/openapi/v3', 'application/json', transport);
    if (index.status === 200) {
      const paths = (JSON.parse(index.body) as { paths?: Record<string, { serverRelativeURL?: string }> }).paths ?? {};
      const url = paths[gvPath]?.serverRelativeURL;
      if (url) {
        const doc = await fetchFrom(host, port, url, 'application/json', transport);
        if (doc.status === 200) return JSON.parse(doc.body) as OpenAPIV3Document;
      }
    }
    const v2 = await fetchFrom(host, port, '/openapi/v2', 'application/json', transport);
    if (v2.status !== 200) return undefined;
    const prefix = `/${gvPath}`;
    return swaggerV2ToV3(JSON.parse(v2.body) as Record<string, unknown>, (p) => p === prefix || p.startsWith(`${prefix}/`));
  }
}
