// kube's RequestInfoFactory on real kube paths. The expectations are the facts of
// k8s.io/apiserver/pkg/endpoints/request/requestinfo_test.go (v1.32), written as our own table,
// plus the URL handling of Go's net/http that kube relies on.
import { describe, expect, it } from 'vitest';
import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { newRequestInfo, resolveRequestInfo, isLongRunning, createRequestInfoFilter } from '../../src/server/filters/request-info.js';
import { isStatusError } from '../../src/endpoints/status.js';
import type { KubeState } from '../../src/server/context.js';

type Case = [method: string, url: string, verb: string, group: string, version: string, namespace: string, resource: string, subresource: string, name: string, parts: string[]];

const resourceCases: Case[] = [
  ['GET', '/api/v1/namespaces', 'list', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
  ['GET', '/api/v1/namespaces/other', 'get', '', 'v1', 'other', 'namespaces', '', 'other', ['namespaces', 'other']],
  ['GET', '/api/v1/namespaces/other/pods', 'list', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/namespaces/other/pods/foo', 'get', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['HEAD', '/api/v1/namespaces/other/pods/foo', 'get', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['GET', '/api/v1/pods', 'list', '', 'v1', '', 'pods', '', '', ['pods']],
  ['HEAD', '/api/v1/pods', 'list', '', 'v1', '', 'pods', '', '', ['pods']],
  // special verbs in the path
  ['GET', '/api/v1/proxy/namespaces/other/pods/foo', 'proxy', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['GET', '/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource', 'proxy', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo', 'subpath', 'not', 'a', 'subresource']],
  ['GET', '/api/v1/watch/pods', 'watch', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/watch/namespaces/other/pods', 'watch', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/watch/namespaces/other/pods/foo', 'watch', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  // the watch parameter
  ['GET', '/api/v1/pods?watch=true', 'watch', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=false', 'list', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/namespaces/other/pods?watch=1', 'watch', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/namespaces/other/pods?watch=0', 'list', '', 'v1', 'other', 'pods', '', '', ['pods']],
  // runtime.Convert_Slice_string_To_bool: anything but "0" and "false" (any case) is true, even empty
  ['GET', '/api/v1/pods?watch=', 'watch', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch', 'watch', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=yes', 'watch', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=FALSE', 'list', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/pods?watch=false&watch=true', 'list', '', 'v1', '', 'pods', '', '', ['pods']],
  // a parameter that fails to decode does not hide the watch
  ['GET', '/api/v1/pods?watch=true&limit=abc', 'watch', '', 'v1', '', 'pods', '', '', ['pods']],
  // a watch on one object asks for no list
  ['GET', '/api/v1/namespaces/other/pods/foo?watch=true', 'get', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  // subresources
  ['GET', '/api/v1/namespaces/other/pods/foo/status', 'get', '', 'v1', 'other', 'pods', 'status', 'foo', ['pods', 'foo', 'status']],
  ['GET', '/api/v1/namespaces/other/pods/foo/proxy/subpath', 'get', '', 'v1', 'other', 'pods', 'proxy', 'foo', ['pods', 'foo', 'proxy', 'subpath']],
  ['PUT', '/api/v1/namespaces/other/finalize', 'update', '', 'v1', 'other', 'namespaces', 'finalize', 'other', ['namespaces', 'other', 'finalize']],
  ['PUT', '/api/v1/namespaces/other/status', 'update', '', 'v1', 'other', 'namespaces', 'status', 'other', ['namespaces', 'other', 'status']],
  ['POST', '/api/v1/namespaces/other/pods/foo/exec', 'create', '', 'v1', 'other', 'pods', 'exec', 'foo', ['pods', 'foo', 'exec']],
  ['PUT', '/apis/stable.example.com/v1/namespaces/default/crontabs/x/scale', 'update', 'stable.example.com', 'v1', 'default', 'crontabs', 'scale', 'x', ['crontabs', 'x', 'scale']],
  // verbs from the method
  ['PATCH', '/api/v1/namespaces/other/pods/foo', 'patch', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['DELETE', '/api/v1/namespaces/other/pods/foo', 'delete', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['POST', '/api/v1/namespaces/other/pods', 'create', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['PUT', '/api/v1/namespaces/other/pods/foo', 'update', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  ['OPTIONS', '/api/v1/namespaces/other/pods/foo', '', '', 'v1', 'other', 'pods', '', 'foo', ['pods', 'foo']],
  // deletecollection
  ['DELETE', '/api/v1/nodes', 'deletecollection', '', 'v1', '', 'nodes', '', '', ['nodes']],
  ['DELETE', '/api/v1/namespaces', 'deletecollection', '', 'v1', '', 'namespaces', '', '', ['namespaces']],
  ['DELETE', '/api/v1/namespaces/other/pods', 'deletecollection', '', 'v1', 'other', 'pods', '', '', ['pods']],
  ['DELETE', '/apis/extensions/v1/namespaces/other/pods', 'deletecollection', 'extensions', 'v1', 'other', 'pods', '', '', ['pods']],
  // group and version
  ['POST', '/apis/extensions/v1/namespaces/other/pods', 'create', 'extensions', 'v1', 'other', 'pods', '', '', ['pods']],
  ['POST', '/apis/extensions/v1beta3/namespaces/other/pods', 'create', 'extensions', 'v1beta3', 'other', 'pods', '', '', ['pods']],
  ['GET', '/apis/batch/v1/job/foo/scale', 'get', 'batch', 'v1', '', 'job', 'scale', 'foo', ['job', 'foo', 'scale']],
  // Go decodes the path before kube splits it, and kube trims slashes at both ends
  ['GET', '/api/v1/namespaces/a%2Fb/pods', 'get', '', 'v1', 'a', 'b', '', 'pods', ['b', 'pods']],
  ['GET', '//api/v1/pods/', 'list', '', 'v1', '', 'pods', '', '', ['pods']],
  ['GET', '/api/v1/namespaces/d%C3%A9j%C3%A0/configmaps/a+b', 'get', '', 'v1', 'déjà', 'configmaps', '', 'a+b', ['configmaps', 'a+b']],
];

describe('newRequestInfo: resource requests', () => {
  it.each(resourceCases)('%s %s', (method, url, verb, apiGroup, apiVersion, namespace, resource, subresource, name, parts) => {
    const { info, failure } = resolveRequestInfo(method, url);
    expect(failure).toBeUndefined();
    expect(info).toMatchObject({ isResourceRequest: true, verb, apiGroup, apiVersion, namespace, resource, subresource, name, parts });
    expect(info.apiPrefix).toBe(url.replace(/^\/+/, '').startsWith('apis/') ? 'apis' : 'api');
  });
});

describe('newRequestInfo: non-resource requests', () => {
  it.each([
    ['GET', '/', 'get', ''],
    ['GET', '/healthz', 'get', ''],
    ['GET', '/api', 'get', ''],
    ['GET', '/api/v1', 'get', ''],
    ['GET', '/api/version/', 'get', ''],
    ['GET', '/apis', 'get', ''],
    ['GET', '/apis/extensions', 'get', ''],
    // kube has already taken the prefix when it finds too few parts for a group request
    ['GET', '/apis/extensions/v1beta1', 'get', 'apis'],
    ['GET', '/apis/extensions/v1beta1/', 'get', 'apis'],
    ['GET', '/apis/version/resource', 'get', 'apis'],
    ['GET', '/not-api/version/resource', 'get', ''],
    ['POST', '/version', 'post', ''],
    ['HEAD', '/healthz', 'head', ''],
    ['GET', '/openapi/v3/apis/apps/v1', 'get', ''],
  ])('%s %s', (method, url, verb, apiPrefix) => {
    const { info, failure } = resolveRequestInfo(method, url);
    expect(failure).toBeUndefined();
    expect(info).toMatchObject({ isResourceRequest: false, verb, path: url, apiPrefix, apiGroup: '', resource: '', name: '' });
  });
});

describe('newRequestInfo: the name a fieldSelector pins (kube authorizes such a list as the one object)', () => {
  it.each([
    ['/apis/group/version/resource', 'list', '', '', ''],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1', 'list', 'name1', 'metadata.name=name1', ''],
    ['/apis/group/version/resource?watch=true&fieldSelector=metadata.name=name1', 'watch', 'name1', 'metadata.name=name1', ''],
    ['/apis/group/version/resource?fieldSelector=metadata.name%3D%3Dname1', 'list', 'name1', 'metadata.name==name1', ''],
    ['/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux', 'list', '', 'foo=bar', 'baz=qux'],
    ['/apis/group/version/resource?fieldSelector=metadata.name!=name1', 'list', '', 'metadata.name!=name1', ''],
    // an invalid selector names nothing, but is still kept for authorization
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1,foo', 'list', '', 'metadata.name=name1,foo', ''],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=true', 'watch', '', 'metadata.name=name1,foo', ''],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1,foo&watch=false', 'list', '', 'metadata.name=name1,foo', ''],
    // any list option that fails to decode loses the name
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1&labelSelector=a%20in', 'list', '', 'metadata.name=name1', 'a in'],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1&limit=ten', 'list', '', 'metadata.name=name1', ''],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1&timeoutSeconds=1.5', 'list', '', 'metadata.name=name1', ''],
    ['/apis/group/version/resource?fieldSelector=metadata.name=name1&limit=%2B10', 'list', 'name1', 'metadata.name=name1', ''],
    // the first value of a repeated parameter counts
    ['/apis/group/version/resource?fieldSelector=metadata.name=foo&fieldSelector=metadata.name=bar&labelSelector=foo=bar&labelSelector=foo=baz', 'list', 'foo', 'metadata.name=foo', 'foo=bar'],
    // kube sorts the terms before it looks for the name
    ['/apis/group/version/resource?fieldSelector=metadata.name=b,metadata.name=a', 'list', 'a', 'metadata.name=b,metadata.name=a', ''],
    // a name that cannot be a path segment is not taken
    ['/apis/group/version/resource?fieldSelector=metadata.name=..', 'list', '', 'metadata.name=..', ''],
    ['/apis/group/version/resource?fieldSelector=metadata.name=a%25b', 'list', '', 'metadata.name=a%b', ''],
    // selectors of other verbs and of the deprecated /watch/ form are not kept
    ['/apis/group/version/resource/name?fieldSelector=foo=bar&labelSelector=foo=bar', 'get', 'name', '', ''],
    ['/apis/group/version/watch/resource?fieldSelector=metadata.name=foo&labelSelector=foo=bar', 'watch', '', '', ''],
    ['/apis/group/version/watch/resource/name?fieldSelector=metadata.name=foo&labelSelector=foo=bar', 'watch', 'name', '', ''],
  ])('GET %s', (url, verb, name, fieldSelector, labelSelector) => {
    expect(newRequestInfo('GET', url)).toMatchObject({ verb, name, fieldSelector, labelSelector });
  });

  it('keeps the selectors of a deletecollection', () => {
    expect(newRequestInfo('DELETE', '/apis/group/version/resource?fieldSelector=foo=bar&labelSelector=baz=qux')).toMatchObject({
      verb: 'deletecollection',
      fieldSelector: 'foo=bar',
      labelSelector: 'baz=qux',
    });
  });

  it('drops query pairs Go cannot decode, as URL.Query() does', () => {
    expect(newRequestInfo('GET', '/api/v1/pods?watch=%zz')).toMatchObject({ verb: 'list' });
    expect(newRequestInfo('GET', '/api/v1/pods?watch=true;x=1')).toMatchObject({ verb: 'list' });
    expect(newRequestInfo('GET', '/api/v1/pods?labelSelector=a+b%3Dc')).toMatchObject({ verb: 'list', labelSelector: 'a b=c' });
  });
});

describe('newRequestInfo: requests kube refuses', () => {
  it.each(['/api/v1/watch', '/api/v1/proxy', '/apis/apps/v1/watch'])('%s: no kind and namespace after a path verb (500)', (url) => {
    const { info, failure } = resolveRequestInfo('GET', url);
    expect(failure).toEqual({ code: 500, message: `failed to create RequestInfo: unable to determine kind and namespace from url, ${url}` });
    expect(info.isResourceRequest).toBe(true);
  });

  it('a malformed escape in the path (Go refuses the request: 400)', () => {
    const { info, failure } = resolveRequestInfo('GET', '/api/v1/namespaces/%zz/pods');
    expect(failure).toEqual({ code: 400, message: 'invalid URL escape "%zz"' });
    expect(info).toMatchObject({ isResourceRequest: false, path: '/api/v1/namespaces/%zz/pods' });
    expect(resolveRequestInfo('GET', '/api/v1/pods%4').failure).toEqual({ code: 400, message: 'invalid URL escape "%4"' });
  });

  it('reads the path of an absolute-form request target', () => {
    expect(newRequestInfo('GET', 'https://example.com:6443/api/v1/pods?watch=1')).toMatchObject({ path: '/api/v1/pods', verb: 'watch', resource: 'pods' });
  });
});

describe('isLongRunning (kube-apiserver\'s BasicLongRunningRequestCheck)', () => {
  it.each([
    ['GET', '/api/v1/pods?watch=true', true],
    ['GET', '/api/v1/watch/pods', true],
    ['GET', '/api/v1/proxy/namespaces/a/pods/b', true],
    ['GET', '/api/v1/namespaces/a/pods/b/log', true],
    ['POST', '/api/v1/namespaces/a/pods/b/exec', true],
    ['POST', '/api/v1/namespaces/a/pods/b/attach', true],
    ['POST', '/api/v1/namespaces/a/pods/b/portforward', true],
    ['GET', '/api/v1/namespaces/a/pods/b/proxy/x', true],
    ['GET', '/debug/pprof/profile', true],
    ['GET', '/api/v1/pods', false],
    ['GET', '/api/v1/namespaces/a/pods/b/status', false],
    ['GET', '/api/v1/namespaces/a/pods/b?watch=true', false],
    ['GET', '/debug/pprof', false],
    ['GET', '/logs/log', false],
  ])('%s %s → %s', (method, url, expected) => {
    expect(isLongRunning(newRequestInfo(method, url))).toBe(expected);
  });
});

describe('the request info filter', () => {
  async function serve(path: string): Promise<{ status: number; body: string; state?: Partial<KubeState> }> {
    const app = new Koa<KubeState>();
    let seen: Partial<KubeState> | undefined;
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        if (!isStatusError(err)) throw err;
        ctx.status = err.code;
        ctx.body = err.status;
      }
    });
    app.use(createRequestInfoFilter());
    app.use((ctx) => {
      seen = { requestInfo: ctx.state.requestInfo, longRunning: ctx.state.longRunning };
      ctx.body = 'ok';
    });
    const server = createServer(app.callback()).listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
      return { status: res.status, body: await res.text(), state: seen };
    } finally {
      server.close();
    }
  }

  it('puts the request info and the long-running flag on the context', async () => {
    const res = await serve('/api/v1/namespaces/ns/pods?watch=true');
    expect(res.status).toBe(200);
    expect(res.state?.requestInfo).toMatchObject({ verb: 'watch', namespace: 'ns', resource: 'pods' });
    expect(res.state?.longRunning).toBe(true);
  });

  it('answers kube\'s 500 for a path verb without a resource', async () => {
    const res = await serve('/api/v1/watch');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Internal Server Error: "/api/v1/watch": failed to create RequestInfo: unable to determine kind and namespace from url, /api/v1/watch',
      reason: 'InternalError',
      code: 500,
    });
  });

  it('answers 400 for a malformed path instead of guessing', async () => {
    const res = await serve('/api/v1/namespaces/%zz/pods');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({ reason: 'BadRequest', message: 'invalid URL escape "%zz"', code: 400 });
  });
});
