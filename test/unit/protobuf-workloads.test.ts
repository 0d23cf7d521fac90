// Protobuf bodies of the core kinds kubectl's imperative commands send (Service, Pod) and of Node,
// Endpoints, EndpointSlice and APIService: field numbers from kube's generated.proto, JSON as Go's
// encoding/json writes the typed structs (types.go order, omitempty, pointers, embedded structs).
import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, encodeProtobuf } from '../../src/endpoints/protobuf/index.js';
import { protobufDescriptorFor } from '../../src/endpoints/protobuf/kinds.js';
import type { MessageDescriptor } from '../../src/endpoints/protobuf/schema.js';
import { StatusError } from '../../src/endpoints/status.js';
import { entry, envelope, key, ld, msg, ts, varint, vi } from '../support/protobuf-bytes.js';

const meta = (name: string) => msg(1, ld(1, name), ld(3, 'default'));
/** An IntOrString: type 0 with intVal, or type 1 with strVal (gogo writes all three). */
const intOrString = (field: number, value: number | string) =>
  typeof value === 'number' ? msg(field, vi(1, 0), vi(2, value), ld(3, '')) : msg(field, vi(1, 1), vi(2, 0), ld(3, value));
/** A ResourceList entry: the value is a Quantity message {string = 1}. */
const quantity = (field: number, name: string, value: string) => entry(field, name, ld(1, value));

function decode(apiVersion: string, kind: string, raw: Buffer) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return decodeProtobufBody(envelope(apiVersion, kind, raw), { group, version, kind }).object;
}

function statusOf(fn: () => unknown): { code: number; reason?: string; message?: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    const { code, reason, message } = (err as StatusError).status;
    return { code, reason, message };
  }
  throw new Error('expected a StatusError');
}

// Bodies kubectl v1.32 sent to kube-chain; the expected objects are `--dry-run=client -o json` of the
// same commands, without `creationTimestamp: null` (left out by current apimachinery's omitzero).
const KUBECTL = {
  nodeport:
    '6b3873000a0d0a02763112075365727669636512670a1d0a026e7012001a0022002a003200380042005a090a0361707012026e7012420a1d0a0738302d38303830120354435018502207080010903f1a002880eb0112090a0361707012026e701a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200',
  externalname:
    '6b3873000a0d0a027631120753657276696365125a0a1f0a0365787412001a0022002a003200380042005a0a0a0361707012036578741233120a0a0361707012036578741a00220c45787465726e616c4e616d653a004200520b6578616d706c652e636f6d5a00600068001a020a001a002200',
};

