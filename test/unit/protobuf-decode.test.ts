import { describe, expect, it } from 'vitest';
import { decodeProtobufBody, isProtobufContentType } from '../../src/endpoints/protobuf/index.js';
import { StatusError } from '../../src/endpoints/status.js';
import { key, ld, vi, msg, entry, ts, envelope } from '../support/protobuf-bytes.js';

function statusOf(fn: () => unknown): { code: number; reason?: string; message?: string } {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    const status = (err as StatusError).status;
    return { code: status.code, reason: status.reason, message: status.message };
  }
  throw new Error('expected a StatusError');
}

// --- Bodies captured from kubectl v1.32 (`kubectl create ...` against a recording server) --------
// Expected objects are `kubectl create ... --dry-run=client -o json` of the same command, without
// `creationTimestamp: null`, which current apimachinery leaves out (ObjectMeta's omitzero).

const KUBECTL = {
  configmap:
    '6b3873000a0f0a0276311209436f6e6669674d617012370a130a03636d3112001a0022002a0032003800420012060a016112013112080a0162120374776f1a0e0a0362696e120700fffe62696e801a002200',
  namespace: '6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733112001a0022002a0032003800420012001a020a001a002200',
  secret:
    '6b3873000a0c0a027631120653656372657412370a120a02733112001a0022002a00320038004200120a0a027077120470407373120d0a0475736572120561646d696e1a064f70617175651a002200',
  serviceaccount: '6b3873000a140a027631120e536572766963654163636f756e7412150a130a0373613112001a0022002a003200380042001a002200',
};

describe('decodeProtobufBody: what kubectl create sends', () => {
  it('kubectl create configmap --from-literal --from-file (binary)', () => {
    const decoded = decodeProtobufBody(Buffer.from(KUBECTL.configmap, 'hex'), { group: '', version: 'v1', kind: 'ConfigMap' });
    expect(decoded.apiVersion).toBe('v1');
    expect(decoded.kind).toBe('ConfigMap');
    expect(JSON.stringify(decoded.object)).toBe(
      JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cm1' }, data: { a: '1', b: 'two' }, binaryData: { bin: 'AP/+YmlugA==' } }),
    );
  });

  it('kubectl create namespace: spec and status are always written', () => {
    const decoded = decodeProtobufBody(Buffer.from(KUBECTL.namespace, 'hex'), { group: '', version: 'v1', kind: 'Namespace' });
    expect(JSON.stringify(decoded.object)).toBe(JSON.stringify({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: 'ns1' }, spec: {}, status: {} }));
  });

  it('kubectl create secret generic: data as base64, keys sorted', () => {
    const decoded = decodeProtobufBody(Buffer.from(KUBECTL.secret, 'hex'), { group: '', version: 'v1', kind: 'Secret' });
    expect(JSON.stringify(decoded.object)).toBe(
      JSON.stringify({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 's1' }, data: { pw: 'cEBzcw==', user: 'YWRtaW4=' }, type: 'Opaque' }),
    );
  });

  it('kubectl create serviceaccount', () => {
    const decoded = decodeProtobufBody(Buffer.from(KUBECTL.serviceaccount, 'hex'), { group: '', version: 'v1', kind: 'ServiceAccount' });
    expect(decoded.object).toEqual({ kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name: 'sa1' } });
  });

  it('works without an expected kind too', () => {
    expect(decodeProtobufBody(Buffer.from(KUBECTL.serviceaccount, 'hex')).kind).toBe('ServiceAccount');
  });
});

