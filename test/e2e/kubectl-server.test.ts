// The issue-2 acceptance with the real kubectl: version, raw health, metrics and a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { kubectl } from '../support/kubectl.js';

describe('kubectl against kube-chain', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('kubectl version shows the server version without a skew warning', async () => {
    const res = await kubectl(server.kubeconfigPath, ['version', '-o', 'json']);
    expect(res.code).toBe(0);
    const version = JSON.parse(res.stdout);
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.32\.\d+\+kube-chain/);
    expect(res.stderr).not.toMatch(/WARNING/);
  });

  it('kubectl get --raw reaches /healthz, /readyz?verbose and /metrics', async () => {
    expect((await kubectl(server.kubeconfigPath, ['get', '--raw', '/healthz'])).stdout).toBe('ok');
    const readyz = await kubectl(server.kubeconfigPath, ['get', '--raw', '/readyz?verbose']);
    expect(readyz.stdout).toContain('[+]ping ok');
    expect(readyz.stdout).toContain('readyz check passed');
    const metrics = await kubectl(server.kubeconfigPath, ['get', '--raw', '/metrics']);
    expect(metrics.code).toBe(0);
    expect(metrics.stdout).toContain('# TYPE apiserver_request_total counter');
  });

  it('kubectl get --raw /nope reports kube\'s NotFound', async () => {
    const res = await kubectl(server.kubeconfigPath, ['get', '--raw', '/nope']);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('Error from server (NotFound): the server could not find the requested resource');
  });
});
