// core/v1 and events.k8s.io/v1 Events against kube 1.32: pkg/apis/core/validation/events.go (legacy
// rules for core/v1, strict ones for events.k8s.io/v1, on internal field names), printEvent's wide
// row, and the field selectors of each version.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coreEvents } from '../../src/kube-apis/core/events.js';
import { eventsV1 } from '../../src/kube-apis/events/events.js';

const ago = (seconds: number) => new Date(Date.now() - seconds * 1000).toISOString();
const micro = (iso: string) => iso.replace(/\.(\d{3})Z$/, '.$1000Z');
const invalid = (field: string, detail: string) => ({ type: 'FieldValueInvalid', field, detail });
const required = (field: string) => ({ type: 'FieldValueRequired', field, detail: 'Required value' });
const QUALIFIED_NAME_REGEX =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const coreEvent = (extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'pod-a.17f', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'pod-a', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{c}' },
  reason: 'Started',
  message: 'Started container c ',
  source: { component: 'kubelet', host: 'node-1' },
  count: 3,
  type: 'Normal',
  ...extra,
});

const newEvent = (extra: Record<string, unknown> = {}) => ({
  metadata: { name: 'pod-a.18a', namespace: 'default' },
  eventTime: micro(ago(60)),
  regarding: { kind: 'Pod', namespace: 'default', name: 'pod-a' },
  reason: 'Scheduled',
  note: 'assigned to node-1',
  type: 'Normal',
  action: 'Binding',
  reportingController: 'example.com/scheduler',
  reportingInstance: 'scheduler-1',
  ...extra,
});

