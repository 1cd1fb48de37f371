/**
 * Matching: every doc that has a query word, scored (BM25 sums scaled by idf-weighted coverage,
 * recency and the title bonuses) and kept when it passes the filters (`-word`, tags, dates,
 * quoted words, dead docs), in doc order. Also notes the docs that hold every word but one,
 * which tell a typo that makes another real word (spell-context.ts).
 */
import { ALT_MARK } from '../analyzer/index';
import type { Archive, LoadedTerm } from './archive';
import { dayRange, inRange, NO_RUNS, RunCursor } from './days';
import { skippedBound, type Skipped } from './word-skip';
import type { SearchOptions } from './options';
import { DocBits, docBitsOf, forEachDoc, hasDoc, type DocSet } from './postings';
import type { QueryPlan } from './plan';
import { idf, Scratch, scoreWords, type ScoredBlock } from './score';
import { popcount } from './text-distance';
import { behindProclitic, commonerReadings, type Loaded } from './terms';
import type { Candidates, Correction, NearMisses, TermGroups } from './types';

/** What a candidate must pass besides matching, and which words can name a title. */
export interface MatchFilters {
  excluded: DocSet;
  tagged?: DocSet;
  /** Per day run, whether its docs are in the date range asked for. */
  range?: Uint8Array;
  /** Per day run, the recency prior's factor (undefined: no prior). */
  recency?: Float32Array;
  requiredMask: number;
  /**
   * The query words that can name a title (see match): all but those read as several typo
   * corrections (سرمان as سلمان or سرطان: the article titled سرطان is no likelier for it).
   */
  naming: number;
  /** Query words that are compound names written as one (عبدالفتاح): each names two title words. */
  joined: number;
}

/** The filters of a plan, from the terms read. */
export function filtersOf(index: Archive, plan: QueryPlan, loaded: Loaded, corrections: Correction[], groups: TermGroups, o: SearchOptions, alsoExcluded: readonly string[] = []): MatchFilters {
  const { params, query } = plan;
  // Dates are read per day run: a query with no postings to score matches nothing, and leaves the runs undecoded.
  const scoring = hasPostings(groups, loaded);
  return {
    excluded: excludedDocs(plan, alsoExcluded, loaded, index.docSpace),
    tagged: plan.tagTerms.length ? docBitsOf(plan.tagTerms, loaded, index.docSpace) : undefined,
    range: scoring ? dateRange(index, params.from, params.to) : undefined,
    recency: scoring && params.recency > 0 ? index.recencyOfRun(o.ranking.recencyHalfLifeDays) : undefined,
    requiredMask: query.required.reduce((m, i) => m | (1 << i), 0),
    naming: namingWords(groups.length, corrections),
    joined: query.words.reduce((m, w, i) => (w.joined ? m | (1 << i) : m), 0),
  };
}

/**
 * The docs an excluded word holds (`also`: its other spellings, by the house styles), and those
 * holding every word of an excluded phrase.
 */
function excludedDocs(plan: QueryPlan, also: readonly string[], loaded: Loaded, space: number): DocSet {
  // Its readings where the query's own words are searched under them (terms.ts groupsOf): behind
  // a proclitic (لترامب for ترامب), and without one, where the archive writes that more often
  // (ترامب for لترامب).
  const readings = plan.query.excluded.flatMap((w) => [
    ...(behindProclitic(w.stems[0]!, loaded) ? [ALT_MARK + w.stems[0]!] : []),
    ...commonerReadings(w, loaded),
  ]);
  // The other spellings likewise: -ترامب leaves out لترمب, which ترامب finds.
  const alsoBehind = also.filter((t) => behindProclitic(t, loaded)).map((t) => ALT_MARK + t);
  const words = [...plan.excludedTerms, ...readings, ...also, ...alsoBehind];
  if (plan.excludedAll.length === 0) return docBitsOf(words, loaded, space);
  const out = new DocBits(space);
  for (const t of words) forEachDoc(loaded.get(t), (d) => { out.add(d); });
  for (const phrase of plan.excludedAll) {
    const held = phrase.map((terms) => docBitsOf(terms, loaded, space));
    if (held.some((w) => w.size === 0)) continue;
    // The docs of the word with the fewest, kept where every other word is.
    const fewest = held.reduce((a, b, i) => (b.size < held[a]!.size ? i : a), 0);
    for (const t of phrase[fewest]!) forEachDoc(loaded.get(t), (d) => { if (held.every((w) => w.has(d))) out.add(d); });
  }
  return out;
}

