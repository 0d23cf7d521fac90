// apiregistration.k8s.io/v1 APIServices (kube-aggregator's apiservice registry): cluster-scoped,
// named "<version>.<group>", with a status subresource. A create starts with an empty status (local
// APIServices are Available at once); the main endpoint never changes status, /status changes nothing
// else. Printed as kube-aggregator's table: NAME SERVICE AVAILABLE AGE.
import type { KubeObject, SubresourceDefinition } from '../../registry/resource.js';
import { defineResource } from '../../kube-apis/define.js';
import { column, nameAgeTableConvertor } from '../../kube-apis/printing.js';
import { schemaBacked } from '../../kube-apis/schemas.js';
import { isValidPathSegmentName } from '../../registry/validation/names.js';
import { newCannotBeHandledAs } from '../../endpoints/negotiation/decode.js';
import { corruptInputMessage, goBase64CorruptAt } from '../../kube-apis/core/go-base64.js';
import { validateAPIService, validateAPIServiceStatus, specOf } from './validation.js';
import { availableCondition, localAvailableCondition, setCondition } from './conditions.js';

export const APIREGISTRATION_GROUP = 'apiregistration.k8s.io';

/** Decoding (caBundle is []byte: base64 as Go reads it) and v1 defaulting (service port 443). */
function decodeAndDefault(obj: KubeObject): void {
  const spec = specOf(obj);
  if (typeof spec.caBundle === 'string') {
    const at = goBase64CorruptAt(spec.caBundle);
    if (at >= 0) throw newCannotBeHandledAs('APIService', 'v1', 'APIService', corruptInputMessage(at));
    spec.caBundle = Buffer.from(spec.caBundle, 'base64').toString('base64');
    if (spec.caBundle === '') delete spec.caBundle;
  }
  if (spec.service && typeof spec.service === 'object' && (spec.service.port === undefined || spec.service.port === null)) spec.service.port = 443;
}

function serviceCell(obj: KubeObject): string {
  const service = specOf(obj).service;
  return service ? `${service.namespace ?? ''}/${service.name ?? ''}` : 'Local';
}

function availableCell(obj: KubeObject): string {
  const condition = availableCondition(obj);
  if (!condition) return 'Unknown';
  if (condition.status === 'True' || !condition.reason) return condition.status;
  return `${condition.status} (${condition.reason})`;
}

const statusSubresource: SubresourceDefinition = {
  name: 'status',
  kind: 'APIService',
  verbs: ['get', 'patch', 'update'],
  strategy: {
    prepareForUpdate(obj, old) {
      obj.spec = old.spec;
      for (const field of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
        if (old.metadata?.[field] !== undefined) obj.metadata![field] = old.metadata[field];
        else delete obj.metadata?.[field];
      }
    },
    validate: validateAPIServiceStatus,
    validateUpdate: validateAPIServiceStatus,
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  },
};

export const apiServices = defineResource({
  group: APIREGISTRATION_GROUP,
  version: 'v1',
  resource: 'apiservices',
  kind: 'APIService',
  namespaced: false,
  categories: ['api-extensions'],
  subresources: [statusSubresource],
  validateName: (name) => isValidPathSegmentName(name),
  ...schemaBacked('io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService'),
  strategy: {
    prepareForCreate(obj) {
      obj.status = {};
      // Local APIServices are available the moment they exist.
      if (!specOf(obj).service) setCondition(obj, localAvailableCondition());
    },
    prepareForUpdate(obj, old) {
      if (old.status !== undefined) obj.status = old.status;
      else delete obj.status;
    },
    defaults: decodeAndDefault,
    validate: validateAPIService,
    validateUpdate: (obj) => validateAPIService(obj),
    allowCreateOnUpdate: false,
    allowUnconditionalUpdate: false,
  },
  table: nameAgeTableConvertor([
    { column: column('Service', 'string', 'The reference to the service that hosts this API endpoint.'), cell: serviceCell },
    { column: column('Available', 'string', 'Whether this service is available.'), cell: availableCell },
  ]),
});