describe('decodeProtobufBody: ObjectMeta in full', () => {
  const fieldsV1 = Buffer.from('{"f:data":{"f:a":{}}}');
  const meta = msg(
    1,
    ld(1, 'cm'),
    ld(2, 'cm-'),
    ld(3, 'ns'),
    ld(4, '/self'),
    ld(5, 'uid-1'),
    ld(6, '42'),
    vi(7, 3),
    ts(8, 1700000000),
    ts(9, 1700000060),
    vi(10, 30),
    entry(11, 'z', '1'),
    entry(11, 'a', '2'),
    entry(12, 'note', 'hi'),
    msg(13, ld(1, 'Deployment'), ld(3, 'd'), ld(4, 'u2'), ld(5, 'apps/v1'), vi(6, true), vi(7, false)),
    ld(14, 'example.com/f'),
    ld(14, 'kubernetes'),
    msg(17, ld(1, 'kubectl'), ld(2, 'Update'), ld(3, 'v1'), ts(4, 1700000000), ld(6, 'FieldsV1'), msg(7, ld(1, fieldsV1)), ld(8, 'status')),
  );

  it('writes every field in Go order with Go JSON rules', () => {
    const { object } = decodeProtobufBody(envelope('v1', 'ConfigMap', meta), { group: '', version: 'v1', kind: 'ConfigMap' });
    expect(JSON.stringify(object)).toBe(
      JSON.stringify({
        kind: 'ConfigMap',
        apiVersion: 'v1',
        metadata: {
          name: 'cm',
          generateName: 'cm-',
          namespace: 'ns',
          selfLink: '/self',
          uid: 'uid-1',
          resourceVersion: '42',
          generation: 3,
          creationTimestamp: '2023-11-14T22:13:20Z',
          deletionTimestamp: '2023-11-14T22:14:20Z',
          deletionGracePeriodSeconds: 30,
          labels: { a: '2', z: '1' },
          annotations: { note: 'hi' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'u2', controller: true, blockOwnerDeletion: false }],
          finalizers: ['example.com/f', 'kubernetes'],
          managedFields: [
            { manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2023-11-14T22:13:20Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } }, subresource: 'status' },
          ],
        },
      }),
    );
  });

  it('owner references write their required fields even when empty', () => {
    const { object } = decodeProtobufBody(envelope('v1', 'ConfigMap', msg(1, msg(13))));
    expect(object.metadata).toEqual({ ownerReferences: [{ apiVersion: '', kind: '', name: '', uid: '' }] });
  });

  it('Time keeps whole seconds only (metav1.Time.Unmarshal drops nanos)', () => {
    const { object } = decodeProtobufBody(envelope('v1', 'ConfigMap', msg(1, ts(8, 1700000000, 999_999_999))));
    expect(object.metadata).toEqual({ creationTimestamp: '2023-11-14T22:13:20Z' });
  });

  it('a Time message with zero seconds is the Unix epoch, an empty one is zero', () => {
    const epoch = msg(1, msg(9, vi(1, 0)));
    expect(decodeProtobufBody(envelope('v1', 'ConfigMap', epoch)).object.metadata).toEqual({ deletionTimestamp: '1970-01-01T00:00:00Z' });
    const empty = msg(1, msg(9));
    expect(decodeProtobufBody(envelope('v1', 'ConfigMap', empty)).object.metadata).toEqual({ deletionTimestamp: null });
  });

  it('later occurrences: scalars replace, messages merge, repeated fields append, map keys set', () => {
    const raw = Buffer.concat([msg(1, ld(1, 'a'), entry(11, 'k', '1'), ld(14, 'f1')), msg(1, ld(1, 'b'), entry(11, 'k', '2'), ld(14, 'f2'), ld(3, 'ns'))]);
    expect(decodeProtobufBody(envelope('v1', 'ConfigMap', raw)).object.metadata).toEqual({ name: 'b', namespace: 'ns', labels: { k: '2' }, finalizers: ['f1', 'f2'] });
  });

  it('skips unknown fields of every wire type', () => {
    const unknown = Buffer.concat([vi(99, 5), ld(98, 'x'), key(97, 1), Buffer.alloc(8), key(96, 5), Buffer.alloc(4), key(95, 3), vi(1, 1), key(95, 4)]);
    const raw = Buffer.concat([unknown, msg(1, ld(1, 'cm'), unknown)]);
    expect(decodeProtobufBody(envelope('v1', 'ConfigMap', raw)).object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'cm' } });
  });
});

