// API Priority and Fairness from the server's options: the configuration controller over the
// flowcontrol resources, kube's metrics, and the filter that replaces max-in-flight.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServerOptions } from '../options.js';
import type { Store } from '../../registry/store.js';
import { APFConfigController } from './config-controller.js';
import { registerAPFMetrics } from './metrics.js';
import { createPriorityAndFairnessFilter, type PriorityAndFairness } from '../filters/priority-and-fairness.js';
import { GROUP } from '../../kube-apis/flowcontrol/types.js';

export interface RunningAPF extends PriorityAndFairness {
  controller: APFConfigController;
  stop(): void;
}

export async function startPriorityAndFairness(
  options: Pick<ServerOptions, 'maxRequestsInflight' | 'maxMutatingRequestsInflight' | 'requestTimeoutSeconds'>,
  storeFor: (group: string, resource: string) => Store | undefined,
  registry: Registry,
  logger: Logger,
): Promise<RunningAPF | undefined> {
  const flowSchemas = storeFor(GROUP, 'flowschemas');
  const priorityLevels = storeFor(GROUP, 'prioritylevelconfigurations');
  if (!flowSchemas || !priorityLevels) return undefined;
  // kube's server concurrency limit: both in-flight limits together.
  const serverCL = options.maxRequestsInflight + options.maxMutatingRequestsInflight;
  // Both limits off: nothing to share; requests are not limited at all (as with max-in-flight at 0).
  if (serverCL <= 0) return undefined;
  const controller = new APFConfigController(flowSchemas, priorityLevels, serverCL, logger);
  await controller.start();
  const metrics = registerAPFMetrics(registry, () => new Map([...controller.levels.values()].filter((l) => !l.exempt).map((l) => [l.name, l.nominalLimit])));
  // kube lets a request wait in its queue for a quarter of the request timeout.
  const waitLimitMs = (options.requestTimeoutSeconds * 1000) / 4;
  const filter = createPriorityAndFairnessFilter(controller, metrics, waitLimitMs);
  return { ...filter, controller, stop: () => controller.stop() };
}
