// The HTTP answers of /healthz, /livez, /readyz and /<endpoint>/<check>, as kube's
// k8s.io/apiserver/pkg/server/healthz handlers give them: plain text, reasons withheld from the
// public root endpoints (logged instead), always verbose on failure.
import type { KubeContext, KubeMiddleware } from '../context.js';
import type { NonRestMux } from '../director.js';
import type { HealthChecks } from './health-checks.js';
import { endpointOfRoot } from './paths.js';
import { goQuote } from '../../endpoints/go-strconv.js';
import { runCheck } from './run-check.js';
import type { CheckOutcome, HealthEndpoint, NamedHealthCheck } from './types.js';

const TEXT_PLAIN = 'text/plain; charset=utf-8';
const EXCLUDED = Symbol('excluded');

type Slot = CheckOutcome | typeof EXCLUDED;

/** A Koa middleware answering the health paths the registry owns and passing every other path on. */
export function healthMux(checks: HealthChecks): KubeMiddleware {
  return function health(ctx, next) {
    const path = ctx.path;
    const endpoint = endpointOfRoot(path);
    if (endpoint) return serveEndpoint(ctx, endpoint, checks);
    const single = singleCheckOf(path, checks);
    if (single) return serveSingleCheck(ctx, single, checks.checkTimeoutMs);
    return next();
  };
}

/** The same, in the shape a layer's director takes. */
export function healthNonRestMux(checks: HealthChecks): NonRestMux {
  return { owns: (path) => checks.ownsPath(path), handle: healthMux(checks) };
}

function singleCheckOf(path: string, checks: HealthChecks): NamedHealthCheck | undefined {
  const slash = path.indexOf('/', 1);
  if (slash === -1) return undefined;
  const endpoint = endpointOfRoot(path.slice(0, slash));
  if (!endpoint) return undefined;
  const name = path.slice(slash + 1);
  return checks.checksOf(endpoint).find((c) => c.name === name);
}

function serveEndpoint(ctx: KubeContext, endpoint: HealthEndpoint, checks: HealthChecks): void | Promise<void> {
  const query = ctx.querystring ? new URLSearchParams(ctx.querystring) : undefined;
  const excluded = new Set(query?.getAll('exclude'));
  const verbose = query?.has('verbose') ?? false;
  const list = checks.checksOf(endpoint);

  const slots: (Slot | Promise<CheckOutcome>)[] = list.map((c) =>
    excluded.has(c.name) ? EXCLUDED : runCheck(c.check, c.name, checks.checkTimeoutMs),
  );
  const render = (done: Slot[]) => writeEndpointAnswer(ctx, endpoint, list, done, excluded, verbose, checks);
  if (!slots.some((s) => s instanceof Promise)) return render(slots as Slot[]);
  return Promise.all(slots).then(render);
}

function writeEndpointAnswer(
  ctx: KubeContext,
  endpoint: HealthEndpoint,
  list: readonly NamedHealthCheck[],
  slots: Slot[],
  excluded: Set<string>,
  verbose: boolean,
  checks: HealthChecks,
): void {
  let lines = '';
  const failed: string[] = [];
  const reasons: Record<string, string> = {};
  for (let i = 0; i < list.length; i++) {
    const name = list[i].name;
    const slot = slots[i];
    if (slot === EXCLUDED) {
      lines += `[+]${name} excluded: ok\n`;
    } else if (slot === undefined) {
      lines += `[+]${name} ok\n`;
    } else {
      // The endpoint is public: the reason goes to the log only.
      lines += `[-]${name} failed: reason withheld\n`;
      failed.push(name);
      reasons[name] = slot;
    }
  }

  if (excluded.size > 0) {
    const unknown = [...excluded].filter((name) => !list.some((c) => c.name === name)).sort();
    if (unknown.length > 0) {
      const quoted = unknown.map(goQuote).join(',');
      lines += `warn: some health checks cannot be excluded: no matches for ${quoted}\n`;
      checks.logger?.debug({ endpoint, unknownExcluded: unknown }, 'cannot exclude some health checks: no such checks');
    }
  }

  if (failed.length > 0) {
    checks.logger?.info({ endpoint, failedChecks: failed, reasons }, `${endpoint} check failed`);
    writeText(ctx, 500, `${lines}${endpoint} check failed\n`, true);
    return;
  }
  writeText(ctx, 200, verbose ? `${lines}${endpoint} check passed\n` : 'ok', true);
}

function serveSingleCheck(ctx: KubeContext, check: NamedHealthCheck, timeoutMs: number): void | Promise<void> {
  const outcome = runCheck(check.check, check.name, timeoutMs);
  const write = (reason: CheckOutcome) => {
    // kube writes "ok" without the nosniff header here, and errors through http.Error (which sets it).
    if (reason === undefined) writeText(ctx, 200, 'ok', false);
    else writeText(ctx, 500, `internal server error: ${reason}\n`, true);
  };
  if (outcome instanceof Promise) return outcome.then(write);
  write(outcome);
}

function writeText(ctx: KubeContext, status: number, body: string, nosniff: boolean): void {
  ctx.status = status;
  ctx.body = body;
  ctx.set('Content-Type', TEXT_PLAIN);
  if (nosniff) ctx.set('X-Content-Type-Options', 'nosniff');
}
