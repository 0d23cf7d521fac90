// Priority and fairness objects through the real kubectl: kube's bootstrap configuration with
// kubectl's columns, apply (strategic merge patch) of a new level and schema, explain.
import { describe, expect, it } from 'vitest';
import { kubectlSession } from '../support/kubectl.js';

const LEVEL = `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata:
  name: batch
spec:
  type: Limited
  limited:
    nominalConcurrencyShares: 5
    limitResponse:
      type: Queue
      queuing: {queues: 8, handSize: 2, queueLengthLimit: 20}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata:
  name: batch
spec:
  priorityLevelConfiguration: {name: batch}
  matchingPrecedence: 1500
  distinguisherMethod: {type: ByNamespace}
  rules:
  - subjects:
    - kind: ServiceAccount
      serviceAccount: {namespace: batch, name: "*"}
    resourceRules:
    - verbs: ["*"]
      apiGroups: ["*"]
      resources: ["*"]
      namespaces: ["*"]
`;

describe('kubectl against kube-chain: flowcontrol.apiserver.k8s.io', () => {
  const session = kubectlSession();
  const k = (...args: string[]) => session.k(...args);

  it('lists the bootstrap configuration with kubectl\'s columns', async () => {
    const levels = await k('get', 'prioritylevelconfigurations');
    expect(levels.stdout).toMatch(/^NAME\s+TYPE\s+NOMINALCONCURRENCYSHARES\s+QUEUES\s+HANDSIZE\s+QUEUELENGTHLIMIT\s+AGE\n/);
    expect(levels.stdout).toMatch(/\nglobal-default\s+Limited\s+20\s+128\s+6\s+50\s+\d+s\n/);
    expect(levels.stdout).toMatch(/\nexempt\s+Exempt\s+<none>\s+<none>\s+<none>\s+<none>\s+\d+s\n/);
    const schemas = await k('get', 'flowschemas');
    expect(schemas.stdout).toMatch(/^NAME\s+PRIORITYLEVEL\s+MATCHINGPRECEDENCE\s+DISTINGUISHERMETHOD\s+AGE\s+MISSINGPL\n/);
    expect(schemas.stdout).toMatch(/\nprobes\s+exempt\s+2\s+<none>\s+\d+s\s+False\n/);
  });

  it('applies, re-applies and explains', async () => {
    const applied = await session.kIn(LEVEL, 'apply', '-f', '-');
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe('prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/batch created\nflowschema.flowcontrol.apiserver.k8s.io/batch created\n');
    const changed = await session.kIn(LEVEL.replace('nominalConcurrencyShares: 5', 'nominalConcurrencyShares: 7'), 'apply', '-f', '-');
    expect(changed.stdout).toBe('prioritylevelconfiguration.flowcontrol.apiserver.k8s.io/batch configured\nflowschema.flowcontrol.apiserver.k8s.io/batch unchanged\n');
    expect((await k('get', 'prioritylevelconfiguration', 'batch', '-o', 'jsonpath={.spec.limited.nominalConcurrencyShares}')).stdout).toBe('7');
    const explain = await k('explain', 'flowschema.spec.distinguisherMethod');
    expect(explain.stdout).toContain('FIELD: distinguisherMethod <FlowDistinguisherMethod>');
    const bad = await k('patch', 'prioritylevelconfiguration', 'batch', '--type=merge', '-p', '{"spec":{"limited":{"lendablePercent":101}}}');
    expect(bad.stderr).toContain('spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100, inclusive');
  });
});
