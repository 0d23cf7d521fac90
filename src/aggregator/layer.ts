// The aggregator layer: outermost in the server chain. It owns the server-wide non-REST endpoints
// (health, version, metrics; later discovery and OpenAPI) and, later, the APIService proxy.
import { RestRoots, type Layer, type NonRestMux } from '../server/director.js';
import { combineMuxes } from '../server/combine-muxes.js';

export function createAggregatorLayer(nonRest: NonRestMux[]): Layer {
  return { name: 'kube-aggregator', rest: new RestRoots(), nonRest: combineMuxes(nonRest) };
}
