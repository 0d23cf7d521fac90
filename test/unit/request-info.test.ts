// kube's RequestInfoFactory on real kube paths (cases after k8s.io/apiserver requestinfo_test.go).
import { describe, expect, it } from 'vitest';
import { newRequestInfo, isLongRunning } from '../../src/server/filters/request-info.js';

type Case = [method: string, url: string, verb: string, prefix: string, group: string, version: string, namespace: string, resource: string, subresource: string, name: string];

const resourceCases: Case[] = [
  ['GET', '/api/v1/namespaces', 'list', 'api', '', 'v1', '', 'namespaces', '', ''],
  ['GET', '/api/v1/namespaces/other', 'get', 'api', '', 'v1', 'other', 'namespaces', '', 'other'],
  ['GET', '/api/v1/namespaces/other/pods', 'list', 'api', '', 'v1', 'other', 'pods', '', ''],
  ['GET', '/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['HEAD', '/api/v1/namespaces/other/pods/foo', 'get', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['GET', '/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', ''],
  ['HEAD', '/api/v1/pods', 'list', 'api', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/namespaces/other/pods/foo/status', 'get', 'api', '', 'v1', 'other', 'pods', 'status', 'foo'],
  ['GET', '/api/v1/watch/pods', 'watch', 'api', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/pods?watch=true', 'watch', 'api', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/pods?watch=1', 'watch', 'api', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/pods?watch=false', 'list', 'api', '', 'v1', '', 'pods', '', ''],
  ['GET', '/api/v1/watch/namespaces/other/pods', 'watch', 'api', '', 'v1', 'other', 'pods', '', ''],
  ['GET', '/api/v1/watch/namespaces/other/pods/foo', 'watch', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['GET', '/api/v1/namespaces/other/pods?fieldSelector=metadata.name%3Dfoo', 'list', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['GET', '/api/v1/namespaces/other/pods?fieldSelector=metadata.name%3D%3Dfoo&watch=true', 'watch', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['GET', '/api/v1/namespaces/other/pods?fieldSelector=metadata.name%21%3Dfoo', 'list', 'api', '', 'v1', 'other', 'pods', '', ''],
  ['POST', '/api/v1/namespaces/other/pods', 'create', 'api', '', 'v1', 'other', 'pods', '', ''],
  ['PUT', '/api/v1/namespaces/other/pods/foo', 'update', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['PATCH', '/api/v1/namespaces/other/pods/foo', 'patch', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['DELETE', '/api/v1/namespaces/other/pods/foo', 'delete', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['DELETE', '/api/v1/namespaces/other/pods', 'deletecollection', 'api', '', 'v1', 'other', 'pods', '', ''],
  ['GET', '/apis/extensions/v1beta1/namespaces/other/pods', 'list', 'apis', 'extensions', 'v1beta1', 'other', 'pods', '', ''],
  ['GET', '/apis/apps/v1/deployments', 'list', 'apis', 'apps', 'v1', '', 'deployments', '', ''],
  ['PUT', '/api/v1/namespaces/other/finalize', 'update', 'api', '', 'v1', 'other', 'namespaces', 'finalize', 'other'],
  ['PUT', '/api/v1/namespaces/other/status', 'update', 'api', '', 'v1', 'other', 'namespaces', 'status', 'other'],
  ['GET', '/api/v1/proxy/namespaces/other/pods/foo', 'proxy', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['GET', '/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource', 'proxy', 'api', '', 'v1', 'other', 'pods', '', 'foo'],
  ['GET', '/api/v1/namespaces/other/pods/foo/proxy/bar', 'get', 'api', '', 'v1', 'other', 'pods', 'proxy', 'foo'],
  ['POST', '/api/v1/namespaces/other/pods/foo/exec', 'create', 'api', '', 'v1', 'other', 'pods', 'exec', 'foo'],
  ['PUT', '/apis/stable.example.com/v1/namespaces/default/crontabs/x/scale', 'update', 'apis', 'stable.example.com', 'v1', 'default', 'crontabs', 'scale', 'x'],
];

describe('newRequestInfo: resource requests', () => {
  it.each(resourceCases)('%s %s', (method, url, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name) => {
    const info = newRequestInfo(method, url);
    expect(info).toMatchObject({ isResourceRequest: true, verb, apiPrefix, apiGroup, apiVersion, namespace, resource, subresource, name });
  });
});

describe('newRequestInfo: non-resource requests', () => {
  it.each([
    ['GET', '/healthz', 'get'],
    ['GET', '/api', 'get'],
    ['GET', '/api/v1', 'get'],
    ['GET', '/apis', 'get'],
    ['GET', '/apis/extensions', 'get'],
    ['GET', '/apis/extensions/v1beta1', 'get'],
    ['POST', '/version', 'post'],
    ['GET', '/openapi/v3/apis/apps/v1', 'get'],
    ['GET', '/api/v1/watch', 'get'],
    ['GET', '/api/v1/namespaces/%zz/pods', 'get'],
  ])('%s %s', (method, url, verb) => {
    const info = newRequestInfo(method, url);
    expect(info.isResourceRequest).toBe(false);
    expect(info.verb).toBe(verb);
    expect(info.path).toBe(url.split('?')[0]);
  });
});

describe('isLongRunning', () => {
  it.each([
    ['GET', '/api/v1/pods?watch=true', true],
    ['GET', '/api/v1/watch/pods', true],
    ['GET', '/api/v1/namespaces/a/pods/b/log', true],
    ['POST', '/api/v1/namespaces/a/pods/b/exec', true],
    ['GET', '/api/v1/namespaces/a/pods/b/proxy/x', true],
    ['GET', '/api/v1/pods', false],
    ['GET', '/api/v1/namespaces/a/pods/b/status', false],
  ])('%s %s → %s', (method, url, expected) => {
    expect(isLongRunning(newRequestInfo(method, url))).toBe(expected);
  });
});