describe('protobuf v1 Service', () => {
  const serviceKind = { group: '', version: 'v1', kind: 'Service' };

  it('kubectl create service nodeport np --tcp=80:8080 --node-port=30080', () => {
    const { object } = decodeProtobufBody(Buffer.from(KUBECTL.nodeport, 'hex'), serviceKind);
    expect(JSON.stringify(object)).toBe(
      JSON.stringify({
        kind: 'Service',
        apiVersion: 'v1',
        metadata: { name: 'np', labels: { app: 'np' } },
        spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }], selector: { app: 'np' }, type: 'NodePort' },
        status: { loadBalancer: {} },
      }),
    );
  });

  it('kubectl create service externalname ext --external-name=example.com', () => {
    const { object } = decodeProtobufBody(Buffer.from(KUBECTL.externalname, 'hex'), serviceKind);
    expect(JSON.stringify(object)).toBe(
      JSON.stringify({
        kind: 'Service',
        apiVersion: 'v1',
        metadata: { name: 'ext', labels: { app: 'ext' } },
        spec: { selector: { app: 'ext' }, type: 'ExternalName', externalName: 'example.com' },
        status: { loadBalancer: {} },
      }),
    );
  });

  it('ports with int and named targetPorts, selector, policies, status with ingress and conditions', () => {
    const raw = Buffer.concat([
      meta('web'),
      msg(
        2,
        msg(1, ld(1, 'http'), ld(2, 'TCP'), vi(3, 80), intOrString(4, 8080), vi(5, 30080)),
        msg(1, ld(1, 'tls'), ld(2, 'TCP'), ld(6, 'https'), vi(3, 443), intOrString(4, 'https')),
        entry(2, 'app', 'web'),
        ld(4, 'NodePort'),
        ld(7, 'None'),
        ld(11, 'Local'),
        ld(19, 'IPv4'),
        ld(17, 'SingleStack'),
        vi(20, false),
      ),
      msg(
        3,
        msg(1, msg(1, ld(1, '1.2.3.4'), ld(3, 'VIP'), msg(4, vi(1, 80), ld(2, 'TCP')))),
        msg(2, ld(1, 'Ready'), ld(2, 'True'), vi(3, 2), ts(4, 1700000000), ld(5, 'Done'), ld(6, '')),
      ),
    ]);
    expect(JSON.stringify(decode('v1', 'Service', raw))).toBe(
      JSON.stringify({
        kind: 'Service',
        apiVersion: 'v1',
        metadata: { name: 'web', namespace: 'default' },
        spec: {
          ports: [
            { name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 },
            { name: 'tls', protocol: 'TCP', appProtocol: 'https', port: 443, targetPort: 'https' },
          ],
          selector: { app: 'web' },
          type: 'NodePort',
          sessionAffinity: 'None',
          externalTrafficPolicy: 'Local',
          ipFamilies: ['IPv4'],
          ipFamilyPolicy: 'SingleStack',
          allocateLoadBalancerNodePorts: false,
        },
        status: {
          loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'VIP', ports: [{ port: 80, protocol: 'TCP' }] }] },
          conditions: [{ type: 'Ready', status: 'True', observedGeneration: 2, lastTransitionTime: '2023-11-14T22:13:20Z', reason: 'Done', message: '' }],
        },
      }),
    );
  });

  it('a port without targetPort is the zero IntOrString, 0 (a struct: never omitted); status is always there', () => {
    const raw = Buffer.concat([meta('ext'), msg(2, msg(1, vi(3, 80)), ld(4, 'ExternalName'), ld(10, 'example.com'))]);
    expect(decode('v1', 'Service', raw)).toEqual({
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'ext', namespace: 'default' },
      spec: { ports: [{ port: 80, targetPort: 0 }], type: 'ExternalName', externalName: 'example.com' },
      status: { loadBalancer: {} },
    });
  });

  it('an IntOrString of neither type is a 400, not a 500', () => {
    const raw = Buffer.concat([meta('bad'), msg(2, msg(1, vi(3, 80), msg(4, vi(1, 7))))]);
    expect(statusOf(() => decode('v1', 'Service', raw))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message: 'Service in version "v1" cannot be handled as a Service: impossible IntOrString.Type',
    });
  });
});

