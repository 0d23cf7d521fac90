// The access, rules and token reviews' own logic, as kube 1.32 has it: validation messages
// (pkg/apis/authorization/validation), attributes (pkg/registry/authorization/util), the union of
// rule resolvers (authorization/union), and the protobuf of user extras (map<string, ExtraValue>).
import { describe, expect, it } from 'vitest';
import { validateLocalSubjectAccessReview, validateSelfSubjectAccessReview, validateSubjectAccessReview } from '../../src/kube-apis/authorization/validation.js';
import { evaluationError, reviewAttributes, specUser } from '../../src/kube-apis/authorization/attributes.js';
import { aggregateText } from '../../src/registry/validation/field-errors.js';
import { alwaysAllowRules, alwaysDenyRules, buildRuleResolver, unionRuleResolver } from '../../src/auth/rule-resolvers.js';
import { encodeProtobuf } from '../../src/endpoints/protobuf/encode.js';
import { decodeProtobufBody } from '../../src/endpoints/protobuf/decode.js';
import { asTypedJSON } from '../../src/endpoints/protobuf/typed-json.js';
import type { RuleResolver } from '../../src/auth/authorizer.js';

const text = (errors: ReturnType<typeof validateSubjectAccessReview>) => aggregateText(errors);

describe('SubjectAccessReview validation', () => {
  it('needs exactly one kind of attributes and a user or a group', () => {
    expect(text(validateSubjectAccessReview({ spec: {} }))).toBe(
      '[spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]',
    );
    expect(text(validateSubjectAccessReview({ spec: { groups: ['g'], resourceAttributes: {}, nonResourceAttributes: { path: '/x', verb: 'get' } } }))).toBe(
      'spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: cannot be specified in combination with resourceAttributes',
    );
    expect(validateSubjectAccessReview({ spec: { user: 'bob', resourceAttributes: { verb: 'get' } }, metadata: { creationTimestamp: null } as never })).toEqual([]);
    expect(validateSubjectAccessReview({ spec: { groups: ['g'], nonResourceAttributes: { path: '/x' } } })).toEqual([]);
  });

  it('wants empty metadata, printed with %#v when it is not', () => {
    const errors = validateSubjectAccessReview({ metadata: { name: 'x', labels: { b: '2', a: '1' } }, spec: { user: 'u', resourceAttributes: {} } });
    expect(errors).toHaveLength(1);
    expect(errors[0].field).toBe('metadata');
    expect(errors[0].detail).toBe(
      'Invalid value: v1.ObjectMeta{Name:"x", GenerateName:"", Namespace:"", SelfLink:"", UID:"", ResourceVersion:"", Generation:0, ' +
        'CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, DeletionGracePeriodSeconds:(*int64)(nil), ' +
        'Labels:map[string]string{"a":"1", "b":"2"}, Annotations:map[string]string(nil), OwnerReferences:[]v1.OwnerReference(nil), ' +
        'Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}: must be empty',
    );
    // Empty maps and slices equal nil ones (apiequality.Semantic), managedFields are ignored.
    expect(validateSubjectAccessReview({ metadata: { labels: {}, finalizers: [], managedFields: [{ manager: 'm' }] } as never, spec: { user: 'u', resourceAttributes: {} } })).toEqual([]);
  });

  it('SelfSubjectAccessReview asks for no user', () => {
    expect(text(validateSelfSubjectAccessReview({ spec: {} }))).toBe('spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified');
    expect(validateSelfSubjectAccessReview({ spec: { nonResourceAttributes: { path: '/logs', verb: 'get' } } })).toEqual([]);
  });

  it('LocalSubjectAccessReview: namespace must match and non-resource requests are refused', () => {
    const review = { metadata: { namespace: 'ns1' }, spec: { user: 'u', resourceAttributes: { namespace: 'ns2', verb: 'get' } } };
    expect(text(validateLocalSubjectAccessReview(review))).toBe('spec.resourceAttributes.namespace: Invalid value: "ns2": must match metadata.namespace');
    const nonResource = { metadata: { namespace: 'ns1' }, spec: { user: 'u', nonResourceAttributes: { path: '/x', verb: 'get' } } };
    expect(text(validateLocalSubjectAccessReview(nonResource))).toBe('spec.nonResourceAttributes: Invalid value: authorization.NonResourceAttributes{Path:"/x", Verb:"get"}: disallowed on this kind of request');
    const named = { metadata: { namespace: 'ns1', name: 'n' }, spec: { user: 'u', resourceAttributes: { namespace: 'ns1' } } };
    expect(validateLocalSubjectAccessReview(named)[0].detail).toMatch(/^Invalid value: v1\.ObjectMeta\{Name:"n", GenerateName:"", Namespace:"ns1", .*: must be empty except for namespace$/);
  });
});

describe('review attributes', () => {
  it('resource attributes: an empty version means every version', () => {
    const user = specUser({ user: 'bob', groups: ['g'], uid: 'u1', extra: { k: ['v'] } });
    expect(user).toEqual({ name: 'bob', groups: ['g'], uid: 'u1', extra: { k: ['v'] } });
    const attrs = reviewAttributes(user, { resourceAttributes: { namespace: 'ns', verb: 'get', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'd' } });
    expect(attrs).toMatchObject({ isResourceRequest: true, verb: 'get', namespace: 'ns', apiGroup: 'apps', apiVersion: '*', resource: 'deployments', subresource: 'scale', name: 'd' });
    expect(reviewAttributes(user, { resourceAttributes: { version: 'v1' } }).apiVersion).toBe('v1');
  });

  it('non-resource attributes carry the path and verb', () => {
    expect(reviewAttributes({ name: 'x', groups: [] }, { nonResourceAttributes: { path: '/logs', verb: 'get' } })).toMatchObject({ isResourceRequest: false, path: '/logs', verb: 'get' });
  });

  it('reports selectors that do not parse, after the authorizer\'s error', () => {
    expect(evaluationError(undefined, { fieldSelector: { rawSelector: 'a=b' }, labelSelector: { rawSelector: 'x in (y)' } })).toBe('');
    expect(evaluationError(undefined, { fieldSelector: { rawSelector: 'key in value' }, labelSelector: { rawSelector: '&' } })).toBe(
      'spec.resourceAttributes.fieldSelector ignored due to parse error; spec.resourceAttributes.labelSelector ignored due to parse error',
    );
    expect(evaluationError(new Error('boom'), { labelSelector: { requirements: [{ key: 'a', operator: 'In', values: ['x'] }, { key: 'b', operator: 'Bogus' }] } })).toBe(
      'boom; spec.resourceAttributes.labelSelector partially ignored due to parse error',
    );
    expect(evaluationError(undefined, { fieldSelector: { requirements: [{ key: 'a', operator: 'Exists' }] } })).toBe('spec.resourceAttributes.fieldSelector ignored due to parse error');
  });
});

describe('rule resolvers', () => {
  const bob = { name: 'bob', groups: ['system:authenticated'] };

  it('AlwaysAllow lists everything, AlwaysDeny nothing', async () => {
    expect(await alwaysAllowRules.rulesFor(bob, 'ns')).toEqual({
      resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [] }],
      nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
      incomplete: false,
    });
    expect(await alwaysDenyRules.rulesFor(bob, 'ns')).toEqual({ resourceRules: [], nonResourceRules: [], incomplete: false });
  });

  it('a union concatenates, is incomplete when any part is, and aggregates errors', async () => {
    const failing: RuleResolver = { rulesFor: () => ({ resourceRules: [], nonResourceRules: [], incomplete: true, evaluationError: 'webhook authorizer does not support user rule resolution' }) };
    const throwing: RuleResolver = {
      rulesFor: () => {
        throw new Error('boom');
      },
    };
    const result = await unionRuleResolver([alwaysAllowRules, failing, throwing]).rulesFor(bob, 'ns');
    expect(result.resourceRules).toHaveLength(1);
    expect(result.incomplete).toBe(true);
    expect(result.evaluationError).toBe('[webhook authorizer does not support user rule resolution, boom]');
    expect(await buildRuleResolver({ authorizationMode: ['AlwaysDeny', 'AlwaysAllow'] }).rulesFor(bob, 'ns')).toMatchObject({ incomplete: false, nonResourceRules: [{ verbs: ['*'] }] });
  });
});

describe('review objects in protobuf and as typed JSON', () => {
  it('round-trips user extras (map<string, ExtraValue>) and drops what the Go struct does not have', () => {
    const sar = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: {},
      spec: { user: 'bob', groups: ['a', 'b'], extra: { scopes: ['x', 'y'], empty: [] }, uid: 'u1', resourceAttributes: { verb: 'get', resource: 'pods', bogus: 1 } },
      status: { allowed: false },
    };
    const decoded = decodeProtobufBody(encodeProtobuf(sar)).object;
    expect(decoded.spec).toEqual({ resourceAttributes: { verb: 'get', resource: 'pods' }, user: 'bob', groups: ['a', 'b'], extra: { empty: null, scopes: ['x', 'y'] }, uid: 'u1' });
    expect(decoded.status).toEqual({ allowed: false });
    expect(Object.keys(asTypedJSON({ ...sar, spec: { uid: 'u', user: 'x' } }).spec as object)).toEqual(['user', 'uid']);
  });

  it('writes a rules review status with its required fields', () => {
    const srr = { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'ns' }, status: { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [], incomplete: false } };
    expect(asTypedJSON(srr).status).toEqual({ resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: null, incomplete: false });
  });
});
