/**
 * The live archive as a reader sees it: one manifest's segments searched as one index. Doc
 * numbers are global (a segment holds `[first, end)`), so a term's postings are its parts in
 * the segments that have it, in doc order; document frequencies add up over the segments (a
 * segment's entries already subtract the docs it removed); dead docs (removed by a later
 * publish) are left out wherever docs are counted or shown. Values come through the isolate's
 * {@link ValueStore}, shared by every manifest of the archive.
 */
import { TERM_SHARD_FACTOR } from './budget';
import type { Article } from '../article';
import { BahthError } from '../errors';
import { decodeInts, LENGTH_CODES, lengthOfCode, MAX_TF_UNITS, readLexiconList, TF_UNIT, type LexiconList } from '../format/codec';
import { daysTableProblem, idShardOf, keys, readFixed, type Card, type SuggestEntry, type TitleLine } from '../format/layout';
import { attributeCoder, deadDocs, versionOf, type ArchiveManifest, type SegmentMeta } from '../format/manifest';
import { globalRuns, inRange, runRecency, runYears, type DayRange, type DayRuns } from './days';
import { mergeTerm, ShardView, type LoadedTerm, type RestRef, type SegmentTerm } from './segment-terms';
import type { ReadStats } from './source';
import { AttributeCache, LEARNED_FROM, LEARNED_MAX, SegmentView } from './segment-view';
import type { ValueStore } from './store';
import { mergeLexicon, mergeSuggestions, NO_WORDS } from './word-lists';
import { houseStyleTable, withHouseStyles, type SynonymTable } from '../settings/synonyms';

export type { LoadedTerm, RestRef, TermPart } from './segment-terms';
export type { DayRuns } from './days';
export { AttributeCache, SegmentView } from './segment-view';

/** The most docs an older segment (no attribute keys) may have for a listing to read its cards instead. */
const CARDED_MAX = 2_000;

/** One manifest's archive. */
export class Archive {
  readonly version: string;
  /** Live docs: BM25's N. */
  readonly docCount: number;
  /** Doc numbers in use are below this (arrays by doc are this long). */
  readonly docSpace: number;
  readonly segments: SegmentView[];
  /** Dead docs, ascending. */
  readonly deadSorted: number[];
  /** Dead docs, for lookups (undefined when there are none). */
  readonly dead?: Set<number>;
  private dayRuns?: DayRuns;
  private newestDayCache?: number;
  /** What reading one of a query's terms costs, expected: a term shard of every segment (budget.ts). */
  readonly termChars: number;
  private houseStyles?: HouseTables;

  constructor(readonly manifest: ArchiveManifest, readonly store: ValueStore, private readonly attributeCache: AttributeCache) {
    this.version = versionOf(manifest);
    this.docCount = manifest.stats.docs;
    this.docSpace = manifest.nextDoc;
    this.segments = manifest.segments.map((s) => new SegmentView(s));
    this.termChars = TERM_SHARD_FACTOR * manifest.segments.reduce((n, s) => n + s.termBytes / 2 ** s.shardBits, 0);
    try {
      this.deadSorted = deadDocs(manifest);
      // The day runs are decoded by the first query that needs dates (see `runs`); their shape is checked now.
      for (const s of manifest.segments) {
        const problem = daysTableProblem(s.days);
        if (problem) throw new RangeError(`segment ${s.id}'s days table: ${problem}`);
      }
    } catch (e) {
      throw this.corruptTable(e);
    }
    if (this.deadSorted.length > 0) this.dead = new Set(this.deadSorted);
  }

  /**
   * The editor's synonyms with the archive's house styles (manifest.houseStyles) added, less the
   * pairs the editor keeps apart; compiled once per manifest and editor table.
   */
  synonymsWith(editor: SynonymTable): SynonymTable {
    if (!this.manifest.houseStyles?.length) return editor;
    this.houseStyles ??= houseTablesOf(this.manifest.houseStyles);
    if (this.houseStyles.house.size === 0) return editor;
    let t = this.houseStyles.joined.get(editor);
    if (!t) this.houseStyles.joined.set(editor, (t = withHouseStyles(editor, this.houseStyles.house)));
    return t;
  }