describe('decodeProtobufBody: the other kinds', () => {
  it('ConfigMap immutable false is written (a pointer)', () => {
    const { object } = decodeProtobufBody(envelope('v1', 'ConfigMap', Buffer.concat([msg(1, ld(1, 'c')), vi(4, false)])));
    expect(object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' }, immutable: false });
  });

  it('Secret: stringData, immutable, type, empty data value', () => {
    const raw = Buffer.concat([msg(1, ld(1, 's')), entry(2, 'empty', Buffer.alloc(0)), entry(4, 'plain', 'text'), ld(3, 'kubernetes.io/tls'), vi(5, true)]);
    expect(JSON.stringify(decodeProtobufBody(envelope('v1', 'Secret', raw)).object)).toBe(
      JSON.stringify({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 's' }, immutable: true, data: { empty: '' }, stringData: { plain: 'text' }, type: 'kubernetes.io/tls' }),
    );
  });

  it('Namespace: finalizers, phase and conditions (type and status always written)', () => {
    const raw = Buffer.concat([
      msg(1, ld(1, 'n')),
      msg(2, ld(1, 'kubernetes')),
      msg(3, ld(1, 'Terminating'), msg(2, ld(1, 'NamespaceContentRemaining'), ld(2, 'True'), ts(4, 1700000000), ld(5, 'SomeResourcesRemain'), ld(6, 'left')), msg(2)),
    ]);
    expect(decodeProtobufBody(envelope('v1', 'Namespace', raw)).object).toEqual({
      kind: 'Namespace',
      apiVersion: 'v1',
      metadata: { name: 'n' },
      spec: { finalizers: ['kubernetes'] },
      status: {
        phase: 'Terminating',
        conditions: [
          { type: 'NamespaceContentRemaining', status: 'True', lastTransitionTime: '2023-11-14T22:13:20Z', reason: 'SomeResourcesRemain', message: 'left' },
          { type: '', status: '', lastTransitionTime: null },
        ],
      },
    });
  });

  it('ServiceAccount: secrets, imagePullSecrets, automountServiceAccountToken', () => {
    const raw = Buffer.concat([msg(1, ld(1, 'sa')), msg(2, ld(1, 'Secret'), ld(3, 'tok'), ld(2, 'ns')), msg(3, ld(1, 'pull')), vi(4, false)]);
    expect(JSON.stringify(decodeProtobufBody(envelope('v1', 'ServiceAccount', raw)).object)).toBe(
      JSON.stringify({
        kind: 'ServiceAccount',
        apiVersion: 'v1',
        metadata: { name: 'sa' },
        secrets: [{ kind: 'Secret', namespace: 'ns', name: 'tok' }],
        imagePullSecrets: [{ name: 'pull' }],
        automountServiceAccountToken: false,
      }),
    );
  });

  it('core/v1 Event as a client-go event recorder sends it', () => {
    const raw = Buffer.concat([
      msg(1, ld(1, 'pod.17a'), ld(3, 'default')),
      msg(2, ld(1, 'Pod'), ld(2, 'default'), ld(3, 'p'), ld(4, 'uid'), ld(5, 'v1'), ld(6, '7'), ld(7, 'spec.containers{c}')),
      ld(3, 'Pulled'),
      ld(4, 'pulled image'),
      msg(5, ld(1, 'kubelet'), ld(2, 'node-1')),
      ts(6, 1700000000),
      ts(7, 1700000100),
      vi(8, 2),
      ld(9, 'Normal'),
      msg(10),
      ld(14, ''),
      ld(15, ''),
    ]);
    expect(JSON.stringify(decodeProtobufBody(envelope('v1', 'Event', raw), { group: '', version: 'v1', kind: 'Event' }).object)).toBe(
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'v1',
        metadata: { name: 'pod.17a', namespace: 'default' },
        involvedObject: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'uid', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' },
        reason: 'Pulled',
        message: 'pulled image',
        source: { component: 'kubelet', host: 'node-1' },
        firstTimestamp: '2023-11-14T22:13:20Z',
        lastTimestamp: '2023-11-14T22:15:00Z',
        count: 2,
        type: 'Normal',
        eventTime: null,
        reportingComponent: '',
        reportingInstance: '',
      }),
    );
  });

  it('core/v1 Event with series, related, action and a MicroTime eventTime', () => {
    const raw = Buffer.concat([
      msg(1, ld(1, 'e')),
      ts(10, 1700000000, 123_456_789),
      msg(11, vi(1, 5), ts(2, 1700000001, 1_000)),
      ld(12, 'Binding'),
      msg(13, ld(1, 'Node'), ld(3, 'n1')),
      ld(14, 'default-scheduler'),
      ld(15, 'sched-1'),
    ]);
    expect(JSON.stringify(decodeProtobufBody(envelope('v1', 'Event', raw)).object)).toBe(
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'v1',
        metadata: { name: 'e' },
        involvedObject: {},
        source: {},
        firstTimestamp: null,
        lastTimestamp: null,
        eventTime: '2023-11-14T22:13:20.123456Z',
        series: { count: 5, lastObservedTime: '2023-11-14T22:13:21.000001Z' },
        action: 'Binding',
        related: { kind: 'Node', name: 'n1' },
        reportingComponent: 'default-scheduler',
        reportingInstance: 'sched-1',
      }),
    );
  });

  it('events.k8s.io/v1 Event', () => {
    const raw = Buffer.concat([
      msg(1, ld(1, 'e'), ld(3, 'default')),
      ts(2, 1700000000, 5_000),
      msg(3, vi(1, 2), ts(2, 1700000002)),
      ld(4, 'kubelet'),
      ld(5, 'node-1'),
      ld(6, 'Pulling'),
      ld(7, 'Pulled'),
      msg(8, ld(1, 'Pod'), ld(3, 'p')),
      ld(10, 'note'),
      ld(11, 'Normal'),
      vi(15, 3),
    ]);
    expect(JSON.stringify(decodeProtobufBody(envelope('events.k8s.io/v1', 'Event', raw), { group: 'events.k8s.io', version: 'v1', kind: 'Event' }).object)).toBe(
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'events.k8s.io/v1',
        metadata: { name: 'e', namespace: 'default' },
        eventTime: '2023-11-14T22:13:20.000005Z',
        series: { count: 2, lastObservedTime: '2023-11-14T22:13:22.000000Z' },
        reportingController: 'kubelet',
        reportingInstance: 'node-1',
        action: 'Pulling',
        reason: 'Pulled',
        regarding: { kind: 'Pod', name: 'p' },
        note: 'note',
        type: 'Normal',
        deprecatedSource: {},
        deprecatedFirstTimestamp: null,
        deprecatedLastTimestamp: null,
        deprecatedCount: 3,
      }),
    );
  });

  it('coordination.k8s.io/v1 Lease as leader election writes it', () => {
    const raw = Buffer.concat([
      msg(1, ld(1, 'kube-scheduler'), ld(3, 'kube-system')),
      msg(2, ld(1, 'host_1'), vi(2, 15), ts(3, 1700000000, 987_654_321), ts(4, 1700000010), vi(5, 0), ld(6, 'OldestEmulationVersion'), ld(7, 'host_2')),
    ]);
    expect(JSON.stringify(decodeProtobufBody(envelope('coordination.k8s.io/v1', 'Lease', raw), { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }).object)).toBe(
      JSON.stringify({
        kind: 'Lease',
        apiVersion: 'coordination.k8s.io/v1',
        metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
        spec: {
          holderIdentity: 'host_1',
          leaseDurationSeconds: 15,
          acquireTime: '2023-11-14T22:13:20.987654Z',
          renewTime: '2023-11-14T22:13:30.000000Z',
          leaseTransitions: 0,
          strategy: 'OldestEmulationVersion',
          preferredHolder: 'host_2',
        },
      }),
    );
  });

  it('a Lease without spec fields has spec {}', () => {
    expect(decodeProtobufBody(envelope('coordination.k8s.io/v1', 'Lease', msg(1, ld(1, 'l')))).object).toEqual({
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: { name: 'l' },
      spec: {},
    });
  });

  it('negative int32 and int64 values (ten-byte varints)', () => {
    const raw = Buffer.concat([msg(1, vi(7, -2), vi(10, -1)), msg(2, vi(2, -15))]);
    const { object } = decodeProtobufBody(envelope('coordination.k8s.io/v1', 'Lease', raw));
    expect(object.metadata).toEqual({ generation: -2, deletionGracePeriodSeconds: -1 });
    expect(object.spec).toEqual({ leaseDurationSeconds: -15 });
  });

  it('DeleteOptions as client-go sends it (meta.k8s.io/v1)', () => {
    const raw = Buffer.concat([vi(1, 0), msg(2, ld(1, 'uid-1'), ld(2, '12')), ld(4, 'Foreground'), ld(5, 'All'), vi(3, false)]);
    const decoded = decodeProtobufBody(envelope('meta.k8s.io/v1', 'DeleteOptions', raw));
    expect(decoded.kind).toBe('DeleteOptions');
    expect(JSON.stringify(decoded.object)).toBe(
      JSON.stringify({
        kind: 'DeleteOptions',
        apiVersion: 'meta.k8s.io/v1',
        gracePeriodSeconds: 0,
        preconditions: { uid: 'uid-1', resourceVersion: '12' },
        orphanDependents: false,
        propagationPolicy: 'Foreground',
        dryRun: ['All'],
      }),
    );
  });

  it('DeleteOptions in the group-version of the resource (v1), empty', () => {
    expect(decodeProtobufBody(envelope('v1', 'DeleteOptions', Buffer.alloc(0))).object).toEqual({ kind: 'DeleteOptions', apiVersion: 'v1' });
  });
});

