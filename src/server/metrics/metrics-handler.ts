// /metrics in Prometheus text format; DELETE resets the request metrics, as kube's MetricsWithReset
// (installed when profiling is on, kube-apiserver's default) does.
import type { Registry } from 'prom-client';
import type { KubeMiddleware } from '../context.js';

export const METRICS_PATH = '/metrics';

export function createMetricsHandler(registry: Registry, reset: () => void): KubeMiddleware {
  return async function metrics(ctx, next) {
    if (ctx.path !== METRICS_PATH) return next();
    if (ctx.method === 'DELETE') {
      reset();
      ctx.status = 200;
      ctx.body = 'metrics reset\n';
      ctx.set('Content-Type', 'text/plain; charset=utf-8');
      return;
    }
    const text = await registry.metrics();
    ctx.status = 200;
    ctx.body = text;
    ctx.set('Content-Type', registry.contentType);
  };
}
