/**
 * Writes one segment's values: term shards (and big terms), cards, typo lexicon, completions and
 * the id lookup, from what indexing collected. Runtime-neutral: the full build (a base of any
 * size, its postings spilled to disk) and a publish (a delta of a few articles, in memory) write
 * segments the same way, so a delta is read exactly like a base.
 */
import { encodeLexicon } from '../core/format/codec';
import { bareWord, isLexiconWord, stems } from '../core/analyzer/index';
import { encodeDays, encodeFixed, encodeShard, idShardOf, keys, sealShard, sealValue, spellingCode, SPELLING_CODE_LENGTH, type Card, type TermEntry, type TermShard, type TitleLine } from '../core/format/layout';
import { splitTiers } from './tiers';
import type { SegmentLevel, SegmentMeta } from '../core/format/manifest';
import { encodeKills } from '../core/format/manifest';
import { mergeSpills, type FieldStats } from './merge';
import type { Field } from './segment';
import type { Vocabulary } from './vocabulary';

/** Cards per cards key. */
export const CARDS_BLOCK = 50;
/**
 * Docs per attribute-code key (keys.attributes): 16 KB at one character a code, 3 keys for the
 * corpus's base, 62 at a million articles.
 */
export const ATTRIBUTE_BLOCK = 16_384;
/** A segment with at most this many docs keeps its ids in the manifest and one key each for lexicon and completions. */
export const SMALL_SEGMENT_DOCS = 256;
/** Aim for id-lookup shards of about this many bytes. */
const ID_SHARD_BYTES = 16 * 1024;

/**
 * Target size of a base or merged segment's term shards. A query word reads its whole shard to
 * use one line of it: 8 KB shards read 22 % fewer bytes than 16 KB ones for ordinary cold queries
 * on the corpus (62 KB against 80 KB median, answers identical) and cost 4 % less CPU, for 2,048
 * more keys (4,096 shards). At 1M they reach the 2^16 cap.
 */
export const BASE_SHARD_BYTES = 8 * 1024;

/**
 * Postings past this many bytes get keys of their own in a base or merged segment: 64 KB, what
 * 4 × 16 KB shards gave before the shards halved. Tied to the 8 KB shards instead, it made twice
 * the big terms at 1M (2,604 against 1,320), a 33 KB manifest against 19.6 KB, more bytes a
 * query (411 KB against 398 KB) and twice the time to open an isolate's index (7.7 ms against 3.9 ms).
 */
export const BASE_BIG_TERM_BYTES = 64 * 1024;

/** A base or merged segment's shard target and big-term threshold: the defaults, or 4 × a target asked for (`--shard-bytes`). */
export function baseSizing(shardTargetBytes?: number): { shardTargetBytes: number; bigTermBytes: number } {
  return shardTargetBytes ? { shardTargetBytes, bigTermBytes: shardTargetBytes * 4 } : { shardTargetBytes: BASE_SHARD_BYTES, bigTermBytes: BASE_BIG_TERM_BYTES };
}

/** What a segment holds besides its term postings (see {@link writeSegmentRest}). */
export interface SegmentRest {
  id: string;
  level: SegmentLevel;
  /** Global doc number of the segment's doc 0; the arrays below use local numbers. */
  first: number;
  /** Doc numbers it spans (`end - first`). */
  count: number;
  /** Docs it holds (fewer than `count` when a merge purged dead ones). */
  docs: number;
  /** Card JSON by local doc (null: a purged doc). */
  cards: (string | null)[];
  /** `[id, local doc]` of its docs. */
  ids: [string, number][];
  /** Publication days as `[day, firstLocalDoc]` runs, oldest first. */
  days: [number, number][];
  /** Normalized words and the docs that have them (net of `kills`), for the typo lexicon. */
  wordDf: Map<string, number>;
  vocabulary: Vocabulary;
  /** Docs of older segments this segment removes (see SegmentMeta.kills). */
  kills: number[];
  /** Docs of its own range it does not hold (a compaction's purged docs: SegmentMeta.holes), ascending. */
  holes?: number[];
  /** Each local doc's attribute code (the manifest's `tables.attributes`; any value for a purged doc). */
  attributeOf: ArrayLike<number>;
  attributeWidth: number;
  /** Summed field lengths of its docs. */
  lengths: { title: number; body: number };
  /**
   * Lexicon words below this count are left out: 2 for a base (its words seen once go to the
   * singles keys); 1 for other segments, which keep every net count they touched, zeros too.
   */
  lexiconMinDf: number;
}

