// Keys in byte order (etcd's order, which kube's lists follow), with range iteration from a key.
export class SortedKeys {
  private readonly keys: string[] = [];

  /** The keys in order (read-only view for tight loops). */
  get all(): readonly string[] {
    return this.keys;
  }

  /** Where `key` is, or would be inserted. */
  indexOf(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(key: string): void {
    const i = this.indexOf(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
  }

  delete(key: string): void {
    const i = this.indexOf(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /** Keys at or after `key`, in order. */
  *from(key: string): IterableIterator<string> {
    for (let i = this.indexOf(key); i < this.keys.length; i++) yield this.keys[i];
  }

  get size(): number {
    return this.keys.length;
  }
}