/** The query words that can name a title: all but those read as several typo corrections. */
export function namingWords(words: number, corrections: Correction[]): number {
  let mask = (1 << words) - 1;
  for (const c of corrections) if (c.readings.length > 1) mask &= ~(1 << c.word);
  return mask;
}

/** Per day run, whether its docs fall in an inclusive date range (`YYYY-MM-DD`); undefined for no range. */
export function dateRange(index: Archive, from?: string, to?: string): Uint8Array | undefined {
  const days = dayRange(from, to);
  if (!days) return undefined;
  return Uint8Array.from(index.runs.day, (day) => (inRange(day, days) ? 1 : 0));
}

export interface Matched {
  cands: Candidates;
  /**
   * Per candidate (when asked): its BM25 sum before scaling, its word mask, its other factors,
   * its title bonuses ({@link TITLE_ALL}, {@link TITLE_NAMED}) and the share of its title's words
   * the query holds (1 when it names the title).
   */
  parts?: { total: Float64Array; mask: Uint16Array; factor: Float64Array; title: Uint8Array; titleShare: Float32Array; restBody: Uint16Array; restScore: (Float32Array | undefined)[] };
  /** `coverage(mask)` of the query, as scores were scaled. */
  coverage: (mask: number) => number;
  /** Each query word's weight (its idf, typo readings aside): for coverage and re-ranking. */
  wordIdf: number[];
  /** The first few docs that hold every word (for several words). */
  whole: number[];
  /** The docs holding every word but one, by the word they lack (when asked of match). */
  near?: NearLists;
  /** Words scored only on the other words' docs (word-skip.ts), and what a doc holding only them can score. */
  skipped?: Skipped;
}

/**
 * The newest docs (docs come oldest first) that hold every query word but one, `size` per word
 * they lack: a ring per word, so noting a doc costs the same however many there are.
 */
export class NearLists {
  private readonly rings: (Int32Array | undefined)[];
  private readonly counts: number[];

  constructor(words: number, readonly size: number) {
    this.rings = new Array(words).fill(undefined);
    this.counts = new Array(words).fill(0);
  }

  push(word: number, doc: number): void {
    const ring = (this.rings[word] ??= new Int32Array(this.size));
    ring[this.counts[word]!++ % this.size] = doc;
  }

  /** A word's docs, oldest first. */
  list(word: number): number[] {
    const ring = this.rings[word];
    const n = this.counts[word]!;
    if (!ring || n === 0) return [];
    if (n <= this.size) return Array.from(ring.subarray(0, n));
    const start = n % this.size;
    return [...ring.subarray(start), ...ring.subarray(0, start)];
  }
}

/**
 * The isolate's scoring scratch: one block's accumulators (score.ts BLOCK docs, about 350 KB,
 * whatever the archive's size) and the required-words gates (one bit a doc, made by the first
 * query with such words), for every reader and archive of the isolate, since scoring is
 * synchronous (match runs start to end without yielding). Made by the first query that has
 * postings to score: a query that has none never pays for it.
 */
let scratch: Scratch | undefined;

/** For a query with no postings to score (stop words, unknown words): no scratch at all. */
const NO_SCRATCH = new Scratch(0);

/** Whether any of the words has postings to score. */
function hasPostings(groups: TermGroups, loaded: Loaded): boolean {
  return groups.some((g) => g.some((wt) => (loaded.get(wt.term)?.parts.length ?? 0) > 0));
}