  private corruptTable(e: unknown): BahthError {
    return new BahthError('INDEX_CORRUPT', `index ${this.version} has a segment table that cannot be read: ${(e as Error).message}`, {}, e);
  }

  /**
   * Publication days over global doc numbers, decoded on first use: an isolate decodes them once
   * per manifest, and only when a query needs dates (recency, date order or ranges, the year
   * facet). At 1M articles over 25 years they are 10,324 runs, some 3–6 ms on a fresh isolate's
   * cold JIT, which suggestions, articles and queries without dates no longer pay.
   */
  get runs(): DayRuns {
    if (this.dayRuns) return this.dayRuns;
    try {
      return (this.dayRuns = globalRuns(this.manifest.segments));
    } catch (e) {
      throw this.corruptTable(e);
    }
  }

  /** Day of the newest live dated doc (-1: none dated). */
  get newestDay(): number {
    return (this.newestDayCache ??= this.findNewestDay());
  }

  /** Bytes the isolate's cache holds (estimated). */
  get cachedBytes(): number {
    return this.store.cachedBytes;
  }

  private years?: Uint16Array;
  private readonly recencies = new Map<number, Float32Array>();

  /** Per day run, its year (the year facet): made once per archive, not per query. */
  get yearOfRun(): Uint16Array {
    return (this.years ??= runYears(this.runs));
  }

  /** Per day run, the recency prior's factor for a half-life (days): made once per archive and half-life. */
  recencyOfRun(halfLifeDays: number): Float32Array {
    let r = this.recencies.get(halfLifeDays);
    if (!r) this.recencies.set(halfLifeDays, (r = runRecency(this.runs, this.newestDay, halfLifeDays, this.docSpace)));
    return r;
  }

  private tfTables?: { title: Float32Array; body: Float32Array };

  /**
   * BM25's tf factor, `tf / (tf + k1 (1 - b + b len / avg))` in 0..1, for every posting code
   * (tf and field length), with this archive's average lengths: made once per manifest.
   */
  get bm25(): { title: Float32Array; body: Float32Array } {
    if (this.tfTables) return this.tfTables;
    const { k1, b } = this.manifest.bm25;
    const { docs, titleLength, bodyLength } = this.manifest.stats;
    const table = (avg: number, bField: number) => {
      // BM25's length normalization depends on the length code only: 128 values, not 8,064.
      const norm = new Float64Array(LENGTH_CODES);
      for (let l = 0; l < LENGTH_CODES; l++) norm[l] = k1 * (1 - bField + (bField * lengthOfCode(l)) / (avg || 1));
      const out = new Float32Array((MAX_TF_UNITS + 1) * LENGTH_CODES);
      for (let units = 1; units <= MAX_TF_UNITS; units++) {
        const tf = units / TF_UNIT;
        const row = units * LENGTH_CODES;
        for (let l = 0; l < LENGTH_CODES; l++) out[row + l] = tf / (tf + norm[l]!);
      }
      return out;
    };
    return (this.tfTables = { title: table(docs ? titleLength / docs : 0, b.title), body: table(docs ? bodyLength / docs : 0, b.body) });
  }

  get tables(): ArchiveManifest['tables'] {
    return this.manifest.tables;
  }

  isDead(doc: number): boolean {
    return this.dead !== undefined && this.dead.has(doc);
  }

