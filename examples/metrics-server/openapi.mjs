// The OpenAPI v3 document of metrics.k8s.io/v1beta1, as an API server built on k8s.io/apiserver
// publishes it at /openapi/v3/apis/<group>/<version>: self-contained (it carries the ObjectMeta and
// Quantity schemas it refers to), each kind tagged with x-kubernetes-group-version-kind, so the
// aggregator can merge it and `kubectl explain` can read it.
import { createHash } from 'node:crypto';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const METRICS = 'io.k8s.metrics.pkg.apis.metrics.v1beta1';
const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const gvk = (kind) => [{ group: 'metrics.k8s.io', version: 'v1beta1', kind }];
const string = (description) => ({ type: 'string', description });
const usage = {
  type: 'object',
  description: 'The memory usage is the memory working set.',
  additionalProperties: ref('io.k8s.apimachinery.pkg.api.resource.Quantity'),
};
const standard = (kind, extra) => ({
  type: 'object',
  'x-kubernetes-group-version-kind': gvk(kind),
  properties: {
    apiVersion: string('APIVersion defines the versioned schema of this representation of an object.'),
    kind: string('Kind is a string value representing the REST resource this object represents.'),
    metadata: { allOf: [ref(`${META}.ObjectMeta`)], default: {}, description: "Standard object's metadata." },
    ...extra,
  },
});

const schemas = {
  [`${METRICS}.NodeMetrics`]: {
    ...standard('NodeMetrics', {
      timestamp: { allOf: [ref(`${META}.Time`)], description: 'The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].' },
      window: { allOf: [ref(`${META}.Duration`)] },
      usage,
    }),
    description: 'NodeMetrics sets resource usage metrics of a node.',
    required: ['timestamp', 'window', 'usage'],
  },
  [`${METRICS}.PodMetrics`]: {
    ...standard('PodMetrics', {
      timestamp: { allOf: [ref(`${META}.Time`)], description: 'The following fields define time interval from which metrics were collected from the interval [Timestamp-Window, Timestamp].' },
      window: { allOf: [ref(`${META}.Duration`)] },
      containers: { type: 'array', description: 'Metrics for all containers are collected within the same time window.', items: { allOf: [ref(`${METRICS}.ContainerMetrics`)], default: {} } },
    }),
    description: 'PodMetrics sets resource usage metrics of a pod.',
    required: ['timestamp', 'window', 'containers'],
  },
  [`${METRICS}.ContainerMetrics`]: {
    type: 'object',
    description: 'ContainerMetrics sets resource usage metrics of a container.',
    required: ['name', 'usage'],
    properties: { name: string('Container name corresponding to the one from pod.spec.containers.'), usage },
  },
  [`${METRICS}.NodeMetricsList`]: {
    ...standard('NodeMetricsList', { items: { type: 'array', description: 'List of node metrics.', items: { allOf: [ref(`${METRICS}.NodeMetrics`)], default: {} } } }),
    description: 'NodeMetricsList is a list of NodeMetrics.',
    required: ['items'],
  },
  [`${METRICS}.PodMetricsList`]: {
    ...standard('PodMetricsList', { items: { type: 'array', description: 'List of pod metrics.', items: { allOf: [ref(`${METRICS}.PodMetrics`)], default: {} } } }),
    description: 'PodMetricsList is a list of PodMetrics.',
    required: ['items'],
  },
  [`${META}.ObjectMeta`]: {
    type: 'object',
    description: 'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
    properties: {
      name: string('Name must be unique within a namespace.'),
      namespace: string('Namespace defines the space within which each name must be unique.'),
      labels: { type: 'object', additionalProperties: { type: 'string', default: '' }, description: 'Map of string keys and values that can be used to organize and categorize objects.' },
      creationTimestamp: { allOf: [ref(`${META}.Time`)], description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' },
    },
  },
  [`${META}.Time`]: { type: 'string', format: 'date-time', description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.' },
  [`${META}.Duration`]: { type: 'string', description: 'Duration is a wrapper around time.Duration which supports correct marshaling to YAML and JSON.' },
  // Quantity takes a string or a number (its OpenAPIV3OneOfTypes); kubectl explain then names it.
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { description: 'Quantity is a fixed-point representation of a number.', oneOf: [{ type: 'string' }, { type: 'number' }] },
};

function operation(kind, action, namespaced) {
  return {
    get: {
      description: `${action} ${kind}`,
      operationId: `${action}MetricsV1beta1${namespaced ? 'Namespaced' : ''}${kind}`,
      responses: { 200: { description: 'OK', content: { 'application/json': { schema: ref(`${METRICS}.${kind}`) } } } },
      'x-kubernetes-action': action === 'list' ? 'list' : 'get',
      // One object on an operation (a list on a schema); a list operation names its item kind, as kube does.
      'x-kubernetes-group-version-kind': gvk(kind.replace(/List$/, ''))[0],
    },
  };
}

export const openAPIV3 = {
  openapi: '3.0.0',
  info: { title: 'metrics-server', version: 'v0.0.0' },
  paths: {
    '/apis/metrics.k8s.io/v1beta1/nodes': operation('NodeMetricsList', 'list', false),
    '/apis/metrics.k8s.io/v1beta1/nodes/{name}': operation('NodeMetrics', 'read', false),
    '/apis/metrics.k8s.io/v1beta1/pods': operation('PodMetricsList', 'list', false),
    '/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods': operation('PodMetricsList', 'list', true),
    '/apis/metrics.k8s.io/v1beta1/namespaces/{namespace}/pods/{name}': operation('PodMetrics', 'read', true),
  },
  components: { schemas },
};

const body = JSON.stringify(openAPIV3);
const hash = createHash('sha512').update(body).digest('hex').toUpperCase();

/** The /openapi/v3 index, pointing at the document by its hash, as kube's OpenAPI v3 handler does. */
export const openAPIV3Index = { paths: { 'apis/metrics.k8s.io/v1beta1': { serverRelativeURL: `/openapi/v3/apis/metrics.k8s.io/v1beta1?hash=${hash}` } } };
export const openAPIV3Body = body;