function scratchFor(groups: TermGroups, loaded: Loaded): Scratch {
  if (!hasPostings(groups, loaded)) return NO_SCRATCH;
  return (scratch ??= new Scratch());
}

/** Docs the isolate's scoring accumulators cover (0: none made yet). */
export function scratchDocs(): number {
  return scratch?.block ?? 0;
}

/** Lets the scoring scratch go (the next query with postings makes it again): for tests, and benchmarks of a new isolate. */
export function releaseScratch(): void {
  scratch = undefined;
}

/**
 * A first guess at the docs a query scores: those of its largest word not skipped (the docs of
 * all its terms counted with repeats). The docs scored are at least that word's, and seldom many
 * more; the candidates' arrays grow when they are. (Sized by a skipped common word, they were
 * often ten times what the query kept.)
 */
/** The postings a term's loaded parts hold (fewer than its df when they are some docs' only: tiers.ts `wholeFor`). */
function postingsIn(t: LoadedTerm): number {
  let n = 0;
  for (const p of t.parts) {
    for (const slot of p.title?.slots ?? []) n += slot.length;
    for (const slot of p.body?.slots ?? []) n += slot.length;
  }
  return n;
}

function termDocs(groups: TermGroups, loaded: Loaded, skip: number): number {
  let most = 0;
  groups.forEach((g, w) => {
    // A skipped word's docs are scored only among the others' (word-skip.ts): they add none.
    if ((skip & (1 << w)) !== 0) return;
    let n = 0;
    for (const wt of g) {
      const t = loaded.get(wt.term);
      if (t) n += Math.min(t.df, postingsIn(t));
    }
    if (n > most) most = n;
  });
  return most;
}

/** The query's words (bit i: word i) some doc holds through one of the word's terms. */
export function heldMask(groups: TermGroups, loaded: Loaded): number {
  let held = 0;
  groups.forEach((g, w) => {
    if (g.some((t) => (loaded.get(t.term)?.df ?? 0) > 0)) held |= 1 << w;
  });
  return held;
}

/** In `Matched.parts.title`: the title holds every word of the query the archive holds (2+ words). */
export const TITLE_ALL = 1;
/** ... the query names the whole title. */
export const TITLE_NAMED = 2;

/** What a score is made of (see Matched.parts). */
type Parts = NonNullable<Matched['parts']>;

/** Candidates (and their parts, when asked) in arrays grown as blocks of scored docs come. */
class Grown {
  doc: Int32Array;
  score: Float64Array;
  exact: Uint8Array;
  day: Int32Array;
  parts: Parts | undefined;
  count = 0;

  constructor(withParts: boolean, size: number) {
    this.doc = new Int32Array(size);
    this.score = new Float64Array(size);
    this.exact = new Uint8Array(size);
    this.day = new Int32Array(size);
    this.parts = withParts ? { total: new Float64Array(size), mask: new Uint16Array(size), factor: new Float64Array(size), title: new Uint8Array(size), titleShare: new Float32Array(size), restBody: new Uint16Array(size), restScore: [] } : undefined;
  }

  /** Room for `n` candidates. */
  reserve(n: number): void {
    if (n <= this.doc.length) return;
    const size = Math.max(n, 2 * this.doc.length);
    const grow = <T extends Int32Array | Float64Array | Float32Array | Uint16Array | Uint8Array>(a: T, make: (size: number) => T): T => {
      const b = make(size);
      b.set(a.subarray(0, this.count) as never);
      return b;
    };
    this.doc = grow(this.doc, (k) => new Int32Array(k));
    this.score = grow(this.score, (k) => new Float64Array(k));
    this.exact = grow(this.exact, (k) => new Uint8Array(k));
    this.day = grow(this.day, (k) => new Int32Array(k));
    const p = this.parts;
    if (p) this.parts = { total: grow(p.total, (k) => new Float64Array(k)), mask: grow(p.mask, (k) => new Uint16Array(k)), factor: grow(p.factor, (k) => new Float64Array(k)), title: grow(p.title, (k) => new Uint8Array(k)), titleShare: grow(p.titleShare, (k) => new Float32Array(k)), restBody: grow(p.restBody, (k) => new Uint16Array(k)), restScore: p.restScore.map((a) => a && grow(a, (k) => new Float32Array(k))) };
  }
}

