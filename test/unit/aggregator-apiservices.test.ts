// apiregistration.k8s.io/v1 APIServices against kube-aggregator (ValidateAPIService, the apiservice
// strategies and table), and the availability controller's reasons and messages.
import { beforeEach, describe, expect, it } from 'vitest';
import { apiServices } from '../../src/aggregator/apiregistration/apiservices.js';
import { availabilityOf } from '../../src/aggregator/availability-controller.js';
import { ServiceResolver } from '../../src/aggregator/service-resolver.js';
import { headerKeyEscape, proxiedRequestHeaders } from '../../src/aggregator/proxy/auth-headers.js';
import { desiredLocalAPIServices } from '../../src/aggregator/autoregister.js';
import { DiscoveryRegistry } from '../../src/aggregator/discovery/index.js';
import { swaggerV2ToV3 } from '../../src/aggregator/openapi/v2-to-v3.js';
import { Store, type RequestContext } from '../../src/registry/store.js';
import { AdmissionChain } from '../../src/admission/interface.js';
import { createStorage } from '../../src/storage/factory.js';
import type { Storage } from '../../src/storage/interface.js';
import { rejectedStatus } from '../support/errors.js';

const rc: RequestContext = { user: { name: 'admin', groups: ['system:masters'] }, dryRun: false, fieldManager: 'kubectl', subresource: '' };
const apiService = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name }, spec });
const good = { group: 'metrics.k8s.io', version: 'v1beta1', service: { namespace: 'kube-system', name: 'metrics-server' }, insecureSkipTLSVerify: true, groupPriorityMinimum: 100, versionPriority: 100 };

