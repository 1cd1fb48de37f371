/**
 * A map bounded by the total size of its values (bytes, estimated) that evicts the least
 * recently used first, by second chance: a hit only marks its entry (no reordering on the hot
 * path); eviction moves marked entries to the back, unmarked, and evicts the oldest unmarked.
 */
export class SizedLru<K, V> {
  private readonly map = new Map<K, { value: V; size: number; used: boolean; weight: number }>();
  size = 0;

  constructor(
    private readonly capacity: number,
    private readonly onEvict?: (key: K, value: V) => void,
  ) {}

  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    e.used = true;
    return e.value;
  }

  /** The weight given with an entry (what its owner counts for using it; 0 if none or absent). */
  weightOf(key: K): number {
    return this.map.get(key)?.weight ?? 0;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V, size: number, weight = 0): void {
    const old = this.map.get(key);
    if (old) {
      this.size -= old.size;
      this.map.delete(key);
    }
    this.map.set(key, { value, size, used: false, weight });
    this.size += size;
    this.evict(key);
  }

  /** Adds `bytes` to a cached entry's size (data derived from it and kept beside it); may evict others. */
  charge(key: K, bytes: number): void {
    const e = this.map.get(key);
    if (!e) return;
    e.size += bytes;
    this.size += bytes;
    this.evict(key);
  }

  get count(): number {
    return this.map.size;
  }

  /**
   * Evicts oldest entries until under capacity; never the entry just added. An entry used since
   * it was last passed goes to the back instead (Map keeps insertion order, oldest first, and
   * iteration reaches entries moved there: each is evicted on its second pass at the latest).
   */
  private evict(keep: K): void {
    for (const [k, e] of this.map) {
      if (this.size <= this.capacity) break;
      if (k === keep) continue;
      this.map.delete(k);
      if (e.used) {
        e.used = false;
        this.map.set(k, e);
        continue;
      }
      this.size -= e.size;
      this.onEvict?.(k, e.value);
    }
  }
}
