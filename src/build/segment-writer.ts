/**
 * Writes one segment's values: term shards (and big terms), cards, typo lexicon, completions and
 * the id lookup, from what indexing collected. Runtime-neutral: the full build (a base of any
 * size, its postings spilled to disk) and a publish (a delta of a few articles, in memory) write
 * segments the same way, so a delta is read exactly like a base.
 */
import { bareWord, stems } from '../core/analyzer/index';
import { encodeDays, idShardOf, keys, sealValue, spellingCode, SPELLING_CODE_LENGTH, type TermShard } from '../core/format/layout';
import type { SegmentLevel, SegmentMeta } from '../core/format/manifest';
import { encodeKills } from '../core/format/manifest';
import { mergeSpills, type FieldStats } from './merge';
import type { Field } from './segment';
import type { Vocabulary } from './vocabulary';

/** Cards per cards key. */
export const CARDS_BLOCK = 50;
/** A segment with at most this many docs keeps its ids in the manifest and one key each for lexicon and completions. */
export const SMALL_SEGMENT_DOCS = 256;
/** Aim for id-lookup shards of about this many bytes. */
const ID_SHARD_BYTES = 16 * 1024;

export interface SegmentSource {
  id: string;
  level: SegmentLevel;
  /** Global doc number of the segment's doc 0; postings and the arrays below use local numbers. */
  first: number;
  count: number;
  partitionBits: number;
  readPartition: (partition: number) => string | undefined;
  /** Bytes of spilled postings, to size the term shards. */
  spilledBytes: number;
  shardTargetBytes: number;
  /** Field lengths by local doc, with the archive's average lengths. */
  stats: Record<Field, FieldStats>;
  k1: number;
  titleWordsOf: ArrayLike<number>;
  attributeOf: ArrayLike<number>;
  attributeWidth: number;
  /** Card JSON by local doc. */
  cards: string[];
  /** Article id by local doc. */
  ids: string[];
  /** Publication days as `[day, firstLocalDoc]` runs, oldest first. */
  days: [number, number][];
  /** Normalized words and the docs that have them (net of `kills`), for the typo lexicon and the spellings. */
  wordDf: Map<string, number>;
  vocabulary: Vocabulary;
  /** Docs of older segments removed with this segment, and what they held (see MergeOptions.removed). */
  kills: number[];
  removedTerms?: Map<string, number>;
  /** A spelling in this many docs is "in use" (spellingInUseDf of the archive). */
  inUseDf: number;
  /** Summed field lengths of its docs. */
  lengths: { title: number; body: number };
  put: (key: string, value: string) => void;
  onPartition?: (done: number, total: number) => void;
}