describe('decodeProtobufBody: kinds and versions', () => {
  const cm = { group: '', version: 'v1', kind: 'ConfigMap' };

  it('takes a missing apiVersion and kind from the endpoint', () => {
    const decoded = decodeProtobufBody(envelope('', '', msg(1, ld(1, 'x'))), cm);
    expect(decoded).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x' } } });
  });

  it('hands on another registered kind for the caller to refuse', () => {
    const decoded = decodeProtobufBody(envelope('v1', 'Secret', msg(1, ld(1, 'x'))), cm);
    expect(decoded.kind).toBe('Secret');
  });

  it('an unregistered kind in a built-in endpoint: no kind is registered', () => {
    expect(statusOf(() => decodeProtobufBody(envelope('v1', 'Foo', Buffer.alloc(0)), cm))).toEqual({
      code: 400,
      reason: 'BadRequest',
      message: 'Foo in version "v1" cannot be handled as a ConfigMap: no kind "Foo" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
    });
  });

  it('without an endpoint kind: a missing kind is kube\'s missing-kind error', () => {
    expect(statusOf(() => decodeProtobufBody(envelope('v1', '', Buffer.alloc(0)))).message).toBe(
      'the object provided is unrecognized (must be of type DeleteOptions): Object \'Kind\' is missing in \'runtime.TypeMeta{APIVersion:"v1", Kind:""}\' (6b3873000a060a027631120012001a002200)',
    );
  });

  it('415 for kinds kube-chain has no protobuf description of', () => {
    const unsupported = {
      code: 415,
      reason: 'UnsupportedMediaType',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    };
    expect(statusOf(() => decodeProtobufBody(envelope('example.com/v1', 'Widget', Buffer.alloc(0))))).toEqual(unsupported);
    expect(statusOf(() => decodeProtobufBody(envelope('example.com/v1', 'Widget', Buffer.alloc(0)), { group: 'example.com', version: 'v1', kind: 'Widget' }))).toEqual(unsupported);
  });
});

