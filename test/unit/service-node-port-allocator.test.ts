// --service-node-port-range as kube parses it, kube's static band, and node port reservations
// shared by allocators over one storage (two servers on one database never hand out one port).
import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../src/storage/memory/index.js';
import { formatPortRange, parsePortRange } from '../../src/kube-apis/net/port-range.js';
import { NodePortAllocator, NodePortOperation, staticBandSize } from '../../src/kube-apis/core/service-node-port-allocator.js';
import { servicesResource } from '../../src/kube-apis/core/services.js';

describe('--service-node-port-range', () => {
  it('takes "min-max", "min+offset" and a single port, inclusive', () => {
    expect(parsePortRange('30000-32767')).toEqual({ base: 30000, size: 2768 });
    expect(parsePortRange('30000+2767')).toEqual({ base: 30000, size: 2768 });
    expect(parsePortRange(' 8080 ')).toEqual({ base: 8080, size: 1 });
    expect(formatPortRange(parsePortRange('30000+2767'))).toBe('30000-32767');
  });

  it('refuses what kube refuses, with its reasons', () => {
    expect(() => parsePortRange('30000-70000')).toThrow('the port range cannot be greater than 65535: 30000-70000');
    expect(() => parsePortRange('32767-30000')).toThrow('end port cannot be less than start port: 32767-30000');
    expect(() => parsePortRange('1-2+3')).toThrow('unable to parse port range: 1-2+3');
    expect(() => parsePortRange('a-b')).toThrow('unable to parse port range: a-b');
    expect(() => servicesResource({ serviceClusterIPRange: '10.0.0.0/24', serviceNodePortRange: 'x' })).toThrow(/invalid --service-node-port-range "x"/);
  });

  it('keeps min(max(16, size/32), 128) low ports for users\' choices; none in ranges of 16 or fewer', () => {
    expect(staticBandSize(2768)).toBe(86);
    expect(staticBandSize(16)).toBe(0);
    expect(staticBandSize(40)).toBe(16);
    expect(staticBandSize(64536)).toBe(128);
  });
});

describe('node port reservations', () => {
  const owner = (name: string) => ({ namespace: 'default', name });

  it('two allocators over one storage never hand out the same port, then the range is full', async () => {
    const storage = new MemoryStorage();
    const range = parsePortRange('30000-30019');
    const [a, b] = [new NodePortAllocator(storage, range), new NodePortAllocator(storage, range)];
    const ports = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).allocateNext(owner(`s${i}`), true)));
    expect(new Set(ports).size).toBe(20);
    await expect(a.allocateNext(owner('late'), true)).rejects.toThrow('range is full');
    await expect(b.allocate(ports[0], owner('late'), true)).rejects.toThrow('provided port is already allocated');
  });

  it('a reservation whose service never came is reclaimed once stale', async () => {
    const storage = new MemoryStorage();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const allocator = new NodePortAllocator(storage, parsePortRange('30000-30009'), () => now);
    await allocator.allocate(30005, owner('ghost'), true);
    await expect(allocator.allocate(30005, owner('other'), true)).rejects.toThrow('provided port is already allocated');
    now += 60_000;
    await expect(allocator.allocate(30005, owner('other'), true)).resolves.toBeUndefined();
  });

  it('an operation gives back what it took when the write failed, and what it released once it succeeded', async () => {
    const storage = new MemoryStorage();
    const allocator = new NodePortAllocator(storage, parsePortRange('30000-30009'));
    const failed = new NodePortOperation(allocator, owner('a'), false);
    await failed.allocate(30001);
    await failed.finish(false);
    const done = new NodePortOperation(allocator, owner('a'), false);
    await done.allocate(30001);
    await done.finish(true);
    await expect(allocator.allocate(30001, owner('b'), false)).rejects.toThrow('provided port is already allocated');
    const release = new NodePortOperation(allocator, owner('a'), false);
    release.releaseDeferred(30001);
    await release.finish(true);
    await expect(allocator.allocate(30001, owner('b'), true)).resolves.toBeUndefined();
  });

  it('a dry run takes nothing but refuses a port twice within itself', async () => {
    const storage = new MemoryStorage();
    const allocator = new NodePortAllocator(storage, parsePortRange('30000-30009'));
    const dry = new NodePortOperation(allocator, owner('a'), true);
    await dry.allocate(30002);
    await expect(dry.allocate(30002)).rejects.toThrow('provided port is already allocated');
    expect(await dry.allocateNext()).not.toBe(30002);
    await allocator.allocate(30002, owner('b'), true);
  });
});