describe('protobuf v1 Pod', () => {
  const container = msg(
    2,
    ld(1, 'web'),
    ld(2, 'nginx:1.27'),
    ld(3, '/bin/sh'),
    ld(4, '-c'),
    ld(4, 'sleep 1'),
    ld(5, '/srv'),
    msg(6, ld(1, 'http'), vi(3, 8080), ld(4, 'TCP')),
    msg(19, ld(1, 'CFG_'), msg(2, msg(1, ld(1, 'settings')), vi(2, true))),
    msg(7, ld(1, 'A'), ld(2, '1')),
    msg(7, ld(1, 'PW'), msg(3, msg(4, msg(1, ld(1, 'creds')), ld(2, 'password')))),
    msg(7, ld(1, 'NODE'), msg(3, msg(1, ld(1, 'v1'), ld(2, 'spec.nodeName')))),
    msg(8, quantity(1, 'memory', '128Mi'), quantity(1, 'cpu', '500m'), quantity(2, 'cpu', '250m')),
    msg(9, ld(1, 'data'), vi(2, true), ld(3, '/data'), ld(4, 'sub')),
    msg(10, msg(1, msg(2, ld(1, '/healthz'), intOrString(2, 'http'), ld(4, 'HTTP'))), vi(2, 5), vi(4, 10)),
    msg(11, msg(1, msg(3, intOrString(1, 8080))), vi(6, 3)),
    msg(22, msg(1, msg(1, ld(1, 'cat'), ld(1, '/tmp/ready')))),
    ld(13, '/dev/termination-log'),
    ld(20, 'File'),
    ld(14, 'IfNotPresent'),
    msg(15, msg(1, ld(1, 'NET_ADMIN'), ld(2, 'ALL')), vi(2, false), vi(4, 1000), vi(5, true), vi(6, true), vi(7, false)),
    vi(16, true),
    vi(17, true),
    vi(18, true),
  );
  const volumes = [
    msg(1, ld(1, 'scratch'), msg(2, msg(2, ld(1, 'Memory'), msg(2, ld(1, '64Mi'))))),
    msg(1, ld(1, 'cfg'), msg(2, msg(19, msg(1, ld(1, 'settings')), msg(2, ld(1, 'a'), ld(2, 'a.conf'), vi(3, 0o400)), vi(3, 0o644), vi(4, true)))),
    msg(1, ld(1, 'sec'), msg(2, msg(6, ld(1, 'creds')))),
    msg(1, ld(1, 'proj'), msg(2, msg(26, msg(1, msg(4, ld(1, 'api'), vi(2, 3600), ld(3, 'token'))), vi(2, 0o644)))),
    msg(1, ld(1, 'host'), msg(2, msg(1, ld(1, '/var/log'), ld(2, 'Directory')))),
    msg(1, ld(1, 'data'), msg(2, msg(10, ld(1, 'data-claim'), vi(2, true)))),
  ];
  // supplementalGroups packed (as proto3-style writers send repeated numbers) and not.
  const packed = Buffer.concat([varint(1000), varint(2000)]);
  const spec = msg(
    2,
    ...volumes,
    msg(20, ld(1, 'init'), ld(2, 'busybox'), ld(4, 'true')),
    container,
    ld(3, 'Never'),
    vi(4, 30),
    ld(6, 'ClusterFirst'),
    entry(7, 'disk', 'ssd'),
    ld(8, 'robot'),
    ld(10, 'node-1'),
    msg(14, vi(2, 1000), Buffer.concat([key(4, 2), varint(packed.length), packed]), vi(4, 3000), vi(5, 2000)),
    msg(
      18,
      msg(1, msg(1, msg(1, msg(1, ld(1, 'kubernetes.io/os'), ld(2, 'In'), ld(3, 'linux'))))),
      msg(3, msg(1, msg(1, entry(1, 'app', 'web')), ld(3, 'kubernetes.io/hostname'))),
    ),
    ld(19, 'default-scheduler'),
    msg(22, ld(1, 'node.kubernetes.io/not-ready'), ld(2, 'Exists'), ld(4, 'NoExecute'), vi(5, 300)),
    vi(25, 0),
    vi(30, false),
  );

  it('containers, volumes and scheduling as `kubectl run` and clients send them, in Go field order', () => {
    const object = decode('v1', 'Pod', Buffer.concat([msg(1, ld(1, 'web'), entry(11, 'run', 'web')), spec, msg(3)]));
    expect(JSON.stringify(object)).toBe(
      JSON.stringify({
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name: 'web', labels: { run: 'web' } },
        spec: {
          volumes: [
            { name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
            { name: 'cfg', configMap: { name: 'settings', items: [{ key: 'a', path: 'a.conf', mode: 256 }], defaultMode: 420, optional: true } },
            { name: 'sec', secret: { secretName: 'creds' } },
            { name: 'proj', projected: { sources: [{ serviceAccountToken: { audience: 'api', expirationSeconds: 3600, path: 'token' } }], defaultMode: 420 } },
            { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
            { name: 'data', persistentVolumeClaim: { claimName: 'data-claim', readOnly: true } },
          ],
          initContainers: [{ name: 'init', image: 'busybox', args: ['true'], resources: {} }],
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              command: ['/bin/sh'],
              args: ['-c', 'sleep 1'],
              workingDir: '/srv',
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'settings', optional: true } }],
              env: [
                { name: 'A', value: '1' },
                { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
                { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
              ],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m' } },
              volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data', subPath: 'sub' }],
              livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 10 },
              readinessProbe: { tcpSocket: { port: 8080 }, failureThreshold: 3 },
              startupProbe: { exec: { command: ['cat', '/tmp/ready'] } },
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
              securityContext: {
                capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
                privileged: false,
                runAsUser: 1000,
                runAsNonRoot: true,
                readOnlyRootFilesystem: true,
                allowPrivilegeEscalation: false,
              },
              stdin: true,
              stdinOnce: true,
              tty: true,
            },
          ],
          restartPolicy: 'Never',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          nodeSelector: { disk: 'ssd' },
          serviceAccountName: 'robot',
          nodeName: 'node-1',
          securityContext: { runAsUser: 1000, supplementalGroups: [1000, 2000, 3000], fsGroup: 2000 },
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }] }],
              },
            },
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }],
            },
          },
          schedulerName: 'default-scheduler',
          tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
          priority: 0,
          enableServiceLinks: false,
        },
        status: {},
      }),
    );
  });

  it('an empty pod: containers is null (no omitempty), spec and status are there', () => {
    expect(JSON.stringify(decode('v1', 'Pod', meta('p')))).toBe(
      JSON.stringify({ kind: 'Pod', apiVersion: 'v1', metadata: { name: 'p', namespace: 'default' }, spec: { containers: null }, status: {} }),
    );
  });

  it('a quantity that does not parse is the serializer\'s 400', () => {
    const raw = Buffer.concat([meta('q'), msg(2, msg(2, ld(1, 'c'), msg(8, quantity(1, 'cpu', 'lots'))))]);
    expect(statusOf(() => decode('v1', 'Pod', raw))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message: "Pod in version \"v1\" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    });
  });

  it('a known field with the wrong wire type is gogo\'s 400; fields newer than kube-chain are skipped as kube skips them', () => {
    const wrongWire = Buffer.concat([meta('w'), msg(2, vi(2, 1))]);
    expect(statusOf(() => decode('v1', 'Pod', wrongWire)).message).toBe('Pod in version "v1" cannot be handled as a Pod: proto: wrong wireType = 0 for field Containers');
    const future = Buffer.concat([meta('f'), msg(2, msg(2, ld(1, 'c'), ld(2, 'i'), ld(900, 'new')), ld(901, 'x'))]);
    expect(decode('v1', 'Pod', future).spec).toEqual({ containers: [{ name: 'c', image: 'i', resources: {} }] });
  });
});

