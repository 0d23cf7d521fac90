// core/v1 Pods and Nodes (objects only) against kube's defaults, validation, printPod and printNode.
import { describe, expect, it } from 'vitest';
import { pods, defaultPullPolicy, podQOSClass } from '../../src/kube-apis/core/pods.js';
import { POD_UPDATE_FORBIDDEN } from '../../src/kube-apis/core/pod-validation.js';
import { summarizePod } from '../../src/kube-apis/core/pod-printer.js';
import { nodes, nodeRoles, nodeStatus } from '../../src/kube-apis/core/nodes.js';

const text = (errors: { field: string; detail: string }[]) => errors.map((e) => `${e.field}: ${e.detail}`);
const pod = (spec: Record<string, unknown>, status?: Record<string, unknown>) => {
  const obj: Record<string, any> = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: structuredClone(spec) };
  pods.strategy.prepareForCreate?.(obj);
  pods.strategy.defaults?.(obj);
  if (status) obj.status = status;
  return obj;
};
const node = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, ...structuredClone(extra) });

describe('pods: definition and defaults', () => {
  it('is core/v1 pods, short name po, category all, status subresource', () => {
    expect(pods).toMatchObject({ resource: 'pods', kind: 'Pod', shortNames: ['po'], categories: ['all'], namespaced: true });
    expect(pods.subresources.map((s) => s.name)).toEqual(['status']);
  });

  it('fills kube\'s pod defaults and starts Pending with a QoS class', () => {
    const p = pod({ containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] });
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, securityContext: {}, schedulerName: 'default-scheduler', enableServiceLinks: true, priority: 0,
      containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {}, ports: [{ containerPort: 80, protocol: 'TCP' }] }],
    });
    expect(p.spec.tolerations.map((t: { key: string }) => t.key)).toEqual(['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('pulls :latest and untagged images always, others if not present', () => {
    expect(['nginx', 'nginx:latest', 'registry:5000/nginx', 'nginx:1.27', 'nginx@sha256:abc'].map(defaultPullPolicy)).toEqual(['Always', 'Always', 'Always', 'IfNotPresent', 'IfNotPresent']);
  });

  it('classes QoS as kube does', () => {
    const res = (resources: unknown) => podQOSClass(pod({ containers: [{ name: 'c', image: 'i', resources }] }));
    expect(res({ limits: { cpu: '1', memory: '1Gi' } })).toBe('Guaranteed');
    expect(res({ requests: { cpu: '1' } })).toBe('Burstable');
    expect(res({})).toBe('BestEffort');
  });

  it('selects by kube\'s pod fields', () => {
    const p = pod({ containers: [{ name: 'c', image: 'i' }], nodeName: 'n1' });
    expect(pods.selectableFields(p)).toMatchObject({ 'spec.nodeName': 'n1', 'status.phase': 'Pending', 'spec.restartPolicy': 'Always', 'spec.hostNetwork': 'false' });
  });
});

describe('pods: validation', () => {
  it('needs containers with names and images', () => {
    expect(text(pods.strategy.validate(pod({})))).toEqual(['spec.containers: Required value']);
    expect(text(pods.strategy.validate(pod({ containers: [{}, { name: 'a', image: ' x' }, { name: 'a', image: 'y' }] })))).toEqual([
      'spec.containers[0].name: Required value',
      'spec.containers[0].image: Required value',
      'spec.containers[1].image: Invalid value: " x": must not have leading or trailing whitespace',
      'spec.containers[2].name: Duplicate value: "a"',
    ]);
  });

  it('checks container ports and the restart policy', () => {
    expect(text(pods.strategy.validate(pod({ restartPolicy: 'Sometimes', containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 70000, name: 'HTTP' }] }] })))).toEqual([
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]);
  });

  it('an update changes images, activeDeadlineSeconds and added tolerations only', () => {
    const old = pod({ containers: [{ name: 'c', image: 'nginx:1' }] });
    const newImage = structuredClone(old);
    newImage.spec.containers[0].image = 'nginx:2';
    newImage.spec.tolerations.push({ key: 'k', operator: 'Exists' });
    expect(pods.strategy.validateUpdate(newImage, old)).toEqual([]);
    const newName = structuredClone(old);
    newName.spec.containers[0].name = 'd';
    expect(text(pods.strategy.validateUpdate(newName, old))).toEqual([`spec: Forbidden: ${POD_UPDATE_FORBIDDEN}`]);
  });
});

