/**
 * BM25-class scoring over the postings FlexSearch built. Each posting carries its tf and its
 * field's length as one code; BM25's tf factor for every code is a table lookup (Archive.bm25,
 * made with the archive's live average lengths), so scoring a query is a pass over its terms'
 * posting lists: no document is read and the archive is never scanned.
 *
 * Per query word, a document scores with the best of the word's terms (its plain stem, its
 * proclitic-free alternatives, typo corrections), each term's score being
 * `weight × idf × (titleWeight × titleImpact × slotBonus + bodyImpact)`, the body's impact
 * weighted by `bodyAfterTitle` where the title has the word too (but never below the body's
 * alone). Words add up;
 * coverage of the query's words and recency scale the sum.
 */
import type { Archive, LoadedTerm, TermPart } from './archive';
import type { RankingOptions } from './options';
import type { TermGroups } from './types';

/** A stack of doc numbers that keeps its storage between queries (no garbage per query). */
export class DocStack {
  items = new Int32Array(1024);
  length = 0;
  push(doc: number): void {
    if (this.length === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    this.items[this.length++] = doc;
  }
}

/**
 * Docs per block. Scoring walks the archive a block of docs at a time (see scoreGated), so its
 * per-doc accumulators are this many entries, about 350 KB, and stay in the core's cache
 * whatever the archive's size: at a million articles, arrays over every doc put each posting's
 * update in a different cache line, and scoring cost several times as much.
 */
export const BLOCK = 1 << 14;

/**
 * Reusable scratch arrays (scoring is synchronous, so one set serves all requests): one block's
 * accumulators (indexed by doc − the block's first doc) and the gates' bitsets (one bit a doc,
 * made by the first query with required words).
 */
export class Scratch {
  readonly total: Float32Array;
  readonly word: Float32Array;
  readonly term: Float32Array;
  /** One bit per query word (MAX_WORDS is 12, so 16 bits hold them). */
  readonly mask: Uint16Array;
  readonly exactMask: Uint16Array;
  readonly titleMask: Uint16Array;
  /** Distinct words of the doc's title (valid where `titleMask` is set: written with it). */
  readonly titleWords: Uint8Array;
  /**
   * Bit i set: a tier A posting of a big term of word i with a tier B unread holds the doc, so
   * none of its tier B does: a body posting, or a title posting when the term's tiers B are
   * `titled` (tiers.ts; none is left unread unless `caps.tierStop` is on).
   */
  readonly restBody: Uint16Array;
  /** The block's docs scored so far, one bit each (taken in doc order, see ScoredBlock). */
  readonly seen: Uint32Array;
  /** Docs of the current word and term in the block (see scoreGated). */
  readonly wordDocs = new DocStack();
  readonly termDocs = new DocStack();
  /**
   * Per query word (by its bit's position), the doc's score for the word, kept for the words a
   * titled tier B of is unread (see ScoredBlock.restScore); made on first use, one per word.
   */
  readonly restScore: Float32Array[] = [];
  /** Docs a query with required words scores (one bit each, see gateOf), made on first use. */
  private gateBits?: Uint32Array;
  private otherBits?: Uint32Array;

  /** Accumulators for `block` docs (0: a scratch that scores nothing, for queries with no postings). */
  constructor(readonly block = BLOCK) {
    const n = block;
    this.total = new Float32Array(n);
    this.word = new Float32Array(n);
    this.term = new Float32Array(n);
    this.mask = new Uint16Array(n);
    this.exactMask = new Uint16Array(n);
    this.titleMask = new Uint16Array(n);
    this.titleWords = new Uint8Array(n);
    this.restBody = new Uint16Array(n);
    this.seen = new Uint32Array(Math.ceil(n / 32));
  }

  /** The gate's bits over docs below `space`, made on first use (grown with the archive); left empty after each query. */
  gate(space: number): Uint32Array {
    const words = Math.ceil(space / 32);
    if (!this.gateBits || this.gateBits.length < words) this.gateBits = new Uint32Array(words);
    return this.gateBits;
  }

  /** A second required word's docs, ANDed into the gate (see gateOf); made on first use, left empty. */
  gateOther(space: number): Uint32Array {
    const words = Math.ceil(space / 32);
    if (!this.otherBits || this.otherBits.length < words) this.otherBits = new Uint32Array(words);
    return this.otherBits;
  }