/**
 * Scores the docs matching any word of the query and keeps those that pass the filters, in doc
 * order; fills `near`, when given, with the docs that hold every word but one, by the word they
 * lack.
 */
export function match(index: Archive, groups: TermGroups, loaded: Loaded, filters: MatchFilters, recency: number, o: SearchOptions, near?: NearLists, withParts = false, skip = 0): Matched {
  const scratch = scratchFor(groups, loaded);
  // Each query word's weight (its idf, corrections aside): for coverage, closeness and surface.
  // A word no doc holds in any of its terms (no reading either: نيوزندي, typed for a word too
  // rare to be in the lexicon) tells no doc from another: it weighs nothing, and the title
  // bonus's "every word" is every word the archive holds.
  const held = heldMask(groups, loaded);
  const wordIdf = groups.map((g, w) => (held & (1 << w) ? Math.max(0, ...g.filter((t) => t.kind !== 'typo').map((t) => idf(loaded.get(t.term)?.df ?? 0, index.docCount))) : 0));
  // Sized for this query's matches (not the archive), grown block by block when they hold more:
  // the scratch arrays stay with the isolate.
  const cands = new Grown(withParts, Math.min(index.docSpace, termDocs(groups, loaded, skip)));
  const full = groups.length >= 2 ? 2 ** groups.length - 1 : -1;
  const whole: number[] = [];
  const { excluded, tagged, range, requiredMask, naming, joined, recency: prior } = filters;
  const dead = index.dead;
  // The day runs are decoded by the first query with a doc to date (archive.ts `runs`).
  let runs: RunCursor | undefined;
  let runDay = NO_RUNS.day;
  // Coverage counts each query word by its idf, so matching the rare, telling word of a
  // question weighs more than matching several common ones.
  const idfSum = wordIdf.reduce((a, b) => a + b, 0) || 1;
  const allWords = popcount(held) >= 2 ? held : -1; // one-word queries get no title-cover bonus
  const titleCover = 1 + o.ranking.titleCoverBonus;
  const titleNamed = 1 + o.ranking.titleNamedBonus;
  // Coverage depends on the doc only through its mask: computed once per mask seen.
  const coverage = new Float64Array(2 ** groups.length).fill(-1);
  const coverageOf = (mask: number): number => {
    let covered = 0;
    for (let m = mask, w = 0; m !== 0; m >>>= 1, w++) if (m & 1) covered += wordIdf[w]!;
    return (coverage[mask] = (covered / idfSum) ** o.ranking.coveragePower);
  };
  const coverageOfMask = (mask: number): number => (coverage[mask]! >= 0 ? coverage[mask]! : coverageOf(mask));
  // Block by block, in doc order: the candidates' arrays are written here, and read by the
  // facets, front to back, not at random, for fewer cache misses (the ranking does not depend
  // on the order; ties go by doc). Each block's accumulators are read and cleared in one pass.
  const take = (block: ScoredBlock): void => {
    if (!runs) {
      const dayRuns = index.runs;
      runs = new RunCursor(dayRuns);
      runDay = dayRuns.day;
    }
    const at = runs;
    cands.reserve(cands.count + block.count);
    const { doc: docs, score, day, exact: exacts, parts } = cands;
    const { b0, seen, total: totals, mask: masks, exactMask, titleMask, titleWords, restBody, restScore } = block;
    if (parts && restScore) restScore.forEach((a, w) => { if (a && !parts.restScore[w]) parts.restScore[w] = new Float32Array(cands.doc.length); });
    for (let word = block.seenFrom; word <= block.seenTo; word++) {
      let bits = seen[word]!;
      if (bits === 0) continue;
      seen[word] = 0;
      for (; bits !== 0; bits &= bits - 1) {
        const l = (word << 5) | (31 - Math.clz32(bits & -bits));
        const doc = b0 + l;
        // Read once, and the block's arrays cleared in the same pass.
        const mask = masks[l]!;
        const total = totals[l]!;
        const exact = exactMask[l]!;
        const title = titleMask[l]!;
        let inRestTerms = 0;
        if (restBody) {
          inRestTerms = restBody[l]!;
          restBody[l] = 0;
        }
        // Each word's score so far, for the words whose titled tiers B are unread, written where
        // the doc goes if kept (the next kept doc overwrites it otherwise), and cleared for the next block.
        if (restScore) {
          for (let w = 0; w < restScore.length; w++) {
            const a = restScore[w];
            if (!a) continue;
            if (parts) parts.restScore[w]![cands.count] = a[l]!;
            a[l] = 0;
          }
        }
        masks[l] = 0;
        totals[l] = 0;
        exactMask[l] = 0;
        titleMask[l] = 0;
        if ((mask & requiredMask) !== requiredMask) continue;
        if ((excluded.size > 0 && excluded.has(doc)) || (tagged && !tagged.has(doc))) continue;
        if (dead && dead.has(doc)) continue;
        const run = at.at(doc);
        if (range && range[run] === 0) continue;
        if (mask === full) {
          if (whole.length <= o.caps.strayCheck) whole.push(doc);
        } else if (near) {
          const lacking = full ^ mask;
          if ((lacking & (lacking - 1)) === 0) near.push(31 - Math.clz32(lacking), doc);
        }
        const i = cands.count++;
        docs[i] = doc;
        const cover = coverage[mask]! >= 0 ? coverage[mask]! : coverageOf(mask);
        // The query names the doc's whole title: as many of its words have the title as the
        // title has words (عبدالفتاح counting for عبد الفتاح).
        const namingTitle = title & naming;
        const inTitle = namingTitle !== 0 ? popcount(namingTitle) + popcount(namingTitle & joined) : 0;
        const named = inTitle !== 0 && inTitle >= titleWords[l]!;
        const factor = (prior ? 1 + recency * prior[run]! : 1) * (title === allWords ? titleCover : 1) * (named ? titleNamed : 1);
        score[i] = total * cover * factor;
        if (parts) {
          parts.total[i] = total;
          parts.mask[i] = mask;
          parts.factor[i] = factor;
          parts.title[i] = (title === allWords ? TITLE_ALL : 0) | (named ? TITLE_NAMED : 0);
          parts.titleShare[i] = named ? 1 : titleWords[l]! > 0 ? inTitle / titleWords[l]! : 0;
          parts.restBody[i] = inRestTerms;
        }
        day[i] = runDay[run]!;
        exacts[i] = exact !== 0 ? 1 : 0;
      }
    }
  };
  scoreWords(index, groups, loaded, scratch, o.ranking, take, requiredMask, skip);
  const parts = cands.parts;
  const matched: Candidates = { doc: cands.doc, score: cands.score, exact: cands.exact, day: cands.day, count: cands.count };
  const skipped = skip !== 0 ? { words: skip, ...skippedBound(index, groups, loaded, skip, o, recency, filters.recency, filters.joined) } : undefined;
  return { cands: matched, wordIdf, whole, coverage: coverageOfMask, ...(parts ? { parts } : {}), ...(near ? { near } : {}), ...(skipped ? { skipped } : {}) };
}

