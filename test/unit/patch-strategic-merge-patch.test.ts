import { describe, expect, it } from 'vitest';
import { SERVER_REJECTED_MESSAGE } from '../../src/endpoints/patch/errors.js';
import type { JsonObject, JsonValue } from '../../src/endpoints/patch/json-value.js';
import { componentsRefResolver, patchSchemaFromOpenAPI, type OpenAPISchema } from '../../src/endpoints/patch/openapi-patch-schema.js';
import { permissivePatchSchema } from '../../src/endpoints/patch/patch-schema.js';
import { applyStrategicMergePatch } from '../../src/endpoints/patch/strategic-merge-patch.js';
import { thrownStatus as thrown } from '../support/errors.js';

// A slice of kube's published OpenAPI v3 (components.schemas) for Pods and Deployments, with the patch
// extensions kube generates from the Go struct tags (k8s.io/api core/v1 and apps/v1 types.go).


const ref = (name: string): OpenAPISchema => ({ allOf: [{ $ref: `#/components/schemas/${name}` }], default: {} });
const str: OpenAPISchema = { type: 'string', default: '' };
const stringMap: OpenAPISchema = { type: 'object', additionalProperties: { type: 'string', default: '' } };

const openAPIDocument: { components: { schemas: Record<string, OpenAPISchema> } } = {
  components: {
    schemas: {
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        type: 'object',
        properties: {
          name: { type: 'string' },
          namespace: { type: 'string' },
          labels: stringMap,
          annotations: stringMap,
          finalizers: {
            type: 'array',
            items: str,
            'x-kubernetes-list-type': 'set',
            'x-kubernetes-patch-strategy': 'merge',
          },
          ownerReferences: {
            type: 'array',
            items: ref('io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference'),
            'x-kubernetes-list-map-keys': ['uid'],
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-patch-merge-key': 'uid',
            'x-kubernetes-patch-strategy': 'merge',
          },
        },
      },
      'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference': {
        type: 'object',
        required: ['apiVersion', 'kind', 'name', 'uid'],
        properties: { apiVersion: str, kind: str, name: str, uid: str, controller: { type: 'boolean' } },
      },
      'io.k8s.api.core.v1.Pod': {
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
          spec: ref('io.k8s.api.core.v1.PodSpec'),
        },
      },
      'io.k8s.api.core.v1.PodSpec': {
        type: 'object',
        properties: {
          containers: {
            type: 'array',
            items: ref('io.k8s.api.core.v1.Container'),
            'x-kubernetes-list-map-keys': ['name'],
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-patch-merge-key': 'name',
            'x-kubernetes-patch-strategy': 'merge',
          },
          volumes: {
            type: 'array',
            items: ref('io.k8s.api.core.v1.Volume'),
            'x-kubernetes-list-map-keys': ['name'],
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-patch-merge-key': 'name',
            'x-kubernetes-patch-strategy': 'merge,retainKeys',
          },
          tolerations: { type: 'array', items: ref('io.k8s.api.core.v1.Toleration'), 'x-kubernetes-list-type': 'atomic' },
          nodeSelector: { ...stringMap, 'x-kubernetes-map-type': 'atomic' },
          restartPolicy: { type: 'string' },
        },
      },
      'io.k8s.api.core.v1.Container': {
        type: 'object',
        properties: {
          name: str,
          image: { type: 'string' },
          args: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' },
          env: {
            type: 'array',
            items: ref('io.k8s.api.core.v1.EnvVar'),
            'x-kubernetes-list-map-keys': ['name'],
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-patch-merge-key': 'name',
            'x-kubernetes-patch-strategy': 'merge',
          },
          ports: {
            type: 'array',
            items: ref('io.k8s.api.core.v1.ContainerPort'),
            'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-patch-merge-key': 'containerPort',
            'x-kubernetes-patch-strategy': 'merge',
          },
          resources: ref('io.k8s.api.core.v1.ResourceRequirements'),
        },
      },
      'io.k8s.api.core.v1.EnvVar': {
        type: 'object',
        properties: { name: str, value: { type: 'string' }, valueFrom: ref('io.k8s.api.core.v1.EnvVarSource') },
      },
      'io.k8s.api.core.v1.EnvVarSource': {
        type: 'object',
        properties: { fieldRef: { type: 'object', properties: { fieldPath: str } } },
      },
      'io.k8s.api.core.v1.ContainerPort': {
        type: 'object',
        properties: { containerPort: { type: 'integer', format: 'int32', default: 0 }, protocol: { type: 'string', default: 'TCP' }, name: { type: 'string' } },
      },
      'io.k8s.api.core.v1.ResourceRequirements': {
        type: 'object',
        properties: { limits: stringMap, requests: stringMap },
      },
      'io.k8s.api.core.v1.Volume': {
        type: 'object',
        properties: {
          name: str,
          configMap: ref('io.k8s.api.core.v1.ConfigMapVolumeSource'),
          emptyDir: ref('io.k8s.api.core.v1.EmptyDirVolumeSource'),
        },
      },
      'io.k8s.api.core.v1.ConfigMapVolumeSource': { type: 'object', properties: { name: { type: 'string' } } },
      'io.k8s.api.core.v1.EmptyDirVolumeSource': { type: 'object', properties: { medium: { type: 'string' } } },
      'io.k8s.api.core.v1.Toleration': {
        type: 'object',
        properties: { key: { type: 'string' }, operator: { type: 'string' }, effect: { type: 'string' } },
      },
      'io.k8s.api.apps.v1.Deployment': {
        type: 'object',
        properties: {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: ref('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'),
          spec: ref('io.k8s.api.apps.v1.DeploymentSpec'),
        },
      },
      'io.k8s.api.apps.v1.DeploymentSpec': {
        type: 'object',
        properties: {
          replicas: { type: 'integer', format: 'int32' },
          strategy: {
            ...ref('io.k8s.api.apps.v1.DeploymentStrategy'),
            'x-kubernetes-patch-strategy': 'retainKeys',
          },
        },
      },
      'io.k8s.api.apps.v1.DeploymentStrategy': {
        type: 'object',
        properties: { type: { type: 'string' }, rollingUpdate: ref('io.k8s.api.apps.v1.RollingUpdateDeployment') },
      },
      'io.k8s.api.apps.v1.RollingUpdateDeployment': {
        type: 'object',
        properties: { maxSurge: { 'x-kubernetes-int-or-string': true }, maxUnavailable: { 'x-kubernetes-int-or-string': true } },
      },
    },
  },
};