describe('APIServices: definition', () => {
  it('is cluster-scoped apiregistration.k8s.io/v1 apiservices in category api-extensions, with a status subresource', () => {
    expect(apiServices).toMatchObject({ group: 'apiregistration.k8s.io', version: 'v1', resource: 'apiservices', kind: 'APIService', namespaced: false, categories: ['api-extensions'] });
    expect(apiServices.subresources.map((s) => s.name)).toEqual(['status']);
  });

  it('prints Name, Service, Available, Age as kube-aggregator', () => {
    expect(apiServices.table.columns.map((c) => c.name)).toEqual(['Name', 'Service', 'Available', 'Age']);
    expect(apiServices.table.cells(apiService('v1.', { group: '', version: 'v1' })).slice(0, 3)).toEqual(['v1.', 'Local', 'Unknown']);
    const failing = { ...apiService('v1beta1.metrics.k8s.io', good), status: { conditions: [{ type: 'Available', status: 'False', reason: 'MissingEndpoints' }] } };
    expect(apiServices.table.cells(failing).slice(0, 3)).toEqual(['v1beta1.metrics.k8s.io', 'kube-system/metrics-server', 'False (MissingEndpoints)']);
    const passing = { ...failing, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Passed' }] } };
    expect(apiServices.table.cells(passing)[2]).toBe('True');
  });
});

describe('APIServices: the store', () => {
  let store: Store;
  beforeEach(async () => {
    store = new Store(apiServices, await createStorage({ backend: 'memory' }), new AdmissionChain());
  });

  it('defaults the service port to 443, starts remote APIServices with an empty status and local ones Available', async () => {
    const remote = await store.create('', apiService('v1beta1.metrics.k8s.io', good), rc);
    expect(remote.spec.service).toEqual({ namespace: 'kube-system', name: 'metrics-server', port: 443 });
    expect(remote.status).toEqual({});
    const local = await store.create('', apiService('v1.example.com', { group: 'example.com', version: 'v1', groupPriorityMinimum: 1, versionPriority: 1 }), rc);
    expect(local.status.conditions).toEqual([{ type: 'Available', status: 'True', lastTransitionTime: expect.any(String), reason: 'Local', message: 'Local APIServices are always available' }]);
  });

  it('requires the name to be version.group', async () => {
    const err = await rejectedStatus(store.create('', apiService('wrong', good), rc));
    expect(err.code).toBe(422);
    expect(err.status.message).toBe('APIService.apiregistration.k8s.io "wrong" is invalid: metadata.name: Invalid value: "wrong": must be `spec.version+"."+spec.group`: "v1beta1.metrics.k8s.io"');
  });

  it('reports kube messages and paths for groups, versions and priorities', async () => {
    const err = await rejectedStatus(store.create('', apiService('v1_x.', { version: 'v1_x', groupPriorityMinimum: 0, versionPriority: 1001 }), rc));
    expect(err.status.details?.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value: only v1 may have an empty group and it better be legacy kube', field: 'spec.group' },
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "v1_x": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
        field: 'spec.version',
      },
      { reason: 'FieldValueInvalid', message: 'Invalid value: 0: must be positive and less than 20000', field: 'spec.groupPriorityMinimum' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: 1001: must be positive and less than 1000', field: 'spec.versionPriority' },
    ]);
    const badGroup = await rejectedStatus(store.create('', apiService('v1.Bad_Group', { group: 'Bad_Group', version: 'v1', groupPriorityMinimum: 1, versionPriority: 1 }), rc));
    expect(badGroup.status.details?.causes?.[0]).toMatchObject({ field: 'spec.group', message: expect.stringContaining('Invalid value: "Bad_Group": a lowercase RFC 1123 subdomain') });
  });

  it('checks the service reference and the TLS settings', async () => {
    const missing = await rejectedStatus(store.create('', apiService('v1.a.io', { group: 'a.io', version: 'v1', service: {}, groupPriorityMinimum: 1, versionPriority: 1 }), rc));
    expect(missing.status.details?.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.service.namespace' },
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.service.name' },
    ]);
    const both = await rejectedStatus(store.create('', apiService('v1.a.io', { group: 'a.io', version: 'v1', service: { namespace: 'n', name: 's' }, caBundle: 'AAEC', insecureSkipTLSVerify: true, groupPriorityMinimum: 1, versionPriority: 1 }), rc));
    expect(both.status.details?.causes).toEqual([{ reason: 'FieldValueInvalid', message: 'Invalid value: true: may not be true if caBundle is present', field: 'spec.insecureSkipTLSVerify' }]);
    const local = await rejectedStatus(store.create('', apiService('v1.a.io', { group: 'a.io', version: 'v1', caBundle: 'AAEC', insecureSkipTLSVerify: true, groupPriorityMinimum: 1, versionPriority: 1 }), rc));
    expect(local.status.details?.causes).toEqual([
      { reason: 'FieldValueInvalid', message: 'Invalid value: "3 bytes": local APIServices may not have a caBundle', field: 'spec.caBundle' },
      { reason: 'FieldValueInvalid', message: 'Invalid value: true: local APIServices may not have insecureSkipTLSVerify', field: 'spec.insecureSkipTLSVerify' },
    ]);
    const notBase64 = await rejectedStatus(store.create('', apiService('v1.a.io', { group: 'a.io', version: 'v1', service: { namespace: 'n', name: 's' }, caBundle: '!!!!', groupPriorityMinimum: 1, versionPriority: 1 }), rc));
    expect(notBase64.code).toBe(400);
    expect(notBase64.status.message).toBe('APIService in version "v1" cannot be handled as a APIService: illegal base64 data at input byte 0');
  });

  it('keeps status on the main endpoint and only status on /status, whose condition statuses are checked', async () => {
    const created = await store.create('', apiService('v1beta1.metrics.k8s.io', good), rc);
    const { object: updated } = await store.update('', 'v1beta1.metrics.k8s.io', () => ({ ...created, spec: { ...created.spec, versionPriority: 5 }, status: { conditions: [{ type: 'Available', status: 'True' }] } }), rc);
    expect(updated.spec.versionPriority).toBe(5);
    expect(updated.status).toEqual({});
    const status = { ...rc, subresource: 'status' };
    const { object: withStatus } = await store.update('', 'v1beta1.metrics.k8s.io', () => ({ ...updated, spec: { ...updated.spec, versionPriority: 7 }, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Passed' }] } }), status);
    expect(withStatus.spec.versionPriority).toBe(5);
    expect(withStatus.status.conditions[0].reason).toBe('Passed');
    const bad = await rejectedStatus(store.update('', 'v1beta1.metrics.k8s.io', () => ({ ...withStatus, status: { conditions: [{ type: 'Available', status: 'Maybe' }] } }), status));
    expect(bad.status.details?.causes).toEqual([{ reason: 'FieldValueNotSupported', message: 'Unsupported value: "Maybe": supported values: "True", "False", "Unknown"', field: 'status.conditions[0].status' }]);
  });
});

describe('availability reasons', () => {
  let storage: Storage;
  const client = { certPem: '', keyPem: '' };
  const remote = (service: object) => apiService('v1beta1.metrics.k8s.io', { ...good, service }) as any;
  beforeEach(async () => {
    storage = await createStorage({ backend: 'memory' });
  });

  it('ServiceNotFound, ServicePortError, EndpointsNotFound, MissingEndpoints, then a failed discovery check', async () => {
    const resolver = new ServiceResolver(storage);
    const svc = { namespace: 'kube-system', name: 'metrics-server', port: 443 };
    expect(await availabilityOf(remote(svc), resolver, client)).toEqual({ type: 'Available', status: 'False', reason: 'ServiceNotFound', message: 'service/metrics-server in "kube-system" is not present' });
    await storage.create('/registry/services/kube-system/metrics-server', { metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, targetPort: 10250 }] } });
    expect(await availabilityOf(remote({ ...svc, port: 8443 }), resolver, client)).toMatchObject({ reason: 'ServicePortError', message: 'service/metrics-server in "kube-system" is not listening on port 8443' });
    expect(await availabilityOf(remote(svc), resolver, client)).toMatchObject({ reason: 'EndpointsNotFound', message: 'cannot find endpoints for service/metrics-server in "kube-system"' });
    await storage.create('/registry/discovery.k8s.io/endpointslices/kube-system/metrics-server-abc', {
      metadata: { name: 'metrics-server-abc', namespace: 'kube-system', labels: { 'kubernetes.io/service-name': 'metrics-server' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: false } }],
      ports: [{ name: 'https', port: 1 }],
    });
    expect(await availabilityOf(remote(svc), resolver, client)).toMatchObject({ reason: 'MissingEndpoints', message: 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"' });
    await storage.create('/registry/endpoints/kube-system/metrics-server', { metadata: { name: 'metrics-server', namespace: 'kube-system' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'https', port: 1 }] }] });
    expect(await resolver.resolve('kube-system', 'metrics-server', 443)).toEqual({ ok: true, host: '127.0.0.1', port: 1 });
    const failed = await availabilityOf(remote(svc), resolver, client);
    expect(failed.reason).toBe('FailedDiscoveryCheck');
    expect(failed.message).toBe('failing or missing response from https://127.0.0.1:1/apis/metrics.k8s.io/v1beta1: Get "https://127.0.0.1:1/apis/metrics.k8s.io/v1beta1": dial tcp 127.0.0.1:1: connect: connection refused');
  });

  it('resolves an ExternalName service to its name', async () => {
    await storage.create('/registry/services/default/ext', { metadata: { name: 'ext', namespace: 'default' }, spec: { type: 'ExternalName', externalName: 'metrics.example.com' } });
    expect(await new ServiceResolver(storage).resolve('default', 'ext', 8443)).toEqual({ ok: true, host: 'metrics.example.com', port: 8443 });
  });
});

