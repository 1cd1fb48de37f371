/**
 * The live archive as one value: the `manifest` key names the archive, its statistics and every
 * segment (the base first, then merged and delta segments, oldest first). A reader needs nothing
 * else to plan a query, so a fresh isolate's first query costs three round trips: `manifest`,
 * then the term shards of every segment in one batch, then the page's articles.
 *
 * Segments are immutable once written and live under keys of their own (`s/<segment>/…`);
 * articles live under `a/<archive>/d/<doc>` and are written once: doc numbers are never reused
 * (a replaced article gets a new number, the old one is tombstoned). A publish writes a new
 * segment, then the manifest; a compaction writes a merged segment and a manifest that names it
 * in place of the segments it merged. See docs/architecture.md.
 */
import { decodeInts, encodeInts } from './codec';
import { FORMAT_VERSION, READABLE_FORMATS } from './layout';

/** BM25 parameters of the impacts stored in every segment's postings. */
export interface Bm25Params {
  k1: number;
  b: { title: number; body: number };
}

/** Where a segment sits in the merge policy. */
export type SegmentLevel = 'base' | 'merged' | 'delta';

/** One segment: the index of the docs in `[first, end)`, as written when it was made. */
export interface SegmentMeta {
  /** Unique id: its keys are `s/<id>/…`. */
  id: string;
  level: SegmentLevel;
  /** Doc-number range of its docs (some may be dead since: see `kills` of later segments). */
  first: number;
  end: number;
  /** Docs written in it (end - first, less any purged by a merge). */
  docs: number;
  /** Distinct terms. */
  terms: number;
  /** Term shards: `2 ** shardBits` keys `s/<id>/t/<n>`. */
  shardBits: number;
  /** Terms too large to share a shard, each under `s/<id>/b/…`. */
  big: string[];
  /** Bytes of its term values (to size a merge's shards). */
  termBytes: number;
  /** Publication days over its docs (encodeDays; `firstDoc` relative to `first`), oldest first. */
  days: string;
  /** Characters of one attribute code in its term entries. */
  attributeWidth: number;
  /** Cards per `s/<id>/c/<block>` key (blocks over `doc - first`). */
  cardsBlock: number;
  /** Id lookup: `ids` inline for a small segment, else `2 ** idBits` keys `s/<id>/i/<n>`. */
  idBits: number;
  ids?: [id: string, doc: number][];
  /** Lexicon and completions: one key each (`one`, small segments) or split by letter (`split`). */
  lexicon: 'one' | 'split';
  suggest: 'one' | 'split';
  /**
   * The completion prefixes (`split` only) whose group was crowded and is also split by one
   * more letter, sorted (Vocabulary.splitGroups): a typed word reads the key of the longest of
   * them it starts with, plus its next letter. Absent: two-letter keys only (as every segment
   * before 2026-12-05 has them, and a reader of that time reads these).
   */
  suggestSplit?: string[];
  /**
   * Each big term's title postings are also under `s/<id>/b/…/t` (keys.bigTitles), which
   * /suggest reads instead of the whole big term (written since 2026-12-06, build revision 12).
   * Absent: /suggest reads the big term's key, as a reader of before then does.
   */
  bigTitles?: boolean;
  /**
   * Each cards block's titles are also under `s/<id>/c/<block>/t` (keys.cardTitles), which
   * /suggest reads instead of the cards (written since 2026-12-06, build revision 12). Absent:
   * /suggest reads the cards.
   */
  cardTitles?: boolean;
  /**
   * Docs per `s/<id>/a/<block>` key (keys.attributes): each doc's attribute code, written since
   * 2026-12-07 (build revision 18). Absent: a listing filtered by source or category reads the
   * segment's cards instead.
   */
  attributeBlock?: number;
  /**
   * Docs of older segments this segment's publish removed (deleted, or replaced by one of its
   * own), ascending: they are dead for every reader. Its term entries subtract them from their
   * document frequencies, so df summed over the segments is the live archive's.
   */
  kills: string;
  /**
   * Docs of its own range `[first, end)` it does not hold, ascending (as `kills`): those dead when
   * the compaction that wrote it purged them. Dead for every reader like the killed ones (a
   * listing by date must skip them; written since 2026-12-07). Absent: none.
   */
  holes?: string;
  /** Summed field lengths (words) of its docs, for the archive's average lengths. */
  lengths: { title: number; body: number };
  /** Keys and bytes it wrote (its own values; articles are counted apart). */
  keys: number;
  bytes: number;
  createdAt: string;
}

