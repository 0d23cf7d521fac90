// A body's apiVersion and kind must name the endpoint's kind, as kube's decoder requires.
import type { ServedKind } from './io.js';
import type { KubeObject } from '../../registry/resource.js';
import { newBadRequest } from '../status.js';

export function checkBodyGroupVersionKind(body: KubeObject, store: ServedKind, expectedKind = store.def.kind, expectedApiVersion = store.apiVersion): void {
  // kube defaults a missing apiVersion/kind to the endpoint's, and refuses a different one.
  if (body.apiVersion !== undefined && body.apiVersion !== expectedApiVersion) {
    throw newBadRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expectedApiVersion})`);
  }
  if (body.kind !== undefined && body.kind !== expectedKind) {
    throw newBadRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${expectedKind})`);
  }
}