const resolve = componentsRefResolver(openAPIDocument);
const podSchema = patchSchemaFromOpenAPI({ $ref: '#/components/schemas/io.k8s.api.core.v1.Pod' }, resolve);
const deploymentSchema = patchSchemaFromOpenAPI(openAPIDocument.components.schemas['io.k8s.api.apps.v1.Deployment'], resolve);

function pod(): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web',
      namespace: 'default',
      labels: { app: 'web', tier: 'front' },
      finalizers: ['a.example.com/x', 'b.example.com/y'],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1' }],
    },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.25',
          args: ['-g', 'daemon off;'],
          env: [
            { name: 'A', value: '1' },
            { name: 'B', value: '2' },
          ],
          ports: [{ containerPort: 80, protocol: 'TCP' }],
        },
        { name: 'sidecar', image: 'envoy:1.30' },
      ],
      volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
      tolerations: [{ key: 'a', operator: 'Exists' }],
      nodeSelector: { disk: 'ssd', zone: 'a' },
    },
  };
}

function smp(original: JsonObject, patch: unknown, schema = podSchema): JsonObject {
  return applyStrategicMergePatch(original, JSON.stringify(patch), schema);
}

function spec(obj: JsonObject): JsonObject {
  return obj.spec as JsonObject;
}

function containers(obj: JsonObject): JsonObject[] {
  return spec(obj).containers as JsonObject[];
}

function names(list: JsonValue): JsonValue[] {
  return (list as JsonObject[]).map((item) => item.name);
}

function plainError(message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code: 500 };
}

function badRequest(message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'BadRequest', code: 400 };
}

