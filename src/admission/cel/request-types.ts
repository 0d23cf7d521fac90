// The declared types of admission CEL's `request` and `namespaceObject` (kube's BuildRequestType and
// BuildNamespaceType), as schemas for the undefined-field check: selecting a field they do not have
// fails to compile, as in kube.
import type { JSONSchemaProps } from '../../apiextensions/schema/types.js';
import { declaredType } from '../../apiextensions/schema/cel-fields.js';

const string: JSONSchemaProps = { type: 'string' };
const strings: JSONSchemaProps = { type: 'array', items: string };
const object = (properties: Record<string, JSONSchemaProps>): JSONSchemaProps => ({ type: 'object', properties });
const stringMap = (values: JSONSchemaProps): JSONSchemaProps => ({ type: 'object', additionalProperties: values });

const gvk = object({ group: string, version: string, kind: string });
const gvr = object({ group: string, version: string, resource: string });

export const REQUEST_TYPE: JSONSchemaProps = declaredType(object({
  kind: gvk,
  resource: gvr,
  subResource: string,
  requestKind: gvk,
  requestResource: gvr,
  requestSubResource: string,
  name: string,
  namespace: string,
  operation: string,
  userInfo: object({ username: string, uid: string, groups: strings, extra: stringMap(strings) }),
  dryRun: { type: 'boolean' },
  // dyn: any field
  options: {},
}));

export const NAMESPACE_TYPE: JSONSchemaProps = declaredType(object({
  metadata: object({
    name: string,
    generateName: string,
    namespace: string,
    labels: stringMap(string),
    annotations: stringMap(string),
    UID: string,
    creationTimestamp: string,
    deletionGracePeriodSeconds: { type: 'integer' },
    deletionTimestamp: string,
    generation: { type: 'integer' },
    resourceVersion: string,
    finalizers: strings,
  }),
  spec: object({ finalizers: strings }),
  status: object({ conditions: { type: 'array', items: object({ status: string, type: string, lastTransitionTime: string, message: string, reason: string }) }, phase: string }),
}));
