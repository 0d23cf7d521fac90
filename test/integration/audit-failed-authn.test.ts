// Requests that fail authentication are audited as kube's WithFailedAuthenticationAudit does: the policy
// is evaluated with no user, and a level other than None writes one event at stage ResponseStarted with
// the empty user and a 401 responseStatus naming the credentials tried; omitStages are honoured. Also
// the audit metrics (apiserver_audit_*) as /metrics shows them, and --audit-log-mode=blocking-strict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/server.js';
import { generateCA, issueCert } from '../../src/server/serving/certs.js';

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
# Failed authentications have no user: rules naming users or groups never match them.
- level: None
  userGroups: [system:unauthenticated]
- level: None
  users: [""]
- level: None
  namespaces: [quiet]
- level: Request
  namespaces: [no-response-started]
  omitStages: [ResponseStarted]
- level: Metadata
`;

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

async function eventsFor(path: string, auditID: string): Promise<any[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((e) => e.auditID === auditID);
}

/** One sample of /metrics, 0 when the series is absent. */
function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('failed authentication audit', () => {
  let server: TestServer;
  let dir: string;
  let logPath: string;
  const scrape = async () => (await server.request('GET', '/metrics')).text;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-authn-audit-'));
    logPath = join(dir, 'audit.log');
    await writeFile(join(dir, 'policy.yaml'), POLICY);
    server = await startTestServer({ auditPolicyFile: join(dir, 'policy.yaml'), auditLogPath: logPath, anonymousAuth: false });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one ResponseStarted event with the empty user and a 401 naming the bearer token', async () => {
    const res = await server.anonymous('GET', '/api/v1/namespaces/team-a/configmaps?limit=5', { headers: { authorization: 'Bearer not-a-token', 'user-agent': 'authn-audit-test' } });
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'Unauthorized', code: 401 });
    const auditID = String(res.headers['audit-id']);
    const events = await eventsFor(logPath, auditID);
    expect(events).toEqual([
      {
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID,
        stage: 'ResponseStarted',
        requestURI: '/api/v1/namespaces/team-a/configmaps?limit=5',
        verb: 'list',
        user: {},
        sourceIPs: ['127.0.0.1'],
        userAgent: 'authn-audit-test',
        objectRef: { resource: 'configmaps', namespace: 'team-a', apiVersion: 'v1' },
        responseStatus: { metadata: {}, message: 'Authentication failed, attempted: bearer', code: 401 },
        requestReceivedTimestamp: expect.stringMatching(MICRO_TIME),
        stageTimestamp: expect.stringMatching(MICRO_TIME),
      },
    ]);
    expect(Object.keys(events[0])).toEqual([
      'kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'sourceIPs', 'userAgent',
      'objectRef', 'responseStatus', 'requestReceivedTimestamp', 'stageTimestamp',
    ]);
  });

  it('names each kind of credential tried, in kube\'s words and order', async () => {
    const cases: [Record<string, string>, string, string][] = [
      [{}, '/version', 'Authentication failed, no credentials provided'],
      [{ authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}` }, '/version', 'Authentication failed, attempted: basic'],
      [{}, '/version?access_token=abc', 'Authentication failed, attempted: access_token'],
      [{ authorization: 'Bearer bad' }, '/version?access_token=abc', 'Authentication failed, attempted: bearer, access_token'],
    ];
    for (const [headers, path, message] of cases) {
      const res = await server.anonymous('GET', path, { headers });
      expect(res.status).toBe(401);
      const [event, ...rest] = await eventsFor(logPath, String(res.headers['audit-id']));
      expect(rest).toEqual([]);
      expect(event.responseStatus).toEqual({ metadata: {}, message, code: 401 });
      expect(event.verb).toBe('get');
      expect(event.objectRef).toBeUndefined();
    }
  });

  it('names a client certificate that does not verify as x509', async () => {
    const stranger = await generateCA('stranger-ca');
    const cert = await issueCert(stranger, { subject: { commonName: 'mallory' }, usage: 'client' });
    const res = await server.anonymous('GET', '/api', { cert });
    expect(res.status).toBe(401);
    const [event] = await eventsFor(logPath, String(res.headers['audit-id']));
    expect(event.responseStatus.message).toBe('Authentication failed, attempted: x509');
  });

  it('writes nothing when the level is None or the rule omits ResponseStarted', async () => {
    for (const ns of ['quiet', 'no-response-started']) {
      const res = await server.anonymous('GET', `/api/v1/namespaces/${ns}/secrets`, { headers: { authorization: 'Bearer bad' } });
      expect(res.status).toBe(401);
      expect(await eventsFor(logPath, String(res.headers['audit-id']))).toEqual([]);
    }
  });

  it('leaves authenticated requests to the audit filter', async () => {
    const res = await server.request('GET', '/api/v1/namespaces/default');
    expect(res.status).toBe(200);
    const stages = (await eventsFor(logPath, String(res.headers['audit-id']))).map((e) => e.stage);
    expect(stages).toEqual(['RequestReceived', 'ResponseComplete']);
  });

  it('counts events and levels in kube\'s audit metrics', async () => {
    const before = await scrape();
    const failed = await server.anonymous('GET', '/api/v1/namespaces/quiet/configmaps', { headers: { authorization: 'Bearer bad' } });
    expect(failed.status).toBe(401);
    const counted = await server.anonymous('GET', '/api', { headers: { authorization: 'Bearer bad' } });
    expect(counted.status).toBe(401);
    const ok = await server.request('GET', '/api/v1/namespaces/default');
    expect(ok.status).toBe(200);
    const after = await scrape();
    // Each scrape is itself a request at Metadata: its level and RequestReceived are counted before it
    // reads the counters, its ResponseComplete after.
    expect(sample(after, 'apiserver_audit_level_total{level="None"}') - sample(before, 'apiserver_audit_level_total{level="None"}')).toBe(1);
    expect(sample(after, 'apiserver_audit_level_total{level="Metadata"}') - sample(before, 'apiserver_audit_level_total{level="Metadata"}')).toBe(3);
    // the first scrape's ResponseComplete, the 401, the GET's two, the second scrape's RequestReceived
    expect(sample(after, 'apiserver_audit_event_total') - sample(before, 'apiserver_audit_event_total')).toBe(5);
    expect(after).toContain('# HELP apiserver_audit_event_total [ALPHA] Counter of audit events generated and sent to the audit backend.\n# TYPE apiserver_audit_event_total counter');
    expect(after).toContain('# HELP apiserver_audit_level_total [ALPHA] Counter of policy levels for audit events (1 per request).\n# TYPE apiserver_audit_level_total counter');
    expect(after).toContain('# HELP apiserver_audit_requests_rejected_total [ALPHA] Counter of apiserver requests rejected due to an error in audit logging backend.\n# TYPE apiserver_audit_requests_rejected_total counter\napiserver_audit_requests_rejected_total 0');
    expect(after).toContain('# HELP apiserver_audit_error_total [ALPHA] Counter of audit events that failed to be audited properly. Plugin identifies the plugin affected by the error.\n# TYPE apiserver_audit_error_total counter');
  });
});