describe('protobuf v1 Node, v1 Endpoints, discovery.k8s.io/v1 EndpointSlice', () => {
  it('Node: spec taints, status capacity (quantities), conditions, addresses, nodeInfo', () => {
    const raw = Buffer.concat([
      msg(1, ld(1, 'node-1')),
      msg(2, ld(1, '10.244.0.0/24'), ld(7, '10.244.0.0/24'), vi(4, true), msg(5, ld(1, 'dedicated'), ld(2, 'gpu'), ld(3, 'NoSchedule'))),
      msg(
        3,
        quantity(1, 'pods', '110'),
        quantity(1, 'cpu', '4'),
        quantity(2, 'cpu', '3800m'),
        msg(4, ld(1, 'Ready'), ld(2, 'True'), ts(3, 1700000000), ts(4, 1700000000), ld(5, 'KubeletReady'), ld(6, 'ok')),
        msg(5, ld(1, 'InternalIP'), ld(2, '192.168.1.10')),
        msg(6, msg(1, vi(1, 10250))),
        msg(7, ld(7, 'v1.32.0'), ld(9, 'linux'), ld(10, 'amd64')),
      ),
    ]);
    expect(JSON.stringify(decode('v1', 'Node', raw))).toBe(
      JSON.stringify({
        kind: 'Node',
        apiVersion: 'v1',
        metadata: { name: 'node-1' },
        spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'], unschedulable: true, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
        status: {
          capacity: { cpu: '4', pods: '110' },
          allocatable: { cpu: '3800m' },
          conditions: [
            { type: 'Ready', status: 'True', lastHeartbeatTime: '2023-11-14T22:13:20Z', lastTransitionTime: '2023-11-14T22:13:20Z', reason: 'KubeletReady', message: 'ok' },
          ],
          addresses: [{ type: 'InternalIP', address: '192.168.1.10' }],
          daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
          nodeInfo: {
            machineID: '',
            systemUUID: '',
            bootID: '',
            kernelVersion: '',
            osImage: '',
            containerRuntimeVersion: '',
            kubeletVersion: 'v1.32.0',
            kubeProxyVersion: '',
            operatingSystem: 'linux',
            architecture: 'amd64',
          },
        },
      }),
    );
  });

  it('Endpoints: subsets with ready and not-ready addresses and ports', () => {
    const raw = Buffer.concat([
      meta('web'),
      msg(2, msg(1, ld(1, '10.0.0.5'), msg(2, ld(1, 'Pod'), ld(3, 'web-1')), ld(4, 'node-1')), msg(2, ld(1, '10.0.0.6')), msg(3, ld(1, 'http'), vi(2, 8080), ld(3, 'TCP'))),
    ]);
    expect(JSON.stringify(decode('v1', 'Endpoints', raw))).toBe(
      JSON.stringify({
        kind: 'Endpoints',
        apiVersion: 'v1',
        metadata: { name: 'web', namespace: 'default' },
        subsets: [
          {
            addresses: [{ ip: '10.0.0.5', nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-1' } }],
            notReadyAddresses: [{ ip: '10.0.0.6' }],
            ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
          },
        ],
      }),
    );
  });

  it('EndpointSlice: endpoints with conditions and target, ports with pointers', () => {
    const raw = Buffer.concat([
      meta('web-abc'),
      ld(4, 'IPv4'),
      msg(2, ld(1, '10.0.0.5'), msg(2, vi(1, true), vi(2, true), vi(3, false)), msg(4, ld(1, 'Pod'), ld(3, 'web-1')), ld(6, 'node-1'), ld(7, 'zone-a')),
      msg(3, ld(1, 'http'), ld(2, 'TCP'), vi(3, 8080), ld(4, 'http')),
    ]);
    expect(JSON.stringify(decode('discovery.k8s.io/v1', 'EndpointSlice', raw))).toBe(
      JSON.stringify({
        kind: 'EndpointSlice',
        apiVersion: 'discovery.k8s.io/v1',
        metadata: { name: 'web-abc', namespace: 'default' },
        addressType: 'IPv4',
        endpoints: [
          { addresses: ['10.0.0.5'], conditions: { ready: true, serving: true, terminating: false }, targetRef: { kind: 'Pod', name: 'web-1' }, nodeName: 'node-1', zone: 'zone-a' },
        ],
        ports: [{ name: 'http', protocol: 'TCP', port: 8080, appProtocol: 'http' }],
      }),
    );
    // Without endpoints and ports: nil slices without omitempty.
    expect(decode('discovery.k8s.io/v1', 'EndpointSlice', ld(4, 'IPv4'))).toEqual({
      kind: 'EndpointSlice',
      apiVersion: 'discovery.k8s.io/v1',
      metadata: {},
      addressType: 'IPv4',
      endpoints: null,
      ports: null,
    });
  });
});

describe('protobuf apiregistration.k8s.io/v1 APIService and DeleteOptions of the new groups', () => {
  it('APIService: service reference, caBundle as base64, priorities always written', () => {
    const raw = Buffer.concat([
      msg(1, ld(1, 'v1beta1.metrics.k8s.io')),
      msg(2, msg(1, ld(1, 'kube-system'), ld(2, 'metrics-server'), vi(3, 443)), ld(2, 'metrics.k8s.io'), ld(3, 'v1beta1'), ld(5, Buffer.from([1, 2, 3])), vi(7, 100)),
    ]);
    expect(JSON.stringify(decode('apiregistration.k8s.io/v1', 'APIService', raw))).toBe(
      JSON.stringify({
        kind: 'APIService',
        apiVersion: 'apiregistration.k8s.io/v1',
        metadata: { name: 'v1beta1.metrics.k8s.io' },
        spec: {
          service: { namespace: 'kube-system', name: 'metrics-server', port: 443 },
          group: 'metrics.k8s.io',
          version: 'v1beta1',
          caBundle: 'AQID',
          groupPriorityMinimum: 100,
          versionPriority: 0,
        },
        status: {},
      }),
    );
  });

  it('DeleteOptions in discovery.k8s.io/v1 and apiregistration.k8s.io/v1', () => {
    for (const apiVersion of ['discovery.k8s.io/v1', 'apiregistration.k8s.io/v1']) {
      const decoded = decodeProtobufBody(envelope(apiVersion, 'DeleteOptions', Buffer.concat([vi(1, 0), ld(4, 'Foreground')])));
      expect(decoded.object).toEqual({ kind: 'DeleteOptions', apiVersion, gracePeriodSeconds: 0, propagationPolicy: 'Foreground' });
    }
  });
});

describe('protobuf out and back', () => {
  it('a pod and a service written as protobuf read back as the same JSON (embedded structs, IntOrString, quantities)', () => {
    const pod = {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'p', namespace: 'default' },
      spec: {
        volumes: [{ name: 'cfg', configMap: { name: 'settings', defaultMode: 420 } }],
        containers: [
          {
            name: 'c',
            image: 'nginx',
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            resources: { limits: { cpu: '1', memory: '1Gi' } },
            livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
          },
        ],
        securityContext: { supplementalGroups: [1, 2] },
      },
      status: {},
    };
    expect(JSON.stringify(decodeProtobufBody(encodeProtobuf(pod)).object)).toBe(JSON.stringify(pod));
    const service = {
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 's' },
      spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }], type: 'ClusterIP' },
      status: { loadBalancer: {} },
    };
    expect(JSON.stringify(decodeProtobufBody(encodeProtobuf(service)).object)).toBe(JSON.stringify(service));
  });
});

