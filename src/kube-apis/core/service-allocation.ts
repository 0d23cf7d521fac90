// The service REST's allocation around writes (kube's pkg/registry/core/service/storage/alloc.go):
// IP families and policy defaulted for the cluster, cluster IPs allocated on create and on a change
// from ExternalName, kept when an update leaves them out, released on delete and when a service
// stops needing them. Single-stack: the family of --service-cluster-ip-range. Node ports
// (service-node-ports.ts) follow the same life cycle.
import type { FieldError } from '../../endpoints/status.js';
import { newInternalError, newInvalid } from '../../endpoints/status.js';
import type { FinishWrite, KubeObject, WriteHooks } from '../../registry/resource.js';
import { deepEqual } from '../../registry/deep-equal.js';
import { fieldInvalid, goStringSlice, keyPath } from '../../registry/validation/field-errors.js';
import { parseIP } from '../net/ip.js';
import { IPAllocationError, type ServiceIPAllocator } from './service-ip-allocator.js';
import { heldNodePorts, NodePortOperation, type NodePortAllocator } from './service-node-port-allocator.js';
import { allocateNodePortsForCreate, allocateNodePortsForUpdate, dropNodePortFields, keepAllocatedNodePorts } from './service-node-ports.js';
import { validateClusterIPsRelatedFields } from './service-validation.js';

type Spec = Record<string, any>;
const ipsOf = (spec: Spec): string[] => (Array.isArray(spec.clusterIPs) ? spec.clusterIPs.map(String) : []);
const ownerOf = (svc: KubeObject) => ({ namespace: String(svc.metadata?.namespace ?? ''), name: String(svc.metadata?.name ?? '') });
const needsClusterIP = (spec: Spec) => spec.type !== 'ExternalName';
const otherFamily = (family: string) => (family === 'IPv4' ? 'IPv6' : 'IPv4');

function invalid(svc: KubeObject, errors: FieldError[]): Error {
  return newInvalid('Service', '', String(svc.metadata?.name ?? ''), errors);
}

/** The IPs the service holds from the range (not "None"). */
function heldIPs(svc: KubeObject): string[] {
  const spec: Spec = svc.spec ?? {};
  return needsClusterIP(spec) ? ipsOf(spec).filter((ip) => ip && ip !== 'None') : [];
}

