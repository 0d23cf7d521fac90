// The server skeleton as a client sees it: the handler chain, the server chain's NotFound, the
// non-REST endpoints, limits and bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { startTestServer, httpsRequest, type TestServer } from '../support/server.js';
import { generateCA, issueCert } from '../../src/server/serving/certs.js';

const NOT_FOUND = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'the server could not find the requested resource',
  reason: 'NotFound',
  details: {},
  code: 404,
};

describe('kube-chain server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ timeouts: { headersMs: 400 } });
    const sleepy = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Test-only routes, mounted as a layer would mount its REST roots.
    server.chain.kubeAPIServer.rest.set('/apis/test.kube-chain.io/v1', async (ctx, next) => {
      if (ctx.path.endsWith('/throw')) throw new Error('boom from a handler');
      if (ctx.path.endsWith('/slow')) {
        await sleepy(Number(ctx.query.ms ?? 300));
        ctx.body = 'slow done';
        return;
      }
      return next();
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers what no layer serves with kube\'s NotFound Status', async () => {
    for (const path of ['/nope', '/apis/nope.example.com/v1/things', '/api/v2', '/apis/test.kube-chain.io/v1/unknown']) {
      const res = await server.request('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.json()).toEqual(NOT_FOUND);
      expect(res.text).toBe(JSON.stringify(NOT_FOUND));
    }
  });

  it('serves /healthz, /livez and /readyz to anyone, with verbose output', async () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const res = await server.anonymous('GET', path);
      expect(res.status).toBe(200);
      expect(res.text).toBe('ok');
    }
    const verbose = await server.anonymous('GET', '/readyz?verbose');
    expect(verbose.text).toContain('[+]ping ok');
    expect(verbose.text).toContain('[+]shutdown ok');
    expect(verbose.text).toMatch(/readyz check passed\n?$/);
  });

  it('serves /version with kube\'s fields', async () => {
    const res = await server.anonymous('GET', '/version');
    expect(res.status).toBe(200);
    const version = res.json();
    expect(version.major).toBe('1');
    expect(version.minor).toBe('32');
    expect(version.gitVersion).toMatch(/^v1\.32\.\d+/);
    expect(Object.keys(version)).toContain('platform');
  });

  it('serves Prometheus metrics with kube\'s names to an authenticated user', async () => {
    await server.request('GET', '/healthz');
    const res = await server.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('apiserver_request_total{');
    expect(res.text).toContain('apiserver_request_duration_seconds_bucket{');
    expect(res.text).toContain('apiserver_current_inflight_requests{request_kind="readOnly"}');
  });

  it('forbids system:anonymous everything but the public paths, with kube\'s messages', async () => {
    const nonResource = await server.anonymous('GET', '/nope');
    expect(nonResource.status).toBe(403);
    expect(nonResource.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'forbidden: User "system:anonymous" cannot get path "/nope"',
      reason: 'Forbidden',
      details: {},
      code: 403,
    });
    const resource = await server.anonymous('GET', '/api/v1/namespaces/default/configmaps/x');
    expect(resource.status).toBe(403);
    expect(resource.json().message).toBe('configmaps "x" is forbidden: User "system:anonymous" cannot get resource "configmaps" in API group "" in the namespace "default"');
    expect(resource.json().details).toEqual({ name: 'x', kind: 'configmaps' });
    const metrics = await server.anonymous('GET', '/metrics');
    expect(metrics.status).toBe(403);
  });

  it('refuses a client certificate from another CA with 401', async () => {
    const otherCA = await generateCA('someone-else');
    const cert = await issueCert(otherCA, { subject: { commonName: 'mallory', organizations: ['system:masters'] }, usage: 'client' });
    const res = await server.anonymous('GET', '/version', { cert });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
  });

  it('refuses a body over 3 MiB with 413', async () => {
    const res = await server.request('POST', '/api/v1/namespaces/default/configmaps', {
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(3 * 1024 * 1024 + 1, 'a'),
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413, message: 'Request entity too large: limit is 3145728' });
  });

  it('answers a thrown error with a 500 Status and keeps serving', async () => {
    const res = await server.request('GET', '/apis/test.kube-chain.io/v1/throw');
    expect(res.status).toBe(500);
    expect(res.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'InternalError', code: 500 });
    expect(res.text).not.toContain('boom');
    const after = await server.request('GET', '/healthz');
    expect(after.text).toBe('ok');
  });

  it('closes a connection whose headers never finish', async () => {
    let answer = '';
    const closed = await new Promise<number>((resolve, reject) => {
      const started = Date.now();
      const socket = tls.connect({ host: '127.0.0.1', port: server.port, ca: server.tls.caPem, servername: 'localhost' }, () => {
        socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
      });
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(Date.now() - started));
      setTimeout(() => reject(new Error('connection stayed open')), 5000);
    });
    expect(closed).toBeLessThan(5000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
  });

  it('survives malformed paths and queries', async () => {
    for (const path of ['/api/v1/namespaces/%zz/configmaps', '/apis/%/v1', '//', '/api/v1/namespaces/default/configmaps?limit=%zz', '/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await server.request('GET', path);
      expect([400, 404], path).toContain(res.status);
      expect(res.json().kind).toBe('Status');
    }
    expect((await server.request('GET', '/healthz')).text).toBe('ok');
  });
});

