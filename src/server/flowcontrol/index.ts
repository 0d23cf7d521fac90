// API Priority and Fairness from the server's options: the configuration controller over the
// flowcontrol resources, the work estimator (object counts, watches), kube's metrics, the debug
// dumps, and the filter that replaces max-in-flight.
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServerOptions } from '../options.js';
import type { Store } from '../../registry/store.js';
import { APFConfigController } from './config-controller.js';
import { registerAPFMetrics, type LevelLimits } from './metrics.js';
import { createPriorityAndFairnessFilter, type PriorityAndFairness } from '../filters/priority-and-fairness.js';
import { GROUP } from '../../kube-apis/flowcontrol/types.js';
import { ObjectCountTracker } from './object-counts.js';
import { WatchTracker } from './watch-tracker.js';
import { WorkEstimator } from './work-estimator.js';

export interface RunningAPF extends PriorityAndFairness {
  controller: APFConfigController;
  objectCounts: ObjectCountTracker;
  stop(): void;
}

export async function startPriorityAndFairness(
  options: Pick<ServerOptions, 'maxRequestsInflight' | 'maxMutatingRequestsInflight' | 'requestTimeoutSeconds'> & Partial<Pick<ServerOptions, 'etcdCountMetricPollPeriodSeconds'>>,
  storeFor: (group: string, resource: string) => Store | undefined,
  registry: Registry,
  logger: Logger,
  objectCounts = new ObjectCountTracker(),
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
  objectCounts.start((options.etcdCountMetricPollPeriodSeconds ?? 60) * 1000);
  const limits = () => {
    const out = new Map<string, LevelLimits>();
    for (const l of controller.levels.values()) {
      if (!l.exempt) out.set(l.name, { nominal: l.nominalLimit, lower: l.nominalLimit - l.lendableLimit, upper: l.nominalLimit + l.borrowingLimit, current: l.queueSet.concurrencyLimit });
    }
    return out;
  };
  const metrics = registerAPFMetrics(registry, limits);
  // kube lets a request wait in its queue for a quarter of the request timeout.
  const waitLimitMs = (options.requestTimeoutSeconds * 1000) / 4;
  const watches = new WatchTracker();
  const filter = createPriorityAndFairnessFilter({ controller, metrics, waitLimitMs, estimator: new WorkEstimator(objectCounts, watches), watches });
  return {
    ...filter,
    controller,
    objectCounts,
    stop: () => {
      controller.stop();
      objectCounts.stop();
    },
  };
}