describe('strategic merge patch: maps', () => {
  it('merges maps, null deletes a key, scalars are replaced; the original is untouched', () => {
    const original = pod();
    const out = smp(original, { metadata: { labels: { tier: null, env: 'prod' } }, spec: { restartPolicy: 'Never' } });
    expect((out.metadata as JsonObject).labels).toEqual({ app: 'web', env: 'prod' });
    expect(spec(out).restartPolicy).toBe('Never');
    expect(original).toEqual(pod());
  });

  it('$patch: replace on a map replaces it', () => {
    const out = smp(pod(), { metadata: { labels: { $patch: 'replace', only: 'this' } } });
    expect((out.metadata as JsonObject).labels).toEqual({ only: 'this' });
  });

  it('$patch: delete on a map leaves an empty map; on a missing key adds nothing', () => {
    const out = smp(pod(), { spec: { nodeSelector: { $patch: 'delete' } }, metadata: { annotations: { $patch: 'delete' } } });
    expect(spec(out).nodeSelector).toEqual({});
    expect(out.metadata).not.toHaveProperty('annotations');
  });

  it('a map added where there was none loses its nulls and directive maps', () => {
    const out = smp(pod(), { metadata: { annotations: { a: '1', b: null, c: { $patch: 'delete' } } } });
    expect((out.metadata as JsonObject).annotations).toEqual({ a: '1' });
  });

  it('a "__proto__" key is data, never a prototype', () => {
    const out = applyStrategicMergePatch(pod(), '{"metadata":{"labels":{"__proto__":{"polluted":"yes"}}}}', permissivePatchSchema);
    expect(Object.keys((out.metadata as JsonObject).labels as JsonObject)).toContain('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a null patch or an empty one changes nothing', () => {
    expect(applyStrategicMergePatch(pod(), 'null', podSchema)).toEqual(pod());
    expect(applyStrategicMergePatch(pod(), Buffer.from('{}'), podSchema)).toEqual(pod());
  });
});

describe('strategic merge patch: lists merged by key', () => {
  it('merges containers by name and env by name, keeping the live order', () => {
    const out = smp(pod(), {
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', env: [{ name: 'B', value: '3' }, { name: 'A', value: '0' }] }] },
    });
    expect(names(containers(out))).toEqual(['nginx', 'sidecar']);
    expect(containers(out)[0]).toMatchObject({ image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }] });
    // patch items keep the patch's order (B before A), server-only items keep theirs.
    expect(containers(out)[0].env).toEqual([
      { name: 'B', value: '3' },
      { name: 'A', value: '0' },
    ]);
    expect(containers(out)[1]).toEqual({ name: 'sidecar', image: 'envoy:1.30' });
  });

  it('new items come before the live ones when no $setElementOrder says otherwise (kube mergeSortedSlice)', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'nginx', env: [{ name: 'C', value: '4' }] }, { name: 'debug', image: 'busybox' }] } });
    expect(names(containers(out))).toEqual(['nginx', 'debug', 'sidecar']);
    expect(names(containers(out)[0].env)).toEqual(['C', 'A', 'B']);
  });

  it('merges ports by containerPort', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443, protocol: 'TCP' }] }] } });
    expect(containers(out)[0].ports).toEqual([
      { containerPort: 80, protocol: 'TCP', name: 'http' },
      { containerPort: 443, protocol: 'TCP' },
    ]);
  });

  it('merges ownerReferences by uid', () => {
    const out = smp(pod(), { metadata: { ownerReferences: [{ uid: 'u1', controller: true }] } });
    expect((out.metadata as JsonObject).ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true },
    ]);
  });

  it('$patch: delete items remove the live item with that key', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }, { name: 'nginx', env: [{ name: 'A', $patch: 'delete' }] }] } });
    expect(names(containers(out))).toEqual(['nginx']);
    expect(containers(out)[0].env).toEqual([{ name: 'B', value: '2' }]);
  });

  it('a $patch: replace item makes the list exactly the other items', () => {
    const out = smp(pod(), { spec: { containers: [{ name: 'solo', image: 'solo:1' }, { $patch: 'replace' }] } });
    expect(containers(out)).toEqual([{ name: 'solo', image: 'solo:1' }]);
  });

  it('$setElementOrder orders the merged list', () => {
    const out = smp(pod(), {
      spec: {
        '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }],
        containers: [{ name: 'nginx', image: 'nginx:1.27' }],
      },
    });
    expect(names(containers(out))).toEqual(['sidecar', 'nginx']);
    expect(containers(out)[1].image).toBe('nginx:1.27');
  });

  it('$setElementOrder keeps an appended env var last (what kubectl apply sends)', () => {
    const out = smp(pod(), {
      spec: {
        containers: [{ name: 'nginx', '$setElementOrder/env': [{ name: 'A' }, { name: 'B' }, { name: 'C' }], env: [{ name: 'C', value: '3' }] }],
        '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
      },
    });
    expect(names(containers(out)[0].env)).toEqual(['A', 'B', 'C']);
  });

  it('$setElementOrder alone reorders without a patch list', () => {
    const out = smp(pod(), { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }] } });
    expect(names(containers(out))).toEqual(['sidecar', 'nginx']);
  });
});