describe('request timeout and flow control', () => {
  let server: TestServer;
  const bob = { authorization: 'Bearer bob-token' };
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-tokens-'));
    const tokenAuthFile = join(dir, 'tokens.csv');
    await writeFile(tokenAuthFile, 'bob-token,bob,uid-bob\n');
    // The max-in-flight filter (priority and fairness off), as kube with --enable-priority-and-fairness=false.
    server = await startTestServer({ requestTimeoutSeconds: 0.3, maxRequestsInflight: 1, enablePriorityAndFairness: false, tokenAuthFile });
    server.chain.kubeAPIServer.rest.set('/apis/test.kube-chain.io/v1', async (ctx) => {
      await new Promise((r) => setTimeout(r, Number(ctx.query.ms ?? 300)));
      ctx.body = 'slow done';
    });
    // bob may do anything (RBAC is the default mode): what is tested here is flow control.
    const binding = { metadata: { name: 'bob-admin' }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'bob' }] };
    const created = await server.request('POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { headers: { 'content-type': 'application/json' }, body: JSON.stringify(binding) });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers a request that takes too long with a 504 Status', async () => {
    const res = await server.request('GET', '/apis/test.kube-chain.io/v1/slow?ms=600');
    expect(res.status).toBe(504);
    expect(res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Timeout: request did not complete within requested timeout - context deadline exceeded',
      reason: 'Timeout',
      details: {},
      code: 504,
    });
  });

  it('answers 429 with Retry-After over --max-requests-inflight', async () => {
    // The timed-out handler of the test before holds its in-flight slot until it returns (as in kube).
    await new Promise((r) => setTimeout(r, 500));
    const slow = server.anonymous('GET', '/apis/test.kube-chain.io/v1/slow?ms=200', { headers: bob });
    await new Promise((r) => setTimeout(r, 50));
    const rejected = await server.anonymous('GET', '/apis/test.kube-chain.io/v1/slow?ms=1', { headers: bob });
    expect(rejected.status).toBe(429);
    expect(rejected.headers['retry-after']).toBe('1');
    expect(rejected.json()).toMatchObject({ kind: 'Status', reason: 'TooManyRequests', code: 429, message: 'Too many requests, please try again later.' });
    expect((await slow).status).toBe(200);
  });

  it('never turns system:masters away (as kube)', async () => {
    const slow = server.anonymous('GET', '/apis/test.kube-chain.io/v1/slow?ms=200', { headers: bob });
    await new Promise((r) => setTimeout(r, 50));
    const admin = await server.request('GET', '/apis/test.kube-chain.io/v1/slow?ms=1');
    expect(admin.status).toBe(200);
    await slow;
  });
});

describe('authentication options', () => {
  it('answers 401 to anonymous requests with --anonymous-auth=false', async () => {
    const server = await startTestServer({ anonymousAuth: false });
    try {
      const res = await server.anonymous('GET', '/nope');
      expect(res.status).toBe(401);
      expect(res.json().reason).toBe('Unauthorized');
    } finally {
      await server.close();
    }
  });

  it('authenticates bearer tokens from --token-auth-file and refuses unknown ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-tokens-'));
    const tokenFile = join(dir, 'tokens.csv');
    await writeFile(tokenFile, 'secret-token,alice,uid-1,"dev,ops"\n');
    const server = await startTestServer({ tokenAuthFile: tokenFile });
    try {
      // Authenticated users may read discovery (system:discovery); anonymous ones may not.
      const known = await server.anonymous('GET', '/api', { headers: { authorization: 'Bearer secret-token' } });
      expect(known.status).toBe(200);
      const unknown = await server.anonymous('GET', '/api', { headers: { authorization: 'Bearer wrong-token' } });
      expect(unknown.status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('fails readyz, lets in-flight requests finish and stops', async () => {
    const server = await startTestServer();
    server.chain.kubeAPIServer.rest.set('/apis/test.kube-chain.io/v1', async (ctx) => {
      await new Promise((r) => setTimeout(r, 300));
      ctx.body = 'finished';
    });
    const inflight = server.request('GET', '/apis/test.kube-chain.io/v1/slow');
    await new Promise((r) => setTimeout(r, 50));
    const stopping = server.stop();
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(res.text).toBe('finished');
    await stopping;
    await expect(httpsRequest(server.url, 'GET', '/healthz', server.tls.caPem)).rejects.toThrow();
  });
});