/** What a publish or build indexed, as spilled postings (see Segment.spill). */
export interface SegmentSource extends SegmentRest {
  partitionBits: number;
  readPartition: (partition: number) => string | undefined;
  /** Bytes of spilled postings, to size the term shards. */
  spilledBytes: number;
  shardTargetBytes: number;
  /** Postings past this many bytes get keys of their own (big terms, in tiers); default 4 × `shardTargetBytes`. */
  bigTermBytes?: number;
  /** Field lengths by local doc, with the archive's average lengths. */
  stats: Record<Field, FieldStats>;
  k1: number;
  titleWordsOf: ArrayLike<number>;
  /** What the removed docs held (see MergeOptions.removed). */
  removedTerms?: Map<string, number>;
  /** A spelling in this many docs is "in use" (spellingInUseDf of the archive). */
  inUseDf: number;
  onPartition?: (done: number, total: number) => void;
}

/** The term keys a segment wrote. */
export interface TermsWritten {
  terms: number;
  shardBits: number;
  big: string[];
  /** Bytes of its term values (shards and big terms). */
  bytes: number;
}

/** What `s/<segment>/k` holds: the lexicon, singles and completion keys of a large segment. */
export interface KeyIndex {
  lexicon: string[];
  singles: string[];
  suggest: string[];
}

/** Counts what goes through `put`. */
export class Counter {
  keys = 0;
  bytes = 0;
  constructor(private readonly out: (key: string, value: string) => void) {}
  put = (key: string, value: string): void => {
    this.keys++;
    this.bytes += value.length;
    this.out(key, value);
  };
}

/**
 * Writes a big term under its own key, in two tiers when it has enough weak postings (tiers.ts),
 * and its title postings under a key of their own (keys.bigTitles).
 */
export function writeBigTerm(segment: string, term: string, entry: TermEntry, attributeWidth: number, put: (key: string, value: string) => void): void {
  // A filter term (#tag:…) is read whole: it filters, it does not score.
  const { head, rest } = term.startsWith('#') ? { head: entry, rest: undefined } : splitTiers(entry, attributeWidth);
  // ASCII throughout (the term escaped): its deflated value decodes to a one-byte string, cheaply.
  put(keys.bigTerm(segment, term), sealValue(encodeShard({ [term]: head }, true), true));
  if (rest) put(keys.bigRest(segment, term), sealValue(encodeShard({ [term]: rest }, true), true));
  // Its title postings again, alone (with the term's df, for its idf): what /suggest reads.
  put(keys.bigTitles(segment, term), sealValue(encodeShard({ [term]: [entry[0], entry[1], '', '', entry[4]] }, true), true));
}

/** The most shard bits a segment has: 65,536 term shards. Past it shards grow with the archive (and are stored deflated, layout.ts sealShard). */
export const MAX_SHARD_BITS = 16;

/** The shard bits for about `bytes` of term values at `target` bytes a shard. */
export function shardBitsFor(bytes: number, target: number): number {
  return Math.max(0, Math.min(MAX_SHARD_BITS, Math.ceil(Math.log2(Math.max(1, bytes / target)))));
}

/** Writes a segment from spilled postings through `put` and returns its description for the manifest. */
export function writeSegment(o: SegmentSource, put: (key: string, value: string) => void): SegmentMeta {
  const counter = new Counter(put);
  const shardBits = shardBitsFor(o.spilledBytes, o.shardTargetBytes);
  const { spellings, inUse } = spellingsOf(o.wordDf, o.inUseDf);
  const big: string[] = [];
  const terms = mergeSpills({
    readPartition: o.readPartition,
    partitionBits: o.partitionBits,
    shardBits,
    bigTermBytes: o.bigTermBytes ?? o.shardTargetBytes * 4,
    removed: o.removedTerms,
    spellings,
    spellingsInUse: inUse,
    attributeOf: o.attributeOf,
    attributeWidth: o.attributeWidth,
    titleWordsOf: o.titleWordsOf,
    k1: o.k1,
    stats: o.stats,
    onShard: (s, shard: TermShard) => counter.put(keys.shard(o.id, s), sealShard(encodeShard(shard), shardBits === MAX_SHARD_BITS)),
    onBigTerm: (term, entry) => {
      big.push(term);
      writeBigTerm(o.id, term, entry, o.attributeWidth, counter.put);
    },
    onPartition: o.onPartition,
  });
  return writeSegmentRest(o, { terms, shardBits, big, bytes: counter.bytes }, counter);
}

