// The issue-4 kubectl scenario against a started server: the verbs kubectl users type every day.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { kubectlSession } from '../support/kubectl.js';

const configMap = (name: string, data: Record<string, string>, labels: Record<string, string> = {}) =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });

describe('kubectl against kube-chain: configmaps and namespaces', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);
  const kIn = (input: string, ...args: string[]) => session.kIn(input, ...args);

  it('lists the system namespaces and the API resources', async () => {
    const ns = await k('get', 'namespaces', '-o', 'name');
    expect(ns.stdout.split('\n').filter(Boolean).sort()).toEqual(['namespace/default', 'namespace/kube-node-lease', 'namespace/kube-public', 'namespace/kube-system']);
    const resources = await k('api-resources');
    expect(resources.code).toBe(0);
    expect(resources.stdout).toMatch(/configmaps\s+cm\s+v1\s+true\s+ConfigMap/);
    expect(resources.stdout).toMatch(/namespaces\s+ns\s+v1\s+false\s+Namespace/);
  });

  it('creates, gets in every output format, and selects', async () => {
    const created = await k('create', 'configmap', 'alpha', '--from-literal=a=1', '--from-literal=b=2');
    expect(created.stdout.trim()).toBe('configmap/alpha created');
    expect((await k('label', 'configmap', 'alpha', 'tier=web')).stdout.trim()).toBe('configmap/alpha labeled');
    expect((await k('annotate', 'configmap', 'alpha', 'note=hello')).stdout.trim()).toBe('configmap/alpha annotated');
    const yaml = await k('get', 'configmap', 'alpha', '-o', 'yaml');
    expect(yaml.stdout).toContain('kind: ConfigMap');
    expect(yaml.stdout).toContain('tier: web');
    const json = JSON.parse((await k('get', 'cm', 'alpha', '-o', 'json')).stdout);
    expect(json.data).toEqual({ a: '1', b: '2' });
    expect(json.metadata.annotations).toEqual({ note: 'hello' });
    const table = await k('get', 'configmaps');
    expect(table.stdout).toMatch(/^NAME\s+DATA\s+AGE\n/);
    expect(table.stdout).toMatch(/\nalpha\s+2\s+\d+s/);
    expect((await k('get', 'cm', '-o', 'wide')).stdout).toMatch(/alpha\s+2/);
    expect((await k('get', 'cm', '-l', 'tier=web', '-o', 'name')).stdout.trim()).toBe('configmap/alpha');
    expect((await k('get', 'cm', '-l', 'tier=db', '-o', 'name')).stdout.trim()).toBe('');
    expect((await k('get', 'cm', '--field-selector', 'metadata.name=alpha', '-o', 'name')).stdout.trim()).toBe('configmap/alpha');
    expect((await k('get', 'cm', '-A', '-o', 'name')).stdout).toContain('configmap/alpha');
    const bad = await k('get', 'cm', '--field-selector', 'data.a=1');
    expect(bad.code).not.toBe(0);
    // ConfigMaps have no field-label conversion of their own: kube answers with its default wording.
    expect(bad.stderr).toContain('"data.a" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('applies twice (created, then unchanged, then configured) and diffs', async () => {
    const manifest = configMap('applied', { x: '1' });
    expect((await kIn(manifest, 'apply', '-f', '-')).stdout.trim()).toBe('configmap/applied created');
    expect((await kIn(manifest, 'apply', '-f', '-')).stdout.trim()).toBe('configmap/applied unchanged');
    const changed = configMap('applied', { x: '2' });
    const diff = await kIn(changed, 'diff', '-f', '-');
    expect(diff.code).toBe(1);
    expect(diff.stdout).toContain('+  x: "2"');
    expect((await kIn(changed, 'apply', '-f', '-')).stdout.trim()).toBe('configmap/applied configured');
    expect(JSON.parse((await k('get', 'cm', 'applied', '-o', 'json')).stdout).data).toEqual({ x: '2' });
  });

  it('patches with every patch type and replaces', async () => {
    await kIn(configMap('patched', { a: '1' }), 'create', '-f', '-');
    expect((await k('patch', 'cm', 'patched', '--type=merge', '-p', '{"data":{"b":"2"}}')).code).toBe(0);
    expect((await k('patch', 'cm', 'patched', '--type=strategic', '-p', '{"data":{"c":"3"}}')).code).toBe(0);
    expect((await k('patch', 'cm', 'patched', '--type=json', '-p', '[{"op":"remove","path":"/data/a"}]')).code).toBe(0);
    const failedTest = await k('patch', 'cm', 'patched', '--type=json', '-p', '[{"op":"test","path":"/data/b","value":"nope"}]');
    expect(failedTest.code).not.toBe(0);
    expect(JSON.parse((await k('get', 'cm', 'patched', '-o', 'json')).stdout).data).toEqual({ b: '2', c: '3' });
    const current = JSON.parse((await k('get', 'cm', 'patched', '-o', 'json')).stdout);
    current.data = { replaced: 'yes' };
    expect((await kIn(JSON.stringify(current), 'replace', '-f', '-')).stdout.trim()).toBe('configmap/patched replaced');
    expect(JSON.parse((await k('get', 'cm', 'patched', '-o', 'json')).stdout).data).toEqual({ replaced: 'yes' });
  });

  it('creates nothing on --dry-run=server and refuses invalid objects with kube\'s message', async () => {
    const dry = await k('create', 'configmap', 'dry', '--from-literal=a=1', '--dry-run=server');
    expect(dry.stdout.trim()).toBe('configmap/dry created (server dry run)');
    expect((await k('get', 'cm', 'dry')).stderr).toContain('Error from server (NotFound): configmaps "dry" not found');
    const invalid = await kIn(configMap('bad', { 'not ok': 'x' }), 'create', '-f', '-');
    expect(invalid.stderr).toContain('The ConfigMap "bad" is invalid: data[not ok]: Invalid value: "not ok": a valid config key must consist of alphanumeric characters');
  });

  it('watches changes with get -w', async () => {
    const child = spawn('kubectl', ['--kubeconfig', session.server.kubeconfigPath, 'get', 'cm', '-w', '--output-watch-events']);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise((r) => setTimeout(r, 1000));
    await k('create', 'configmap', 'watched', '--from-literal=a=1');
    await k('delete', 'configmap', 'watched');
    for (let i = 0; i < 50 && !out.includes('DELETED'); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill();
    // A Table watch: kubectl prints the event type before each row.
    expect(out).toMatch(/^EVENT\s+NAME\s+DATA\s+AGE/);
    expect(out).toMatch(/ADDED\s+watched\s+1/);
    expect(out).toMatch(/DELETED\s+watched\s+1/);
  });

  it('waits for a jsonpath condition and explains fields', async () => {
    await k('create', 'configmap', 'waited', '--from-literal=ready=true');
    const waited = await k('wait', 'configmap/waited', '--for=jsonpath={.data.ready}=true', '--timeout=10s');
    expect(waited.stdout.trim()).toBe('configmap/waited condition met');
    const explain = await k('explain', 'configmap.data');
    expect(explain.code).toBe(0);
    expect(explain.stdout).toContain('FIELD: data');
  });

  it("explains Quantity and IntOrString fields by their type names, as kube's OpenAPI v3 (oneOf) makes kubectl do", async () => {
    const resources = await k('explain', 'pods.spec.containers.resources');
    expect(resources.stdout).toMatch(/\n {2}limits\t<map\[string\]Quantity>\n/);
    expect((await k('explain', 'services.spec.ports.targetPort')).stdout).toContain('FIELD: targetPort <IntOrString>');
    // Swagger 2.0 has no oneOf: there both are strings, IntOrString with kube's format.
    const v2 = JSON.parse((await k('get', '--raw', '/openapi/v2')).stdout);
    expect(v2.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity']).toMatchObject({ type: 'string' });
    expect(v2.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
  });

  it('deletes with --wait, and deletes a namespace with everything in it', async () => {
    expect((await k('delete', 'configmap', 'alpha', '--wait')).stdout.trim()).toBe('configmap "alpha" deleted');
    expect((await k('create', 'namespace', 'scratch')).stdout.trim()).toBe('namespace/scratch created');
    await k('create', 'configmap', 'inside', '-n', 'scratch', '--from-literal=a=1');
    const deleted = await k('delete', 'namespace', 'scratch', '--wait', '--timeout=30s');
    expect(deleted.stdout.trim()).toBe('namespace "scratch" deleted');
    expect((await k('get', 'namespace', 'scratch')).stderr).toContain('namespaces "scratch" not found');
    expect((await k('get', 'cm', '-n', 'scratch', '-o', 'name')).stdout.trim()).toBe('');
    const system = await k('delete', 'namespace', 'kube-system');
    expect(system.stderr).toContain('namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });
});