  /** Empties the block's accumulators (after a scoring cut short by an error). */
  reset(): void {
    for (const a of [this.total, this.word, this.term, this.mask, this.exactMask, this.titleMask, this.restBody, this.seen, ...this.restScore]) a.fill(0);
    this.wordDocs.length = 0;
    this.termDocs.length = 0;
  }
}

/**
 * One block's scored docs (every doc of the block matching some query word): doc `b0 + l` for
 * each bit l set in `seen` (its words `seenFrom` to `seenTo`), with entry l of each array. The
 * scratch's own arrays: whoever takes a block must take every doc of it in doc order, clearing
 * its bit and its entries of `total`, `mask`, `exactMask`, `titleMask`, `restBody` and
 * `restScore` (see match.ts), since the next block reuses them.
 */
export interface ScoredBlock {
  b0: number;
  /** How many docs the block holds. */
  count: number;
  seen: Uint32Array;
  seenFrom: number;
  seenTo: number;
  /** Raw BM25 sums. */
  total: Float32Array;
  /** Bit i set: the doc matches query word i. */
  mask: Uint16Array;
  /** Bit i set: the doc matches query word i as typed (not only through a typo correction). */
  exactMask: Uint16Array;
  /** Bit i set: the doc's title has query word i. */
  titleMask: Uint16Array;
  /** Distinct words of the doc's title, for docs whose `titleMask` is set. */
  titleWords: Uint8Array;
  /** Bit i set: a tier-A body posting of a term of word i whose tier B is unread holds the doc (undefined: no term of the query has one). */
  restBody: Uint16Array | undefined;
  /**
   * For word i whose big terms' tiers B are all unread and `titled`, entry i: each doc's score
   * for the word so far (its best term's). Reading those tiers can raise it only to their
   * ceiling, a word scoring its best term (tiers.ts `topIsFinal`). Undefined elsewhere.
   */
  restScore: (Float32Array | undefined)[] | undefined;
}

/** Inverse document frequency (BM25's, always positive). */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * Accumulates BM25 scores for every doc that matches a word, and hands them to `take` a block of
 * docs at a time, in doc order; returns how many docs were scored.
 */
export function scoreWords(index: Archive, groups: TermGroups, terms: Map<string, LoadedTerm | null>, scratch: Scratch, ranking: Readonly<RankingOptions>, take: (block: ScoredBlock) => void, requiredMask = 0, skip = 0): number {
  const space = index.docSpace;
  const gate = skip !== 0 ? unionGate(groups, terms, skip, scratch, space) : gateOf(groups, terms, requiredMask, scratch, space);
  try {
    // No doc holds every required word: nothing to score (the postings need not be walked).
    if (gate && gate.from > gate.to) return 0;
    return scoreGated(index, groups, terms, scratch, ranking, gate?.bits, take);
  } catch (e) {
    scratch.reset();
    throw e;
  } finally {
    if (gate) gate.bits.fill(0, gate.from, gate.to + 1);
  }
}

/**
 * With required words (quoted phrases, `+word`), only the docs holding all of them can pass, so
 * every word scores only those: a doc outside is skipped at one bit's test instead of being
 * scored, listed and then filtered out. The gate is the docs of the required word with the fewest
 * postings, narrowed by each other required word's in turn. The docs inside score exactly as
 * without the gate (the same sums in the same order). Undefined without required words.
 */
function gateOf(groups: TermGroups, terms: Map<string, LoadedTerm | null>, requiredMask: number, scratch: Scratch, space: number): { bits: Uint32Array; from: number; to: number } | undefined {
  if (requiredMask === 0 || scratch.block === 0) return undefined;
  const required: { wi: number; postings: number }[] = [];
  for (let wi = 0; wi < groups.length; wi++) {
    if ((requiredMask & (1 << wi)) === 0) continue;
    let postings = 0;
    for (const wt of groups[wi]!) postings += terms.get(wt.term)?.df ?? 0;
    required.push({ wi, postings });
  }
  if (required.length === 0) return undefined;
  required.sort((a, b) => a.postings - b.postings || a.wi - b.wi);
  const gate = gateOfWords(groups, terms, 1 << required[0]!.wi, scratch.gate(space));
  for (let r = 1; r < required.length && gate.from <= gate.to; r++) {
    const other = gateOfWords(groups, terms, 1 << required[r]!.wi, scratch.gateOther(space));
    const { bits } = gate;
    const more = other.bits;
    for (let w = gate.from; w <= gate.to; w++) bits[w] = bits[w]! & more[w]!;
    if (other.from <= other.to) more.fill(0, other.from, other.to + 1);
    // Narrow the span to the words still set, so that the next word's AND and the clearing after
    // the query cover only those.
    while (gate.from <= gate.to && bits[gate.from] === 0) gate.from++;
    while (gate.to >= gate.from && bits[gate.to] === 0) gate.to--;
  }
  return gate;
}

/**
 * The docs of every word not in `skip`: a skipped word scores only those (word-skip.ts). The
 * other words' own docs are all inside, so they score exactly as without the gate.
 */
function unionGate(groups: TermGroups, terms: Map<string, LoadedTerm | null>, skip: number, scratch: Scratch, space: number): { bits: Uint32Array; from: number; to: number } | undefined {
  if (scratch.block === 0) return undefined;
  return gateOfWords(groups, terms, ((1 << groups.length) - 1) & ~skip, scratch.gate(space));
}

/** The gate of the docs holding any term of the words in `words` (a mask), as bits in `bits`. */
function gateOfWords(groups: TermGroups, terms: Map<string, LoadedTerm | null>, words: number, bits: Uint32Array): { bits: Uint32Array; from: number; to: number } {
  let from = bits.length;
  let to = -1;
  for (let wi = 0; wi < groups.length; wi++) {
    if ((words & (1 << wi)) === 0) continue;
    for (const wt of groups[wi]!) {
      for (const part of terms.get(wt.term)?.parts ?? []) {
        for (const field of [part.title, part.body]) {
          for (const slot of field?.slots ?? []) {
            if (!slot) continue;
            for (let j = 0; j < slot.length; j++) {
              const d = slot[j]!;
              const w = d >>> 5;
              bits[w] = bits[w]! | (1 << (d & 31));
              if (w < from) from = w;
              if (w > to) to = w;
            }
          }
        }
      }
    }
  }
  return { bits, from, to };
}

/** One term of a query word as scored: its postings, their weight, and what its docs get. */
interface ScoredTerm {
  term: LoadedTerm;
  /** weight × idf. */
  f: number;
  /** The last title slot over the term's parts (see lastSlot). */
  last: number;
  /** The word's bit if a doc holding this term holds the word as typed, else 0. */
  exact: number;
  /** Whether its body postings mark `restBody` (a tier B is unread). */
  rest: boolean;
  /** ... and its title postings too: no doc whose title has it is in its tiers B (every one `titled`). */
  titled: boolean;
  /** Index of its first slot cursor (see scoreGated). */
  cursor: number;
}

/** A query word as scored: its lead term (the largest, scored straight into the word's scores) and its others. */
interface ScoredWord {
  bit: number;
  lead: ScoredTerm;
  others: ScoredTerm[];
  /** Where the word's scores are kept for the tier stop (a titled tier B of it is unread), if anywhere. */
  keep?: Float32Array;
}

/** Cursors into the slots of a query (position in the slot, and the slot's first posting's index in the field). */
let cursorAt = new Int32Array(64);
let cursorBase = new Int32Array(64);
/** The lowest doc of any posting not yet scored (set by addPostings as it stops). */
let nextDoc = Infinity;

/**
 * Scores the query a block of `scratch.block` docs at a time: every slot of every term keeps a
 * cursor, and each block takes from each slot the postings of its docs, in the order a whole
 * pass would (word by word, lead term first, title before body, slot by slot), so every doc's
 * sums are made of the same additions in the same order as scoring all docs at once. Each block
 * then goes to `take`, which clears its accumulators for the next.
 */
function scoreGated(index: Archive, groups: TermGroups, terms: Map<string, LoadedTerm | null>, scratch: Scratch, ranking: Readonly<RankingOptions>, gate: Uint32Array | undefined, take: (block: ScoredBlock) => void): number {
  const n = index.docCount;
  const words: ScoredWord[] = [];
  let cursors = 0;
  let rest = false;
  for (let wi = 0; wi < groups.length; wi++) {
    const bit = 1 << wi;
    const group = groups[wi]!;
    let lead: TermGroups[number][number] | undefined;
    let leadDf = -1;
    for (const wt of group) {
      const lt = terms.get(wt.term);
      if (lt && lt.parts.length > 0 && lt.df > leadDf) {
        lead = wt;
        leadDf = lt.df;
      }
    }
    if (!lead) continue;
    const word: ScoredWord = { bit, lead: undefined!, others: [] };
    for (const wt of group) {
      const lt = terms.get(wt.term);
      if (!lt) continue;
      const st: ScoredTerm = { term: lt, f: wt.weight * idf(lt.df, n), last: lastSlot(lt), exact: wt.kind === 'typo' ? 0 : bit, rest: (lt.rest?.length ?? 0) > 0, titled: (lt.rest?.length ?? 0) > 0 && lt.rest!.every((r) => r.titled), cursor: cursors };
      for (const part of lt.parts) cursors += (part.title?.slots.length ?? 0) + (part.body?.slots.length ?? 0);
      rest ||= st.rest;
      if (wt === lead) word.lead = st;
      else word.others.push(st);
    }
    const tiered = [word.lead, ...word.others].filter((st) => st.rest);
    if (tiered.length > 0 && tiered.every((st) => st.titled)) word.keep = (scratch.restScore[wi] ??= new Float32Array(scratch.block));
    words.push(word);
  }
  if (scratch.block === 0 || words.length === 0) return 0;
  let kept: (Float32Array | undefined)[] | undefined;
  for (const w of words) if (w.keep) (kept ??= [])[31 - Math.clz32(w.bit)] = w.keep;
  if (cursorAt.length < cursors) {
    cursorAt = new Int32Array(Math.max(cursors, 2 * cursorAt.length));
    cursorBase = new Int32Array(cursorAt.length);
  }
  // Each slot's cursor at its start, and where its postings start in its field; the first doc of all.
  nextDoc = Infinity;
  for (const word of words) {
    startCursors(word.lead);
    for (const st of word.others) startCursors(st);
  }
  const { title: titleTf, body: bodyTf } = index.bm25;
  const { total, word: wordScore, term: termScore, mask, exactMask, titleMask, titleWords, restBody, seen, wordDocs, termDocs } = scratch;
  let count = 0;
  while (nextDoc !== Infinity) {
    const b0 = nextDoc;
    const b1 = b0 + scratch.block;
    nextDoc = Infinity;
    let seenFrom = seen.length;
    let seenTo = -1;
    let blockCount = 0;
    for (const { bit, lead, others, keep } of words) {
      wordDocs.length = 0;
      // The word's largest term is scored straight into the word's scores; any other (a reading
      // without a proclitic, a correction) into the term's, and the word keeps its best term.
      addTerm(lead, b0, b1, titleTf, bodyTf, wordScore, wordDocs, titleMask, titleWords, bit, ranking, gate, restBody);
      // The first `leadDocs` of the word's docs are the lead term's.
      const leadDocs = wordDocs.length;
      for (const st of others) {
        termDocs.length = 0;
        addTerm(st, b0, b1, titleTf, bodyTf, termScore, termDocs, titleMask, titleWords, bit, ranking, gate, restBody);
        const td = termDocs.items;
        for (let j = 0; j < termDocs.length; j++) {
          const l = td[j]!;
          exactMask[l] = exactMask[l]! | st.exact;
          if (wordScore[l] === 0) wordDocs.push(l);
          if (termScore[l]! > wordScore[l]!) wordScore[l] = termScore[l]!;
          termScore[l] = 0;
        }
      }
      const wd = wordDocs.items;
      const leadExact = lead.exact;
      for (let j = 0; j < wordDocs.length; j++) {
        const l = wd[j]!;
        if (mask[l] === 0) {
          const w = l >>> 5;
          seen[w] = seen[w]! | (1 << (l & 31));
          if (w < seenFrom) seenFrom = w;
          if (w > seenTo) seenTo = w;
          blockCount++;
        }
        total[l] = total[l]! + wordScore[l]!;
        if (keep) keep[l] = wordScore[l]!;
        mask[l] = mask[l]! | bit;
        if (j < leadDocs) exactMask[l] = exactMask[l]! | leadExact; // the other terms set theirs above
        wordScore[l] = 0;
      }
    }
    count += blockCount;
    take({ b0, count: blockCount, seen, seenFrom, seenTo, total, mask, exactMask, titleMask, titleWords, restBody: rest ? restBody : undefined, restScore: kept });
    // Taken and cleared (see ScoredBlock); if not, what is left would add to the next block's
    // docs. The span's ends tell a taker that clears nothing, without a second pass over it.
    if (seenTo >= 0 && (seen[seenFrom] !== 0 || seen[seenTo] !== 0)) throw new Error('a scored block was not taken whole');
  }
  return count;
}

/** Sets a term's slot cursors at their starts (see scoreGated), and `nextDoc` to the lowest of their first docs. */
function startCursors(st: ScoredTerm): void {
  let c = st.cursor;
  for (const part of st.term.parts) {
    c = startField(part.title, c);
    c = startField(part.body, c);
  }
}

function startField(field: TermPart['title'], c: number): number {
  const slots = field?.slots;
  if (!slots) return c;
  let k = 0;
  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s];
    cursorAt[c] = 0;
    cursorBase[c++] = k;
    if (!slot || slot.length === 0) continue;
    k += slot.length;
    if (slot[0]! < nextDoc) nextDoc = slot[0]!;
  }
  return c;
}

