/**
 * Where the index's values come from. The Worker reads Workers KV; tests, benchmarks and the
 * eval read the same bulk files from memory. Either way a batch of keys is one operation.
 */
export interface ValueSource {
  /** Values of up to 100 keys in one read; `null` for a missing key. */
  getMany(keys: string[]): Promise<Map<string, string | null>>;
}

/** Counts what one request read, for `Server-Timing` and the benchmarks. */
export class ReadStats {
  reads = 0;
  keys = 0;
  bytes = 0;
  /**
   * Characters of index values the request used, read or found in the isolate's cache: the
   * work its decoding and scanning cost, warm or cold (the query's budget, `caps.work`).
   */
  used = 0;
  /** Time of each stage in ms (load, match, rank, snippets). */
  readonly stages: Record<string, number> = {};
  private marks = new Map<string, number>();

  start(stage: string): void {
    this.marks.set(stage, performance.now());
  }

  end(stage: string): void {
    const t = this.marks.get(stage);
    if (t !== undefined) this.stages[stage] = (this.stages[stage] ?? 0) + performance.now() - t;
  }
}

/** Keys per batched read: KV's bulk get takes at most 100. */
export const MAX_KEYS_PER_READ = 100;

/**
 * Reads any number of keys in batches of {@link MAX_KEYS_PER_READ}, counting into `stats` (the
 * bytes too, unless `countBytes` is false: the store counts them while it checks each value).
 */
export async function readKeys(source: ValueSource, keys: string[], stats?: ReadStats, countBytes = true): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const batches: string[][] = [];
  for (let i = 0; i < keys.length; i += MAX_KEYS_PER_READ) batches.push(keys.slice(i, i + MAX_KEYS_PER_READ));
  const results = await Promise.all(batches.map((b) => source.getMany(b)));
  for (const r of results) {
    for (const [k, v] of r) {
      out.set(k, v);
      if (stats && countBytes && v !== null) stats.bytes += utf8Length(v);
    }
  }
  if (stats) {
    stats.reads += batches.length;
    stats.keys += keys.length;
  }
  return out;
}

/** A ValueSource over an in-memory map (tests, benchmarks, the eval). */
export class MemorySource implements ValueSource {
  constructor(readonly values: Map<string, string>) {}
  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    return new Map(keys.map((k) => [k, this.values.get(k) ?? null]));
  }
}

/** UTF-8 size of a string, without encoding it. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}