/** Writes the segment through `put` and returns its description for the manifest. */
export function writeSegment(o: SegmentSource): SegmentMeta {
  const small = o.count <= SMALL_SEGMENT_DOCS;
  let keyCount = 0;
  let bytes = 0;
  const put = (key: string, value: string) => {
    keyCount++;
    bytes += value.length;
    o.put(key, value);
  };
  const shardBits = Math.max(0, Math.min(16, Math.ceil(Math.log2(Math.max(1, o.spilledBytes / o.shardTargetBytes)))));
  const { spellings, inUse } = spellingsOf(o.wordDf, o.inUseDf);
  const big: string[] = [];
  const terms = mergeSpills({
    readPartition: o.readPartition,
    partitionBits: o.partitionBits,
    shardBits,
    bigTermBytes: o.shardTargetBytes * 4,
    removed: o.removedTerms,
    spellings,
    spellingsInUse: inUse,
    attributeOf: o.attributeOf,
    attributeWidth: o.attributeWidth,
    titleWordsOf: o.titleWordsOf,
    k1: o.k1,
    stats: o.stats,
    onShard: (s, shard: TermShard) => put(keys.shard(o.id, s), sealValue(JSON.stringify(shard))),
    onBigTerm: (term, entry) => {
      big.push(term);
      put(keys.bigTerm(o.id, term), sealValue(JSON.stringify({ [term]: entry })));
    },
    onPartition: o.onPartition,
  });
  for (let b = 0; b * CARDS_BLOCK < o.count; b++) {
    put(keys.cards(o.id, b), sealValue(`[${o.cards.slice(b * CARDS_BLOCK, (b + 1) * CARDS_BLOCK).join(',')}]`));
  }
  if (small) {
    // Net counts, negative ones included: a reader sums them over the segments.
    const lexicon = [...o.wordDf].filter(([w, df]) => df !== 0 && isLexiconWord(w)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    put(keys.lexiconAll(o.id), sealValue(JSON.stringify(lexicon)));
    put(keys.suggestAll(o.id), sealValue(JSON.stringify([...o.vocabulary.groups()].flatMap(([, entries]) => entries))));
  } else {
    for (const [k, list] of groupLexicon(o.wordDf)) {
      const [first, len] = k.split('/') as [string, string];
      list.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      put(keys.lexicon(o.id, first, Number(len)), sealValue(JSON.stringify(list)));
    }
    for (const [prefix, entries] of o.vocabulary.groups()) put(keys.suggest(o.id, prefix), sealValue(JSON.stringify(entries)));
  }
  let idBits = -1;
  let ids: [string, number][] | undefined;
  if (small) ids = o.ids.map((id, local) => [id, local]);
  else {
    idBits = Math.max(0, Math.ceil(Math.log2(Math.max(1, (o.count * 40) / ID_SHARD_BYTES))));
    const shards: Record<string, number>[] = Array.from({ length: 2 ** idBits }, () => ({}));
    o.ids.forEach((id, local) => { shards[idShardOf(id, idBits)]![id] = local; });
    shards.forEach((s, n) => put(keys.ids(o.id, n), sealValue(JSON.stringify(s))));
  }
  const meta: SegmentMeta = {
    id: o.id,
    level: o.level,
    first: o.first,
    end: o.first + o.count,
    docs: o.count,
    terms,
    shardBits,
    big,
    days: encodeDays(o.days),
    attributeWidth: o.attributeWidth,
    cardsBlock: CARDS_BLOCK,
    idBits,
    ...(ids ? { ids } : {}),
    lexicon: small ? 'one' : 'split',
    suggest: small ? 'one' : 'split',
    kills: encodeKills(o.kills),
    lengths: o.lengths,
    keys: keyCount,
    bytes,
    createdAt: new Date().toISOString(),
  };
  return meta;
}

/**
 * Per stem, the codes of its spellings in use first, then the rare ones (see TermEntry). Two
 * passes, so that no second map of every stem is held (it cost 0.4 GB at 1M articles).
 */
function spellingsOf(wordDf: Map<string, number>, inUseDf: number): { spellings: Map<string, string>; inUse: Map<string, number> } {
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

/**
 * Words worth a typo lexicon entry: Arabic, up to 24 letters once a leading ال is set aside, and
 * the readings a typo of 4+ letters may stand for: 4+ letters without the article, 5+ with it
 * (السلة, الشيخ: what السة and الشيف were typed for).
 */
export function isLexiconWord(w: string): boolean {
  const bare = bareWord(w);
  return (bare.length >= 4 || bare !== w) && bare.length <= 24 && bare.charCodeAt(0) >= 0x0600 && bare.charCodeAt(0) <= 0x06ff;
}

/** The lexicon key of a word: the first letter and length of the word without a leading ال (bareWord). */
export function lexiconKeyOf(word: string): string {
  const bare = bareWord(word);
  return `${bare[0]}/${bare.length}`;
}

/**
 * The typo lexicon of a large segment: words (normalized, not stemmed: a misspelt name must be
 * compared with the name, not with a stem its misspelling happens to share) seen in at least 2
 * documents, keyed by the first letter and length of the word without a leading ال.
 */
function groupLexicon(wordDf: Map<string, number>): Map<string, [string, number][]> {
  const lexicon = new Map<string, [string, number][]>();
  for (const [word, df] of wordDf) {
    if (df < 2 || !isLexiconWord(word)) continue;
    const key = lexiconKeyOf(word);
    const list = lexicon.get(key);
    if (list) list.push([word, df]);
    else lexicon.set(key, [[word, df]]);
  }
  return lexicon;
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