/**
 * The candidates of a search by date: those holding the most of the query's words the archive
 * holds (`held`, a mask), in doc order; every word when some doc holds them all (each word by
 * any of its terms: its forms, a typo's reading, a synonym). By relevance a doc holding one
 * word of two ranks below those holding both; by date it would come first if it were newer, so
 * the date order lists only the docs that hold the words, as a reader sorting a query's results
 * by date expects, and counts (total, facets) what it lists. `every`: the docs kept hold every
 * held word. Needs the candidates' word masks (`matched.parts`); the arrays are narrowed in
 * place, and the parts, which no longer line up, are dropped (a search by date does not use
 * them).
 */
export function withMostWords(matched: Matched, units: readonly number[]): { matched: Matched; every: boolean } {
  // (One word: the docs holding it, not those matched by a word `units` leave out.)
  const { cands, parts } = matched;
  const words = units.length;
  if (!parts || words === 0) return { matched, every: true };
  const mask = parts.mask;
  // Words held: a popcount when each unit is one word (no OR), else unit by unit.
  const single = units.every((u) => popcount(u) === 1);
  const all = units.reduce((m, u) => m | u, 0);
  const held = single ? (m: number) => popcount(m & all) : (m: number) => units.reduce((n, u) => n + (m & u ? 1 : 0), 0);
  let most = 0;
  for (let i = 0; i < cands.count && most < words; i++) most = Math.max(most, held(mask[i]!));
  const { doc, score, exact, day } = cands;
  let kept = 0;
  for (let i = 0; i < cands.count; i++) {
    if (held(mask[i]!) < most) continue;
    doc[kept] = doc[i]!;
    score[kept] = score[i]!;
    exact[kept] = exact[i]!;
    day[kept] = day[i]!;
    kept++;
  }
  const { parts: _dropped, ...rest } = matched;
  return { matched: { ...rest, cands: { doc, score, exact, day, count: kept } }, every: most === words };
}

