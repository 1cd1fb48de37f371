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

/** Reusable per-index scratch arrays (scoring is synchronous, so one set serves all requests). */
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
   * Bit i set: a body posting of a big term of word i with a tier B unread holds the doc
   * (tiers.ts). Made by the first query that leaves a tier B unread (none does unless
   * `caps.tierStop` is on): one array fewer per document for every other isolate.
   */
  private rest?: Uint16Array;
  /** Docs a query with required words scores (one bit each, see gateOf), made on first use. */
  private gateBits?: Uint32Array;
  private otherBits?: Uint32Array;
  /** Docs of the current query, one bit each (read in doc order, see Scored). */
  readonly seen: Uint32Array;
  /** Docs of the current word and term (see scoreWords). */
  readonly wordDocs = new DocStack();
  readonly termDocs = new DocStack();
  /**
   * Arrays for doc numbers below `capacity`. Allocated zeroed and touched only where a query
   * scores docs, so their cost is the pages queries use, not the archive's size.
   */
  constructor(readonly capacity: number) {
    const n = capacity;
    this.total = new Float32Array(n);
    this.seen = new Uint32Array(Math.ceil(n / 32));
    this.word = new Float32Array(n);
    this.term = new Float32Array(n);
    this.mask = new Uint16Array(n);
    this.exactMask = new Uint16Array(n);
    this.titleMask = new Uint16Array(n);
    this.titleWords = new Uint8Array(n);
  }

  /** The gate's bits, made on first use; left empty after each query. */
  get gate(): Uint32Array {
    return (this.gateBits ??= new Uint32Array(Math.ceil(this.capacity / 32)));
  }

  /** A second required word's docs, ANDed into the gate (see gateOf); made on first use, left empty. */
  get gateOther(): Uint32Array {
    return (this.otherBits ??= new Uint32Array(Math.ceil(this.capacity / 32)));
  }

  /** The tier-B marks, made on first use. */
  get restBody(): Uint16Array {
    return (this.rest ??= new Uint16Array(this.capacity));
  }

  /** The tier-B marks if a query has made them. */
  get restBodyIfAny(): Uint16Array | undefined {
    return this.rest;
  }
}

export interface Scored {
  /**
   * Candidate docs (any query word matched): bit `d & 31` of `seen[d >>> 5]`, so that they are
   * taken in doc order and the per-doc arrays are read front to back, not at random.
   */
  seen: Uint32Array;
  /** How many docs `seen` holds. */
  count: number;
  /**
   * The words of `seen` that may be non-zero: `seenFrom` to `seenTo` inclusive (from > to when
   * none is). A query's docs are seldom spread over the whole archive, and a query that matches
   * nothing scans nothing: the scan costs the span of its docs, not the archive's size.
   */
  seenFrom: number;
  seenTo: number;
  /** Raw BM25 sums, by doc (valid for the docs seen). */
  total: Float32Array;
  /** Bit i set: the doc matches query word i. */
  mask: Uint16Array;
  /** Bit i set: the doc matches query word i as typed (not only through a typo correction). */
  exactMask: Uint16Array;
  /** Bit i set: the doc's title has query word i. */
  titleMask: Uint16Array;
  /** Distinct words of the doc's title, for docs whose `titleMask` is set. */
  titleWords: Uint8Array;
  /** Bit i set: a tier-A body posting of a term of word i whose tier B is unread holds the doc (absent: no query has had one). */
  restBody?: Uint16Array;
}

/** Inverse document frequency (BM25's, always positive). */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/**
 * Accumulates BM25 scores for every doc that matches a word. The caller must call
 * `clear(scored)` when done with the result (the arrays are shared).
 */
