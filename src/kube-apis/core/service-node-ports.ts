// Node ports around a service write (kube's alloc.go and storage.go for node ports): NodePort and
// LoadBalancer services get one per port (unless allocateLoadBalancerNodePorts is false), one
// service port number keeps one node port across protocols, a chosen port is checked against the
// range and the ports taken; LoadBalancer services with externalTrafficPolicy Local get a health
// check node port. An update that leaves them out keeps them; a type that needs none drops them.
import { newInternalError, newInvalid } from '../../endpoints/status.js';
import type { KubeObject } from '../../registry/resource.js';
import { keyPath, fieldInvalid } from '../../registry/validation/field-errors.js';
import { NodePortOperation, PortAllocationError } from './service-node-port-allocator.js';

type Spec = Record<string, any>;
type Port = Record<string, any>;

const portsOf = (spec: Spec): Port[] => (Array.isArray(spec.ports) ? spec.ports.filter((p: unknown) => p && typeof p === 'object') : []);
const nodePortOf = (port: Port): number => Number(port.nodePort) || 0;
const nodePortNumbers = (spec: Spec): number[] => portsOf(spec).map(nodePortOf).filter((n) => n > 0);

export const needsNodePorts = (spec: Spec): boolean => spec.type === 'NodePort' || spec.type === 'LoadBalancer';
/** apiservice.NeedsHealthCheck */
export const needsHealthCheckNodePort = (spec: Spec): boolean => spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local';
const shouldAllocateNodePorts = (spec: Spec): boolean => spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);

/** patchAllocatedValues: node ports an update leaves out are kept (matched by port name) unless used elsewhere. */
export function keepAllocatedNodePorts(spec: Spec, oldSpec: Spec): void {
  if (needsNodePorts(oldSpec) && needsNodePorts(spec)) {
    const newNumbers = new Set(nodePortNumbers(spec));
    const used = new Set(nodePortNumbers(oldSpec).filter((n) => newNumbers.has(n)));
    const byName = new Map<string, number>();
    for (const port of portsOf(oldSpec)) byName.set(String(port.name ?? ''), nodePortOf(port));
    for (const port of portsOf(spec)) {
      const kept = byName.get(String(port.name ?? '')) ?? 0;
      if (nodePortOf(port) === 0 && kept > 0 && !used.has(kept)) port.nodePort = kept;
    }
  }
  if (needsHealthCheckNodePort(oldSpec) && needsHealthCheckNodePort(spec) && !spec.healthCheckNodePort && oldSpec.healthCheckNodePort) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}

/** dropTypeDependentFields: a type that needs no node ports loses those the update did not change. */
export function dropNodePortFields(spec: Spec, oldSpec: Spec): void {
  const oldPorts = portsOf(oldSpec);
  const ports = portsOf(spec);
  const sameNodePorts = oldPorts.length === ports.length && ports.every((port, i) => nodePortOf(port) === nodePortOf(oldPorts[i]));
  if (needsNodePorts(oldSpec) && !needsNodePorts(spec) && sameNodePorts) for (const port of ports) delete port.nodePort;
  const sameHealthCheck = (Number(spec.healthCheckNodePort) || 0) === (Number(oldSpec.healthCheckNodePort) || 0);
  if (needsHealthCheckNodePort(oldSpec) && !needsHealthCheckNodePort(spec) && sameHealthCheck) delete spec.healthCheckNodePort;
  if (oldSpec.type === 'LoadBalancer' && spec.type !== 'LoadBalancer' && spec.allocateLoadBalancerNodePorts != null && spec.allocateLoadBalancerNodePorts === oldSpec.allocateLoadBalancerNodePorts) {
    delete spec.allocateLoadBalancerNodePorts;
  }
}

async function allocateChosen(op: NodePortOperation, svc: KubeObject, index: number, port: number): Promise<void> {
  try {
    await op.allocate(port);
  } catch (err) {
    if (!(err instanceof PortAllocationError)) throw err;
    const name = String(svc.metadata?.name ?? '');
    throw newInvalid('Service', '', name, [fieldInvalid(`${keyPath('spec.ports', index)}.nodePort`, port, err.message)]);
  }
}