/** Adds a term's postings of the docs `b0` to `b1` (exclusive), title then body, part by part (see addPostings). */
function addTerm(st: ScoredTerm, b0: number, b1: number, titleTf: Float32Array, bodyTf: Float32Array, into: Float32Array, docs: DocStack, titleMask: Uint16Array, titleWords: Uint8Array, bit: number, ranking: Readonly<RankingOptions>, gate: Uint32Array | undefined, restBody: Uint16Array): void {
  let c = st.cursor;
  for (const part of st.term.parts) {
    c = addPostings(part.title, c, b0, b1, titleTf, st.f, into, docs, titleMask, bit, ranking, gate, st.last, part.titleWords!, titleWords, st.titled ? restBody : undefined);
    c = addPostings(part.body, c, b0, b1, bodyTf, st.f, into, docs, titleMask, bit, ranking, gate, 0, undefined, undefined, st.rest ? restBody : undefined);
  }
}

/**
 * Adds one term's scores in one field, for the docs `b0` to `b1` (exclusive), to `into` (a
 * word's or a term's scores, by doc − `b0`), `tf` being the field's BM25 tf factor by posting
 * code, listing docs new to it; each slot's postings are taken from its cursor (the slots'
 * cursors start at `c`; returns the next field's first). For the title, also marks the docs'
 * titles and notes their word counts; in the body, a doc whose title has the word (marked, the title being
 * added first) scores max(title + `bodyAfterTitle` × body, body). `restBody`, for the body
 * postings of a term whose tier B is unread (and its title postings, when its tiers B hold no
 * doc whose title has it: `titled`), marks the docs they hold: docs with none of it unread. `gate`, when given, holds
 * the only docs to score (see gateOf). For the title, `last` is the term's last title slot,
 * `wordsOf` its postings' title word counts and `titleWords` the block's array they go to.
 */
