// What kube does when an audit backend cannot record events: the log plugin's failed writes are counted
// in apiserver_audit_error_total{plugin="log"} and ignored (--audit-log-mode=blocking, the default), or,
// with blocking-strict, a request whose RequestReceived event cannot be written is refused with kube's
// plain-text 500 and counted in apiserver_audit_requests_rejected_total. A webhook that keeps failing
// counts its batch's events under plugin "webhook". /dev/full stands for a full disk.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '../support/server.js';
import { validateAuditLogMode } from '../../src/audit/build.js';

const POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  nonResourceURLs: ["/version"]\n';

function sample(metrics: string, series: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

describe.skipIf(!existsSync('/dev/full'))('audit backend errors', () => {
  let server: TestServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const start = async (options: Record<string, unknown>) => {
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-audit-errors-'));
    await writeFile(join(dir, 'policy.yaml'), POLICY);
    server = await startTestServer({ auditPolicyFile: join(dir, 'policy.yaml'), ...options });
    return server;
  };

  it('blocking (the default): a failed write is counted under plugin "log" and the request is served', async () => {
    const s = await start({ auditLogPath: '/dev/full' });
    const res = await s.request('GET', '/version');
    expect(res.status).toBe(200);
    const metrics = (await s.request('GET', '/metrics')).text;
    expect(sample(metrics, 'apiserver_audit_error_total{plugin="log"}')).toBe(2);
    expect(sample(metrics, 'apiserver_audit_event_total')).toBe(2);
    expect(sample(metrics, 'apiserver_audit_requests_rejected_total')).toBe(0);
  });

  it('blocking-strict: a RequestReceived event that cannot be written refuses the request with kube\'s 500', async () => {
    const s = await start({ auditLogPath: '/dev/full', auditLogMode: 'blocking-strict' });
    const res = await s.request('GET', '/version?x=<b>');
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.text).toBe('Internal Server Error: "/version?x=&lt;b&gt;": failed to store audit event\n');
    expect(res.headers['audit-id']).toBeTruthy();
    const metrics = (await s.request('GET', '/metrics')).text;
    expect(sample(metrics, 'apiserver_audit_requests_rejected_total')).toBe(1);
    expect(sample(metrics, 'apiserver_audit_error_total{plugin="log"}')).toBe(1);
  });

  it('a webhook that keeps failing counts its batch under plugin "webhook"', async () => {
    const port = await freePort();
    dir = await mkdtemp(join(tmpdir(), 'kube-chain-audit-errors-'));
    await writeFile(join(dir, 'policy.yaml'), POLICY);
    await writeFile(
      join(dir, 'webhook.kubeconfig'),
      `apiVersion: v1\nkind: Config\nclusters:\n- name: audit\n  cluster:\n    server: http://127.0.0.1:${port}/audit\ncontexts:\n- name: audit\n  context: {cluster: audit, user: audit}\ncurrent-context: audit\nusers:\n- name: audit\n  user: {token: t}\n`,
    );
    server = await startTestServer({
      auditPolicyFile: join(dir, 'policy.yaml'),
      auditWebhookConfigFile: join(dir, 'webhook.kubeconfig'),
      auditWebhookBatchMaxSize: 2,
      auditWebhookInitialBackoffSeconds: 0.01,
    });
    const s = server;
    expect((await s.request('GET', '/version')).status).toBe(200);
    await expect.poll(async () => sample((await s.request('GET', '/metrics')).text, 'apiserver_audit_error_total{plugin="webhook"}'), { timeout: 10_000 }).toBe(2);
  });

  it('accepts kube\'s modes it implements and refuses the others with kube\'s message', () => {
    expect(() => validateAuditLogMode('blocking')).not.toThrow();
    expect(() => validateAuditLogMode('blocking-strict')).not.toThrow();
    expect(() => validateAuditLogMode('fast')).toThrow('invalid audit log mode fast, allowed modes are "batch,blocking,blocking-strict"');
    expect(() => validateAuditLogMode('batch')).toThrow(/not supported/);
  });
});
