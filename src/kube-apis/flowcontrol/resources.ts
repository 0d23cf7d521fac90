// flowcontrol.apiserver.k8s.io/v1 flowschemas and prioritylevelconfigurations: cluster-scoped, with a
// status subresource (the main endpoint never writes status, /status never writes spec), kube's
// defaults and validation, and the columns `kubectl get` shows.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ResourceDefinition, Strategy, SubresourceDefinition } from '../../registry/resource.js';
import { defineResource } from '../define.js';
import { column, translateAge } from '../printing.js';
import { NAME_COLUMN, AGE_COLUMN } from '../printing.js';
import { defaultFlowSchema, defaultPriorityLevel } from './defaults.js';
import { validateFlowSchema, validatePriorityLevel } from './validation.js';
import { GROUP } from './types.js';
import { schemaBacked } from '../schemas.js';

function mainStrategy(defaults: (o: KubeObject) => void, validate: (o: KubeObject) => ReturnType<Strategy['validate']>): Partial<Strategy> & Pick<Strategy, 'validate' | 'validateUpdate'> {
  return {
    defaults,
    prepareForCreate: (obj) => {
      delete obj.status;
    },
    prepareForUpdate: (obj, old) => {
      if (old.status !== undefined) obj.status = old.status;
      else delete obj.status;
    },
    validate,
    validateUpdate: (obj) => validate(obj),
    generationChanged: (obj, old) => !isDeepStrictEqual(obj.spec, old.spec),
  };
}

function statusSubresource(kind: string, defaults: (o: KubeObject) => void, validate: (o: KubeObject) => ReturnType<Strategy['validate']>): SubresourceDefinition {
  return {
    name: 'status',
    kind,
    verbs: ['get', 'patch', 'update'],
    strategy: {
      defaults,
      prepareForUpdate: (obj, old) => {
        obj.spec = old.spec;
      },
      validate,
      validateUpdate: (obj) => validate(obj),
      allowCreateOnUpdate: false,
      allowUnconditionalUpdate: true,
    },
  };
}

const stringColumn = (name: string, description: string) => column(name, 'string', description);

/** The Dangling condition's status as kubectl's MissingPL column shows it ("?" when there is none). */
function missingPL(fs: KubeObject): string {
  const conditions = Array.isArray(fs.status?.conditions) ? fs.status.conditions : [];
  const dangling = conditions.find((c: { type?: string }) => c?.type === 'Dangling');
  return dangling?.status ?? '?';
}

export const flowSchemas: ResourceDefinition = defineResource({
  group: GROUP,
  version: 'v1',
  resource: 'flowschemas',
  kind: 'FlowSchema',
  namespaced: false,
  ...schemaBacked('io.k8s.api.flowcontrol.v1.FlowSchema'),
  subresources: [statusSubresource('FlowSchema', defaultFlowSchema, validateFlowSchema)],
  strategy: mainStrategy(defaultFlowSchema, validateFlowSchema),
  table: {
    columns: [
      NAME_COLUMN,
      stringColumn('PriorityLevel', "Name of the priority level this schema's requests are sent to."),
      stringColumn('MatchingPrecedence', 'Lower values are tried first when classifying a request.'),
      stringColumn('DistinguisherMethod', 'How requests that match are split into flows.'),
      AGE_COLUMN,
      stringColumn('MissingPL', 'Whether the referenced priority level is missing (the Dangling condition).'),
    ],
    cells: (fs) => [
      fs.metadata?.name ?? '',
      fs.spec?.priorityLevelConfiguration?.name ?? '',
      String(fs.spec?.matchingPrecedence ?? ''),
      fs.spec?.distinguisherMethod?.type ?? '<none>',
      translateAge(fs.metadata?.creationTimestamp),
      missingPL(fs),
    ],
  },
});

export const priorityLevelConfigurations: ResourceDefinition = defineResource({
  group: GROUP,
  version: 'v1',
  resource: 'prioritylevelconfigurations',
  kind: 'PriorityLevelConfiguration',
  namespaced: false,
  ...schemaBacked('io.k8s.api.flowcontrol.v1.PriorityLevelConfiguration'),
  subresources: [statusSubresource('PriorityLevelConfiguration', defaultPriorityLevel, validatePriorityLevel)],
  strategy: mainStrategy(defaultPriorityLevel, validatePriorityLevel),
  table: {
    columns: [
      NAME_COLUMN,
      stringColumn('Type', 'Exempt or Limited.'),
      stringColumn('NominalConcurrencyShares', "This level's share of the server's concurrency limit."),
      stringColumn('Queues', 'Number of queues (shuffle sharding deck size).'),
      stringColumn('HandSize', 'Queues dealt to each flow.'),
      stringColumn('QueueLengthLimit', 'Most requests waiting in one queue.'),
      AGE_COLUMN,
    ],
    cells: (pl) => {
      const limited = pl.spec?.limited;
      const queuing = limited?.limitResponse?.queuing;
      return [
        pl.metadata?.name ?? '',
        pl.spec?.type ?? '',
        limited ? (limited.nominalConcurrencyShares ?? 0) : '<none>',
        queuing ? queuing.queues : '<none>',
        queuing ? queuing.handSize : '<none>',
        queuing ? queuing.queueLengthLimit : '<none>',
        translateAge(pl.metadata?.creationTimestamp),
      ];
    },
  },
});

export const flowcontrolV1Resources: ResourceDefinition[] = [flowSchemas, priorityLevelConfigurations];
