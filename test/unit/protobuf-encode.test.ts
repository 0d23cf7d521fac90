import { describe, expect, it } from 'vitest';
import { canEncodeProtobuf, decodeProtobufBody, encodeProtobuf } from '../../src/endpoints/protobuf/index.js';

// Bodies kubectl v1.32 sent for `kubectl create configmap|namespace|secret generic|serviceaccount`.
const KUBECTL = [
  '6b3873000a0f0a0276311209436f6e6669674d617012370a130a03636d3112001a0022002a0032003800420012060a016112013112080a0162120374776f1a0e0a0362696e120700fffe62696e801a002200',
  '6b3873000a0f0a02763112094e616d657370616365121b0a130a036e733112001a0022002a0032003800420012001a020a001a002200',
  '6b3873000a0c0a027631120653656372657412370a120a02733112001a0022002a00320038004200120a0a027077120470407373120d0a0475736572120561646d696e1a064f70617175651a002200',
  '6b3873000a140a027631120e536572766963654163636f756e7412150a130a0373613112001a0022002a003200380042001a002200',
];

describe('encodeProtobuf', () => {
  it('writes the same bytes as Go for what it decoded from kubectl', () => {
    for (const hex of KUBECTL) {
      const { object } = decodeProtobufBody(Buffer.from(hex, 'hex'));
      expect(encodeProtobuf(object).toString('hex')).toBe(hex);
    }
  });

  const roundTrips: Record<string, unknown>[] = [
    {
      kind: 'ConfigMap',
      apiVersion: 'v1',
      metadata: {
        name: 'cm',
        namespace: 'ns',
        uid: 'u',
        resourceVersion: '5',
        generation: 2,
        creationTimestamp: '2023-11-14T22:13:20Z',
        deletionTimestamp: '2023-11-14T22:14:20Z',
        deletionGracePeriodSeconds: 0,
        labels: { a: '1', b: '' },
        annotations: { z: 'q' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'x', controller: true }],
        finalizers: ['f'],
        managedFields: [{ manager: 'm', operation: 'Apply', apiVersion: 'v1', time: '2023-11-14T22:13:20Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} } } }],
      },
      immutable: true,
      data: { a: 'x' },
      binaryData: { b: 'AAE=' },
    },
    {
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: { name: 'l', namespace: 'kube-system' },
      spec: { holderIdentity: 'h', leaseDurationSeconds: 15, acquireTime: '2023-11-14T22:13:20.123456Z', renewTime: '0099-01-02T03:04:05.000001Z', leaseTransitions: -1 },
    },
    {
      kind: 'Event',
      apiVersion: 'events.k8s.io/v1',
      metadata: { name: 'e' },
      eventTime: '2023-11-14T22:13:20.000005Z',
      series: { count: 0, lastObservedTime: null },
      reportingController: 'c',
      regarding: { kind: 'Pod', name: 'p' },
      related: {},
      deprecatedSource: { component: 'kubelet' },
      deprecatedFirstTimestamp: '2023-11-14T22:13:20Z',
      deprecatedLastTimestamp: null,
      deprecatedCount: 4,
    },
    { kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1', gracePeriodSeconds: 0, preconditions: { uid: 'u' }, propagationPolicy: 'Orphan', dryRun: ['All'] },
  ];

  it('round-trips through decodeProtobufBody', () => {
    for (const obj of roundTrips) {
      expect(JSON.stringify(decodeProtobufBody(encodeProtobuf(obj)).object)).toBe(JSON.stringify(obj));
    }
  });

  it('Time loses its fraction, MicroTime keeps microseconds; offsets become UTC', () => {
    const obj = {
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: { creationTimestamp: '2023-11-14T23:13:20.9+01:00' },
      spec: { acquireTime: '2023-11-14T22:13:20.1234567Z' },
    };
    expect(decodeProtobufBody(encodeProtobuf(obj)).object).toEqual({
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: { creationTimestamp: '2023-11-14T22:13:20Z' },
      spec: { acquireTime: '2023-11-14T22:13:20.123456Z' },
    });
  });

  it('knows which kinds it can write', () => {
    expect(canEncodeProtobuf('v1', 'ConfigMap')).toBe(true);
    expect(canEncodeProtobuf('v1', 'PersistentVolumeClaim')).toBe(false);
    expect(() => encodeProtobuf({ kind: 'Widget', apiVersion: 'example.com/v1' })).toThrow('no protobuf description of example.com/v1, Kind=Widget');
  });
});