/**
 * Writes a segment's cards, typo lexicon, completions and id lookup; returns its description
 * (with the term keys already written, counted in `counter`).
 */
export function writeSegmentRest(o: SegmentRest, terms: TermsWritten, counter: Counter): SegmentMeta {
  const small = o.count <= SMALL_SEGMENT_DOCS;
  const put = counter.put;
  let suggestSplit: string[] = [];
  for (let b = 0; b * CARDS_BLOCK < o.count; b++) {
    const block = o.cards.slice(b * CARDS_BLOCK, (b + 1) * CARDS_BLOCK);
    put(keys.cards(o.id, b), sealValue(`[${block.map((c) => c ?? 'null').join(',')}]`));
    // Their titles alone, for search as you type (a third of the block: no lead, sources or category).
    put(keys.cardTitles(o.id, b), sealValue(JSON.stringify(block.map((c): TitleLine | null => {
      if (!c) return null;
      const card = JSON.parse(c) as Card;
      return [card.id, card.title, card.date ?? ''];
    }))));
  }
  for (let b = 0; b * ATTRIBUTE_BLOCK < o.count; b++) {
    const codes = Array.from({ length: Math.min(ATTRIBUTE_BLOCK, o.count - b * ATTRIBUTE_BLOCK) }, (_, i) => o.attributeOf[b * ATTRIBUTE_BLOCK + i] ?? 0);
    put(keys.attributes(o.id, b), sealValue(encodeFixed(codes, o.attributeWidth)));
  }
  if (small) {
    // Net counts, negative and zero ones included: a reader sums them over the segments, and a
    // word listed at all is one a later publish knows this segment counted (see publish.ts).
    const lexicon = [...o.wordDf].filter(([w, df]) => (df !== 0 || o.lexiconMinDf <= 1) && isLexiconWord(w));
    lexicon.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    put(keys.lexiconAll(o.id), sealValue(encodeLexicon(lexicon)));
    put(keys.suggestAll(o.id), sealValue(JSON.stringify([...o.vocabulary.groups(Infinity)].flatMap(([, entries]) => entries))));
  } else {
    // A key index, for a later merge to find every list (readers ask for lists by name).
    const index: KeyIndex = { lexicon: [], singles: [], suggest: [] };
    for (const [k, list] of groupLexicon(o.wordDf, o.lexiconMinDf)) {
      const [first, len] = k.split('/') as [string, string];
      list.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      put(keys.lexicon(o.id, first, Number(len)), sealValue(encodeLexicon(list)));
      index.lexicon.push(k);
    }
    if (o.lexiconMinDf > 1) {
      for (const [k, list] of groupSingles(o.wordDf)) {
        const [first, len] = k.split('/') as [string, string];
        put(keys.singles(o.id, first, Number(len)), sealValue(JSON.stringify(list.sort())));
        index.singles.push(k);
      }
    }
    const completions = o.vocabulary.splitGroups();
    for (const [prefix, entries] of completions.groups) {
      put(keys.suggest(o.id, prefix), sealValue(JSON.stringify(entries)));
      index.suggest.push(prefix);
    }
    suggestSplit = completions.split;
    put(keys.keyIndex(o.id), sealValue(JSON.stringify(index)));
  }
  let idBits = -1;
  let ids: [string, number][] | undefined;
  if (small) ids = o.ids;
  else {
    idBits = Math.max(0, Math.ceil(Math.log2(Math.max(1, (o.ids.length * 40) / ID_SHARD_BYTES))));
    const shards: Record<string, number>[] = Array.from({ length: 2 ** idBits }, () => ({}));
    for (const [id, local] of o.ids) shards[idShardOf(id, idBits)]![id] = local;
    shards.forEach((s, n) => put(keys.ids(o.id, n), sealValue(JSON.stringify(s))));
  }
  return {
    id: o.id,
    level: o.level,
    first: o.first,
    end: o.first + o.count,
    docs: o.docs,
    terms: terms.terms,
    shardBits: terms.shardBits,
    big: terms.big,
    termBytes: terms.bytes,
    days: encodeDays(o.days),
    attributeWidth: o.attributeWidth,
    cardsBlock: CARDS_BLOCK,
    idBits,
    ...(ids ? { ids } : {}),
    lexicon: small ? 'one' : 'split',
    suggest: small ? 'one' : 'split',
    ...(suggestSplit.length ? { suggestSplit } : {}),
    ...(terms.big.length ? { bigTitles: true } : {}),
    cardTitles: true,
    attributeBlock: ATTRIBUTE_BLOCK,
    kills: encodeKills(o.kills),
    ...(o.holes?.length ? { holes: encodeKills(o.holes) } : {}),
    lengths: o.lengths,
    keys: counter.keys,
    bytes: counter.bytes,
    createdAt: new Date().toISOString(),
  };
}

