// kube's validation of webhook configurations: rules, resources wildcards, URLs, services, conditions.
import { describe, expect, it } from 'vitest';
import { validateResources, validateRuleWithOperations } from '../../src/kube-apis/admissionregistration/rule-validation.js';
import { validateWebhookService, validateWebhookURL } from '../../src/registry/validation/webhook-client-config.js';
import { validateWebhookConfiguration, isFullyQualifiedName } from '../../src/kube-apis/admissionregistration/webhook-validation.js';
import { validatePolicySpec } from '../../src/kube-apis/admissionregistration/policy-validation.js';

const texts = (errors: { field: string; detail: string }[]) => errors.map((e) => `${e.field}: ${e.detail}`);

describe('rules', () => {
  it('refuses wildcards mixed with other values', () => {
    expect(texts(validateRuleWithOperations({ operations: ['*', 'CREATE'], apiGroups: ['*', 'apps'], apiVersions: ['v1'], resources: ['pods'] }, 'rules[0]'))).toEqual([
      'rules[0].operations: Invalid value: []string{"*", "CREATE"}: if \'*\' is present, must not specify other operations',
      'rules[0].apiGroups: Invalid value: []string{"*", "apps"}: if \'*\' is present, must not specify other API groups',
    ]);
    expect(texts(validateRuleWithOperations({ operations: ['PATCH'], apiGroups: [], apiVersions: [''], resources: [], scope: 'Everywhere' }, 'r'))).toEqual([
      'r.operations[0]: Unsupported value: "PATCH": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
      'r.apiGroups: Required value',
      'r.apiVersions[0]: Required value',
      'r.resources: Required value',
      'r.scope: Unsupported value: "Everywhere": supported values: "*", "Cluster", "Namespaced"',
    ]);
  });
  it('resources: */* alone, * without plain resources, x/* excludes x/y', () => {
    expect(texts(validateResources(['*/*', 'pods'], 'res'))).toEqual(['res: Invalid value: []string{"*/*", "pods"}: if \'*/*\' is present, must not specify other resources']);
    expect(texts(validateResources(['*', 'pods'], 'res'))).toEqual(['res: Invalid value: []string{"*", "pods"}: if \'*\' is present, must not specify other resources without subresources']);
    expect(texts(validateResources(['pods/*', 'pods/status'], 'res'))).toEqual(['res[1]: Invalid value: "pods/status": if \'pods/*\' is present, must not specify pods/status']);
    expect(texts(validateResources(['*/status', 'pods/status'], 'res'))).toEqual(['res[1]: Invalid value: "pods/status": if \'*/status\' is present, must not specify pods/status']);
    expect(validateResources(['*', 'pods/status'], 'res')).toEqual([]);
  });
});

describe('client config', () => {
  it('URLs: https, a host, no user, query or fragment', () => {
    expect(validateWebhookURL('u', 'https://example.com/x', true)).toEqual([]);
    expect(texts(validateWebhookURL('u', 'https://user@example.com/x?a=b#f', true))).toEqual([
      'u: Invalid value: "user": user information is not permitted in the URL',
      'u: Invalid value: "f": fragments are not permitted in the URL',
      'u: Invalid value: "a=b": query parameters are not permitted in the URL',
    ]);
    expect(texts(validateWebhookURL('u', 'example.com', true))).toEqual([
      "u: Invalid value: \"\": 'https' is the only allowed URL scheme; desired format: https://host[/path]",
      'u: Invalid value: "": host must be specified; desired format: https://host[/path]',
    ]);
  });
  it('services: name, namespace, port and path segments', () => {
    expect(texts(validateWebhookService('s', '', '', 'foo//Bar', 0))).toEqual([
      's.name: Required value: service name is required',
      's.namespace: Required value: service namespace is required',
      's.port: Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive',
      "s.path: Invalid value: \"foo//Bar\": must start with a '/'",
      // kube drops the first character whatever it is: "oo" is segment 0.
      's.path: Invalid value: "foo//Bar": segment[1] may not be empty',
      's.path: Invalid value: "foo//Bar": segment[2]: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
    ]);
  });
});