describe('core/v1 events: definition', () => {
  it('is core/v1 events, short name ev, PUT may create', () => {
    expect(coreEvents).toMatchObject({ group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'] });
    expect(coreEvents.strategy.allowCreateOnUpdate).toBe(true);
    expect(coreEvents.strategy.allowUnconditionalUpdate).toBe(true);
  });

  it('takes any name that is a path segment', () => {
    expect(coreEvents.validateName('Pod_A:1.17f', false)).toEqual([]);
    expect(coreEvents.validateName('a/b', false)).toEqual(["may not contain '/'"]);
  });
});

describe('core/v1 events: legacy validation', () => {
  it('accepts an old-style event about an object of its namespace, of any type', () => {
    expect(coreEvents.strategy.validate(coreEvent())).toEqual([]);
    expect(coreEvents.strategy.validate(coreEvent({ type: 'Custom' }))).toEqual([]);
  });

  it('requires the involved object in the event namespace (cluster-scoped objects: default only)', () => {
    expect(coreEvents.strategy.validate(coreEvent({ involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' } }))).toEqual([
      invalid('involvedObject.namespace', 'Invalid value: "other": does not match event.namespace'),
    ]);
    const aboutNode = { involvedObject: { kind: 'Node', name: 'node-1' } };
    expect(coreEvents.strategy.validate(coreEvent(aboutNode))).toEqual([]);
    expect(coreEvents.strategy.validate({ ...coreEvent(aboutNode), metadata: { name: 'e', namespace: 'team' } })).toEqual([
      invalid('involvedObject.namespace', 'Invalid value: "": does not match event.namespace'),
    ]);
  });

  it('checks reporting fields once eventTime is set', () => {
    expect(coreEvents.strategy.validate(coreEvent({ eventTime: micro(ago(1)) }))).toEqual([
      required('reportingController'),
      invalid('reportingController', 'Invalid value: "": name part must be non-empty'),
      invalid('reportingController', `Invalid value: "": ${QUALIFIED_NAME_REGEX}`),
      required('reportingInstance'),
      required('action'),
    ]);
    const long = 'x'.repeat(129);
    expect(
      coreEvents.strategy.validate(coreEvent({ eventTime: micro(ago(1)), reportingComponent: 'kubelet', reportingInstance: long, action: long, reason: long, message: 'm'.repeat(1025) })),
    ).toEqual([
      invalid('reportingInstance', 'Invalid value: "": can have at most 128 characters'),
      invalid('action', 'Invalid value: "": can have at most 128 characters'),
      invalid('reason', 'Invalid value: "": can have at most 128 characters'),
      invalid('message', 'Invalid value: "": can have at most 1024 characters'),
    ]);
    // With eventTime, a cluster-scoped object's events may also live in kube-system.
    const ok = { eventTime: micro(ago(1)), reportingComponent: 'kubelet', reportingInstance: 'i', action: 'a', involvedObject: { kind: 'Node', name: 'n' } };
    expect(coreEvents.strategy.validate({ ...coreEvent(ok), metadata: { name: 'e', namespace: 'kube-system' } })).toEqual([]);
  });

  it('allows any change on update (no strict rules for core/v1)', () => {
    expect(coreEvents.strategy.validateUpdate(coreEvent({ reason: 'Other', count: 9 }), coreEvent())).toEqual([]);
  });
});

describe('events.k8s.io/v1 events: strict validation on internal field names', () => {
  it('accepts a complete event', () => {
    expect(eventsV1.strategy.validate(newEvent())).toEqual([]);
    expect(eventsV1.strategy.validate(newEvent({ series: { count: 2, lastObservedTime: micro(ago(1)) } }))).toEqual([]);
  });

  it('requires eventTime, a known type and no deprecated fields', () => {
    const { eventTime: _, ...withoutTime } = newEvent();
    expect(eventsV1.strategy.validate({ ...withoutTime, type: 'Bad', deprecatedCount: 2, deprecatedSource: { component: 'c' }, deprecatedFirstTimestamp: ago(5), deprecatedLastTimestamp: ago(5) })).toEqual([
      required('eventTime'),
      invalid('type', 'Invalid value: "": has invalid value: Bad'),
      invalid('firstTimestamp', 'Invalid value: "": needs to be unset'),
      invalid('lastTimestamp', 'Invalid value: "": needs to be unset'),
      invalid('count', 'Invalid value: "": needs to be unset'),
      invalid('source', 'Invalid value: "": needs to be unset'),
    ]);
  });

  it('reports note as message and regarding as involvedObject', () => {
    expect(eventsV1.strategy.validate(newEvent({ note: 'n'.repeat(1025) }))).toEqual([invalid('message', 'Invalid value: "": can have at most 1024 characters')]);
    // With eventTime kube checks only that a cluster-scoped object's event is in default or kube-system.
    expect(eventsV1.strategy.validate(newEvent({ regarding: { kind: 'Pod', namespace: 'other', name: 'p' } }))).toEqual([]);
    expect(eventsV1.strategy.validate({ ...newEvent({ regarding: { kind: 'Node', name: 'n' } }), metadata: { name: 'e', namespace: 'team' } })).toEqual([
      invalid('involvedObject.namespace', 'Invalid value: "": does not match event.namespace'),
    ]);
  });

  it('checks the series', () => {
    expect(eventsV1.strategy.validate(newEvent({ series: { count: 1 } }))).toEqual([invalid('series.count', 'Invalid value: "": should be at least 2'), required('series.lastObservedTime')]);
  });

  it('makes an event immutable but for its series, printing the values as Go does', () => {
    const old = newEvent();
    expect(eventsV1.strategy.validateUpdate(newEvent({ series: { count: 2, lastObservedTime: micro(ago(1)) } }), old)).toEqual([]);
    expect(
      eventsV1.strategy.validateUpdate(
        newEvent({ eventTime: old.eventTime, note: 'changed', reason: 'Other', regarding: { kind: 'Pod', namespace: 'default', name: 'pod-b' }, deprecatedCount: 4 }),
        old,
      ),
    ).toEqual([
      invalid('involvedObject', 'Invalid value: core.ObjectReference{Kind:"Pod", Namespace:"default", Name:"pod-b", UID:"", APIVersion:"", ResourceVersion:"", FieldPath:""}: field is immutable'),
      invalid('reason', 'Invalid value: "Other": field is immutable'),
      invalid('message', 'Invalid value: "changed": field is immutable'),
      invalid('count', 'Invalid value: 4: field is immutable'),
      invalid('reason', 'Invalid value: "Other": field is immutable'),
    ]);
    expect(eventsV1.strategy.validateUpdate(newEvent({ eventTime: '2024-05-01T10:00:00.123400Z' }), old)).toEqual([
      invalid('eventTime', 'Invalid value: 2024-05-01 10:00:00.1234 +0000 UTC: field is immutable'),
    ]);
  });
});

describe('events: table (kube prints the wide row server-side)', () => {
  // Ages are printed to the second: freeze the clock.
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2025-03-01T12:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  it('has kube\'s ten columns, five of them wide-only', () => {
    expect(coreEvents.table.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Last Seen', 'string', '', 0],
      ['Type', 'string', '', 0],
      ['Reason', 'string', '', 0],
      ['Object', 'string', '', 0],
      ['Subobject', 'string', '', 1],
      ['Source', 'string', '', 1],
      ['Message', 'string', '', 0],
      ['First Seen', 'string', '', 1],
      ['Count', 'string', '', 1],
      ['Name', 'string', 'name', 1],
    ]);
    expect(eventsV1.table.columns).toEqual(coreEvents.table.columns);
  });

  it('prints an old-style event from its timestamps, count and source', () => {
    expect(coreEvents.table.cells(coreEvent({ firstTimestamp: ago(600), lastTimestamp: ago(30) }))).toEqual([
      '30s', 'Normal', 'Started', 'pod/pod-a', 'spec.containers{c}', 'kubelet, node-1', 'Started container c', '10m', 3, 'pod-a.17f',
    ]);
    // No timestamps at all: unknown; no count: 1; no name: the kind alone.
    expect(coreEvents.table.cells({ metadata: { name: 'e' }, involvedObject: { kind: 'Node' } })).toEqual(['<unknown>', '', '', 'node', '', '', '', '<unknown>', 1, 'e']);
  });

  it('prints a new-style event from eventTime, the series and the reporting fields', () => {
    expect(eventsV1.table.cells(newEvent())).toEqual(['60s', 'Normal', 'Scheduled', 'pod/pod-a', '', 'example.com/scheduler, scheduler-1', 'assigned to node-1', '60s', 1, 'pod-a.18a']);
    expect(eventsV1.table.cells(newEvent({ series: { count: 5, lastObservedTime: micro(ago(3)) } })).slice(0, 9)).toEqual([
      '3s', 'Normal', 'Scheduled', 'pod/pod-a', '', 'example.com/scheduler, scheduler-1', 'assigned to node-1', '60s', 5,
    ]);
  });
});

describe('events: field selectors', () => {
  it('core/v1: the involvedObject fields, reason, reportingComponent, source (falling back to it), type', () => {
    expect(coreEvents.selectableFields(coreEvent())).toEqual({
      'metadata.name': 'pod-a.17f',
      'metadata.namespace': 'default',
      'involvedObject.kind': 'Pod',
      'involvedObject.namespace': 'default',
      'involvedObject.name': 'pod-a',
      'involvedObject.uid': 'u1',
      'involvedObject.apiVersion': 'v1',
      'involvedObject.resourceVersion': '',
      'involvedObject.fieldPath': 'spec.containers{c}',
      reason: 'Started',
      reportingComponent: '',
      source: 'kubelet',
      type: 'Normal',
    });
    expect(coreEvents.selectableFields(coreEvent({ source: {}, reportingComponent: 'ctrl' }))).toMatchObject({ source: 'ctrl', reportingComponent: 'ctrl' });
  });

  it('events.k8s.io/v1: its own names (regarding.*, reportingController), mapped onto the same fields', () => {
    expect(eventsV1.selectableFields(newEvent())).toEqual({
      'metadata.name': 'pod-a.18a',
      'metadata.namespace': 'default',
      reason: 'Scheduled',
      'regarding.kind': 'Pod',
      'regarding.namespace': 'default',
      'regarding.name': 'pod-a',
      'regarding.uid': '',
      'regarding.apiVersion': '',
      'regarding.resourceVersion': '',
      'regarding.fieldPath': '',
      reportingController: 'example.com/scheduler',
      type: 'Normal',
    });
  });
});
