// The KubeAPIServer layer: the built-in groups (core/v1 and friends) register their REST roots here.
import { RestRoots, type Layer } from '../server/director.js';

export function createKubeAPIServerLayer(): Layer {
  return { name: 'kube-apiserver', rest: new RestRoots() };
}
