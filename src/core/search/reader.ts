/**
 * The runtime side of the index: reads the live manifest and meta, then only the term shards a
 * query needs, in one batched read, importing them into FlexSearch indexes that serve as the
 * isolate's term store. Concurrent requests share in-flight reads; loaded shards stay under a
 * memory cap (LRU). Runtime-neutral: the Worker hands it a KV-backed ValueSource.
 */
import { Index } from 'flexsearch';
import { BahthError } from '../errors';
import { decodePostings, type FieldPostings } from '../format/codec';
import { shardOf } from '../format/hash';
import {
  decodeDays, FORMAT_VERSION, keys, MANIFEST_KEY, readFixed, unsealValue,
  type Card, type IndexMeta, type LiveManifest, type SuggestEntry, type TermEntry, type TermShard,
} from '../format/layout';
import type { Article } from '../article';
import { SizedLru } from './lru';
import { readKeys, ReadStats, type ValueSource } from './source';

/** A term's postings as the ranker reads them. */
export interface LoadedTerm {
  df: number;
  /** Codes of the words in the archive that stem to this term, those in use first (see TermEntry). */
  spellings?: string;
  /** How many of `spellings` are in use. */
  inUse?: number;
  title?: FieldPostings;
  /** For each title posting in order, how many distinct words the doc's title has (see TermEntry). */
  titleWords?: Uint8Array;
  body?: FieldPostings;
  /** Its docs' attribute codes (see TermEntry), until {@link LoadedIndex.learnAttributes} reads them. */
  attributes?: string;
}

export interface ReaderOptions {
  /** Memory cap for loaded shards, documents and blocks, in bytes (estimated). Default 32 MiB. */
  cacheBytes?: number;
  /** How long a read of `manifest` is trusted before it is read again. Default 30 s (KV's own cache floor). */
  manifestTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Where faults are reported (the Worker logs them). */
  log?: (message: string) => void;
}

/** Decoded arrays take about this many bytes per character of encoded text (measured: 6 fell short of the heap growth). */
const BYTES_PER_ENCODED_CHAR = 8;

interface FlexMap {
  map: Map<string, number[][]>;
}

/** One index version, loaded lazily. */
export class LoadedIndex {
  /** FlexSearch indexes holding the loaded terms' slots (title and body). */
  readonly flex = {
    title: new Index({ tokenize: 'strict', resolution: 9, cache: false }),
    body: new Index({ tokenize: 'strict', resolution: 9, cache: false }),
  };
  private readonly terms = new Map<string, LoadedTerm | null>();
  private readonly cache: SizedLru<string, string[] | unknown>;
  private readonly inflight = new Map<string, Promise<unknown>>();
  private readonly bigTerms: Set<string>;
  private readonly lexiconKeys: Set<string>;
  readonly docCount: number;
  /** The meta's run-length table of publication days (`[day, firstDoc]`, see IndexMeta.days). */
  readonly days: [day: number, firstDoc: number][];
  private codes?: Uint8Array | Uint16Array | Uint32Array;

  constructor(
    readonly meta: IndexMeta,
    private readonly source: ValueSource,
    cacheBytes: number,
  ) {
    this.bigTerms = new Set(meta.bigTerms);
    this.lexiconKeys = new Set(meta.lexicon);
    this.docCount = meta.counts.articles;
    try {
      this.days = decodeDays(meta.days);
    } catch (e) {
      throw new BahthError('INDEX_CORRUPT', `index ${meta.version} has a days table that cannot be read: ${(e as Error).message}`, {}, e);
    }
    this.cache = new SizedLru(cacheBytes, (key, value) => this.evicted(key, value));
  }

  /**
   * Each doc's attribute code (IndexMeta.attributes), learnt from the terms a query with facets
   * or filters matched ({@link learnAttributes}): a candidate always comes from such a term, so
   * its code is known. Made by the first such query (not at start-up) and kept for the index's
   * life (one to four bytes a doc), whatever the cache evicts.
   */
  get attributeOf(): Uint8Array | Uint16Array | Uint32Array {
    const n = this.meta.attributes.length;
    return (this.codes ??= n <= 2 ** 8 ? new Uint8Array(this.docCount) : n <= 2 ** 16 ? new Uint16Array(this.docCount) : new Uint32Array(this.docCount));
  }

