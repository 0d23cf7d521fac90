// The health endpoints answer as kube-apiserver's (k8s.io/apiserver/pkg/server/healthz/healthz.go).
import { afterEach, describe, expect, it, vi } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { KubeState } from '../../src/server/context.js';
import { createHealthChecks, healthMux, healthNonRestMux, type HealthChecks } from '../../src/server/healthz/index.js';
import { goQuote } from '../../src/endpoints/go-strconv.js';

interface Answer {
  status: number;
  body: string;
  contentType: string | null;
  nosniff: string | null;
}

const servers: http.Server[] = [];
const registries: HealthChecks[] = [];

afterEach(async () => {
  for (const r of registries.splice(0)) r.stop();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  vi.useRealTimers();
});

function newChecks(options: Parameters<typeof createHealthChecks>[0] = {}): HealthChecks {
  const checks = createHealthChecks(options);
  registries.push(checks);
  return checks;
}

async function serve(checks: HealthChecks): Promise<(path: string, method?: string) => Promise<Answer>> {
  const app = new Koa<KubeState>();
  app.use(healthMux(checks));
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = 'fell through';
  });
  const server = http.createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return async (path, method = 'GET') => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method });
    return {
      status: res.status,
      body: await res.text(),
      contentType: res.headers.get('content-type'),
      nosniff: res.headers.get('x-content-type-options'),
    };
  };
}