async function allocateAny(op: NodePortOperation): Promise<number> {
  try {
    return await op.allocateNext();
  } catch (err) {
    if (!(err instanceof PortAllocationError)) throw err;
    throw newInternalError(new Error(`failed to allocate a nodePort: ${err.message}`));
  }
}

/** allocHealthCheckNodePort; kube answers its failures as internal errors. */
async function allocateHealthCheckNodePort(op: NodePortOperation, spec: Spec): Promise<void> {
  const chosen = Number(spec.healthCheckNodePort) || 0;
  try {
    if (chosen) await op.allocate(chosen);
    else spec.healthCheckNodePort = await op.allocateNext();
  } catch (err) {
    if (!(err instanceof PortAllocationError)) throw err;
    const what = chosen ? `requested HealthCheck NodePort ${chosen}` : 'a HealthCheck NodePort 0';
    throw newInternalError(new Error(`failed to allocate ${what}: ${err.message}`));
  }
}

/** initNodePorts and the health check port of a new service. */
export async function allocateNodePortsForCreate(op: NodePortOperation, svc: KubeObject): Promise<void> {
  const spec: Spec = svc.spec;
  if (needsNodePorts(spec)) {
    const ports: unknown[] = Array.isArray(spec.ports) ? spec.ports : [];
    // One node port per service port number, whatever its protocols.
    const byServicePort = new Map<number, number>();
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i] as Port;
      if (!port || typeof port !== 'object') continue;
      const nodePort = nodePortOf(port);
      if (nodePort === 0 && !shouldAllocateNodePorts(spec)) continue;
      const servicePort = Number(port.port) || 0;
      const shared = byServicePort.get(servicePort) ?? 0;
      if (shared === 0) {
        const requested = portsOf(spec).find((p) => (Number(p.port) || 0) === servicePort && nodePortOf(p) > 0);
        const chosen = requested ? nodePortOf(requested) : 0;
        if (chosen) await allocateChosen(op, svc, i, chosen);
        port.nodePort = chosen || (await allocateAny(op));
        byServicePort.set(servicePort, port.nodePort);
      } else if (nodePort === 0) {
        port.nodePort = shared;
      } else if (nodePort !== shared) {
        await allocateChosen(op, svc, i, nodePort);
      }
    }
  }
  if (needsHealthCheckNodePort(spec)) await allocateHealthCheckNodePort(op, spec);
}

/** updateNodePorts and updateHealthCheckNodePort: new ports taken now, old ones released once the write succeeded. */
export async function allocateNodePortsForUpdate(op: NodePortOperation, svc: KubeObject, old: KubeObject): Promise<void> {
  const spec: Spec = svc.spec;
  const oldSpec: Spec = old.spec ?? {};
  if (needsNodePorts(oldSpec) && (spec.type === 'ExternalName' || spec.type === 'ClusterIP')) {
    for (const port of nodePortNumbers(oldSpec)) op.releaseDeferred(port);
  }
  if (needsNodePorts(spec)) {
    const oldNumbers = nodePortNumbers(oldSpec);
    const takenNow = new Set<number>();
    const ports: unknown[] = Array.isArray(spec.ports) ? spec.ports : [];
    for (let i = 0; i < ports.length; i++) {
      const port = ports[i] as Port;
      if (!port || typeof port !== 'object') continue;
      const nodePort = nodePortOf(port);
      if (nodePort === 0 && !shouldAllocateNodePorts(spec)) continue;
      if (nodePort === 0) {
        port.nodePort = await allocateAny(op);
      } else if (!oldNumbers.includes(nodePort) && !takenNow.has(nodePort)) {
        await allocateChosen(op, svc, i, nodePort);
        takenNow.add(nodePort);
      }
    }
    const newNumbers = nodePortNumbers(spec);
    for (const port of oldNumbers) if (!newNumbers.includes(port)) op.releaseDeferred(port);
  }
  const needed = needsHealthCheckNodePort(oldSpec);
  const needs = needsHealthCheckNodePort(spec);
  if (!needed && needs) await allocateHealthCheckNodePort(op, spec);
  if (needed && !needs) op.releaseDeferred(Number(oldSpec.healthCheckNodePort) || 0);
}
