// The built-in group-versions in kube-apiserver's discovery priority order, each resource once.
import { describe, expect, it } from 'vitest';
import { builtinGroupVersions } from '../../src/kube-apis/builtin-groups.js';
import { coreV1Resources } from '../../src/kube-apis/core/index.js';

describe('builtinGroupVersions', () => {
  it('serves core/v1, events.k8s.io/v1, rbac.authorization.k8s.io/v1, admissionregistration.k8s.io/v1, coordination.k8s.io/v1, discovery.k8s.io/v1, flowcontrol.apiserver.k8s.io/v1 in that order', () => {
    expect(builtinGroupVersions().map((gv) => [gv.group, gv.version, gv.resources.map((r) => r.resource)])).toEqual([
      ['', 'v1', ['configmaps', 'endpoints', 'events', 'namespaces', 'nodes', 'pods', 'secrets', 'serviceaccounts', 'services']],
      ['events.k8s.io', 'v1', ['events']],
      ['rbac.authorization.k8s.io', 'v1', ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles']],
      ['admissionregistration.k8s.io', 'v1', ['mutatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'validatingwebhookconfigurations']],
      ['coordination.k8s.io', 'v1', ['leases']],
      ['discovery.k8s.io', 'v1', ['endpointslices']],
      ['flowcontrol.apiserver.k8s.io', 'v1', ['flowschemas', 'prioritylevelconfigurations']],
    ]);
  });

  it('declares each resource in the group-version it is listed under, with an OpenAPI schema', () => {
    for (const gv of builtinGroupVersions()) {
      for (const def of gv.resources) {
        expect([def.group, def.version]).toEqual([gv.group, gv.version]);
        expect(def.schemaRef).toMatch(/^io\.k8s\.api\./);
      }
    }
    expect(coreV1Resources.map((r) => r.kind)).toEqual(['ConfigMap', 'Endpoints', 'Event', 'Namespace', 'Node', 'Pod', 'Secret', 'ServiceAccount', 'Service']);
  });
});
