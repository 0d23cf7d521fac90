// /version answers kube 1.32's version.Info (k8s.io/apimachinery/pkg/version/types.go) in kube's order,
// and its gitVersion parses as kubectl parses it (k8s.io/apimachinery/pkg/util/version ParseSemantic).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import Koa from 'koa';
import type { KubeState } from '../../src/server/context.js';
import { KUBE_CHAIN_VERSION, versionHandler, versionInfo, versionMux } from '../../src/server/version.js';
import { isStatusError } from '../../src/endpoints/status.js';

let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = new Koa<KubeState>();
  // A stand-in for the outer panic-recovery filter: StatusErrors become their Status JSON.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!isStatusError(err)) throw err;
      ctx.status = err.code;
      ctx.type = 'application/json';
      ctx.body = JSON.stringify(err.status);
    }
  });
  app.use(versionHandler);
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = 'fell through';
  });
  server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** kubectl's version parsing: ParseSemantic, as in k8s.io/apimachinery/pkg/util/version/version.go. */
function parseSemantic(s: string): { major: number; minor: number; patch: number } {
  const m = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)*$/.exec(s);
  if (!m) throw new Error(`could not parse ${s}`);
  const parts = m[1].split('.');
  if (parts.length !== 3) throw new Error(`illegal version string ${s}`);
  for (const p of parts) if (p.startsWith('0') && p !== '0') throw new Error(`zero-prefixed ${p}`);
  const extra = m[2] ?? '';
  if (extra && !/^(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?\s*$/.test(extra)) {
    throw new Error(`could not parse pre-release/metadata (${extra})`);
  }
  return { major: Number(parts[0]), minor: Number(parts[1]), patch: Number(parts[2]) };
}

describe('/version', () => {
  it('serves kube 1.32 fields in kube order, indented as kube writes them', async () => {
    const res = await fetch(`${base}/version`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    const body = JSON.parse(text) as Record<string, string>;
    expect(Object.keys(body)).toEqual([
      'major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform',
    ]);
    expect(text).toBe(JSON.stringify(versionInfo(), null, 2));
    expect(text.startsWith('{\n  "major": "1",\n  "minor": "32",\n')).toBe(true);
    expect(body.gitVersion).toBe(`v1.32.0+kube-chain.${KUBE_CHAIN_VERSION}`);
    expect(body.goVersion).toBe(`node${process.versions.node}`);
    expect(body.buildDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    if (process.platform === 'linux' && process.arch === 'x64') expect(body.platform).toBe('linux/amd64');
  });

  it('has a gitVersion kubectl parses as 1.32, within the ±1 minor skew of kubectl 1.31 to 1.33', () => {
    const v = parseSemantic(versionInfo().gitVersion);
    expect(v).toEqual({ major: 1, minor: 32, patch: 0 });
    for (const clientMinor of [31, 32, 33]) expect(Math.abs(clientMinor - v.minor)).toBeLessThanOrEqual(1);
    // The parser above is strict enough to reject what kubectl rejects.
    expect(() => parseSemantic('v1.32')).toThrow();
    expect(() => parseSemantic('v1.32.0_bad')).toThrow();
  });

  it('serves /version/ too, and passes other paths on', async () => {
    expect((await fetch(`${base}/version/`)).status).toBe(200);
    expect(await (await fetch(`${base}/versions`)).text()).toBe('fell through');
    expect(versionMux.owns('/version')).toBe(true);
    expect(versionMux.owns('/version/x')).toBe(false);
  });

  it('answers other methods with the 405 Status go-restful gives', async () => {
    const res = await fetch(`${base}/version`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server does not allow this method on the requested resource',
      reason: 'MethodNotAllowed',
      details: {},
      code: 405,
    });
  });

  it('keeps KUBE_CHAIN_VERSION equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(KUBE_CHAIN_VERSION).toBe(pkg.version);
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  it.skipIf(kubectl.status !== 0)('is shown by the real kubectl without a skew warning', async () => {
    // Run kubectl asynchronously: the server answering it lives in this process.
    const run = (args: string[]) =>
      promisify(execFile)('kubectl', [...args, `--server=${base}`], {
        encoding: 'utf8',
        env: { ...process.env, KUBECONFIG: '/dev/null', NO_PROXY: '127.0.0.1', no_proxy: '127.0.0.1' },
      });
    const json = await run(['version', '-o', 'json']);
    const parsed = JSON.parse(json.stdout) as { serverVersion: Record<string, string> };
    expect(parsed.serverVersion).toEqual(versionInfo());
    const human = await run(['version']);
    expect(human.stdout).toContain(`Server Version: ${versionInfo().gitVersion}`);
    expect(human.stderr + human.stdout).not.toContain('WARNING');
  });
});
