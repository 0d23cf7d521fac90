// The other built-in kinds through the real kubectl: secrets, service accounts, events, leases.
import { describe, expect, it } from 'vitest';
import { kubectlSession } from '../support/kubectl.js';

describe('kubectl against kube-chain: secrets, service accounts, events, leases', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);
  const kIn = (input: string, ...args: string[]) => session.kIn(input, ...args);

  it('creates secrets from literals and stringData, with kube\'s table and type selector', async () => {
    expect((await k('create', 'secret', 'generic', 'creds', '--from-literal=user=admin')).stdout.trim()).toBe('secret/creds created');
    const secret = JSON.parse((await k('get', 'secret', 'creds', '-o', 'json')).stdout);
    expect(secret.type).toBe('Opaque');
    expect(Buffer.from(secret.data.user, 'base64').toString()).toBe('admin');
    const fromStringData = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sd' }, type: 'kubernetes.io/basic-auth', stringData: { username: 'u', password: 'p' } });
    expect((await kIn(fromStringData, 'create', '-f', '-')).code).toBe(0);
    const sd = JSON.parse((await k('get', 'secret', 'sd', '-o', 'json')).stdout);
    expect(sd.stringData).toBeUndefined();
    expect(Buffer.from(sd.data.password, 'base64').toString()).toBe('p');
    expect((await k('get', 'secrets')).stdout).toMatch(/^NAME\s+TYPE\s+DATA\s+AGE\n/);
    expect((await k('get', 'secrets', '--field-selector', 'type=kubernetes.io/basic-auth', '-o', 'name')).stdout.trim()).toBe('secret/sd');
    const tls = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tls' }, type: 'kubernetes.io/tls', data: {} });
    // kubectl lists the causes of a multi-error Invalid one per line.
    expect((await kIn(tls, 'create', '-f', '-')).stderr).toContain('The Secret "tls" is invalid: \n* data[tls.crt]: Required value\n* data[tls.key]: Required value');
    const badBase64 = JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b64' }, data: { a: 'not base64!' } });
    expect((await kIn(badBase64, 'create', '-f', '-')).stderr).toContain('illegal base64 data at input byte');
    const changeType = await k('patch', 'secret', 'creds', '--type=merge', '-p', '{"type":"kubernetes.io/tls"}');
    expect(changeType.stderr).toContain('type: Invalid value: "kubernetes.io/tls": field is immutable');
  });

  it('creates service accounts', async () => {
    expect((await k('create', 'serviceaccount', 'robot')).stdout.trim()).toBe('serviceaccount/robot created');
    expect((await k('get', 'sa', 'robot', '-o', 'name')).stdout.trim()).toBe('serviceaccount/robot');
  });

  it('shows core/v1 events with kube\'s columns and selectors', async () => {
    const event = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'e1' },
      involvedObject: { kind: 'ConfigMap', name: 'cm', namespace: 'default' },
      reason: 'Tested',
      message: 'it works',
      type: 'Normal',
      firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      count: 1,
      source: { component: 'e2e' },
    });
    expect((await kIn(event, 'create', '-f', '-')).code).toBe(0);
    const table = await k('get', 'events');
    expect(table.stdout).toMatch(/LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE/);
    expect(table.stdout).toMatch(/Normal\s+Tested\s+configmap\/cm\s+it works/);
    expect((await k('get', 'events', '--field-selector', 'involvedObject.name=cm,reason=Tested', '-o', 'name')).stdout.trim()).toBe('event/e1');
  });

  it('serves leases as leader election uses them: get, update with resourceVersion, conflicts on stale writes', async () => {
    const lease = JSON.stringify({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'leader' }, spec: { holderIdentity: 'a', leaseDurationSeconds: 15 } });
    expect((await kIn(lease, 'create', '-f', '-')).code).toBe(0);
    const current = JSON.parse((await k('get', 'lease', 'leader', '-o', 'json')).stdout);
    const renewed = { ...current, spec: { ...current.spec, holderIdentity: 'b', renewTime: '2026-11-23T08:00:00.000000Z' } };
    expect((await kIn(JSON.stringify(renewed), 'replace', '-f', '-')).code).toBe(0);
    const stale = await kIn(JSON.stringify({ ...current, spec: { ...current.spec, holderIdentity: 'c' } }), 'replace', '-f', '-');
    expect(stale.stderr).toContain('Operation cannot be fulfilled on leases.coordination.k8s.io "leader": the object has been modified; please apply your changes to the latest version and try again');
    expect((await k('get', 'leases')).stdout).toMatch(/leader\s+b\s+/);
    const bad = JSON.stringify({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'bad' }, spec: { leaseDurationSeconds: 0 } });
    expect((await kIn(bad, 'create', '-f', '-')).stderr).toContain('spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0');
  });
});
