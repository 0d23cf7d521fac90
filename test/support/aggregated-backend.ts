// A throwaway aggregated API server for tests: HTTPS with a certificate for "<service>.<namespace>.svc",
// client certificates verified against a given CA (the aggregator's requestheader CA), every request
// recorded with its headers. It serves example.com/v1 "widgets": discovery (aggregated or legacy),
// get, a streaming watch, an error route, and /openapi/v2 (no v3).
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { generateCA, issueCert, type KeyPairPem } from '../../src/server/serving/certs.js';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Subject CN of the verified client certificate, or "" when none was presented / it did not verify. */
  clientCN: string;
}

export interface AggregatedBackend {
  port: number;
  caPem: string;
  requests: RecordedRequest[];
  /** Pushes a watch event to every open watch. */
  emit(event: object): void;
  /** Open watch streams. */
  watchers(): number;
  aggregatedDiscovery: boolean;
  close(): Promise<void>;
  /** Starts again on the same port. */
  restart(): Promise<void>;
}

export const DISCOVERY_ETAG = '"0123456789ABCDEF"';

const RESOURCE_LIST = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'example.com/v1',
  resources: [{ name: 'widgets', singularName: 'widget', namespaced: true, kind: 'Widget', verbs: ['get', 'list', 'watch'] }],
};

const SWAGGER = {
  swagger: '2.0',
  info: { title: 'widgets', version: 'v1' },
  paths: {
    '/apis/example.com/v1/namespaces/{namespace}/widgets/{name}': {
      get: { operationId: 'readWidget', produces: ['application/json'], responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/com.example.v1.Widget' } } } },
      parameters: [{ name: 'name', in: 'path', required: true, type: 'string' }],
    },
  },
  definitions: {
    'com.example.v1.Widget': {
      type: 'object',
      description: 'A widget served by the test backend.',
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, size: { type: 'integer', description: 'How big.' } },
      'x-kubernetes-group-version-kind': [{ group: 'example.com', kind: 'Widget', version: 'v1' }],
    },
  },
};

export async function startAggregatedBackend(opts: { serviceName: string; namespace: string; clientCAPem: string; port?: number; host?: string }): Promise<AggregatedBackend> {
  const ca = await generateCA('backend-ca');
  const serving: KeyPairPem = await issueCert(ca, { subject: { commonName: 'backend' }, usage: 'server', dnsNames: [`${opts.serviceName}.${opts.namespace}.svc`] });
  const requests: RecordedRequest[] = [];
  const streams = new Set<import('node:http').ServerResponse>();
  const backend: AggregatedBackend = {
    port: opts.port ?? 0,
    caPem: ca.certPem,
    requests,
    aggregatedDiscovery: true,
    emit(event) {
      for (const res of streams) res.write(JSON.stringify(event) + '\n');
    },
    watchers: () => streams.size,
    close: async () => undefined,
    restart: async () => undefined,
  };

  const handler: import('node:http').RequestListener = (req, res) => {
    const socket = req.socket as TLSSocket;
    const cert = socket.authorized ? socket.getPeerCertificate() : undefined;
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, clientCN: String(cert?.subject?.CN ?? '') });
    const url = new URL(req.url ?? '/', 'https://backend');
    const json = (code: number, body: unknown, type = 'application/json') => {
      res.writeHead(code, { 'Content-Type': type });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/apis' && backend.aggregatedDiscovery && String(req.headers.accept ?? '').includes('as=APIGroupDiscoveryList')) {
      // The document never changes here: its ETag is fixed, and a client holding it gets 304.
      res.setHeader('ETag', DISCOVERY_ETAG);
      if (req.headers['if-none-match'] === DISCOVERY_ETAG) {
        res.writeHead(304);
        return res.end();
      }
      return json(
        200,
        {
          kind: 'APIGroupDiscoveryList',
          apiVersion: 'apidiscovery.k8s.io/v2',
          metadata: {},
          items: [{ metadata: { name: 'example.com', creationTimestamp: null }, versions: [{ version: 'v1', resources: [{ resource: 'widgets', responseKind: { group: 'example.com', version: 'v1', kind: 'Widget' }, scope: 'Namespaced', singularResource: 'widget', verbs: ['get', 'list', 'watch'], shortNames: ['wd'] }], freshness: 'Current' }] }],
        },
        'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      );
    }
    if (url.pathname === '/apis/example.com/v1') return json(200, RESOURCE_LIST);
    if (url.pathname === '/openapi/v2') return json(200, SWAGGER);
    if (url.pathname === '/apis/example.com/v1/namespaces/default/widgets' && url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return;
    }
    if (url.pathname === '/apis/example.com/v1/namespaces/default/widgets/forbidden') {
      return json(403, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'backend says no', reason: 'Forbidden', code: 403 });
    }
    const match = /^\/apis\/example\.com\/v1\/namespaces\/([^/]+)\/widgets\/([^/]+)$/.exec(url.pathname);
    if (match && req.method === 'GET') {
      return json(200, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: match[2], namespace: match[1] }, size: 3, query: url.search });
    }
    if (match && req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => json(201, { echoed: Buffer.concat(chunks).toString('utf8') }));
      return;
    }
    json(404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', code: 404 });
  };

  let server: https.Server;
  const listen = async (port: number) => {
    server = https.createServer({ key: serving.keyPem, cert: serving.certPem, ca: opts.clientCAPem, requestCert: true, rejectUnauthorized: false }, handler);
    // An "echo" upgrade: whatever the client sends after the 101 comes back.
    server.on('upgrade', (req, socket) => {
      const tls = socket as TLSSocket;
      const cert = tls.authorized ? tls.getPeerCertificate() : undefined;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: { ...req.headers }, clientCN: String(cert?.subject?.CN ?? '') });
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => server.listen(port, opts.host ?? '127.0.0.1', resolve));
    backend.port = (server.address() as AddressInfo).port;
  };
  await listen(backend.port);
  backend.close = async () => {
    for (const res of streams) res.destroy();
    streams.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  backend.restart = () => listen(backend.port);
  return backend;
}
