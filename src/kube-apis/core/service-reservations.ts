// What a Service holds exclusively (a cluster IP, a node port), reserved as one storage object per
// value: creating the key is atomic, so two services can never win the same value, on any backend
// and across servers sharing one database. (kube keeps IPAddress objects the same way; kube-chain
// keeps them internal.) A reservation whose service no longer holds the value (a service deleted
// without its hooks, a server that died mid-create) is reclaimed when someone else asks for it.
import { randomUUID } from 'node:crypto';
import type { Storage, StoredObject } from '../../storage/interface.js';
import { StorageError } from '../../storage/interface.js';
import { storageKey } from '../../registry/resource.js';

export interface ServiceRef {
  namespace: string;
  name: string;
}

/** How long a fresh reservation is trusted without its service (it may still be being created). */
const STALE_AFTER_MS = 30_000;

export class ServiceReservations {
  constructor(
    private readonly storage: Storage,
    /** e.g. "/registry/ipaddresses/" */
    private readonly prefix: string,
    private readonly kind: { apiVersion: string; kind: string },
    /** Whether the service still holds the value. */
    private readonly holds: (service: StoredObject, value: string) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  private key(value: string): string {
    return `${this.prefix}${value}`;
  }

  /** The values reserved now (stale ones included). */
  async reserved(): Promise<Set<string>> {
    const { items } = await this.storage.list(this.prefix, { recursive: true });
    return new Set(items.map((item) => String(item.metadata.name)));
  }

  /** Whether the value is free (or held only by a stale reservation). */
  async isFree(value: string): Promise<boolean> {
    const current = await this.storage.get(this.key(value), { ignoreNotFound: true });
    return !current || (await this.isStale(current));
  }

  /** Reserves the value for the service; false when another service holds it. */
  async reserve(value: string, owner: ServiceRef): Promise<boolean> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.storage.create(this.key(value), this.reservation(value, owner));
        return true;
      } catch (err) {
        if (!(err instanceof StorageError && err.code === 'KeyExists')) throw err;
      }
      const current = await this.storage.get(this.key(value), { ignoreNotFound: true });
      if (current && !(await this.isStale(current))) return false;
      if (current) await this.storage.delete(this.key(value), { uid: current.metadata.uid }).catch(ignoreGone);
    }
    return false;
  }

  /** Releases the value if the service holds the reservation. */
  async release(value: string, owner: ServiceRef): Promise<void> {
    const current = await this.storage.get(this.key(value), { ignoreNotFound: true });
    const parent = current?.spec?.parentRef;
    if (!current || parent?.namespace !== owner.namespace || parent?.name !== owner.name) return;
    await this.storage.delete(this.key(value), { uid: current.metadata.uid }).catch(ignoreGone);
  }

  private reservation(value: string, owner: ServiceRef): StoredObject {
    const creationTimestamp = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      ...this.kind,
      metadata: { name: value, uid: randomUUID(), creationTimestamp },
      spec: { parentRef: { group: '', resource: 'services', namespace: owner.namespace, name: owner.name } },
    };
  }

  private async isStale(reservation: StoredObject): Promise<boolean> {
    const created = Date.parse(reservation.metadata.creationTimestamp ?? '');
    if (Number.isFinite(created) && this.now() - created < STALE_AFTER_MS) return false;
    const parent = reservation.spec?.parentRef ?? {};
    const key = storageKey({ group: '', resource: 'services', namespaced: true }, String(parent.namespace ?? ''), String(parent.name ?? ''));
    const service = await this.storage.get(key, { ignoreNotFound: true });
    return !service || !this.holds(service, String(reservation.metadata.name));
  }
}

function ignoreGone(err: unknown): void {
  if (!(err instanceof StorageError && (err.code === 'KeyNotFound' || err.code === 'InvalidObj'))) throw err;
}
