// The APIExtensions layer: apiextensions.k8s.io and the dynamic endpoints of CustomResourceDefinitions.
import { RestRoots, type Layer } from '../server/director.js';

export function createAPIExtensionsLayer(): Layer {
  return { name: 'apiextensions-apiserver', rest: new RestRoots() };
}