/** NormalizeClusterIPs: an old client sets only clusterIP; the plural follows it. */
function normalizeClusterIPs(spec: Spec, oldSpec: Spec | undefined): void {
  if (!oldSpec) {
    if (spec.clusterIP && ipsOf(spec).length === 0) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const singularChanged = (spec.clusterIP ?? '') !== (oldSpec.clusterIP ?? '');
  if (singularChanged && deepEqual(spec.clusterIPs ?? null, oldSpec.clusterIPs ?? null)) {
    if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    else delete spec.clusterIPs;
  }
}

/** patchAllocatedValues: an update that leaves out what was allocated keeps it. */
function keepAllocated(spec: Spec, oldSpec: Spec): void {
  if (!(needsClusterIP(oldSpec) && needsClusterIP(spec))) return;
  if (!spec.clusterIP && oldSpec.clusterIP) spec.clusterIP = oldSpec.clusterIP;
  if (ipsOf(spec).length === 0 && ipsOf(oldSpec).length > 0) spec.clusterIPs = oldSpec.clusterIPs;
}

/** dropTypeDependentFields: a service turned ExternalName loses the fields it kept unchanged. */
function dropTypeDependent(spec: Spec, oldSpec: Spec): void {
  if (!(needsClusterIP(oldSpec) && !needsClusterIP(spec))) return;
  if (deepEqual(spec.clusterIPs ?? null, oldSpec.clusterIPs ?? null)) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
  if (deepEqual(spec.ipFamilies ?? null, oldSpec.ipFamilies ?? null)) delete spec.ipFamilies;
  if (spec.ipFamilyPolicy === oldSpec.ipFamilyPolicy) delete spec.ipFamilyPolicy;
}

/** initIPFamilyFields for a single-stack cluster of the allocator's family. */
export function initIPFamilyFields(svc: KubeObject, old: KubeObject | undefined, clusterFamily: string): void {
  const spec: Spec = svc.spec;
  if (spec.type === 'ExternalName') return;
  const headlessSelectorless = spec.clusterIP === 'None' && Object.keys(spec.selector ?? {}).length === 0;
  if (spec.ipFamilyPolicy == null) {
    if (old?.spec?.ipFamilyPolicy != null) spec.ipFamilyPolicy = old.spec.ipFamilyPolicy;
    else spec.ipFamilyPolicy = headlessSelectorless ? 'RequireDualStack' : 'SingleStack';
  }
  const related = validateClusterIPsRelatedFields(svc);
  if (related.length > 0) throw invalid(svc, related);
  const errors: FieldError[] = [];
  const ips = ipsOf(spec);
  const families: string[] = Array.isArray(spec.ipFamilies) ? [...spec.ipFamilies] : [];
  if (spec.ipFamilyPolicy === 'SingleStack') {
    if (ips.length === 2) errors.push(fieldInvalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
    if (families.length === 2) errors.push(fieldInvalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
  }
  for (let i = 0; i < ips.length && ips[i] !== 'None'; i++) {
    if (i < families.length) continue;
    const family = parseIP(ips[i])?.family ?? clusterFamily;
    if (family !== clusterFamily) errors.push(fieldInvalid(keyPath('spec.clusterIPs', i), goStringSlice(ips), `${family} is not configured on this cluster`));
    else families.push(family);
  }
  if (errors.length > 0) throw invalid(svc, errors);
  if (headlessSelectorless) {
    if (families.length === 0) families.push(clusterFamily);
    if (families.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') families.push(otherFamily(families[0]));
    spec.ipFamilies = families;
    return;
  }
  if (spec.ipFamilyPolicy === 'RequireDualStack') errors.push(fieldInvalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'));
  families.forEach((family, i) => {
    if (family !== clusterFamily) errors.push(fieldInvalid(keyPath('spec.ipFamilies', i), family, 'not configured on this cluster'));
  });
  if (errors.length > 0) throw invalid(svc, errors);
  spec.ipFamilies = families.length > 0 ? families : [clusterFamily];
}

/** Allocates the service's cluster IP when it needs one; returns the IPs newly taken. */
async function allocateClusterIPs(allocator: ServiceIPAllocator, svc: KubeObject, dryRun: boolean): Promise<string[]> {
  const spec: Spec = svc.spec;
  if (!needsClusterIP(spec) || ipsOf(spec)[0] === 'None') return [];
  const wanted = ipsOf(spec)[0] ?? '';
  let ip: string;
  try {
    ip = wanted ? await allocator.allocate(wanted, ownerOf(svc), !dryRun) : await allocator.allocateNext(ownerOf(svc), !dryRun);
  } catch (err) {
    if (!(err instanceof IPAllocationError)) throw err;
    if (!wanted) throw newInternalError(new Error(`failed to allocate a serviceIP: ${err.message}`));
    throw invalid(svc, [fieldInvalid('spec.clusterIPs', goStringSlice(ipsOf(spec)), `failed to allocate IP ${wanted}: ${err.message}`)]);
  }
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
  return dryRun ? [] : [ip];
}

function releaser(allocator: ServiceIPAllocator, svc: KubeObject) {
  return async (ips: string[]) => {
    for (const ip of ips) await allocator.release(ip, ownerOf(svc));
  };
}

/** Runs the node port step; if it fails, what the write took so far is given back. */
async function withNodePorts(op: NodePortOperation, step: () => Promise<void>, undoIPs: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    await op.finish(false);
    await undoIPs();
    throw err;
  }
}

/** The service store's write hooks over its cluster IP and node port allocators. */
export function serviceWriteHooks(allocator: ServiceIPAllocator, nodePorts: NodePortAllocator): WriteHooks {
  return {
    async beginCreate(svc, { dryRun }): Promise<FinishWrite> {
      svc.spec ??= {};
      normalizeClusterIPs(svc.spec, undefined);
      initIPFamilyFields(svc, undefined, allocator.family);
      const taken = await allocateClusterIPs(allocator, svc, dryRun);
      const op = new NodePortOperation(nodePorts, ownerOf(svc), dryRun);
      await withNodePorts(op, () => allocateNodePortsForCreate(op, svc), () => releaser(allocator, svc)(taken));
      return async (succeeded) => {
        if (succeeded) return;
        await op.finish(false);
        await releaser(allocator, svc)(taken);
      };
    },
    async beginUpdate(svc, old, { dryRun }): Promise<FinishWrite> {
      svc.spec ??= {};
      const oldSpec: Spec = old.spec ?? {};
      keepAllocated(svc.spec, oldSpec);
      keepAllocatedNodePorts(svc.spec, oldSpec);
      normalizeClusterIPs(svc.spec, oldSpec);
      dropTypeDependent(svc.spec, oldSpec);
      dropNodePortFields(svc.spec, oldSpec);
      initIPFamilyFields(svc, old, allocator.family);
      // Only a service that had no IP (it was ExternalName) gets one now; a changed IP is refused by validation.
      const taken = heldIPs(old).length === 0 && ipsOf(oldSpec)[0] !== 'None' ? await allocateClusterIPs(allocator, svc, dryRun) : [];
      const op = new NodePortOperation(nodePorts, ownerOf(svc), dryRun);
      await withNodePorts(op, () => allocateNodePortsForUpdate(op, svc, old), () => releaser(allocator, svc)(taken));
      return async (succeeded) => {
        await op.finish(succeeded, heldNodePorts(svc));
        if (!succeeded) return releaser(allocator, svc)(taken);
        if (dryRun) return;
        const kept = new Set(heldIPs(svc));
        await releaser(allocator, old)(heldIPs(old).filter((ip) => !kept.has(ip)));
      };
    },
    async afterDelete(svc) {
      await releaser(allocator, svc)(heldIPs(svc));
      for (const port of heldNodePorts(svc)) await nodePorts.release(port, ownerOf(svc));
    },
  };
}