describe('decodeProtobufBody: malformed bodies (kube\'s 400s)', () => {
  const cm = { group: '', version: 'v1', kind: 'ConfigMap' };
  const message = (body: Buffer): string | undefined => statusOf(() => decodeProtobufBody(body, cm)).message;

  it('empty, wrong prefix, prefix only', () => {
    expect(message(Buffer.alloc(0))).toBe('the object provided is unrecognized (must be of type ConfigMap): empty data (<empty>)');
    expect(message(Buffer.from('{"kind":"ConfigMap"}'))).toBe(
      'the object provided is unrecognized (must be of type ConfigMap): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"ConfigMap"})',
    );
    expect(message(Buffer.from('k8s\0', 'latin1'))).toBe('the object provided is unrecognized (must be of type ConfigMap): empty body (6b387300)');
  });

  it('a broken envelope', () => {
    expect(message(Buffer.from('6b3873000a05', 'hex'))).toBe('the object provided is unrecognized (must be of type ConfigMap): unexpected EOF (6b3873000a05)');
    expect(message(Buffer.from('6b38730008', 'hex'))).toBe('the object provided is unrecognized (must be of type ConfigMap): proto: wrong wireType = 0 for field TypeMeta (6b38730008)');
    expect(message(Buffer.from('6b3873000c', 'hex'))).toBe('the object provided is unrecognized (must be of type ConfigMap): proto: Unknown: wiretype end group for non-group (6b3873000c)');
    expect(message(Buffer.from('6b38730002', 'hex'))).toBe('the object provided is unrecognized (must be of type ConfigMap): proto: Unknown: illegal tag 0 (wire type 2) (6b38730002)');
    expect(message(Buffer.concat([Buffer.from('6b387300', 'hex'), key(2, 2), Buffer.from('ffffffffffffffffff01', 'hex')]))).toBe(
      'the object provided is unrecognized (must be of type ConfigMap): proto: negative length found during unmarshaling (6b38730012ffffffffffffffffff01)',
    );
    expect(message(Buffer.concat([Buffer.from('6b387300', 'hex'), key(2, 2), Buffer.from('ffffffffffffffffffff01', 'hex')]))).toBe(
      'the object provided is unrecognized (must be of type ConfigMap): proto: integer overflow (6b38730012ffffffffffffffffffff01)',
    );
  });

  it('a broken object names the decoded kind', () => {
    expect(message(envelope('v1', 'ConfigMap', vi(2, 1)))).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: wrong wireType = 0 for field Data');
    expect(message(envelope('v1', 'ConfigMap', msg(1, vi(5, 1))))).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: wrong wireType = 0 for field UID');
    expect(message(envelope('v1', 'ConfigMap', msg(1, Buffer.from([0x0c]))))).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: ObjectMeta: wiretype end group for non-group',
    );
    expect(message(envelope('v1', 'ConfigMap', msg(1, key(9, 2), Buffer.from([0x05]))))).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: unexpected EOF');
    expect(message(envelope('v1', 'ConfigMap', Buffer.concat([key(9, 7)])))).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: illegal wireType 7');
    expect(message(envelope('v1', 'ConfigMap', key(9, 4)))).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: ConfigMap: wiretype end group for non-group');
  });
});

describe('isProtobufContentType', () => {
  it('matches the media type whatever the case and parameters', () => {
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf')).toBe(true);
    expect(isProtobufContentType('Application/VND.Kubernetes.Protobuf; charset=utf-8')).toBe(true);
    expect(isProtobufContentType('application/json')).toBe(false);
    expect(isProtobufContentType('application/vnd.kubernetes.protobuf;stream=watch')).toBe(true);
    expect(isProtobufContentType(undefined)).toBe(false);
  });
});