describe('strategic merge patch: primitive lists and replaced lists', () => {
  it('a merge list of scalars becomes the union (finalizers)', () => {
    const out = smp(pod(), { metadata: { finalizers: ['c.example.com/z', 'a.example.com/x'] } });
    expect((out.metadata as JsonObject).finalizers).toEqual(['c.example.com/z', 'a.example.com/x', 'b.example.com/y']);
  });

  it('$deleteFromPrimitiveList removes values', () => {
    const out = smp(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example.com/x', 'not-there'] } });
    expect((out.metadata as JsonObject).finalizers).toEqual(['b.example.com/y']);
  });

  it('$deleteFromPrimitiveList on a missing list does nothing; with null it removes the list', () => {
    const noList = pod();
    delete (noList.metadata as JsonObject).finalizers;
    expect(smp(noList, { metadata: { '$deleteFromPrimitiveList/finalizers': ['x'] } })).toEqual(noList);
    expect(smp(pod(), { metadata: { '$deleteFromPrimitiveList/finalizers': null } }).metadata).not.toHaveProperty('finalizers');
  });

  it('$setElementOrder on a scalar list', () => {
    const out = smp(pod(), {
      metadata: { '$setElementOrder/finalizers': ['c', 'b.example.com/y', 'a.example.com/x'], finalizers: ['c'] },
    });
    expect((out.metadata as JsonObject).finalizers).toEqual(['c', 'b.example.com/y', 'a.example.com/x']);
  });

  it('lists without a strategy are replaced (tolerations, args)', () => {
    const out = smp(pod(), { spec: { tolerations: [{ key: 'b' }], containers: [{ name: 'nginx', args: ['-v'] }] } });
    expect(spec(out).tolerations).toEqual([{ key: 'b' }]);
    expect(containers(out)[0].args).toEqual(['-v']);
  });

  it('a map-typed field (nodeSelector) merges key by key', () => {
    const out = smp(pod(), { spec: { nodeSelector: { zone: 'b' } } });
    expect(spec(out).nodeSelector).toEqual({ disk: 'ssd', zone: 'b' });
  });
});

describe('strategic merge patch: retainKeys', () => {
  function deployment(): JsonObject {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } },
    };
  }

  it('$retainKeys clears the keys it does not list (Deployment strategy)', () => {
    const out = smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, deploymentSchema);
    expect(spec(out).strategy).toEqual({ type: 'Recreate' });
  });

  it('$retainKeys with merge,retainKeys lists (a volume switching source)', () => {
    const out = smp(pod(), { spec: { volumes: [{ name: 'config', $retainKeys: ['emptyDir', 'name'], emptyDir: {} }] } });
    expect(spec(out).volumes).toEqual([{ name: 'config', emptyDir: {} }]);
  });

  it('a patch key missing from $retainKeys → 400', () => {
    const err = thrown(() => smp(deployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: { maxSurge: 2 } } } }, deploymentSchema));
    expect(err.status).toEqual(badRequest('invalid patch format of retainKeys'));
  });

  it('$retainKeys that is not a list → 400', () => {
    const err = thrown(() => smp(deployment(), { spec: { strategy: { $retainKeys: 'type' } } }, deploymentSchema));
    expect(err.status).toEqual(badRequest('invalid patch format of retainKeys'));
  });
});