  /** The segment holding a doc (segments are ordered by doc range). */
  segmentOf(doc: number): SegmentView | undefined {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = this.segments[mid]!.meta;
      if (doc < m.first) hi = mid - 1;
      else if (doc >= m.end) lo = mid + 1;
      else return this.segments[mid];
    }
    return undefined;
  }

  /** Index of the day run holding a doc. */
  runOf(doc: number): number {
    const { first, count } = this.runs;
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (first[mid]! <= doc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** A doc's publication day (days since 1970), -1 when undated. */
  dayOf(doc: number): number {
    return this.runs.day[this.runOf(doc)] ?? -1;
  }

  /**
   * Every term's entries in every segment, read in one batch (shard keys of all segments at
   * once), merged. Null: no live doc has the term. The postings stay valid for the caller even
   * if the cache evicts their shard meanwhile. `whole`: big terms' tiers B are read in the same
   * batch (a big term without one costs a read of a missing key), and the terms come back whole.
   */
  async loadTerms(terms: string[], stats: ReadStats, whole = false): Promise<Map<string, LoadedTerm | null>> {
    const rests = whole ? (s: SegmentView, t: string) => (s.big.has(t) ? keys.bigRest(s.meta.id, t) : undefined) : undefined;
    const { shards, out } = await this.readTerms(terms, stats, (s, t) => s.termKey(t), rests);
    if (whole) {
      for (const [t, merged] of out) {
        if (!merged?.rest) continue;
        // A tier B not in the batch stays unread (loadRest reads it, or says it is missing).
        const unread = merged.rest.filter((ref) => {
          const view = shards.get(ref.key);
          const part = view?.get(t)?.part;
          if (part) merged.parts.push(part);
          return !view;
        });
        merged.rest = unread.length ? unread : undefined;
      }
    }
    return out;
  }

  /**
   * The terms' title postings, for search as you type (one batch): a big term's from its titles'
   * key where its segment has one (SegmentMeta.bigTitles), a twentieth of the big term's bytes at
   * a million articles; every other term as {@link loadTerms} reads it. Each term's df is the
   * whole term's. Only the title postings of what comes back may be read.
   */
  async loadTitleTerms(terms: string[], stats: ReadStats): Promise<Map<string, LoadedTerm | null>> {
    const { out } = await this.readTerms(terms, stats, (s, t) => (s.meta.bigTitles && s.big.has(t) ? keys.bigTitles(s.meta.id, t) : s.termKey(t)));
    // A tier B holds no title posting (tiers.ts): nothing of it is read here.
    for (const merged of out.values()) if (merged) merged.rest = undefined;
    return out;
  }

  /**
   * Each term's entries over the segments, from the key `keyOf` names in each (and the optional
   * `extra` key, missing allowed: a tier B), read in one batch, merged.
   */
  private async readTerms(terms: string[], stats: ReadStats, keyOf: (s: SegmentView, t: string) => string, extra?: (s: SegmentView, t: string) => string | undefined): Promise<{ shards: Map<string, ShardView>; out: Map<string, LoadedTerm | null> }> {
    const wanted = new Set<string>();
    for (const s of this.segments) {
      for (const t of terms) {
        wanted.add(keyOf(s, t));
        const more = extra?.(s, t);
        if (more !== undefined) wanted.add(more);
      }
    }
    const shards = await this.store.load([...wanted], stats, (key, text) => new ShardView(key, text, this.segmentForKey(key), this.charger(key)), isRestKey);
    const out = new Map<string, LoadedTerm | null>();
    for (const t of terms) {
      const found: SegmentTerm[] = [];
      for (const s of this.segments) {
        const e = shards.get(keyOf(s, t))?.get(t);
        if (e) found.push(e);
      }
      out.set(t, mergeTerm(found));
    }
    return { shards, out };
  }

  /**
   * Reads the tiers B of the loaded terms that have one unread (one batch), adding their postings
   * as parts: the terms are then whole. Returns how many keys it read.
   */
  async loadRest(loaded: Map<string, LoadedTerm | null>, stats: ReadStats): Promise<number> {
    const wanted = new Map<string, { term: string; ref: RestRef; t: LoadedTerm }[]>();
    for (const [term, t] of loaded) for (const ref of t?.rest ?? []) {
      const list = wanted.get(ref.key);
      if (list) list.push({ term, ref, t: t! });
      else wanted.set(ref.key, [{ term, ref, t: t! }]);
    }
    if (wanted.size === 0) return 0;
    const got = await this.store.load([...wanted.keys()], stats, (key, text) => new ShardView(key, text, wanted.get(key)![0]!.ref.segment, this.charger(key)));
    for (const [key, list] of wanted) {
      for (const { term, t } of list) {
        const part = got.get(key)!.get(term)?.part;
        if (part) t.parts.push(part);
        t.rest = undefined;
      }
    }
    return wanted.size;
  }

  /** What a shard's view calls with the bytes each entry decoded adds: the cache counts them against its cap. */
  private charger(key: string): (bytes: number) => void {
    return (bytes) => this.store.charge(key, bytes);
  }

  private segmentForKey(key: string): SegmentMeta {
    const id = key.slice(2, key.indexOf('/', 2));
    const s = this.segments.find((x) => x.meta.id === id);
    if (!s) throw new Error(`no segment ${id} in the manifest`);
    return s.meta;
  }

  /** Full articles by doc number (for snippets and hit fields). */
  async docs(nums: number[], stats: ReadStats): Promise<Map<number, Article>> {
    const loaded = await this.store.load(nums.map((n) => keys.doc(this.manifest.archive, n)), stats, (_k, json) => { const a = JSON.parse(json) as Article | null; if (typeof a?.id !== 'string' || typeof a.title !== 'string' || !Array.isArray(a.body) || !Array.isArray(a.sources)) throw new TypeError('not an article'); return a; });
    return new Map(nums.map((n) => [n, loaded.get(keys.doc(this.manifest.archive, n))!]));
  }

  /** Counts `bytes` of data kept beside a cached article (its word index) against the cache's cap. */
  chargeDoc(num: number, bytes: number): void {
    this.store.charge(keys.doc(this.manifest.archive, num), bytes);
  }

  /** The live doc of an article id, or undefined: the newest segment that has the id decides. */
  async docOfId(id: string, stats: ReadStats): Promise<number | undefined> {
    const sharded: SegmentView[] = [];
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (s.meta.ids) {
        const local = s.inlineDoc(id);
        if (local !== undefined) {
          const doc = s.meta.first + local;
          if (!this.isDead(doc)) return doc;
        }
      } else sharded.push(s);
    }
    if (sharded.length === 0) return undefined;
    const list = sharded.map((s) => keys.ids(s.meta.id, idShardOf(id, s.meta.idBits)));
    const shards = await this.store.load(list, stats, (_k, json) => JSON.parse(json) as Record<string, number>);
    for (const s of sharded) {
      const local = shards.get(keys.ids(s.meta.id, idShardOf(id, s.meta.idBits)))?.[id];
      if (typeof local !== 'number') continue;
      const doc = s.meta.first + local;
      if (!this.isDead(doc)) return doc;
    }
    return undefined;
  }

  /** One live article by id, or undefined. */
  async article(id: string, stats: ReadStats): Promise<Article | undefined> {
    const doc = await this.docOfId(id, stats);
    return doc === undefined ? undefined : (await this.docs([doc], stats)).get(doc);
  }

  /** The cards of some docs (one read for all their blocks). */
  async cards(docs: number[], stats: ReadStats): Promise<Map<number, Card>> {
    const place = (doc: number) => {
      const s = this.segmentOf(doc);
      if (!s) throw new BahthError('INDEX_CORRUPT', `index ${this.version} has no segment for doc ${doc}`);
      const local = doc - s.meta.first;
      return { key: keys.cards(s.meta.id, Math.floor(local / s.meta.cardsBlock)), at: local % s.meta.cardsBlock };
    };
    const places = docs.map(place);
    const blocks = await this.store.load([...new Set(places.map((p) => p.key))], stats, (_k, json) => JSON.parse(json) as Card[]);
    const out = new Map<number, Card>();
    docs.forEach((d, i) => {
      const card = blocks.get(places[i]!.key)?.[places[i]!.at];
      if (!card) throw new BahthError('INDEX_CORRUPT', `index ${this.version} has no card for doc ${d}`);
      out.set(d, card);
    });
    return out;
  }

  /**
   * The id, title and date of some docs (one read for all their blocks): from the cards' title
   * blocks where the segment has them (SegmentMeta.cardTitles), a third of the cards' bytes,
   * else from the cards.
   */
  async titles(docs: number[], stats: ReadStats): Promise<Map<number, { id: string; title: string; date?: string }>> {
    const out = new Map<number, { id: string; title: string; date?: string }>();
    const older = docs.filter((d) => !this.segmentOf(d)?.meta.cardTitles);
    const newer = docs.filter((d) => this.segmentOf(d)?.meta.cardTitles);
    const place = (doc: number) => {
      const s = this.segmentOf(doc)!;
      const local = doc - s.meta.first;
      return { key: keys.cardTitles(s.meta.id, Math.floor(local / s.meta.cardsBlock)), at: local % s.meta.cardsBlock };
    };
    const places = newer.map(place);
    // Both in the same round trip.
    const [cards, blocks] = await Promise.all([
      older.length ? this.cards(older, stats) : new Map<number, Card>(),
      this.store.load([...new Set(places.map((p) => p.key))], stats, (_k, json) => JSON.parse(json) as (TitleLine | null)[]),
    ]);
    for (const [d, c] of cards) out.set(d, { id: c.id, title: c.title, ...(c.date ? { date: c.date } : {}) });
    newer.forEach((d, i) => {
      const line = blocks.get(places[i]!.key)?.[places[i]!.at];
      if (!Array.isArray(line) || typeof line[0] !== 'string' || typeof line[1] !== 'string') throw new BahthError('INDEX_CORRUPT', `index ${this.version} has no title for doc ${d}`);
      out.set(d, { id: line[0], title: line[1], ...(line[2] ? { date: line[2] } : {}) });
    });
    return out;
  }

  /**
   * Live docs newest first (by day, then doc number), `limit` of them after `offset`; with
   * `days`, only those published within them (an undated doc is in no range).
   */
  newest(offset: number, limit: number, days?: DayRange): number[] {
    const out: number[] = [];
    let skip = offset;
    for (const r of this.runsNewest(days)) {
      if (out.length >= limit) break;
      const [first, end] = this.runDocs(r);
      const live = end - first - this.deadBetween(first, end);
      if (skip >= live) {
        skip -= live;
        continue;
      }
      for (let d = end - 1; d >= first && out.length < limit; d--) {
        if (this.isDead(d)) continue;
        if (skip > 0) skip--;
        else out.push(d);
      }
    }
    return out;
  }

  private runOrder?: number[];

  /** The day runs newest first (as {@link newest} orders their docs), within `days`. */
  runsNewest(days?: DayRange): number[] {
    const runs = this.runs; // decoded on first use: once here, not per comparison
    const order = (this.runOrder ??= Array.from({ length: runs.count }, (_, i) => i).sort((a, b) => runs.day[b]! - runs.day[a]! || runs.first[b]! - runs.first[a]!));
    return days ? order.filter((r) => inRange(runs.day[r]!, days)) : order;
  }

  /** A day run's docs, `[first, end)`. */
  runDocs(r: number): [number, number] {
    const runs = this.runs;
    return [runs.first[r]!, r + 1 < runs.count ? runs.first[r + 1]! : this.docSpace];
  }

  /** A day run's live docs. */
  liveOfRun(r: number): number {
    const [first, end] = this.runDocs(r);
    return end - first - this.deadBetween(first, end);
  }

  private readonly runCodes = new Map<number, Int32Array>();
  /** Scratch counts by code for {@link codesOfRun} (all 0 between calls). */
  private codeCounts?: Int32Array;

  /**
   * A day run's live docs counted by attribute code, as pairs (code, count): what a listing by
   * source or category, or with facets, adds up instead of passing over every doc (facets.ts
   * listNewest). Counted once per archive and run, from the codes {@link learnRanges} learnt
   * (which it must have learnt for the run: a doc's code never changes, and an archive's dead
   * docs are its own).
   */
  codesOfRun(r: number): Int32Array {
    let out = this.runCodes.get(r);
    if (out) return out;
    const codes = this.attributeOf;
    const [first, end] = this.runDocs(r);
    const counts = (this.codeCounts ??= new Int32Array(this.tables.attributes.length + 1));
    const dead = this.dead;
    let distinct = 0;
    const seen: number[] = [];
    for (let d = first; d < end; d++) {
      if (dead?.has(d)) continue;
      const code = codes[d]!;
      if (counts[code]!++ === 0) seen[distinct++] = code;
    }
    out = new Int32Array(distinct * 2);
    for (let i = 0; i < distinct; i++) {
      const code = seen[i]!;
      out[2 * i] = code;
      out[2 * i + 1] = counts[code]!;
      counts[code] = 0;
    }
    this.runCodes.set(r, out);
    return out;
  }

  /** The doc ranges `[first, end)` of the day runs within `days` (every run without), ascending. */
  runRanges(days?: DayRange): [number, number][] {
    const runs = this.runs;
    const out: [number, number][] = [];
    for (let r = 0; r < runs.count; r++) {
      if (days && !inRange(runs.day[r]!, days)) continue;
      const first = runs.first[r]!;
      const end = r + 1 < runs.count ? runs.first[r + 1]! : this.docSpace;
      const last = out[out.length - 1];
      if (last && last[1] === first) last[1] = end;
      else out.push([first, end]);
    }
    return out;
  }

  /** Live docs published within `days` (every live doc without). */
  liveWithin(days?: DayRange): number {
    if (!days) return this.docCount;
    const runs = this.runs;
    let n = 0;
    for (let r = 0; r < runs.count; r++) {
      if (!inRange(runs.day[r]!, days)) continue;
      const first = runs.first[r]!;
      const end = r + 1 < runs.count ? runs.first[r + 1]! : this.docSpace;
      n += end - first - this.deadBetween(first, end);
    }
    return n;
  }

  /** Dead docs in [first, end). */
  private deadBetween(first: number, end: number): number {
    return lowerBound(this.deadSorted, end) - lowerBound(this.deadSorted, first);
  }

  /**
   * Typo-tolerance candidates: the lexicon lists (words and their dfs, most used first) of the wanted
   * first letters and lengths, summed over the segments (a word counts when in 2+ docs).
   */
  async lexicon(wanted: { first: string; length: number }[], stats: ReadStats): Promise<LexiconList[]> {
    const wantedKeys = [...new Set(wanted.map((w) => `${w.first}/${w.length}`))];
    if (wantedKeys.length === 0) return [];
    const list: string[] = [];
    for (const s of this.segments) {
      if (s.meta.lexicon === 'one') list.push(keys.lexiconAll(s.meta.id));
      else for (const k of wantedKeys) list.push(keys.lexicon(s.meta.id, k.slice(0, k.indexOf('/')), Number(k.slice(k.indexOf('/') + 1))));
    }
    const loaded = await this.store.load(list, stats, (_k, text) => readLexiconList(text), true);
    if (this.segments.length === 1 && this.segments[0]!.meta.lexicon === 'split') return list.map((k) => loaded.get(k) ?? NO_WORDS);
    return mergeLexicon(wantedKeys, list.map((k) => loaded.get(k) ?? NO_WORDS));
  }

  /**
   * Whether a term's title postings come only with its whole postings: it is a big term (a key
   * of its own, tens of KB at a million articles) in a segment written without its titles' key
   * (SegmentMeta.bigTitles, since build revision 12).
   */
  titlesDear(term: string): boolean {
    return this.segments.some((s) => !s.meta.bigTitles && s.big.has(term));
  }

  /** Completions for a two-letter prefix (`[norm, display, count]`, most used first), over the segments. */
  async suggestions(prefix: string, stats: ReadStats): Promise<SuggestEntry[]> {
    return (await this.suggestionsOf([prefix], stats)).get(prefix) ?? [];
  }

  /**
   * Completions of several typed prefixes (two letters or more), read in one batch: each from
   * the key of its segment's group for it (a crowded group is split by more letters:
   * SegmentMeta.suggestSplit). A list holds the words of its group, not only of the prefix (a
   * typo after the group's letters is read among them: suggest-typos.ts): filter by the prefix.
   * Over several segments, the words of the longest of their groups, which every list covers.
   */
  async suggestionsOf(prefixes: string[], stats: ReadStats): Promise<Map<string, SuggestEntry[]>> {
    const keyOf = (s: SegmentView, prefix: string) => (s.meta.suggest === 'one' ? keys.suggestAll(s.meta.id) : keys.suggest(s.meta.id, groupPrefix(s.meta.suggestSplit, prefix)));
    const list = [...new Set(prefixes.flatMap((p) => this.segments.map((s) => keyOf(s, p))))];
    const out = new Map<string, SuggestEntry[]>();
    if (list.length === 0) return out;
    const loaded = await this.store.load(list, stats, (_k, json) => JSON.parse(json) as SuggestEntry[], true);
    for (const prefix of prefixes) {
      if (this.segments.length === 1 && this.segments[0]!.meta.suggest === 'split') out.set(prefix, loaded.get(keyOf(this.segments[0]!, prefix)) ?? []);
      else {
        const group = this.segments.map((s) => groupPrefix(s.meta.suggest === 'one' ? undefined : s.meta.suggestSplit, prefix)).reduce((a, b) => (b.length > a.length ? b : a));
        out.set(prefix, mergeSuggestions(group, this.segments.map((s) => loaded.get(keyOf(s, prefix)) ?? [])));
      }
    }
    return out;
  }

  /**
   * Each doc's attribute code (manifest tables), learnt from the terms a query with facets or
   * filters matched ({@link learnAttributes}): a candidate always comes from such a term, so its
   * code is known. Made by the first such query (not at start-up).
   */
  get attributeOf(): Uint8Array | Uint16Array | Uint32Array {
    return this.attributeCache.ensure(this.docSpace, this.manifest.tables.attributes.length);
  }

  /**
   * Stores the attribute codes of the docs of these terms in {@link attributeOf}, once per
   * loaded part (a query without facets or filters never reads them).
   */
  learnAttributes(terms: Iterable<LoadedTerm | null | undefined>): void {
    const out = this.attributeOf;
    const learned = this.attributeCache.learned;
    for (const t of terms) {
      for (const part of t?.parts ?? []) {
        const codes = part.attributes;
        if (!codes) continue;
        const width = part.attributeWidth;
        // Read again after the cache let it go: its docs' codes are known.
        if (part.origin !== undefined && learned.has(part.origin)) {
          part.attributes = undefined;
          continue;
        }
        let k = 0;
        for (const field of [part.title, part.body]) {
          for (const slot of field?.slots ?? []) {
            for (let j = 0; j < slot.length; j++) {
              const code = readFixed(codes, k++, width); // -1 past the end
              if (code < 0) throw this.badCodes();
              out[slot[j]!] = code;
            }
          }
        }
        if (k * width !== codes.length) throw this.badCodes();
        part.attributes = undefined;
        if (part.origin !== undefined && k >= LEARNED_FROM) {
          if (learned.size >= LEARNED_MAX) learned.clear();
          learned.add(part.origin);
        }
      }
    }
  }

  /**
   * Learns the attribute codes of the docs of some doc ranges (`[first, end)`, as
   * {@link runRanges} gives them) without their terms, for a listing filtered or faceted by source
   * or category (`/articles`): from each segment's attribute keys (one read for all the blocks
   * they fall in, none for a block learnt before), or, for a segment written before those keys
   * (SegmentMeta.attributeBlock) and of at most `cardedMax` docs, from the live docs' cards.
   */
  async learnRanges(ranges: readonly [number, number][], stats: ReadStats, cardedMax = CARDED_MAX): Promise<void> {
    const learned = this.attributeCache.learned;
    const blocks = new Map<string, { segment: SegmentMeta; block: number }>();
    const carded: number[] = [];
    for (const [from, to] of ranges) {
      for (const view of this.segments) {
        const s = view.meta;
        const a = Math.max(from, s.first);
        const b = Math.min(to, s.end);
        if (a >= b) continue;
        if (!s.attributeBlock) {
          // A few cards' worth (an older delta's); a large older segment is refused, not read whole.
          if (s.end - s.first > cardedMax) {
            throw new BahthError('INDEX_UNAVAILABLE', `listing by source, category or with facets needs the attribute keys that builds write since 2026-12-07, and segment ${s.id} (${s.docs} articles) predates them: rebuild the index, or fold it anew (npm run publish -- --compact full)`);
          }
          for (let d = a; d < b; d++) if (!this.isDead(d)) carded.push(d);
          continue;
        }
        for (let block = Math.floor((a - s.first) / s.attributeBlock); block <= Math.floor((b - 1 - s.first) / s.attributeBlock); block++) {
          const key = keys.attributes(s.id, block);
          if (!learned.has(key)) blocks.set(key, { segment: s, block });
        }
      }
    }
    const [columns, cards] = await Promise.all([
      blocks.size ? this.store.load([...blocks.keys()], stats, (_k, text) => text) : new Map<string, string>(),
      carded.length ? this.cards(carded, stats) : new Map<number, Card>(),
    ]);
    const out = this.attributeOf;
    const kinds = this.manifest.tables.attributes.length;
    for (const [key, { segment: s, block }] of blocks) {
      const text = columns.get(key);
      const start = s.first + block * s.attributeBlock!;
      const count = Math.min(s.attributeBlock!, s.end - start);
      if (text === undefined || text.length !== count * s.attributeWidth) throw new BahthError('INDEX_CORRUPT', `index ${this.version}: ${key} does not hold ${count} attribute codes`);
      for (let i = 0; i < count; i++) {
        const code = readFixed(text, i, s.attributeWidth);
        if (code < 0 || code >= kinds) throw this.badCodes();
        out[start + i] = code;
      }
      if (learned.size >= LEARNED_MAX) learned.clear();
      learned.add(key);
    }
    if (cards.size) {
      const codeOf = attributeCoder(this.manifest.tables);
      for (const [d, card] of cards) {
        const code = codeOf(card);
        if (code === undefined) throw this.badCodes();
        out[d] = code;
      }
    }
  }

  private badCodes(): BahthError {
    return new BahthError('INDEX_CORRUPT', `index ${this.version} has attribute codes that do not match the postings`);
  }

  /**
   * The newest day a live doc is dated, not after the archive's publication (and
   * {@link DATE_SLACK_DAYS}): one date typed in the future (2081 for 2018) would otherwise age
   * every other doc by decades and switch the recency prior off for the whole archive. A doc
   * dated past it gets the newest's factor (runRecency).
   */
  private findNewestDay(): number {
    const published = Date.parse(this.manifest.publishedAt);
    const limit = Number.isFinite(published) ? Math.floor(published / 86_400_000) + DATE_SLACK_DAYS : Infinity;
    let best = -1;
    const runs = this.runs;
    for (let r = 0; r < runs.count; r++) {
      const day = runs.day[r]!;
      if (day <= best || day > limit) continue;
      const first = runs.first[r]!;
      const end = r + 1 < runs.count ? runs.first[r + 1]! : this.docSpace;
      if (end - first > this.deadBetween(first, end)) best = day;
    }
    return best;
  }
}

