// Audit as a client and an auditor see it: the log lines of a create at each level, the stages of a
// watch and of a panic, Audit-Id, and the webhook receiving batched EventLists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '../support/server.js';

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: None
  namespaces: [level-none]
- level: Metadata
  namespaces: [level-metadata]
- level: Request
  namespaces: [level-request]
  omitStages: [RequestReceived]
- level: RequestResponse
  namespaces: [level-rr]
  omitStages: [RequestReceived]
- level: Metadata
  resources: [{group: test.kube-chain.io}]
`;

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const ADMIN = {
  username: 'kube-chain-admin',
  groups: ['system:masters', 'system:authenticated'],
  extra: { 'authentication.kubernetes.io/credential-id': [expect.stringMatching(/^X509SHA256=[0-9a-f]{64}$/)] },
};
const ALLOWED = { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' };

async function events(path: string, auditID: string): Promise<any[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((e) => e.auditID === auditID);
}

describe('audit log', () => {
  let server: TestServer;
  let dir: string;
  let logPath: string;
  const configMap = (ns: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: ns }, data: { k: 'v' } });
  const create = (ns: string) =>
    server.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: configMap(ns), headers: { 'content-type': 'application/json', 'user-agent': 'audit-test' } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-audit-'));
    logPath = join(dir, 'audit.log');
    await writeFile(join(dir, 'policy.yaml'), POLICY);
    server = await startTestServer({ auditPolicyFile: join(dir, 'policy.yaml'), auditLogPath: logPath });
    server.chain.kubeAPIServer.rest.set('/apis/test.kube-chain.io/v1', async (ctx, next) => {
      if (ctx.path.endsWith('/throw')) throw new Error('boom from a handler');
      return next();
    });
    for (const ns of ['level-none', 'level-metadata', 'level-request', 'level-rr']) {
      const res = await server.request('POST', '/api/v1/namespaces', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs nothing at level None', async () => {
    const res = await create('level-none');
    expect(res.status).toBe(201);
    expect(await events(logPath, String(res.headers['audit-id']))).toEqual([]);
  });

  it('logs metadata at Metadata: RequestReceived then ResponseComplete, no objects', async () => {
    const res = await create('level-metadata');
    expect(res.status).toBe(201);
    const auditID = String(res.headers['audit-id']);
    const [received, complete] = await events(logPath, auditID);
    const common = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID,
      requestURI: '/api/v1/namespaces/level-metadata/configmaps',
      verb: 'create',
      user: ADMIN,
      sourceIPs: ['127.0.0.1'],
      userAgent: 'audit-test',
    };
    expect(received).toEqual({
      ...common,
      stage: 'RequestReceived',
      objectRef: { resource: 'configmaps', namespace: 'level-metadata', apiVersion: 'v1' },
      requestReceivedTimestamp: expect.stringMatching(MICRO_TIME),
      stageTimestamp: received.requestReceivedTimestamp,
    });
    expect(complete).toEqual({
      ...common,
      stage: 'ResponseComplete',
      objectRef: { resource: 'configmaps', namespace: 'level-metadata', name: 'cm', apiVersion: 'v1' },
      responseStatus: { metadata: {}, code: 201 },
      requestReceivedTimestamp: received.requestReceivedTimestamp,
      stageTimestamp: expect.stringMatching(MICRO_TIME),
      annotations: ALLOWED,
    });
    expect(Object.keys(complete)).toEqual([
      'kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'sourceIPs', 'userAgent',
      'objectRef', 'responseStatus', 'requestReceivedTimestamp', 'stageTimestamp', 'annotations',
    ]);
    expect(complete.stageTimestamp >= complete.requestReceivedTimestamp).toBe(true);
  });

  it('adds the request object at Request', async () => {
    const res = await create('level-request');
    const [complete, ...rest] = await events(logPath, String(res.headers['audit-id']));
    expect(rest).toEqual([]);
    expect(complete.stage).toBe('ResponseComplete');
    expect(complete.level).toBe('Request');
    expect(complete.requestObject).toEqual(JSON.parse(configMap('level-request')));
    expect(complete.responseObject).toBeUndefined();
    expect(complete.responseStatus).toEqual({ metadata: {}, code: 201 });
  });

  it('adds the response object at RequestResponse', async () => {
    const res = await create('level-rr');
    const [complete] = await events(logPath, String(res.headers['audit-id']));
    expect(complete.level).toBe('RequestResponse');
    expect(complete.requestObject).toEqual(JSON.parse(configMap('level-rr')));
    expect(complete.responseObject).toEqual(res.json());
    expect(complete.responseObject.metadata.uid).toBeTruthy();
  });

  it('copies a failure Status into responseStatus', async () => {
    const res = await create('level-metadata');
    expect(res.status).toBe(409);
    const [, complete] = await events(logPath, String(res.headers['audit-id']));
    expect(complete.responseStatus).toEqual({
      metadata: {},
      status: 'Failure',
      message: 'configmaps "cm" already exists',
      reason: 'AlreadyExists',
      details: { name: 'cm', kind: 'configmaps' },
      code: 409,
    });
  });

  it('keeps a client-sent Audit-ID', async () => {
    const res = await server.request('GET', '/api/v1/namespaces/level-metadata/configmaps/cm', { headers: { 'audit-id': 'my-own-audit-id' } });
    expect(res.headers['audit-id']).toBe('my-own-audit-id');
    const [received, complete] = await events(logPath, 'my-own-audit-id');
    expect(received.objectRef).toEqual({ resource: 'configmaps', namespace: 'level-metadata', name: 'cm', apiVersion: 'v1' });
    expect(complete.responseStatus).toEqual({ metadata: {}, code: 200 });
  });

  it('logs ResponseStarted for a watch', async () => {
    const res = await server.request('GET', '/api/v1/namespaces/level-metadata/configmaps?watch=true&timeoutSeconds=1');
    expect(res.status).toBe(200);
    const stages = await events(logPath, String(res.headers['audit-id']));
    expect(stages.map((e) => e.stage)).toEqual(['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    expect(stages[1].responseStatus).toEqual({ metadata: {}, code: 200 });
    expect(stages[2].verb).toBe('watch');
  });

  it('logs the Panic stage when a handler fails', async () => {
    const res = await server.request('GET', '/apis/test.kube-chain.io/v1/throw');
    expect(res.status).toBe(500);
    const [received, panic] = await events(logPath, String(res.headers['audit-id']));
    expect(received.stage).toBe('RequestReceived');
    expect(panic.stage).toBe('Panic');
    expect(panic.responseStatus).toEqual({ metadata: {}, status: 'Failure', message: "APIServer panic'd: boom from a handler", reason: 'InternalError', code: 500 });
  });

  it('refuses to start with an invalid policy', async () => {
    await writeFile(join(dir, 'bad.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n');
    await expect(startTestServer({ auditPolicyFile: join(dir, 'bad.yaml'), auditLogPath: logPath })).rejects.toThrow(
      /rules\[0\]\.level: Unsupported value: "Loud".*: from file .*bad\.yaml/,
    );
  });
});

describe('audit webhook', () => {
  it('receives EventLists in batches of the configured size, or after the configured wait', async () => {
    const bodies: any[] = [];
    const receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push({ contentType: req.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const dir = await mkdtemp(join(tmpdir(), 'kube-chain-audit-webhook-'));
    await writeFile(join(dir, 'policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n  nonResourceURLs: ["/version"]\n');
    const port = (receiver.address() as AddressInfo).port;
    await writeFile(
      join(dir, 'webhook.kubeconfig'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: audit\n  cluster:\n    server: http://127.0.0.1:${port}/audit\ncontexts:\n- name: audit\n  context: {cluster: audit, user: audit}\ncurrent-context: audit\nusers:\n- name: audit\n  user: {token: secret-token}\n`,
    );
    const server = await startTestServer({
      auditPolicyFile: join(dir, 'policy.yaml'),
      auditWebhookConfigFile: join(dir, 'webhook.kubeconfig'),
      auditWebhookBatchMaxSize: 3,
      // Long enough that the first three requests always make a full batch, even on a busy machine.
      auditWebhookBatchMaxWaitSeconds: 3,
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(String((await server.request('GET', '/version')).headers['audit-id']));
      await server.request('GET', '/healthz'); // not audited by the policy
      await expect.poll(() => bodies.length, { timeout: 10000 }).toBe(2);
      expect(bodies[0].contentType).toBe('application/json');
      expect(bodies[0].body).toMatchObject({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {} });
      expect(bodies.map((b) => b.body.items.length)).toEqual([3, 2]);
      const items = bodies.flatMap((b) => b.body.items);
      expect(items.map((e: any) => e.auditID)).toEqual(ids);
      expect(items[0]).toMatchObject({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', stage: 'ResponseComplete', requestURI: '/version', verb: 'get', responseStatus: { metadata: {}, code: 200 } });
      expect(items[0].objectRef).toBeUndefined();
    } finally {
      await server.close();
      receiver.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