describe('health endpoints', () => {
  it('answers a plain-text "ok" on /healthz, /livez and /readyz', async () => {
    const get = await serve(newChecks());
    for (const path of ['/healthz', '/livez', '/readyz']) {
      expect(await get(path)).toEqual({ status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8', nosniff: 'nosniff' });
    }
  });

  it('lists every check with ?verbose, ping and log first and shutdown last on readyz', async () => {
    const checks = newChecks();
    checks.addCheck('readyz', 'storage', async () => {});
    const get = await serve(checks);
    expect((await get('/readyz?verbose')).body).toBe(
      '[+]ping ok\n[+]log ok\n[+]storage ok\n[+]shutdown ok\nreadyz check passed\n',
    );
    expect((await get('/livez?verbose')).body).toBe('[+]ping ok\n[+]log ok\nlivez check passed\n');
    expect((await get('/healthz?verbose=false')).body).toBe('[+]ping ok\n[+]log ok\nhealthz check passed\n');
  });

  it('adds a check to all three endpoints with "all"', async () => {
    const checks = newChecks();
    checks.addCheck('all', 'etcd', () => {});
    const get = await serve(checks);
    expect((await get('/healthz?verbose')).body).toContain('[+]etcd ok\n');
    expect((await get('/livez?verbose')).body).toContain('[+]etcd ok\n');
    expect((await get('/readyz?verbose')).body).toContain('[+]etcd ok\n');
  });

  it('fails with 500, withholds reasons, is verbose on failure and logs the reasons', async () => {
    const logged: { obj: object; msg: string }[] = [];
    const logger = { info: (obj: object, msg: string) => logged.push({ obj, msg }), debug: () => {} };
    const checks = newChecks({ logger });
    checks.addCheck('readyz', 'storage', async () => {
      throw new Error('connection refused');
    });
    const get = await serve(checks);
    const answer = await get('/readyz');
    expect(answer).toEqual({
      status: 500,
      body: '[+]ping ok\n[+]log ok\n[-]storage failed: reason withheld\n[+]shutdown ok\nreadyz check failed\n',
      contentType: 'text/plain; charset=utf-8',
      nosniff: 'nosniff',
    });
    expect(logged).toEqual([
      { obj: { endpoint: 'readyz', failedChecks: ['storage'], reasons: { storage: 'connection refused' } }, msg: 'readyz check failed' },
    ]);
    // The other endpoints do not carry a readyz-only check.
    expect((await get('/livez')).body).toBe('ok');
  });

  it('fails /readyz (and only /readyz) once shutting down', async () => {
    const checks = newChecks();
    const get = await serve(checks);
    checks.markShuttingDown();
    expect(checks.shuttingDown).toBe(true);
    expect(await get('/readyz')).toMatchObject({
      status: 500,
      body: '[+]ping ok\n[+]log ok\n[-]shutdown failed: reason withheld\nreadyz check failed\n',
    });
    expect(await get('/readyz/shutdown')).toEqual({
      status: 500,
      body: 'internal server error: process is shutting down\n',
      contentType: 'text/plain; charset=utf-8',
      nosniff: 'nosniff',
    });
    expect((await get('/livez')).status).toBe(200);
    expect((await get('/healthz')).status).toBe(200);
  });

  it('fails /readyz once the shutdown signal is aborted', async () => {
    const shutdown = new AbortController();
    const checks = newChecks({ shutdownSignal: shutdown.signal });
    const get = await serve(checks);
    expect((await get('/readyz')).status).toBe(200);
    shutdown.abort();
    expect(checks.shuttingDown).toBe(true);
    expect(await get('/readyz')).toMatchObject({ status: 500, body: '[+]ping ok\n[+]log ok\n[-]shutdown failed: reason withheld\nreadyz check failed\n' });
  });

  it('excludes checks with ?exclude (repeatable) and warns about unknown names, sorted and Go-quoted', async () => {
    const checks = newChecks();
    checks.addCheck('readyz', 'storage', () => {
      throw new Error('down');
    });
    const get = await serve(checks);
    expect(await get('/readyz?exclude=storage')).toMatchObject({ status: 200, body: 'ok' });
    expect((await get('/readyz?verbose&exclude=storage&exclude=log')).body).toBe(
      '[+]ping ok\n[+]log excluded: ok\n[+]storage excluded: ok\n[+]shutdown ok\nreadyz check passed\n',
    );
    expect((await get('/livez?verbose&exclude=zeta&exclude=alpha&exclude=ping&exclude=zeta')).body).toBe(
      '[+]ping excluded: ok\n[+]log ok\nwarn: some health checks cannot be excluded: no matches for "alpha","zeta"\nlivez check passed\n',
    );
    // Without ?verbose a passing answer stays "ok": the warning shows only in verbose or failing answers.
    expect((await get('/livez?exclude=nope')).body).toBe('ok');
    // On failure the warning is part of the always-verbose answer.
    expect((await get('/readyz?exclude=nope')).body).toBe(
      '[+]ping ok\n[+]log ok\n[-]storage failed: reason withheld\n[+]shutdown ok\nwarn: some health checks cannot be excluded: no matches for "nope"\nreadyz check failed\n',
    );
  });

  it('serves each check on its own path with its reason', async () => {
    const checks = newChecks();
    checks.addCheck('readyz', 'storage', async () => {
      throw new Error('mongodb unreachable');
    });
    const get = await serve(checks);
    expect(await get('/readyz/ping')).toEqual({ status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8', nosniff: null });
    expect(await get('/livez/log')).toMatchObject({ status: 200, body: 'ok' });
    expect(await get('/readyz/storage')).toEqual({
      status: 500,
      body: 'internal server error: mongodb unreachable\n',
      contentType: 'text/plain; charset=utf-8',
      nosniff: 'nosniff',
    });
    expect(await get('/livez/storage')).toMatchObject({ status: 404, body: 'fell through' });
  });

  it('passes unknown paths to the next handler, and says which paths it owns', async () => {
    const checks = newChecks();
    checks.addCheck('livez', 'custom', () => {});
    const get = await serve(checks);
    for (const path of ['/healthz/', '/readyz/nope', '/healthzz', '/version', '/readyz/ping/x']) {
      expect((await get(path)).body).toBe('fell through');
      expect(checks.ownsPath(path)).toBe(false);
    }
    for (const path of ['/healthz', '/livez', '/readyz', '/readyz/shutdown', '/livez/custom', '/healthz/ping']) {
      expect(checks.ownsPath(path)).toBe(true);
    }
    expect(checks.ownsPath('/readyz/custom')).toBe(false);
    expect(healthNonRestMux(checks).owns('/livez/custom')).toBe(true);
    expect(checks.mux.owns('/livez/custom')).toBe(true);
    expect(checks.mux.owns('/metrics')).toBe(false);
  });

  it('answers any method, as kube mux handlers do', async () => {
    const get = await serve(newChecks());
    expect(await get('/healthz', 'POST')).toMatchObject({ status: 200, body: 'ok' });
  });

  it('counts a hanging check as failed after the check timeout', async () => {
    const checks = newChecks({ checkTimeoutMs: 50 });
    checks.addCheck('readyz', 'hangs', () => new Promise<void>(() => {}));
    const get = await serve(checks);
    const started = Date.now();
    expect(await get('/readyz')).toMatchObject({ status: 500 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await get('/readyz/hangs')).toMatchObject({
      status: 500,
      body: 'internal server error: health check "hangs" did not complete within 50ms\n',
    });
  });

  it('treats a synchronous throw as a failure', async () => {
    const checks = newChecks();
    checks.addCheck('healthz', 'boom', () => {
      throw new Error('sync failure');
    });
    const get = await serve(checks);
    expect((await get('/healthz')).status).toBe(500);
    expect((await get('/healthz/boom')).body).toBe('internal server error: sync failure\n');
  });

  it('refuses duplicate names and names with a slash', () => {
    const checks = newChecks();
    expect(() => checks.addCheck('livez', 'ping', () => {})).toThrow(/already installed on \/livez/);
    expect(() => checks.addCheck('readyz', 'shutdown', () => {})).toThrow(/built in: call markShuttingDown\(\) or pass shutdownSignal/);
    expect(() => checks.addCheck('all', 'shutdown', () => {})).toThrow(/built in/);
    expect(checks.checksOf('healthz').map((c) => c.name)).toEqual(['ping', 'log']);
    expect(() => checks.addCheck('livez', 'shutdown', () => {})).not.toThrow();
    expect(() => checks.addCheck('readyz', 'a/b', () => {})).toThrow(/invalid/);
  });
});

describe('log check', () => {
  it('fails with "logging blocked" when no log flush completed for two minutes', () => {
    vi.useFakeTimers();
    let flushes = 0;
    let flushWorks = true;
    const checks = newChecks({
      flushLog: (done) => {
        flushes++;
        if (flushWorks) done();
      },
    });
    const log = checks.checksOf('livez').find((c) => c.name === 'log')!;
    expect(() => log.check()).not.toThrow();
    vi.advanceTimersByTime(5 * 60_000);
    expect(flushes).toBe(5);
    expect(() => log.check()).not.toThrow();
    flushWorks = false;
    vi.advanceTimersByTime(2 * 60_000 + 1);
    expect(() => log.check()).toThrow('logging blocked');
  });
});

describe('goQuote', () => {
  it('quotes as Go %q does', () => {
    expect(goQuote('etcd')).toBe('"etcd"');
    expect(goQuote('a"b\\c\n\t\x01\x7f')).toBe('"a\\"b\\\\c\\n\\t\\x01\\x7f"');
    expect(goQuote('ü')).toBe('"ü"');
  });
});
