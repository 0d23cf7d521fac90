// kube's bootstrap configuration (k8s.io/apiserver/pkg/apis/flowcontrol/bootstrap): the mandatory
// objects (exempt, catch-all) and the suggested ones, created at start and kept current while they
// carry apf.kubernetes.io/autoupdate-spec: "true".
import { AUTO_UPDATE_ANNOTATION, GROUP, type FlowSchema, type FlowSchemaSpec, type PolicyRulesWithSubjects, type PriorityLevelConfiguration, type PriorityLevelConfigurationSpec, type ResourcePolicyRule, type Subject } from './types.js';

const API_VERSION = `${GROUP}/v1`;

const groups = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'Group', group: { name } }));
const users = (...names: string[]): Subject[] => names.map((name) => ({ kind: 'User', user: { name } }));
const kubeSystemServiceAccounts = (): Subject[] => [{ kind: 'ServiceAccount', serviceAccount: { name: '*', namespace: 'kube-system' } }];
const resourceRule = (verbs: string[], apiGroups: string[], resources: string[], clusterScope: boolean): ResourcePolicyRule => ({
  verbs,
  apiGroups,
  resources,
  clusterScope,
  namespaces: ['*'],
});
const everything = (subjects: Subject[]): PolicyRulesWithSubjects => ({
  subjects,
  resourceRules: [resourceRule(['*'], ['*'], ['*'], true)],
  nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
});

function level(name: string, spec: PriorityLevelConfigurationSpec): PriorityLevelConfiguration {
  return { apiVersion: API_VERSION, kind: 'PriorityLevelConfiguration', metadata: { name, annotations: { [AUTO_UPDATE_ANNOTATION]: 'true' } }, spec };
}
function limited(name: string, shares: number, lendablePercent: number, queues: number, handSize: number): PriorityLevelConfiguration {
  return level(name, {
    type: 'Limited',
    limited: { nominalConcurrencyShares: shares, lendablePercent, limitResponse: { type: 'Queue', queuing: { queues, handSize, queueLengthLimit: 50 } } },
  });
}
function schema(name: string, pl: string, matchingPrecedence: number, distinguisher: 'ByUser' | 'ByNamespace' | undefined, rules: PolicyRulesWithSubjects[]): FlowSchema {
  const spec: FlowSchemaSpec = { priorityLevelConfiguration: { name: pl }, matchingPrecedence };
  if (distinguisher) spec.distinguisherMethod = { type: distinguisher };
  spec.rules = rules;
  return { apiVersion: API_VERSION, kind: 'FlowSchema', metadata: { name, annotations: { [AUTO_UPDATE_ANNOTATION]: 'true' } }, spec };
}

export const MANDATORY_PRIORITY_LEVELS: PriorityLevelConfiguration[] = [
  level('catch-all', { type: 'Limited', limited: { nominalConcurrencyShares: 5, lendablePercent: 0, limitResponse: { type: 'Reject' } } }),
  level('exempt', { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } }),
];

export const MANDATORY_FLOW_SCHEMAS: FlowSchema[] = [
  schema('exempt', 'exempt', 1, undefined, [everything(groups('system:masters'))]),
  schema('catch-all', 'catch-all', 10000, 'ByUser', [everything(groups('system:unauthenticated', 'system:authenticated'))]),
];

export const SUGGESTED_PRIORITY_LEVELS: PriorityLevelConfiguration[] = [
  limited('system', 30, 33, 64, 6),
  limited('node-high', 40, 25, 64, 6),
  limited('leader-election', 10, 0, 16, 4),
  limited('workload-high', 40, 50, 128, 6),
  limited('workload-low', 100, 90, 128, 6),
  limited('global-default', 20, 50, 128, 6),
];

const KCM = 'system:kube-controller-manager';
const SCHEDULER = 'system:kube-scheduler';

export const SUGGESTED_FLOW_SCHEMAS: FlowSchema[] = [
  schema('system-nodes', 'system', 500, 'ByUser', [everything(groups('system:nodes'))]),
  schema('system-node-high', 'node-high', 400, 'ByUser', [
    {
      subjects: groups('system:nodes'),
      resourceRules: [resourceRule(['*'], [''], ['nodes', 'nodes/status'], true), resourceRule(['*'], ['coordination.k8s.io'], ['leases'], false)],
    },
  ]),
  schema('probes', 'exempt', 2, undefined, [
    { subjects: groups('system:unauthenticated', 'system:authenticated'), nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }] },
  ]),
  schema('system-leader-election', 'leader-election', 100, 'ByUser', [
    { subjects: [...users(KCM, SCHEDULER), ...kubeSystemServiceAccounts()], resourceRules: [resourceRule(['get', 'create', 'update'], ['coordination.k8s.io'], ['leases'], false)] },
  ]),
  schema('kube-controller-manager', 'workload-high', 800, 'ByNamespace', [everything(users(KCM))]),
  schema('kube-scheduler', 'workload-high', 800, 'ByNamespace', [everything(users(SCHEDULER))]),
  schema('kube-system-service-accounts', 'workload-high', 900, 'ByNamespace', [everything(kubeSystemServiceAccounts())]),
  schema('service-accounts', 'workload-low', 9000, 'ByUser', [everything(groups('system:serviceaccounts'))]),
  schema('global-default', 'global-default', 9900, 'ByUser', [everything(groups('system:unauthenticated', 'system:authenticated'))]),
];

export const MANDATORY_NAMES = { flowSchemas: new Set(['exempt', 'catch-all']), priorityLevels: new Set(['exempt', 'catch-all']) };

export function mandatoryFlowSchema(name: string): FlowSchema | undefined {
  return MANDATORY_FLOW_SCHEMAS.find((fs) => fs.metadata.name === name);
}
export function mandatoryPriorityLevel(name: string): PriorityLevelConfiguration | undefined {
  return MANDATORY_PRIORITY_LEVELS.find((pl) => pl.metadata.name === name);
}
