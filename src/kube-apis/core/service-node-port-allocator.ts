// The node port allocator of --service-node-port-range (kube's portallocator): each port is one
// reservation object (service-reservations.ts), so servers sharing a database never hand out the
// same port. Dynamic allocation prefers the range above a small offset, keeping the lower band for
// ports users choose (kube's static/dynamic sub-ranges).
import { randomInt } from 'node:crypto';
import type { Storage, StoredObject } from '../../storage/interface.js';
import { formatPortRange, type PortRange } from '../net/port-range.js';
import { ServiceReservations, type ServiceRef } from './service-reservations.js';

export const DEFAULT_SERVICE_NODE_PORT_RANGE = '30000-32767';

/** portallocator's errors, whose messages kube puts in the Status. */
export const ERR_PORT_ALLOCATED = 'provided port is already allocated';
export const ERR_PORT_FULL = 'range is full';
export class PortAllocationError extends Error {}

/** Every port a service holds: its ports' node ports and its health check node port. */
export function heldNodePorts(service: StoredObject | Record<string, any>): number[] {
  const spec = service.spec ?? {};
  const ports: number[] = (Array.isArray(spec.ports) ? spec.ports : []).map((p: any) => Number(p?.nodePort) || 0);
  return [...ports, Number(spec.healthCheckNodePort) || 0].filter((port) => port > 0);
}

/** calculateRangeOffset: min(max(16, size/32), 128); none for ranges of 16 ports or fewer. */
export function staticBandSize(size: number): number {
  if (size <= 16) return 0;
  return Math.min(Math.max(16, Math.floor(size / 32)), 128);
}

export class NodePortAllocator {
  private readonly reservations: ServiceReservations;

  constructor(storage: Storage, readonly range: PortRange, now?: () => number) {
    this.reservations = new ServiceReservations(
      storage,
      '/registry/servicenodeports/',
      { apiVersion: 'v1', kind: 'ServiceNodePort' },
      (service, port) => heldNodePorts(service).includes(Number(port)),
      now,
    );
  }

  private contains(port: number): boolean {
    return Number.isInteger(port) && port >= this.range.base && port - this.range.base < this.range.size;
  }

  /** Checks a chosen port; with reserve, takes it for the service. Throws PortAllocationError. */
  async allocate(port: number, owner: ServiceRef, reserve: boolean): Promise<void> {
    if (!this.contains(port)) {
      throw new PortAllocationError(`provided port is not in the valid range. The range of valid ports is ${formatPortRange(this.range)}`);
    }
    const free = reserve ? await this.reservations.reserve(String(port), owner) : await this.reservations.isFree(String(port));
    if (!free) throw new PortAllocationError(ERR_PORT_ALLOCATED);
  }

  /** Picks a free port (above the static band first, at random), skipping `exclude`; with reserve, takes it. */
  async allocateNext(owner: ServiceRef, reserve: boolean, exclude: ReadonlySet<number> = new Set()): Promise<number> {
    for (let round = 0; round < 3; round++) {
      const taken = await this.reservations.reserved();
      const candidates: number[] = [];
      for (let offset = 0; offset < this.range.size; offset++) {
        const port = this.range.base + offset;
        if (!taken.has(String(port)) && !exclude.has(port)) candidates.push(port);
      }
      while (candidates.length > 0) {
        const port = candidates.splice(this.preferUpper(candidates), 1)[0];
        if (!reserve || (await this.reservations.reserve(String(port), owner))) return port;
      }
    }
    // Reservations left by services that are gone are reclaimed one by one.
    for (let offset = 0; offset < this.range.size; offset++) {
      const port = this.range.base + offset;
      if (exclude.has(port)) continue;
      if (reserve ? await this.reservations.reserve(String(port), owner) : await this.reservations.isFree(String(port))) return port;
    }
    throw new PortAllocationError(ERR_PORT_FULL);
  }

  /** An index into the sorted free ports: a random one above the static band when there is any. */
  private preferUpper(sortedFree: number[]): number {
    const upperStart = this.range.base + staticBandSize(this.range.size);
    const firstUpper = sortedFree.findIndex((port) => port >= upperStart);
    if (firstUpper < 0) return randomInt(sortedFree.length);
    return firstUpper + randomInt(sortedFree.length - firstUpper);
  }

  async release(port: number, owner: ServiceRef): Promise<void> {
    if (this.contains(port)) await this.reservations.release(String(port), owner);
  }
}

/**
 * kube's PortAllocationOperation: the ports one write takes and gives back. Ports released by the
 * write are given back only once it succeeded; ports it took are given back if it failed. A dry
 * run checks everything and takes nothing.
 */
export class NodePortOperation {
  private readonly taken: number[] = [];
  private readonly toRelease: number[] = [];

  constructor(
    private readonly allocator: NodePortAllocator,
    private readonly owner: ServiceRef,
    private readonly dryRun: boolean,
  ) {}

  async allocate(port: number): Promise<void> {
    // A dry run reserves nothing, so it remembers what it would have taken.
    if (this.dryRun && this.taken.includes(port)) throw new PortAllocationError(ERR_PORT_ALLOCATED);
    await this.allocator.allocate(port, this.owner, !this.dryRun);
    this.taken.push(port);
  }

  async allocateNext(): Promise<number> {
    const port = await this.allocator.allocateNext(this.owner, !this.dryRun, new Set(this.taken));
    this.taken.push(port);
    return port;
  }

  releaseDeferred(port: number): void {
    if (port > 0) this.toRelease.push(port);
  }

  /** Gives back what the write released (it succeeded: all but what the service still holds) or took (it failed). */
  async finish(succeeded: boolean, stillHeld: readonly number[] = []): Promise<void> {
    if (this.dryRun) return;
    const ports = succeeded ? this.toRelease.filter((port) => !stillHeld.includes(port)) : this.taken;
    for (const port of ports) await this.allocator.release(port, this.owner);
  }
}