/**
 * The words a search by date asks of its articles, as word masks for {@link withMostWords}: each
 * word of `held` alone, but the words `either` joins (`A OR B`), which are one, held by holding
 * any of them.
 */
export function wordUnits(held: number, either: readonly number[][]): number[] {
  const units: number[] = [];
  let joined = 0;
  for (const group of either) {
    const unit = group.reduce((m, w) => m | (1 << w), 0) & held;
    joined |= group.reduce((m, w) => m | (1 << w), 0);
    if (unit) units.push(unit);
  }
  for (let w = 0; w < 32; w++) if (held & (1 << w) && !(joined & (1 << w))) units.push(1 << w);
  return units;
}

/**
 * Whether the query's words meet: some doc holds them all. They do not when the few docs
 * holding them all do so only through another reading of a word (الين found in بين, read as
 * ب + ين); such a stray doc is returned as a near miss of that word.
 */
export function strays(groups: TermGroups, loaded: Loaded, whole: number[], o: SearchOptions): [doc: number, word: number][] | undefined {
  if (whole.length > o.caps.strayCheck) return undefined;
  const typed = groups.map((g) => (g.some((t) => t.kind === 'plain') ? g.filter((t) => t.kind === 'plain') : g));
  const out: [number, number][] = [];
  for (const doc of whole) {
    const lacking = typed.flatMap((g, w) => (g.some((t) => hasDoc(loaded.get(t.term), doc)) ? [] : [w]));
    if (lacking.length === 0) return undefined;
    if (lacking.length === 1) out.push([doc, lacking[0]!]);
  }
  return out;
}

/**
 * The near misses of a match that noted them (`near`): by word (of `only`, when given), the
 * newest docs holding every other word, and the stray docs as near misses of the word they lack.
 */
export function nearMissesOf(matched: Matched, words: number, stray: [number, number][], only?: number[]): NearMisses {
  const lists = Array.from({ length: words }, (_, w) => (only && !only.includes(w) ? [] : matched.near?.list(w) ?? []));
  for (const [doc, w] of stray) lists[w]!.push(doc);
  const near: NearMisses = new Map();
  lists.forEach((docs, w) => { if (docs.length > 0) near.set(w, docs); });
  return near;
}
