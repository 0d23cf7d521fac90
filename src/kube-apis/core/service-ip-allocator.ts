// The ClusterIP allocator of --service-cluster-ip-range (kube's ipallocator): the network address
// (and, for IPv4, the broadcast address) is never handed out; dynamic allocation prefers the upper
// part of the range, keeping the lower part for IPs users choose (kube's ServiceIPStaticSubrange).
import { randomInt } from 'node:crypto';
import type { Storage, StoredObject } from '../../storage/interface.js';
import { cidrContains, formatCIDR, formatIP, parseIP, type ParsedCIDR } from '../net/ip.js';
import { ServiceReservations, type ServiceRef } from './service-reservations.js';

/** ipallocator's errors, whose messages kube puts in the Status. */
export const ERR_ALLOCATED = 'provided IP is already allocated';
export const ERR_FULL = 'range is full';
export class IPAllocationError extends Error {}

/** IPv6 ranges hand out at most this many addresses (kube caps its bitmap the same way). */
const MAX_IPV6_SIZE = 1n << 16n;

export class ServiceIPAllocator {
  private readonly reservations: ServiceReservations;
  /** The first address handed out, and how many there are. */
  private readonly first: bigint;
  private readonly size: number;

  constructor(storage: Storage, readonly cidr: ParsedCIDR, now?: () => number) {
    const hostBits = BigInt(cidr.bits - cidr.prefixLength);
    const total = 1n << hostBits;
    let size = cidr.family === 'IPv4' ? total - 2n : total - 1n;
    if (cidr.family === 'IPv6' && size > MAX_IPV6_SIZE) size = MAX_IPV6_SIZE;
    this.first = cidr.base + 1n;
    this.size = size > 0n ? Number(size) : 0;
    this.reservations = new ServiceReservations(
      storage,
      '/registry/ipaddresses/',
      { apiVersion: 'networking.k8s.io/v1', kind: 'IPAddress' },
      (service: StoredObject, ip) => (service.spec?.clusterIPs ?? []).some((held: string) => canonical(held) === ip),
      now,
    );
  }

  get family() {
    return this.cidr.family;
  }

  /** The lower block kept for users' own choices: min(max(16, size/16), 256) addresses. */
  private get staticSize(): number {
    return Math.min(Math.max(16, Math.floor(this.size / 16)), 256, this.size);
  }

  private addressAt(offset: number): string {
    return formatIP({ family: this.cidr.family, value: this.first + BigInt(offset) });
  }

  /** Checks a chosen IP; with reserve, takes it for the service. Throws IPAllocationError. */
  async allocate(ip: string, owner: ServiceRef, reserve: boolean): Promise<string> {
    const parsed = parseIP(ip);
    const offset = parsed && cidrContains(this.cidr, parsed) ? parsed.value - this.first : -1n;
    if (!parsed || offset < 0n || offset >= BigInt(this.size)) {
      throw new IPAllocationError(`the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${formatCIDR(this.cidr)}`);
    }
    const name = formatIP(parsed);
    const free = reserve ? await this.reservations.reserve(name, owner) : await this.reservations.isFree(name);
    if (!free) throw new IPAllocationError(ERR_ALLOCATED);
    return name;
  }

  /** Picks a free IP (upper block first, at random); with reserve, takes it. Throws IPAllocationError. */
  async allocateNext(owner: ServiceRef, reserve: boolean): Promise<string> {
    for (let round = 0; round < 3; round++) {
      const taken = await this.reservations.reserved();
      const candidates = [...this.freeOffsets(taken)];
      while (candidates.length > 0) {
        const pick = candidates.splice(this.preferUpper(candidates), 1)[0];
        const ip = this.addressAt(pick);
        if (!reserve || (await this.reservations.reserve(ip, owner))) return ip;
      }
    }
    // Reservations left by services that are gone are reclaimed one by one.
    for (let offset = 0; offset < this.size; offset++) {
      const ip = this.addressAt(offset);
      if (reserve ? await this.reservations.reserve(ip, owner) : await this.reservations.isFree(ip)) return ip;
    }
    throw new IPAllocationError(ERR_FULL);
  }

  private *freeOffsets(taken: Set<string>): Generator<number> {
    for (let offset = 0; offset < this.size; offset++) if (!taken.has(this.addressAt(offset))) yield offset;
  }

  /** An index into the sorted free offsets: a random one of the upper block when it has any. */
  private preferUpper(sortedFree: number[]): number {
    const firstUpper = sortedFree.findIndex((offset) => offset >= this.staticSize);
    if (firstUpper < 0) return randomInt(sortedFree.length);
    return firstUpper + randomInt(sortedFree.length - firstUpper);
  }

  async release(ip: string, owner: ServiceRef): Promise<void> {
    const parsed = parseIP(ip);
    if (parsed && cidrContains(this.cidr, parsed)) await this.reservations.release(formatIP(parsed), owner);
  }
}

function canonical(ip: string): string {
  const parsed = parseIP(ip);
  return parsed ? formatIP(parsed) : ip;
}