describe('webhooks', () => {
  it('names are fully qualified', () => {
    expect(texts(isFullyQualifiedName('n', ''))).toEqual(['n: Required value']);
    expect(texts(isFullyQualifiedName('n', 'a.b'))).toEqual(['n: Invalid value: "a.b": should be a domain with at least three segments separated by dots']);
    expect(isFullyQualifiedName('n', 'a.b.c')).toEqual([]);
  });
  it('matchConditions compile, are named once, and return bool', () => {
    const hook = {
      name: 'a.b.c',
      clientConfig: { url: 'https://x.example.com' },
      sideEffects: 'None',
      admissionReviewVersions: ['v1'],
      matchConditions: [
        { name: 'ok', expression: "object.metadata.name == 'x'" },
        { name: 'ok', expression: 'nope ==' },
        { name: 'Bad Name', expression: "'str'" },
        { name: '', expression: ' ' },
      ],
    };
    const errors = texts(validateWebhookConfiguration({ metadata: { name: 'c' }, webhooks: [hook] }, false));
    expect(errors[0]).toMatch(/^webhooks\[0\]\.matchConditions\[1\]\.expression: Invalid value: "nope ==": compilation failed: /);
    expect(errors.slice(1)).toEqual([
      'webhooks[0].matchConditions[1].name: Duplicate value: "ok"',
      'webhooks[0].matchConditions[2].expression: Invalid value: "\'str\'": must evaluate to bool',
      'webhooks[0].matchConditions[2].name: Invalid value: "Bad Name": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
      'webhooks[0].matchConditions[3].expression: Required value',
      'webhooks[0].matchConditions[3].name: Required value',
    ]);
  });
  it('reinvocationPolicy is checked on mutating webhooks', () => {
    const hook = { name: 'a.b.c', clientConfig: { url: 'https://x.example.com' }, sideEffects: 'None', admissionReviewVersions: ['v1beta1'], reinvocationPolicy: 'Always' };
    expect(texts(validateWebhookConfiguration({ metadata: { name: 'c' }, webhooks: [hook] }, true))).toEqual(['webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"']);
  });
});

describe('policy auditAnnotations', () => {
  const spec = (auditAnnotations: Array<{ key?: string; valueExpression?: string }>) => ({
    failurePolicy: 'Fail',
    matchConstraints: { matchPolicy: 'Equivalent', namespaceSelector: {}, objectSelector: {}, resourceRules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'], scope: '*' }] },
    auditAnnotations,
  });
  it('keys form qualified names with the policy name, are unique; values are CEL strings or null', () => {
    const errors = texts(validatePolicySpec(spec([
      { key: 'ok', valueExpression: 'object.metadata.name' },
      { key: 'also-ok', valueExpression: "has(object.data) ? 'yes' : 'no'" },
      { key: 'nullable', valueExpression: 'null' },
      { key: 'bad key!', valueExpression: "'x'" },
      { key: 'ok', valueExpression: '  ' },
      { key: 'number', valueExpression: '1 + 1' },
      { key: 'broken', valueExpression: 'object.' },
    ]), 'my-policy'));
    expect(errors.slice(0, 4)).toEqual([
      'spec.auditAnnotations[3].key: Invalid value: "my-policy/bad key!": name part must consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyName\',  or \'my.name\',  or \'123-abc\', regex used for validation is \'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\')',
      'spec.auditAnnotations[4].valueExpression: Required value: valueExpression is not specified',
      'spec.auditAnnotations[4].key: Duplicate value: "ok"',
      'spec.auditAnnotations[5].valueExpression: Invalid value: "1 + 1": must evaluate to one of [string null_type]',
    ]);
    expect(errors[4]).toMatch(/^spec\.auditAnnotations\[6\]\.valueExpression: Invalid value: "object\.": compilation failed: /);
    expect(errors).toHaveLength(5);
  });
});