describe('the descriptors of every kind read from protobuf', () => {
  const KINDS: Array<[string, string]> = [
    ['v1', 'Pod'],
    ['v1', 'Service'],
    ['v1', 'Node'],
    ['v1', 'Endpoints'],
    ['discovery.k8s.io/v1', 'EndpointSlice'],
    ['apiregistration.k8s.io/v1', 'APIService'],
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'Event'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  ];

  /** The JSON names a message writes, its embedded structs' promoted into it. */
  const jsonNames = (descriptor: MessageDescriptor): string[] =>
    descriptor.fields.flatMap((f) => (f.inline && f.type.kind === 'message' ? jsonNames(f.type.message()) : [f.json]));

  it('no message repeats a field number or a JSON name (Go would drop colliding promoted fields)', () => {
    const seen = new Set<MessageDescriptor>();
    const problems: string[] = [];
    const visit = (descriptor: MessageDescriptor): void => {
      if (seen.has(descriptor)) return;
      seen.add(descriptor);
      const numbers = descriptor.fields.map((f) => f.number);
      if (new Set(numbers).size !== numbers.length || numbers.some((n) => !(n > 0))) problems.push(`${descriptor.name}: field numbers ${numbers}`);
      const names = jsonNames(descriptor);
      if (new Set(names).size !== names.length) problems.push(`${descriptor.name}: JSON names ${names}`);
      for (const f of descriptor.fields) if (f.type.kind === 'message') visit(f.type.message());
    };
    for (const [apiVersion, kind] of KINDS) {
      const descriptor = protobufDescriptorFor(apiVersion, kind);
      expect(descriptor, `${apiVersion} ${kind}`).toBeDefined();
      visit(descriptor!);
    }
    expect(problems).toEqual([]);
    // The pod's closure is all of core/v1's pod types: volumes of every source, probes, affinity...
    expect(seen.size).toBeGreaterThan(150);
  });
});
