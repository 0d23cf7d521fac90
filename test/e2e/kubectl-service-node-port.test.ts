// kubectl create service nodeport against kube-chain: a node port of the default range
// (30000-32767) is allocated and shown in PORT(S); a port outside it gets kube's 422 text.
import { describe, expect, it } from 'vitest';
import { kubectlSession } from '../support/kubectl.js';

describe('kubectl create service nodeport: node port allocation', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);

  it('allocates a node port in range, printed as 80:3xxxx/TCP', async () => {
    const created = await k('create', 'service', 'nodeport', 'web', '--tcp=80:8080');
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('service/web created');
    const svc = JSON.parse((await k('get', 'service/web', '-o', 'json')).stdout);
    const nodePort = svc.spec.ports[0].nodePort;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    const table = await k('get', 'service/web');
    expect(table.stdout.split('\n')[1]).toMatch(new RegExp(`^web\\s+NodePort\\s+\\d+\\.\\d+\\.\\d+\\.\\d+\\s+<none>\\s+80:${nodePort}/TCP\\s+\\d+s$`));
  });

  it('refuses --node-port=80 with kube\'s 422 text', async () => {
    const bad = await k('create', 'service', 'nodeport', 'bad', '--tcp=80', '--node-port=80');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe('error: failed to create NodePort service: Service "bad" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767');
  });
});