export function scoreWords(index: Archive, groups: TermGroups, terms: Map<string, LoadedTerm | null>, scratch: Scratch, ranking: Readonly<RankingOptions>, requiredMask = 0, skip = 0): Scored {
  const gate = skip !== 0 ? unionGate(groups, terms, skip, scratch) : gateOf(groups, terms, requiredMask, scratch);
  try {
    // No doc holds every required word: nothing to score (the postings need not be walked).
    if (gate && gate.from > gate.to) return scoredIn(scratch, 0, scratch.seen.length, -1);
    return scoreGated(index, groups, terms, scratch, ranking, gate?.bits);
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
function gateOf(groups: TermGroups, terms: Map<string, LoadedTerm | null>, requiredMask: number, scratch: Scratch): { bits: Uint32Array; from: number; to: number } | undefined {
  if (requiredMask === 0 || scratch.capacity === 0) return undefined;
  const required: { wi: number; postings: number }[] = [];
  for (let wi = 0; wi < groups.length; wi++) {
    if ((requiredMask & (1 << wi)) === 0) continue;
    let postings = 0;
    for (const wt of groups[wi]!) postings += terms.get(wt.term)?.df ?? 0;
    required.push({ wi, postings });
  }
  if (required.length === 0) return undefined;
  required.sort((a, b) => a.postings - b.postings || a.wi - b.wi);
  const gate = gateOfWords(groups, terms, 1 << required[0]!.wi, scratch);
  for (let r = 1; r < required.length && gate.from <= gate.to; r++) {
    const other = gateOfWords(groups, terms, 1 << required[r]!.wi, scratch, scratch.gateOther);
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
function unionGate(groups: TermGroups, terms: Map<string, LoadedTerm | null>, skip: number, scratch: Scratch): { bits: Uint32Array; from: number; to: number } | undefined {
  if (scratch.capacity === 0) return undefined;
  return gateOfWords(groups, terms, ((1 << groups.length) - 1) & ~skip, scratch);
}

/** The gate of the docs holding any term of the words in `words` (a mask), as bits in `into` (`scratch.gate` unless given). */
function gateOfWords(groups: TermGroups, terms: Map<string, LoadedTerm | null>, words: number, scratch: Scratch, into: Uint32Array = scratch.gate): { bits: Uint32Array; from: number; to: number } {
  const bits = into;
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

function scoreGated(index: Archive, groups: TermGroups, terms: Map<string, LoadedTerm | null>, scratch: Scratch, ranking: Readonly<RankingOptions>, gate: Uint32Array | undefined): Scored {
  const n = index.docCount;
  const { title: titleTf, body: bodyTf } = index.bm25;
  const { total, word, term: termScore, mask, exactMask, titleMask, titleWords, seen, wordDocs, termDocs } = scratch;
  let count = 0;
  let seenFrom = seen.length;
  let seenTo = -1;
  for (let wi = 0; wi < groups.length; wi++) {
    const bit = 1 << wi;
    const group = groups[wi]!;
    wordDocs.length = 0;
    // The word's largest term is scored straight into the word's scores; any other (a reading
    // without a proclitic, a correction) into the term's, and the word keeps its best term.
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
    const leadTerm = terms.get(lead.term)!;
    const leadF = lead.weight * idf(leadTerm.df, n);
    const leadLast = lastSlot(leadTerm);
    for (const part of leadTerm.parts) {
      addPostings(part.title, titleTf, leadF, word, wordDocs, titleMask, bit, ranking, gate, { of: part.titleWords!, into: titleWords, last: leadLast });
      addPostings(part.body, bodyTf, leadF, word, wordDocs, titleMask, bit, ranking, gate, undefined, leadTerm.rest?.length ? scratch.restBody : undefined);
    }
    // The first `leadDocs` of the word's docs are the lead term's.
    const leadDocs = wordDocs.length;
    const leadExact = lead.kind === 'typo' ? 0 : bit;
    for (const wt of group) {
      const lt = terms.get(wt.term);
      if (!lt || wt === lead) continue;
      const f = wt.weight * idf(lt.df, n);
      termDocs.length = 0;
      // Title and body of one term add up.
      const last = lastSlot(lt);
      for (const part of lt.parts) {
        addPostings(part.title, titleTf, f, termScore, termDocs, titleMask, bit, ranking, gate, { of: part.titleWords!, into: titleWords, last });
        addPostings(part.body, bodyTf, f, termScore, termDocs, titleMask, bit, ranking, gate, undefined, lt.rest?.length ? scratch.restBody : undefined);
      }
      const termExact = wt.kind === 'typo' ? 0 : bit;
      const td = termDocs.items;
      for (let j = 0; j < termDocs.length; j++) {
        const d = td[j]!;
        exactMask[d] = exactMask[d]! | termExact;
        if (word[d] === 0) wordDocs.push(d);
        if (termScore[d]! > word[d]!) word[d] = termScore[d]!;
        termScore[d] = 0;
      }
    }
    const wd = wordDocs.items;
    for (let j = 0; j < wordDocs.length; j++) {
      const d = wd[j]!;
      if (mask[d] === 0) {
        const w = d >>> 5;
        seen[w] = seen[w]! | (1 << (d & 31));
        if (w < seenFrom) seenFrom = w;
        if (w > seenTo) seenTo = w;
        count++;
      }
      total[d] = total[d]! + word[d]!;
      mask[d] = mask[d]! | bit;
      if (j < leadDocs) exactMask[d] = exactMask[d]! | leadExact; // the other terms set theirs above
      word[d] = 0;
    }
  }
  return scoredIn(scratch, count, seenFrom, seenTo);
}

/** The scratch's arrays as a {@link Scored}: `count` docs seen, in the words `seenFrom` to `seenTo`. */
function scoredIn(scratch: Scratch, count: number, seenFrom: number, seenTo: number): Scored {
  const { seen, total, mask, exactMask, titleMask, titleWords } = scratch;
  const restBody = scratch.restBodyIfAny;
  return { seen, count, seenFrom, seenTo, total, mask, exactMask, titleMask, titleWords, ...(restBody ? { restBody } : {}) };
}

/**
 * Adds one term's scores in one field to `into` (a word's or a term's scores), `tf` being the
 * field's BM25 tf factor by posting code, listing docs new to it: the same slot arrays FlexSearch's map holds, kept by the caller while it scores. For
 * the title (`title` given: the term's title word counts and the per-doc array they go to),
 * also marks the docs' titles and notes their word counts; in the body, a doc whose title has
 * the word (marked, the title being added first) scores max(title + `bodyAfterTitle` × body, body).
 * `restBody`, for the body postings of a term whose tier B is unread, marks the docs they hold.
 * `gate`, when given, holds the only docs to score (see gateOf).
 */
function addPostings(field: TermPart['title'], tf: Float32Array, f: number, into: Float32Array, docs: DocStack, titleMask: Uint16Array, bit: number, ranking: Readonly<RankingOptions>, gate: Uint32Array | undefined, title?: { of: Uint8Array; into: Uint8Array; last: number }, restBody?: Uint16Array): void {
  const slots = field?.slots;
  if (!slots) return;
  const codes = field.codes;
  const isTitle = title !== undefined;
  const last = title?.last ?? 1;
  let k = 0;
  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s];
    if (!slot) continue;
    const g = isTitle ? f * ranking.titleWeight * (1 + (ranking.slotBonus * (last - s)) / last) : f;
    for (let j = 0; j < slot.length; j++) {
      const d = slot[j]!;
      if (gate !== undefined && (gate[d >>> 5]! & (1 << (d & 31))) === 0) {
        k++;
        continue;
      }
      if (isTitle) {
        titleMask[d] = titleMask[d]! | bit;
        title.into[d] = title.of[k]!;
      }
      if (restBody) restBody[d] = restBody[d]! | bit;
      if (into[d] === 0) docs.push(d);
      const v = g * tf[codes[k++]!]!;
      // A body match of a word the title has (its title postings were added first, into[d]).
      into[d] = into[d]! + (!isTitle && (titleMask[d]! & bit) !== 0 ? Math.max(v * ranking.bodyAfterTitle, v - into[d]!) : v);
    }
  }
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

/** Calls `visit` with each doc seen, in doc order, clearing its bit (and leaving `seen` empty). */
function forEachSeen(scored: Scored, visit: (doc: number) => void): void {
  const seen = scored.seen;
  for (let i = scored.seenFrom; i <= scored.seenTo; i++) {
    let w = seen[i]!;
    if (w === 0) continue;
    seen[i] = 0;
    while (w !== 0) {
      const low = w & -w;
      visit((i << 5) | (31 - Math.clz32(low)));
      w ^= low;
    }
  }
  scored.count = 0;
  scored.seenFrom = seen.length;
  scored.seenTo = -1;
}

/** Resets the shared arrays for the docs a scoring touched. */
export function clear(scored: Scored): void {
  forEachSeen(scored, (d) => {
    scored.total[d] = 0;
    scored.mask[d] = 0;
    scored.exactMask[d] = 0;
    scored.titleMask[d] = 0;
    if (scored.restBody) scored.restBody[d] = 0;
  });
}