describe('strategic merge patch: errors as kube answers them', () => {
  it.each([
    ['', 'unexpected end of JSON input'],
    ['{"spec":', 'unexpected end of JSON input'],
    ['{spec: 1}', `invalid character 's' looking for beginning of object key string`],
    ['[]', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['"x"', 'json: cannot unmarshal string into Go value of type map[string]interface {}'],
  ])('body %j → 400 %s', (body, message) => {
    expect(thrown(() => applyStrategicMergePatch(pod(), body, podSchema)).status).toEqual(badRequest(message));
  });

  it.each([
    ['$deleteFromPrimitiveList without a field', { metadata: { $deleteFromPrimitiveList: ['x'] } }, 'invalid patch format of primitive list'],
    ['$setElementOrder without a field', { metadata: { $setElementOrder: ['x'] } }, 'invalid patch format of setElementOrder list'],
  ])('%s → 400', (_name, patch, message) => {
    expect(thrown(() => smp(pod(), patch)).status).toEqual(badRequest(message));
  });

  it.each([
    ['a list item without its merge key', { spec: { containers: [{ image: 'x' }] } }, 'map: map[image:x] does not contain declared merge key: name'],
    [
      'a $patch: delete item without its merge key',
      { spec: { containers: [{ $patch: 'delete', image: 'x' }] } },
      'map: map[$patch:delete image:x] does not contain declared merge key: name',
    ],
    ['$patch: merge in a list', { spec: { containers: [{ $patch: 'merge' }] } }, 'merging lists cannot yet be specified in the patch'],
    ['an unknown $patch in a list', { spec: { containers: [{ name: 'nginx', $patch: 'drop' }] } }, 'unknown patch type: drop in map: map[$patch:drop name:nginx]'],
    ['an unknown $patch on a map', { metadata: { labels: { $patch: 7, a: 'b' } } }, 'unknown patch type: %!s(int64=7) in map: map[$patch:7 a:b]'],
    ['$setElementOrder that is not a list', { spec: { '$setElementOrder/containers': 'x' } }, 'expected a []interface {}, but received a string'],
    [
      'a patch list out of $setElementOrder',
      { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }], containers: [{ name: 'nginx', image: 'x' }] } },
      'The order in patch list:\n[map[image:x name:nginx]]\n doesn\'t match $setElementOrder list:\n[map[name:sidecar]]\n',
    ],
    [
      'mixed element types in a merge list',
      { metadata: { finalizers: [1.5, 'x'] } },
      'list element types are not identical: [[a.example.com/x b.example.com/y] [1.5 x]]',
    ],
    [
      'a deletion list on a list without merge key',
      { spec: { '$deleteFromPrimitiveList/tolerations': [{ key: 'a' }] } },
      'cannot merge lists without merge key for struct',
    ],
    ['a field the type does not have', { spec: { unknown: { b: 2 } } }, 'unable to find api field in struct PodSpec for the json field "unknown"'],
    ['a map field holding objects', { metadata: { labels: { nested: { y: 2 } } } }, 'merging an object in json but data type is not struct, instead is: map'],
    ['a list where the type has a map', { metadata: { labels: ['y'] } }, 'expected slice or array type, but got: struct'],
  ])('%s → 500 with Go\'s text', (_name, patch, message) => {
    const original = pod();
    (spec(original) as JsonObject).unknown = { a: 1 };
    ((original.metadata as JsonObject).labels as JsonObject).nested = { x: 1 };
    if (JSON.stringify(patch).includes('"labels":["y"]')) (original.metadata as JsonObject).labels = ['x'];
    expect(thrown(() => smp(original, patch)).status).toEqual(plainError(message));
  });

  it('an empty live list ordered by an empty $setElementOrder → 500 (kube sliceElementType)', () => {
    const original = pod();
    (original.metadata as JsonObject).finalizers = [];
    expect(thrown(() => smp(original, { metadata: { '$setElementOrder/finalizers': [] } })).status).toEqual(
      plainError('no elements in any of the given slices'),
    );
  });

  it('lists of lists → 422 with kube\'s generic message', () => {
    const original = pod();
    (original.metadata as JsonObject).finalizers = [];
    expect(thrown(() => smp(original, { metadata: { finalizers: [['x']] } })).status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: SERVER_REJECTED_MESSAGE,
      reason: 'Invalid',
      details: {},
      code: 422,
    });
  });
});

describe('PatchSchema', () => {
  it('reads strategies and merge keys through $ref and allOf', () => {
    const containersField = podSchema.lookupForStruct('spec').schema.lookupForSlice('containers');
    expect(containersField.meta).toEqual({ strategies: ['merge'], mergeKey: 'name' });
    expect(containersField.schema.name()).toBe('struct');
    expect(containersField.schema.lookupForSlice('ports').meta).toEqual({ strategies: ['merge'], mergeKey: 'containerPort' });
    expect(podSchema.lookupForStruct('spec').schema.lookupForSlice('volumes').meta).toEqual({ strategies: ['merge', 'retainKeys'], mergeKey: 'name' });
    expect(podSchema.lookupForStruct('metadata').schema.lookupForSlice('finalizers').meta).toEqual({ strategies: ['merge'], mergeKey: '' });
    expect(podSchema.lookupForStruct('metadata').schema.lookupForStruct('labels').schema.name()).toBe('map');
  });

  it('ignores x-kubernetes-list-type without patch extensions, as kube-apiserver does', () => {
    const schema: OpenAPISchema = {
      type: 'object',
      properties: { items: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } } }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['k'] } },
    };
    const out = applyStrategicMergePatch({ items: [{ k: 'a' }] }, JSON.stringify({ items: [{ k: 'b' }] }), patchSchemaFromOpenAPI(schema, () => undefined));
    expect(out.items).toEqual([{ k: 'b' }]);
  });

  it('the permissive schema merges maps and replaces lists', () => {
    const out = applyStrategicMergePatch(pod(), JSON.stringify({ metadata: { labels: { x: 'y' }, finalizers: ['z'] } }), permissivePatchSchema);
    expect((out.metadata as JsonObject).labels).toEqual({ app: 'web', tier: 'front', x: 'y' });
    expect((out.metadata as JsonObject).finalizers).toEqual(['z']);
  });
});
