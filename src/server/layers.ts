// The server chain of DESIGN.md: Aggregator → KubeAPIServer → APIExtensions → NotFound.
import type { KubeMiddleware } from './context.js';
import { chainLayers, type Layer, type NonRestMux } from './director.js';
import { createAggregatorLayer } from '../aggregator/layer.js';
import { createKubeAPIServerLayer } from '../kube-apis/layer.js';
import { createAPIExtensionsLayer } from '../apiextensions/layer.js';
import { notFoundHandler } from '../notfound/notfound.js';

export interface ServerChain {
  middleware: KubeMiddleware;
  aggregator: Layer;
  kubeAPIServer: Layer;
  apiExtensions: Layer;
}

export function createServerChain(aggregatorNonRest: NonRestMux[]): ServerChain {
  const aggregator = createAggregatorLayer(aggregatorNonRest);
  const kubeAPIServer = createKubeAPIServerLayer();
  const apiExtensions = createAPIExtensionsLayer();
  const middleware = chainLayers([aggregator, kubeAPIServer, apiExtensions], notFoundHandler);
  return { middleware, aggregator, kubeAPIServer, apiExtensions };
}