  get version(): string {
    return this.meta.version;
  }

  /** Bytes the cache holds (estimated). */
  get cachedBytes(): number {
    return this.cache.size;
  }

  /** The key a term lives under. */
  termKey(term: string): string {
    return this.bigTerms.has(term) ? keys.bigTerm(this.version, term) : keys.shard(this.version, shardOf(term, this.meta.shardBits));
  }

  /**
   * Loads every term's shard not yet loaded, in one batched read; returns the terms (null: not
   * in the index). The returned postings stay valid for the caller even if the memory cap
   * evicts their shard meanwhile.
   */
  async loadTerms(terms: string[], stats: ReadStats): Promise<Map<string, LoadedTerm | null>> {
    const wanted = [...new Set(terms.map((t) => this.termKey(t)))];
    const shards = await this.loadKeys(wanted, stats, (key, json) => this.importShard(key, json));
    const out = new Map<string, LoadedTerm | null>();
    for (const t of terms) {
      const shard = shards.get(this.termKey(t)) as Map<string, LoadedTerm> | undefined;
      out.set(t, shard?.get(t) ?? null);
    }
    return out;
  }

  /** Full articles by doc number (for snippets and hit fields). */
  async docs(nums: number[], stats: ReadStats): Promise<Map<number, Article>> {
    const list = nums.map((n) => keys.doc(this.version, n));
    const loaded = await this.loadKeys(list, stats, (_k, json) => JSON.parse(json) as Article);
    return new Map(nums.map((n) => [n, loaded.get(keys.doc(this.version, n)) as Article]));
  }

  /** Counts `bytes` of data kept beside a cached article (its word index) against the cache's cap. */
  chargeDoc(num: number, bytes: number): void {
    this.cache.charge(keys.doc(this.version, num), bytes);
  }

  /** One article by id, or undefined. */
  async article(id: string, stats: ReadStats): Promise<Article | undefined> {
    const key = keys.article(this.version, id);
    const loaded = await this.loadKeys([key], stats, (_k, json) => JSON.parse(json) as Article, true);
    return loaded.get(key) as Article | undefined;
  }

  /** A block of cards, newest first. */
  async cards(block: number, stats: ReadStats): Promise<Card[]> {
    const key = keys.cards(this.version, block);
    const loaded = await this.loadKeys([key], stats, (_k, json) => JSON.parse(json) as Card[]);
    return loaded.get(key) as Card[];
  }

  /** Typo-tolerance candidates: the lexicon lists (`[word, df]`) of the wanted first letters and lengths. */
  async lexicon(wanted: { first: string; length: number }[], stats: ReadStats): Promise<[string, number][][]> {
    const list = [...new Set(wanted.filter((w) => this.lexiconKeys.has(`${w.first}/${w.length}`)).map((w) => keys.lexicon(this.version, w.first, w.length)))];
    if (list.length === 0) return [];
    const loaded = await this.loadKeys(list, stats, (_k, json) => JSON.parse(json) as [string, number][]);
    return list.map((k) => (loaded.get(k) as [string, number][]) ?? []);
  }

  /**
   * Stores the attribute codes of the docs of these terms in {@link attributeOf}, once per
   * loaded term (a query without facets or filters never reads them).
   */
  learnAttributes(terms: Iterable<LoadedTerm | null | undefined>): void {
    const width = this.meta.attributeWidth;
    const out = this.attributeOf;
    for (const t of terms) {
      const codes = t?.attributes;
      if (!codes) continue;
      let k = 0;
      for (const field of [t.title, t.body]) {
        for (const slot of field?.slots ?? []) {
          for (let j = 0; j < slot.length; j++) {
            const code = readFixed(codes, k++, width); // -1 past the end
            if (code < 0) throw this.badCodes();
            out[slot[j]!] = code;
          }
        }
      }
      if (k * width !== codes.length) throw this.badCodes();
      t.attributes = undefined;
    }
  }

  private badCodes(): BahthError {
    return new BahthError('INDEX_CORRUPT', `index ${this.version} has attribute codes that do not match the postings`);
  }