/**
 * Days after the archive's publication a doc's date may lie and still be the newest the recency
 * prior measures age from: time zones, and an article scheduled for the next morning.
 */
const DATE_SLACK_DAYS = 1;

/**
 * The completion group a typed prefix is read from: its first two letters, then one more for
 * as long as the group so far was split (a sorted list; Vocabulary.splitGroups).
 */
/** An archive's house styles compiled, and joined with each editor table asked for. */
interface HouseTables {
  house: SynonymTable;
  joined: WeakMap<SynonymTable, SynonymTable>;
}

/**
 * Compiled house styles by their pairs (the manifest's list): every reader of an archive shares
 * them (a new manifest generation keeps the pairs of the last full build), so a fresh reader
 * compiles neither the pairs (half a millisecond for the corpus's eight) nor their join with the
 * editor's table again. A few lists at most (one a full build).
 */
const HOUSE_TABLES = new Map<string, HouseTables>();
const HOUSE_TABLES_KEPT = 4;

function houseTablesOf(pairs: readonly (readonly [string, string])[]): HouseTables {
  const key = JSON.stringify(pairs);
  let t = HOUSE_TABLES.get(key);
  if (!t) {
    if (HOUSE_TABLES.size >= HOUSE_TABLES_KEPT) HOUSE_TABLES.delete(HOUSE_TABLES.keys().next().value!);
    HOUSE_TABLES.set(key, (t = { house: houseStyleTable(pairs), joined: new WeakMap() }));
  }
  return t;
}

export function groupPrefix(split: readonly string[] | undefined, typed: string): string {
  let k = 2;
  while (split && k < typed.length && sortedHas(split, typed.slice(0, k))) k++;
  return typed.slice(0, k);
}

function sortedHas(sorted: readonly string[], x: string): boolean {
  return sorted[lowerBound(sorted, x)] === x;
}

/** A big term's tier-B key (read on speculation with its tier A: many big terms have none). */
function isRestKey(key: string): boolean {
  return key.endsWith('/2') && key.includes('/b/');
}

/** Position of the first value ≥ x in an ascending list. */
function lowerBound<T extends number | string>(sorted: readonly T[], x: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