describe('proxy headers', () => {
  it('drops the caller credentials and X-Remote-*/Impersonate-* headers and sets the user', () => {
    const headers = proxiedRequestHeaders(
      { authorization: 'Bearer x', 'x-remote-user': 'mallory', 'x-remote-extra-a': 'b', 'impersonate-user': 'bob', accept: 'application/json' },
      { name: 'alice', groups: ['dev', 'system:authenticated'], extra: { 'example.com/scopes': ['a', 'b'] } },
      '10.0.0.1',
    );
    expect(headers).toEqual({ accept: 'application/json', 'x-remote-user': 'alice', 'x-remote-group': ['dev', 'system:authenticated'], 'x-remote-extra-example.com%2Fscopes': ['a', 'b'], 'x-forwarded-for': '10.0.0.1' });
    expect(headerKeyEscape('a%b ü')).toBe('a%25b%20%C3%BC');
  });
});

describe('local APIServices', () => {
  it('take kube priorities for built-ins and 1000/100 for custom resources', () => {
    const discovery = new DiscoveryRegistry();
    discovery.addGroupVersion({ group: '', version: 'v1', resources: [] });
    discovery.addGroupVersion({ group: 'apiregistration.k8s.io', version: 'v1', resources: [] });
    discovery.addGroupVersion({ group: 'stable.example.com', version: 'v1', resources: [], source: 'crd' });
    const desired = desiredLocalAPIServices(discovery);
    expect(desired.get('v1.')).toEqual({ name: 'v1.', label: 'onstart', spec: { group: '', version: 'v1', groupPriorityMinimum: 18000, versionPriority: 1 } });
    expect(desired.get('v1.apiregistration.k8s.io')?.spec).toMatchObject({ groupPriorityMinimum: 18000, versionPriority: 15 });
    expect(desired.get('v1.stable.example.com')).toMatchObject({ label: 'true', spec: { groupPriorityMinimum: 1000, versionPriority: 100 } });
  });
});

describe('OpenAPI v2 → v3', () => {
  it('moves definitions to components, body parameters to request bodies and response schemas to content', () => {
    const doc = swaggerV2ToV3(
      {
        swagger: '2.0',
        consumes: ['application/json'],
        produces: ['application/json'],
        paths: {
          '/apis/g/v1/things': { post: { parameters: [{ name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/T' } }, { name: 'dryRun', in: 'query', type: 'string' }], responses: { '201': { description: 'Created', schema: { $ref: '#/definitions/T' } } } } },
          '/apis/other/v1/x': { get: { responses: {} } },
        },
        definitions: { T: { type: 'object', properties: { child: { $ref: '#/definitions/T' } } } },
      },
      (p) => p.startsWith('/apis/g/v1'),
    );
    expect(Object.keys(doc.paths)).toEqual(['/apis/g/v1/things']);
    expect(doc.paths['/apis/g/v1/things'].post).toEqual({
      parameters: [{ name: 'dryRun', in: 'query', schema: { type: 'string' } }],
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/T' } } }, required: true },
      responses: { '201': { description: 'Created', content: { 'application/json': { schema: { $ref: '#/components/schemas/T' } } } } },
    });
    expect(doc.components.schemas.T).toEqual({ type: 'object', properties: { child: { $ref: '#/components/schemas/T' } } });
  });
});
