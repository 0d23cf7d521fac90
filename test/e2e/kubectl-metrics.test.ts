// API aggregation end to end with kubectl: the example metrics server (examples/metrics-server) is
// registered as v1beta1.metrics.k8s.io behind a selector-less Service with manual Endpoints, and
// `kubectl top` goes through kube-chain's aggregator; the backend is killed (503) and brought back.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { kubectlSession } from '../support/kubectl.js';
import { endpointHostIP } from '../support/host-ip.js';

const serverScript = fileURLToPath(new URL('../../examples/metrics-server/server.mjs', import.meta.url));

interface Backend {
  child: ChildProcess;
  port: number;
  caBundle: string;
}

function startMetricsServer(kubeconfig: string, port = 0): Promise<Backend> {
  const child = spawn(process.execPath, [serverScript, '--kubeconfig', kubeconfig, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('metrics-server serving'));
      if (line) {
        const { port: actual, caBundle } = JSON.parse(line);
        resolve({ child, port: actual, caBundle });
      }
    });
    child.once('exit', (code) => reject(new Error(`metrics server exited with ${code}: ${out}`)));
  });
}

const pod = (name: string, namespace: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { app: name } },
  spec: { containers: [{ name: 'main', image: 'registry.example.com/app:1' }] },
});

describe('kubectl top through the aggregator', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);
  const kIn = (input: string, ...args: string[]) => session.kIn(input, ...args);
  let backend: Backend | undefined;
  afterAll(() => backend?.child.kill('SIGKILL'));

  const registration = (port: number, caBundle: string) =>
    [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { ports: [{ name: 'https', port: 443, targetPort: port }] } },
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'metrics-server', namespace: 'kube-system' }, subsets: [{ addresses: [{ ip: endpointHostIP() }], ports: [{ name: 'https', port }] }] },
      {
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: 'v1beta1.metrics.k8s.io' },
        spec: { group: 'metrics.k8s.io', version: 'v1beta1', service: { name: 'metrics-server', namespace: 'kube-system', port: 443 }, caBundle, groupPriorityMinimum: 100, versionPriority: 100 },
      },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n');

  it('registers the metrics server and waits for the APIService to be Available', async () => {
    await kIn([pod('web', 'default'), pod('db', 'kube-system')].map((p) => JSON.stringify(p)).join('\n'), 'apply', '-f', '-');
    await kIn(JSON.stringify({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } }), 'apply', '-f', '-');
    backend = await startMetricsServer(session.server.kubeconfigPath);
    const applied = await kIn(registration(backend.port, backend.caBundle), 'apply', '-f', '-');
    expect(applied.stdout).toContain('apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io created');
    const waited = await k('wait', '--for=condition=Available', 'apiservice/v1beta1.metrics.k8s.io', '--timeout=30s');
    expect(waited.stdout.trim()).toBe('apiservice.apiregistration.k8s.io/v1beta1.metrics.k8s.io condition met');
    // kubectl reads aggregated discovery and leaves out group-versions marked Stale; the group turns
    // Current once the aggregator has read the backend's discovery, one fetch after it is registered.
    const aggregated = { headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' } };
    let listed = '';
    for (let i = 0; i < 50 && !listed.includes('"freshness":"Current"'); i++) {
      const items = JSON.parse((await session.server.request('GET', '/apis', aggregated)).text).items as Array<{ metadata: { name: string } }>;
      listed = JSON.stringify(items.find((g) => g.metadata.name === 'metrics.k8s.io') ?? {});
      if (!listed.includes('"freshness":"Current"')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).toContain('"resource":"pods"');
  });

  it('serves kubectl top pod -A and kubectl top node through kube-chain', async () => {
    const pods = await k('top', 'pod', '-A');
    expect(pods.code).toBe(0);
    expect(pods.stdout).toMatch(/^NAMESPACE\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*\n/);
    expect(pods.stdout).toMatch(/\ndefault\s+web\s+\d+m\s+\d+Mi\s*\n/);
    expect(pods.stdout).toMatch(/\nkube-system\s+db\s+\d+m\s+\d+Mi\s*\n/);
    const nodes = await k('top', 'node');
    expect(nodes.code).toBe(0);
    expect(nodes.stdout).toMatch(/^NAME\s+CPU\(cores\)\s+CPU(\(%\)|%)\s+MEMORY\(bytes\)\s+MEMORY(\(%\)|%)\s*\n/);
    expect(nodes.stdout).toContain('node-1');
  });

  it('answers get --raw, discovery and explain for the aggregated group, as the authenticated user', async () => {
    const raw = JSON.parse((await k('get', '--raw', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web')).stdout);
    expect(raw).toMatchObject({ kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata: { name: 'web', namespace: 'default' } });
    expect(raw.containers[0].usage).toEqual({ cpu: expect.stringMatching(/^\d+n$/), memory: expect.stringMatching(/^\d+Ki$/) });
    const resources = await k('api-resources', '--api-group=metrics.k8s.io');
    expect(resources.stdout).toMatch(/\nnodes\s+metrics\.k8s\.io\/v1beta1\s+false\s+NodeMetrics\n/);
    expect(resources.stdout).toMatch(/\npods\s+metrics\.k8s\.io\/v1beta1\s+true\s+PodMetrics\n/);
    // The backend's OpenAPI v3 document, merged by the aggregator, is what kubectl explain reads.
    const explained = await k('explain', 'podmetrics.containers');
    expect(explained.stderr).toBe('');
    expect(explained.stdout).toMatch(/^GROUP:\s+metrics\.k8s\.io\nKIND:\s+PodMetrics\nVERSION:\s+v1beta1\n/);
    expect(explained.stdout).toContain('Metrics for all containers are collected within the same time window.');
    expect(explained.stdout).toMatch(/\n {2}usage\t<map\[string\]Quantity> -required-\n/);
    const nodeUsage = await k('explain', 'nodes.usage', '--api-version=metrics.k8s.io/v1beta1');
    expect(nodeUsage.stdout).toMatch(/KIND:\s+NodeMetrics\n[^]*FIELD: usage <map\[string\]Quantity>/);
    const res = await session.server.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes/node-1');
    expect(res.status).toBe(200);
    // The backend saw the admin the aggregator authenticated, not a forwarded credential.
    expect(res.headers['x-metrics-server-user']).toBe('kube-chain-admin');
  });

  it('answers 503 quickly while the backend is down, and recovers when it is back', async () => {
    const port = backend!.port;
    backend!.child.kill('SIGKILL');
    await new Promise((r) => backend!.child.once('exit', r));
    const started = Date.now();
    const down = await k('get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes');
    expect(down.code).not.toBe(0);
    expect(down.stderr).toContain('Error from server (ServiceUnavailable)');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await session.server.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).status).toBe(503);

    // Back on the same port; the example makes a new serving CA on each start, so its caBundle is updated too.
    backend = await startMetricsServer(session.server.kubeconfigPath, port);
    await k('patch', 'apiservice', 'v1beta1.metrics.k8s.io', '--type=merge', '-p', JSON.stringify({ spec: { caBundle: backend.caBundle } }));
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await session.server.request('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await k('top', 'node')).stdout).toContain('node-1');
  });
});
