// kubectl's imperative commands for services and pods. `kubectl create service` sends its Service as
// protobuf (kubectl v1.32's typed client); `kubectl run` and `kubectl expose` go through kubectl's
// generic helper and send JSON. Either way the objects are what kube would have created.
import { describe, expect, it } from 'vitest';
import { kubectlSession } from '../support/kubectl.js';

describe('kubectl create service / run / expose against kube-chain', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);
  const getJson = async (what: string) => {
    const got = await k('get', what, '-o', 'json');
    expect(got.stderr).toBe('');
    return JSON.parse(got.stdout);
  };

  it('kubectl create service clusterip: ports, selector and an allocated cluster IP', async () => {
    const created = await k('create', 'service', 'clusterip', 'web', '--tcp=80:8080', '--tcp=443:https');
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toBe('service/web created');
    const svc = await getJson('service/web');
    expect(svc.metadata.labels).toEqual({ app: 'web' });
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP',
      selector: { app: 'web' },
      sessionAffinity: 'None',
      ports: [
        { name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 },
        { name: '443-https', port: 443, protocol: 'TCP', targetPort: 'https' },
      ],
    });
    expect(svc.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(svc.spec.clusterIPs).toEqual([svc.spec.clusterIP]);

    const headless = await k('create', 'service', 'clusterip', 'headless', '--clusterip=None');
    expect(headless.stdout.trim()).toBe('service/headless created');
    expect((await getJson('service/headless')).spec.clusterIP).toBe('None');
  });

  it('kubectl create service nodeport and externalname', async () => {
    expect((await k('create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080')).stdout.trim()).toBe('service/np created');
    const np = await getJson('service/np');
    expect(np.spec).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Cluster', ports: [{ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' }] });

    expect((await k('create', 'service', 'externalname', 'ext', '--external-name=example.com')).stdout.trim()).toBe('service/ext created');
    const ext = await getJson('service/ext');
    expect(ext.spec).toMatchObject({ type: 'ExternalName', externalName: 'example.com' });
    expect(ext.spec.clusterIP).toBeUndefined();
  });

  it('kubectl run: the pod as kubectl built it, defaulted as kube defaults it', async () => {
    const run = await k('run', 'web', '--image=nginx:1.27', '--port=8080', '--labels=app=web,tier=front', '--env=A=1', '--env=B=two', '--image-pull-policy=IfNotPresent');
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('pod/web created');
    const pod = await getJson('pod/web');
    expect(pod.metadata.labels).toEqual({ app: 'web', tier: 'front' });
    expect(pod.spec.containers).toHaveLength(1);
    expect(pod.spec.containers[0]).toMatchObject({
      name: 'web',
      image: 'nginx:1.27',
      imagePullPolicy: 'IfNotPresent',
      ports: [{ containerPort: 8080, protocol: 'TCP' }],
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'two' },
      ],
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    });
    expect(pod.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', enableServiceLinks: true });

    const once = await k('run', 'once', '--image=busybox', '--restart=Never', '--command', '--', 'sleep', '3600');
    expect(once.stdout.trim()).toBe('pod/once created');
    const oncePod = await getJson('pod/once');
    expect(oncePod.spec.restartPolicy).toBe('Never');
    expect(oncePod.spec.containers[0]).toMatchObject({ name: 'once', image: 'busybox', command: ['sleep', '3600'] });
    expect(oncePod.spec.containers[0].args).toBeUndefined();

    // Validation applies to what protobuf carried.
    const invalid = await k('run', 'badport', '--image=nginx', '--port=70000');
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain(
      'The Pod "badport" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    );
  });

  it('kubectl run --dry-run=server -o yaml: the defaulted pod comes back, nothing is stored', async () => {
    const dry = await k('run', 'dry', '--image=nginx', '--dry-run=server', '-o', 'yaml');
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain('kind: Pod');
    expect(dry.stdout).toContain('name: dry');
    expect(dry.stdout).toMatch(/- image: nginx\n\s+imagePullPolicy: Always\n\s+name: dry/);
    const missing = await k('get', 'pod', 'dry');
    expect(missing.stderr).toContain('Error from server (NotFound): pods "dry" not found');
  });

  it('kubectl expose pod: a service selecting the pod by its labels', async () => {
    expect((await k('run', 'api', '--image=nginx', '--labels=app=api')).code).toBe(0);
    const exposed = await k('expose', 'pod', 'api', '--port=80', '--target-port=8080', '--name=api-svc');
    expect(exposed.stderr).toBe('');
    expect(exposed.stdout.trim()).toBe('service/api-svc exposed');
    const svc = await getJson('service/api-svc');
    expect(svc.spec).toMatchObject({ type: 'ClusterIP', selector: { app: 'api' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }] });
    expect(svc.metadata.labels).toEqual({ app: 'api' });
  });
});