/** What the `manifest` key holds. */
export interface ArchiveManifest {
  format: number;
  /** The lineage of doc numbers and article keys (`a/<archive>/…`); set by a full build. */
  archive: string;
  /** One more per publish or compaction. */
  generation: number;
  publishedAt: string;
  builtAt: string;
  analyzer: string;
  flexsearch: { version: string; options: Record<string, unknown> };
  bm25: Bm25Params;
  /** Doc numbers below this are taken. */
  nextDoc: number;
  /** Live docs and their summed field lengths (BM25's N and average lengths). */
  stats: { docs: number; titleLength: number; bodyLength: number };
  /** Attribute value tables, append-only: a doc's source × category code indexes `attributes`. */
  tables: { sources: string[]; categories: string[]; attributes: [source: number, category: number][] };
  /** Oldest first; doc ranges ascending and disjoint. */
  segments: SegmentMeta[];
  /**
   * Segments replaced by a compaction (and the articles of docs it purged), with when: their
   * keys are deleted by a later publish, once no reader can still be on a manifest naming them.
   */
  retired?: { at: string; segments: string[]; docs?: number[] }[];
  /**
   * The seal its base was built with: `fnv1a32` (`hex:text`, before 2026-12-04) or
   * `utf8-words32` (`hex;text`, layout.ts utf8Checksum). Each value names its own by its mark, so
   * a delta published later may hold the newer while its base holds the older: both are read.
   */
  checksum: 'fnv1a32' | 'utf8-words32';
  /**
   * Words the archive's outlets spell their own ways (ترامب, ترمب), found by the full build
   * (indexer/house-styles.ts): each pair is searched as a synonyms-file group. Kept by
   * publishes and compactions until the next full build; absent before 2026-12-06 or when the
   * build was told not to look.
   */
  houseStyles?: [string, string][];
}

export { FORMAT_VERSION };

/**
 * A card's attribute code under the manifest's tables (its first source × its category, -1 for
 * none, as the build codes them), or undefined for a pair the tables lack.
 */
export function attributeCoder(tables: ArchiveManifest['tables']): (card: { sources: string[]; category?: string }) => number | undefined {
  const pairCode = new Map(tables.attributes.map(([src, cat], code) => [`${src},${cat}`, code]));
  return (card) => {
    const src = card.sources[0] === undefined ? -1 : tables.sources.indexOf(card.sources[0]);
    const cat = card.category === undefined ? -1 : tables.categories.indexOf(card.category);
    return pairCode.get(`${src},${cat}`);
  };
}

/** The version a response names (ETags, `index`): the archive and its generation. */
export function versionOf(m: Pick<ArchiveManifest, 'archive' | 'generation'>): string {
  return m.generation === 0 ? m.archive : `${m.archive}.${m.generation}`;
}

/** Every dead doc (the kills and holes of all segments), ascending. */
export function deadDocs(m: ArchiveManifest): number[] {
  const all: number[] = [];
  for (const s of m.segments) {
    if (s.kills) all.push(...decodeInts(s.kills, true));
    if (s.holes) all.push(...decodeInts(s.holes, true));
  }
  return all.sort((a, b) => a - b);
}

/** Encodes an ascending list of doc numbers for `kills`. */
export function encodeKills(docs: number[]): string {
  return docs.length ? encodeInts([...docs].sort((a, b) => a - b), true) : '';
}

/**
 * Checks the shape of a manifest read from KV (a value from another format or a hand edit must
 * not crash the reader); returns a reason, or undefined when it is well formed.
 */
export function manifestProblem(m: unknown): string | undefined {
  if (!m || typeof m !== 'object') return 'not an object';
  const o = m as Partial<ArchiveManifest>;
  if (typeof o.format !== 'number') return 'no format';
  if (!READABLE_FORMATS.includes(o.format)) return undefined; // told apart by the caller
  if (typeof o.archive !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(o.archive)) return 'bad archive id';
  if (!Number.isInteger(o.generation) || !Number.isInteger(o.nextDoc)) return 'bad generation or nextDoc';
  if (!o.stats || !o.tables || !Array.isArray(o.segments) || o.segments.length === 0) return 'no segments';
  if (o.houseStyles !== undefined && !(Array.isArray(o.houseStyles) && o.houseStyles.every((p) => Array.isArray(p) && p.length === 2 && p.every((w) => typeof w === 'string' && w.length > 0 && w.length <= 64)))) return 'bad houseStyles';
  let end = 0;
  for (const s of o.segments) {
    if (typeof s.id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(s.id)) return 'bad segment id';
    if (!(s.first >= end && s.end >= s.first && s.end <= o.nextDoc!)) return `segment ${s.id} has a bad doc range`;
    end = s.end;
  }
  return undefined;
}
