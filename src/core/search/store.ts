/**
 * The isolate's one door to KV: every index value is read here, in batches, shared with
 * requests already waiting for it, checked against its checksum, decoded once and kept under a
 * memory cap (LRU). Keys are immutable (all but `manifest`), so the cache outlives a publish:
 * a new manifest that keeps the base segment keeps its loaded shards.
 */
import { BahthError } from '../errors';
import { checkSealed } from '../format/layout';
import { SizedLru } from './lru';
import { readKeys, type ReadStats, type ValueSource } from './source';

/**
 * Values parsed from JSON (articles, cards, meta) take about this many bytes per character of
 * their text (measured: 6 fell short of the heap growth). A value that weighs itself (a term
 * shard: {@link Weighed}) is counted by its own figure instead.
 */
const BYTES_PER_ENCODED_CHAR = 8;

/** A decoded value that knows what it holds in memory, in bytes (and charges what it adds later through the store). */
export interface Weighed {
  readonly heapBytes: number;
}

function isWeighed(v: unknown): v is Weighed {
  return typeof v === 'object' && v !== null && typeof (v as Partial<Weighed>).heapBytes === 'number';
}
/** What the cache holds for a key known to be missing, and what it counts for it. */
const ABSENT = Symbol('absent');
const ABSENT_BYTES = 64;

export class ValueStore {
  private readonly cache: SizedLru<string, unknown>;
  private readonly inflight = new Map<string, Promise<unknown>>();

  /** Each cached value is weighed by its encoded characters: what a query using it is charged (`ReadStats.used`). */
  constructor(readonly source: ValueSource, cacheBytes: number) {
    this.cache = new SizedLru(cacheBytes);
  }

  /** Bytes the cache holds (estimated). */
  get cachedBytes(): number {
    return this.cache.size;
  }

  /** Counts `bytes` of data kept beside a cached value (an article's word index) against the cap. */
  charge(key: string, bytes: number): void {
    this.cache.charge(key, bytes);
  }

  /**
   * Values of `list` (one batched read for those not cached or in flight), each decoded once.
   * A missing or corrupt value is an INDEX_CORRUPT error naming the key, unless `optional`: then
   * it is simply absent from the answer. A key for which `optional(key)` holds is moreover
   * remembered as absent (for keys that may or may not exist, like a big term's tier B).
   */
  async load<T>(list: string[], stats: ReadStats, decode: (key: string, json: string) => T, optional: boolean | ((key: string) => boolean) = false): Promise<Map<string, T>> {
    const out = new Map<string, T>();
    const missing: string[] = [];
    const waiting: Promise<void>[] = [];
    for (const key of list) {
      const hit = this.cache.get(key);
      if (hit === ABSENT) continue;
      if (hit !== undefined) {
        out.set(key, hit as T);
        stats.used += this.cache.weightOf(key);
      } else if (this.inflight.has(key)) {
        waiting.push(this.inflight.get(key)!.then((v) => {
          if (v === undefined || v === ABSENT) return;
          out.set(key, v as T);
          stats.used += this.cache.weightOf(key);
        }));
      } else missing.push(key);
    }
    if (missing.length > 0) {
      const read = readKeys(this.source, missing, stats, false).then((values) => {
        const decoded = new Map<string, T>();
        for (const key of missing) {
          const raw = values.get(key) ?? null;
          if (raw === null) {
            if (optional === true) continue;
            if (optional && optional(key)) {
              this.cache.set(key, ABSENT, ABSENT_BYTES + key.length * BYTES_PER_ENCODED_CHAR);
              continue;
            }
            throw new BahthError('INDEX_CORRUPT', `the index is missing ${key}`, { key });
          }
          const sealed = checkSealed(raw);
          if (sealed === undefined) throw new BahthError('INDEX_CORRUPT', `index value ${key} fails its checksum`, { key });
          stats.bytes += sealed.bytes;
          const json = sealed.json;
          let value: T;
          try {
            value = decode(key, json);
          } catch (e) {
            throw new BahthError('INDEX_CORRUPT', `index value ${key} cannot be decoded: ${(e as Error).message}`, { key }, e);
          }
          this.cache.set(key, value, isWeighed(value) ? value.heapBytes : json.length * BYTES_PER_ENCODED_CHAR, json.length);
          stats.used += json.length;
          decoded.set(key, value);
        }
        return decoded;
      });
      for (const key of missing) {
        const p = read.then((d) => d.get(key));
        p.catch(() => {}); // the error reaches the caller through `read`
        this.inflight.set(key, p);
      }
      try {
        const decoded = await read;
        for (const [k, v] of decoded) out.set(k, v);
      } finally {
        for (const key of missing) this.inflight.delete(key);
      }
    }
    await Promise.all(waiting);
    return out;
  }
}