/**
 * Per stem, the codes of its spellings in use first, then the rare ones (see TermEntry). Two
 * passes, so that no second map of every stem is held (it cost 0.4 GB at 1M articles).
 */
export function spellingsOf(wordDf: Map<string, number>, inUseDf: number): { spellings: Map<string, string>; inUse: Map<string, number> } {
  const spellings = new Map<string, string>();
  for (const [word, df] of wordDf) {
    if (df < inUseDf) continue;
    const stem = stems(word)[0]!;
    spellings.set(stem, (spellings.get(stem) ?? '') + spellingCode(word));
  }
  const inUse = new Map<string, number>();
  for (const [stem, codes] of spellings) inUse.set(stem, codes.length / SPELLING_CODE_LENGTH);
  for (const [word, df] of wordDf) {
    if (df >= inUseDf || df <= 0) continue;
    const stem = stems(word)[0]!;
    spellings.set(stem, (spellings.get(stem) ?? '') + spellingCode(word));
  }
  return { spellings, inUse };
}

/** Words worth a typo lexicon entry (and a spelling code): see the analyzer's {@link isLexiconWord}. */
export { isLexiconWord };

/** The lexicon key of a word: the first letter and length of the word without a leading ال (bareWord). */
export function lexiconKeyOf(word: string): string {
  const bare = bareWord(word);
  return `${bare[0]}/${bare.length}`;
}

/**
 * The typo lexicon of a large segment: words (normalized, not stemmed: a misspelt name must be
 * compared with the name, not with a stem its misspelling happens to share) seen in at least 2
 * documents (a base; other segments keep every net count), keyed by the first letter and length
 * of the word without a leading ال.
 */
function groupLexicon(wordDf: Map<string, number>, minDf: number): Map<string, [string, number][]> {
  const lexicon = new Map<string, [string, number][]>();
  for (const [word, df] of wordDf) {
    if ((minDf > 1 && df < minDf) || !isLexiconWord(word)) continue;
    const key = lexiconKeyOf(word);
    const list = lexicon.get(key);
    if (list) list.push([word, df]);
    else lexicon.set(key, [[word, df]]);
  }
  return lexicon;
}

/** A base's words in exactly one doc, by lexicon key (see keys.singles). */
function groupSingles(wordDf: Map<string, number>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [word, df] of wordDf) {
    if (df !== 1 || !isLexiconWord(word)) continue;
    const key = lexiconKeyOf(word);
    const list = out.get(key);
    if (list) list.push(word);
    else out.set(key, [word]);
  }
  return out;
}

/** Run-length table of publication days over local doc numbers (oldest first); -1 for undated. */
export function dayRuns(timesByDoc: ArrayLike<number>): [number, number][] {
  const out: [number, number][] = [];
  for (let doc = 0; doc < timesByDoc.length; doc++) {
    const t = timesByDoc[doc]!;
    const day = t < -8e15 ? -1 : Math.floor(t / 86_400_000);
    if (out.length === 0 || out[out.length - 1]![0] !== day) out.push([day, doc]);
  }
  return out;
}

/** The time a doc sorts by: its date, or (undated) before every dated doc. */
export function timeOf(date: string | undefined): number {
  const t = date ? Date.parse(date) : Number.NaN;
  return Number.isNaN(t) ? -8.64e15 : t;
}