describe('pods: printer', () => {
  const running = (extra: Record<string, unknown> = {}) => ({ name: 'c', ready: true, restartCount: 0, image: 'i', imageID: '', state: { running: { startedAt: '2024-01-01T00:00:00Z' } }, ...extra });

  it('shows READY STATUS RESTARTS as kubectl does', () => {
    const spec = { containers: [{ name: 'c', image: 'i' }, { name: 'd', image: 'i' }] };
    expect(summarizePod(pod(spec))).toEqual({ ready: '0/2', reason: 'Pending', restarts: '0' });
    expect(summarizePod(pod(spec, { phase: 'Running', containerStatuses: [running(), running({ name: 'd', ready: false })] }))).toMatchObject({ ready: '1/2', reason: 'Running' });
    expect(summarizePod(pod(spec, { phase: 'Running', containerStatuses: [running(), { name: 'd', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }))).toMatchObject({ reason: 'CrashLoopBackOff', restarts: '3' });
    expect(summarizePod(pod(spec, { phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 2 } } }] })).reason).toBe('ExitCode:2');
    expect(summarizePod(pod({ ...spec, initContainers: [{ name: 'init', image: 'i' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'init', state: { waiting: { reason: 'PodInitializing' } } }] })).reason).toBe('Init:0/1');
    const deleting = pod(spec, { phase: 'Running' });
    deleting.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    expect(summarizePod(deleting).reason).toBe('Terminating');
  });

  it('has the kubectl get pods columns, wide ones at priority 1', () => {
    expect(pods.table.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
    ]);
  });
});

describe('nodes', () => {
  it('is cluster-scoped core/v1 nodes, short name no, status subresource, spec.unschedulable selector', () => {
    expect(nodes).toMatchObject({ resource: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'] });
    expect(nodes.selectableFields(node({ spec: { unschedulable: true } }))).toEqual({ 'metadata.name': 'n1', 'spec.unschedulable': 'true' });
  });

  it('validates taints (on kube\'s metadata.taints path) and pod CIDRs', () => {
    expect(text(nodes.strategy.validate(node({ spec: { taints: [{ key: 'k', effect: 'Sometimes' }, { key: 'k', value: 'v', effect: 'NoSchedule' }, { key: 'k', effect: 'NoSchedule' }, { key: 'x' }] } })))).toEqual([
      'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      'metadata.taints[2]: Duplicate value: core.Taint{Key:"k", Value:"", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      'metadata.taints[3].effect: Required value',
    ]);
    expect(text(nodes.strategy.validate(node({ spec: { podCIDRs: ['10.244.0.0/24', '10.245.0.0/24'] } })))).toEqual([
      'spec.podCIDRs: Invalid value: []string{"10.244.0.0/24", "10.245.0.0/24"}: may specify no more than one CIDR for each IP family',
    ]);
    expect(text(nodes.strategy.validate(node({ spec: { podCIDRs: ['10.244.0.0'] } })))).toEqual(['spec.podCIDRs[0]: Invalid value: "10.244.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
  });

  it('keeps pod CIDRs and providerID once set', () => {
    const old = node({ spec: { podCIDRs: ['10.244.0.0/24'], providerID: 'aws://1' } });
    expect(text(nodes.strategy.validateUpdate(node({ spec: { podCIDRs: ['10.244.1.0/24'], providerID: 'aws://2' } }), old))).toEqual([
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
      'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
    ]);
  });

  it('prints STATUS ROLES AGE VERSION', () => {
    expect(nodes.table.columns.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(nodeStatus(node({}))).toBe('Unknown');
    expect(nodeStatus(node({ spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }] } }))).toBe('NotReady,SchedulingDisabled');
    expect(nodeRoles(node({ metadata: { name: 'n', labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'edge' } } }))).toBe('control-plane,edge,worker');
    expect(nodeRoles(node({}))).toBe('<none>');
  });
});