function addPostings(field: TermPart['title'], c: number, b0: number, b1: number, tf: Float32Array, f: number, into: Float32Array, docs: DocStack, titleMask: Uint16Array, bit: number, ranking: Readonly<RankingOptions>, gate: Uint32Array | undefined, last: number, wordsOf?: Uint8Array, titleWords?: Uint8Array, restBody?: Uint16Array): number {
  const slots = field?.slots;
  if (!slots) return c;
  const codes = field.codes;
  const isTitle = wordsOf !== undefined;
  const at = cursorAt;
  for (let s = 0; s < slots.length; s++, c++) {
    const slot = slots[s];
    if (!slot) continue;
    let j = at[c]!;
    const n = slot.length;
    if (j >= n) continue;
    if (slot[j]! >= b1) {
      if (slot[j]! < nextDoc) nextDoc = slot[j]!;
      continue;
    }
    // The block's postings end at `end`: the slot's end, or the first doc at or past b1.
    let end = n;
    if (slot[n - 1]! >= b1) {
      let lo = j + 1;
      end = n - 1;
      while (lo < end) {
        const mid = (lo + end) >>> 1;
        if (slot[mid]! >= b1) end = mid;
        else lo = mid + 1;
      }
      if (slot[end]! < nextDoc) nextDoc = slot[end]!;
    }
    const g = isTitle ? f * ranking.titleWeight * (1 + (ranking.slotBonus * (last - s)) / last) : f;
    let k = cursorBase[c]! + j;
    for (; j < end; j++, k++) {
      const d = slot[j]!;
      if (gate !== undefined && (gate[d >>> 5]! & (1 << (d & 31))) === 0) continue;
      const l = d - b0;
      if (isTitle) {
        titleMask[l] = titleMask[l]! | bit;
        titleWords![l] = wordsOf[k]!;
      }
      if (restBody) restBody[l] = restBody[l]! | bit;
      if (into[l] === 0) docs.push(l);
      const v = g * tf[codes[k]!]!;
      // A body match of a word the title has (its title postings were added first, into[l]).
      into[l] = into[l]! + (!isTitle && (titleMask[l]! & bit) !== 0 ? Math.max(v * ranking.bodyAfterTitle, v - into[l]!) : v);
    }
    at[c] = j;
  }
  return c;
}

/**
 * The last title slot of a term over all its parts: the early-title bonus fades from slot 0 to
 * it. (So a doc's bonus depends on how far into their titles the other docs have the word, as
 * FlexSearch's slot arrays did; taken over every segment, a delta scores as a full build does.)
 */
function lastSlot(term: LoadedTerm): number {
  let slots = 0;
  for (const p of term.parts) if (p.title && p.title.slots.length > slots) slots = p.title.slots.length;
  return Math.max(1, slots - 1);
}