  /** Completions for a two-letter prefix (`[norm, display, count]`, most used first). */
  async suggestions(prefix: string, stats: ReadStats): Promise<SuggestEntry[]> {
    const key = keys.suggest(this.version, prefix);
    const loaded = await this.loadKeys([key], stats, (_k, json) => JSON.parse(json) as SuggestEntry[], true);
    return (loaded.get(key) as SuggestEntry[] | undefined) ?? [];
  }

  /** Slots of a loaded term in one field, straight from FlexSearch's map (undefined once evicted). */
  slots(field: 'title' | 'body', term: string): number[][] | undefined {
    return (this.flex[field] as unknown as FlexMap).map.get(term);
  }

  /**
   * Reads keys not in the cache (one batched read), sharing reads already in flight, decodes
   * each value once and caches it. A missing or corrupt value is an INDEX_CORRUPT error,
   * unless `optional` (then it is simply absent).
   */
  private async loadKeys(list: string[], stats: ReadStats, decode: (key: string, json: string) => unknown, optional = false): Promise<Map<string, unknown>> {
    const out = new Map<string, unknown>();
    const missing: string[] = [];
    const waiting: Promise<void>[] = [];
    for (const key of list) {
      const hit = this.cache.get(key);
      if (hit !== undefined) out.set(key, hit);
      else if (this.inflight.has(key)) waiting.push(this.inflight.get(key)!.then((v) => { out.set(key, v); }));
      else missing.push(key);
    }
    if (missing.length > 0) {
      const read = readKeys(this.source, missing, stats).then((values) => {
        const decoded = new Map<string, unknown>();
        for (const key of missing) {
          const raw = values.get(key) ?? null;
          if (raw === null) {
            if (optional) continue;
            throw new BahthError('INDEX_CORRUPT', `index ${this.version} is missing ${key}`, { key });
          }
          const json = unsealValue(raw);
          if (json === undefined) throw new BahthError('INDEX_CORRUPT', `index value ${key} fails its checksum`, { key });
          let value: unknown;
          try {
            value = decode(key, json);
          } catch (e) {
            throw new BahthError('INDEX_CORRUPT', `index value ${key} cannot be decoded: ${(e as Error).message}`, { key }, e);
          }
          this.cache.set(key, value, json.length * BYTES_PER_ENCODED_CHAR);
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

  /** Decodes a shard and imports its terms into the FlexSearch field indexes. */
  private importShard(_key: string, json: string): Map<string, LoadedTerm> {
    const shard = JSON.parse(json) as TermShard;
    const names = new Map<string, LoadedTerm>();
    const titleMap: [string, number[][]][] = [];
    const bodyMap: [string, number[][]][] = [];
    for (const [term, entry] of Object.entries(shard) as [string, TermEntry][]) {
      const [df, t, b, attributes, titleWords, spellings, inUse] = entry;
      const loaded: LoadedTerm = spellings ? { df, spellings, inUse: inUse ?? 0, attributes } : { df, attributes };
      if (t) {
        loaded.title = decodePostings(t);
        loaded.titleWords = decodeTitleWords(term, titleWords, loaded.title.impacts.length);
        titleMap.push([term, loaded.title.slots]);
      }
      if (b) {
        loaded.body = decodePostings(b);
        bodyMap.push([term, loaded.body.slots]);
      }
      this.terms.set(term, loaded);
      names.set(term, loaded);
    }
    // FlexSearch's import merges map entries with Map.set: shards load one by one, lazily.
    // (its typings say string, but import() takes the parsed entries as they are)
    if (titleMap.length) importMap(this.flex.title, titleMap);
    if (bodyMap.length) importMap(this.flex.body, bodyMap);
    return names;
  }

  private evicted(key: string, value: unknown): void {
    if (!key.includes('/t/') && !key.includes('/big/')) return;
    for (const term of (value as Map<string, LoadedTerm>).keys()) {
      this.terms.delete(term);
      (this.flex.title as unknown as FlexMap).map.delete(term);
      (this.flex.body as unknown as FlexMap).map.delete(term);
    }
  }
}

function importMap(index: Index, entries: [string, number[][]][]): void {
  (index.import as unknown as (key: string, data: unknown) => void).call(index, 'map', entries);
}

/** Finds the live index version and keeps one LoadedIndex per version for the isolate's life. */
export class IndexReader {
  private loaded?: LoadedIndex;
  private fallback?: IndexMeta;
  private checkedAt = -Infinity;
  private pending?: Promise<LoadedIndex>;
  private readonly cacheBytes: number;
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(private readonly source: ValueSource, options: ReaderOptions = {}) {
    this.log = options.log ?? (() => {});
    this.cacheBytes = options.cacheBytes ?? 32 * 1024 * 1024;
    this.ttl = options.manifestTtlMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The live index; reads `manifest` again once the TTL has passed and switches on a new version. */
  async current(stats: ReadStats): Promise<LoadedIndex> {
    if (this.loaded && this.now() - this.checkedAt < this.ttl) return this.loaded;
    this.pending ??= this.refresh(stats).finally(() => { this.pending = undefined; });
    return this.pending;
  }

  /**
   * After a fault: the next request reads the manifest again and starts with empty caches.
   * The version in use is remembered, to fall back on if the new one cannot be loaded.
   */
  reset(): void {
    if (this.loaded) this.fallback = this.loaded.meta;
    this.loaded = undefined;
    this.checkedAt = -Infinity;
  }

  private async refresh(stats: ReadStats): Promise<LoadedIndex> {
    const values = await readKeys(this.source, [MANIFEST_KEY], stats);
    const raw = values.get(MANIFEST_KEY);
    if (!raw) throw new BahthError('INDEX_UNAVAILABLE', 'no index has been published (the manifest key is missing)');
    let live: LiveManifest;
    try {
      live = JSON.parse(raw) as LiveManifest;
    } catch {
      throw new BahthError('INDEX_CORRUPT', 'the manifest key is not valid JSON');
    }
    if (live.format !== FORMAT_VERSION) {
      const problem = `index ${live.version} is in format ${live.format}, not the format ${FORMAT_VERSION} this Worker reads (deploy the Worker built with it)`;
      // Between an index switch and the deploy of the Worker that reads it, the version in use
      // keeps serving.
      const serving = this.loaded ?? (this.fallback ? new LoadedIndex(this.fallback, this.source, this.cacheBytes) : undefined);
      if (!serving) throw new BahthError('INDEX_UNAVAILABLE', problem);
      this.loaded = serving;
      this.checkedAt = this.now();
      this.log(`serving index ${serving.version}: ${problem}`);
      return serving;
    }
    this.loaded ??= this.fallback?.version === live.version ? new LoadedIndex(this.fallback, this.source, this.cacheBytes) : undefined;
    if (this.loaded?.version === live.version) {
      this.checkedAt = this.now();
      return this.loaded;
    }
    const metaKey = keys.meta(live.version);
    try {
      const metaRaw = (await readKeys(this.source, [metaKey], stats)).get(metaKey);
      if (!metaRaw) throw new BahthError('INDEX_UNAVAILABLE', `index ${live.version} is not fully uploaded yet (no ${metaKey})`);
      const json = unsealValue(metaRaw);
      if (json === undefined) throw new BahthError('INDEX_CORRUPT', `${metaKey} fails its checksum`);
      const meta = JSON.parse(json) as IndexMeta;
      this.loaded = new LoadedIndex(meta, this.source, this.cacheBytes);
    } catch (e) {
      // A manifest switched before its version is complete: keep serving the version we have.
      if (!this.loaded && !this.fallback) throw e;
      this.loaded ??= new LoadedIndex(this.fallback!, this.source, this.cacheBytes);
      this.log(`serving index ${this.loaded.version}: ${(e as Error).message}`);
    }
    this.checkedAt = this.now();
    return this.loaded;
  }
}

/** Reads a term's title word counts (one digit per title posting), or throws naming the term. */
function decodeTitleWords(term: string, text: string | undefined, postings: number): Uint8Array {
  if (typeof text !== 'string' || text.length !== postings) throw new RangeError(`term ${term} has ${text?.length ?? 'no'} title word counts for ${postings} title postings`);
  const out = new Uint8Array(postings);
  for (let i = 0; i < postings; i++) {
    const v = readFixed(text, i, 1);
    if (v < 0) throw new RangeError(`term ${term} has a title word count that is not a digit`);
    out[i] = v;
  }
  return out;
}
