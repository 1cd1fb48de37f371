/**
 * The search core: query in, ranked and highlighted hits out. Reads through an Archive,
 * so it runs the same in the Worker, in tests and in the benchmarks. Every stage is bounded:
 * words per query, typo candidates, docs read for phrases and snippets.
 */
import type { Article } from '../article';
import { filterTerm, hasSpelling, spellingRank } from '../format/layout';
import { ALT_MARK, bareWord, normalize, stems } from '../analyzer/index';
import { parseQuery, type ParsedQuery, type PhraseWord, type QueryWord } from './query';
import { clear, editDistance, idf, letterSet, popcount, RANKING, Scratch, scoreWords, type WeightedTerm } from './rank';
import { RunCursor, runRecency, runYears, type Archive, type LoadedTerm } from './archive';
import { adjacency, closeness, findHits, highlightAll, Matcher, snippet, type FindOptions, type Highlighted, type TextHits, type WordIndex } from './snippet';
import { ReadStats } from './source';
import { formShare, surface, surfaceKey, surfaceShare, wordForms } from './surface';
import { hamzaRespellings, tokenize, withoutProclitics } from '../analyzer/index';

export type SortOrder = 'relevance' | 'date';

export interface SearchParams {
  q: string;
  limit: number;
  offset: number;
  sort: SortOrder;
  /** Keep only these sources / categories (any of them). */
  source?: string[];
  category?: string[];
  /** Keep only articles with one of these tags. */
  tag?: string[];
  /** Inclusive date range, `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  /** Count sources, categories and years over all matches. */
  facets: boolean;
  /** Strength of the recency prior; 0 switches it off. */
  recency: number;
  /** Correct likely typos (default); false searches the words exactly as typed. */
  correct?: boolean;
}

export interface Hit {
  id: string;
  title: string;
  /** Title with matches in `<mark>`, HTML-escaped. */
  titleHtml: string;
  date?: string;
  source?: string;
  sources: string[];
  category?: string;
  url?: string;
  score: number;
  /** Best window of the body, matches in `<mark>`, HTML-escaped. */
  snippet: string;
  snippetText: string;
  /** Match offsets (UTF-16 code units) into `title` and `snippetText`, for clients rendering their own markup. */
  matches: { title: [number, number][]; snippet: [number, number][] };
}

export interface Facets {
  source: Record<string, number>;
  category: Record<string, number>;
  year: Record<string, number>;
}

export interface SearchResult {
  query: string;
  total: number;
  offset: number;
  limit: number;
  sort: SortOrder;
  hits: Hit[];
  facets?: Facets;
  /** The query with typos corrected, when the query as typed found little. */
  didYouMean?: string;
  /** True when the hits are those of `didYouMean`: a word was unknown as typed and searched as corrected. */
  corrected?: boolean;
  /** Limits that applied to this query (see the README). */
  capped?: string[];
  /** Constraints of the query dropped because nothing matched them (`phrase`). */
  relaxed?: string[];
  index: string;
}

/**
 * A word of 5+ letters may be one edit off, 9 or more two. A word one letter shorter is taken
 * for a 5-letter word with a letter left out (ترامب typed تامب), and only when the archive has
 * never seen it: short real words are too many to second-guess.
 */
const TYPO_MIN_LENGTH = 5;
const TYPO_TWO_EDITS_LENGTH = 9;
/** A word found in fewer documents than this is checked for a likelier spelling. */
const TYPO_MAX_DF = 3;
/** A rare spelling whose correction is this many times more common is taken for a typo. */
const TYPO_SWAMP = 100;
/**
 * ... and one typed alone whose correction is this many times more common, when an article
 * writes both (the archive's own typo, beside the right spelling: خامئني and خامنئي).
 */
const TYPO_TOGETHER = 10;
/** Corrections kept per word, and lexicon entries compared at most per query. */
const TYPO_CANDIDATES = 3;
const TYPO_SCAN_LIMIT = 40_000;
/** Candidates whose text is read to check a quoted phrase. */
const PHRASE_CHECK = 100;
/** Best results searched for the way the archive writes a correction. */
const WRITTEN_FORM_DOCS = 3;
/** Results found below which a correction is offered as "did you mean". */
const DID_YOU_MEAN_BELOW = 3;

/** Scoring arrays by doc, one set per isolate's store (shared by its archives, grown with them). */
const scratches = new WeakMap<object, Scratch>();
/** Latest year a facet counts (years are Uint16 in the index; later ones are left out). */
const MAX_YEAR = 9999;
/** Per-year counts for facets, cleared after each use (facets are counted synchronously). */
const YEAR_COUNTS = new Int32Array(MAX_YEAR + 1);

/**
 * Runs a search. A query whose quoted phrases (or quoted words) match nothing is run again
 * with their words as plain words, as a reader pasting a misremembered quote expects, and the
 * response says so (`relaxed: ["phrase"]`).
 */
export async function search(index: Archive, params: SearchParams, stats = new ReadStats()): Promise<SearchResult> {
  const query = parseQuery(params.q);
  const result = await run(index, params, query, stats);
  if (result.total > 0 || query.required.length === 0) return result;
  const loose = await run(index, params, { ...query, phrases: [], required: [] }, stats);
  if (loose.total === 0) return result;
  loose.relaxed = ['phrase'];
  return loose;
}

async function run(index: Archive, params: SearchParams, query: ParsedQuery, stats: ReadStats): Promise<SearchResult> {
  const capped = [...query.capped];
  const excludedTerms = query.excluded.flatMap((w) => [w.stems[0]!, ...w.respellings]);
  const tagTerms = (params.tag ?? []).map((t) => filterTerm.tag(normalize(t)));

  stats.start('load');
  const candidatesOf = query.words.map((w) => [...w.stems.flatMap((s) => [s, ALT_MARK + s]), ...w.respellings, ...(w.compound?.stems ?? [])]);
  const all = [...new Set([...candidatesOf.flat(), ...excludedTerms, ...tagTerms])];
  const loaded = await index.loadTerms(all, stats);
  // Only words the archive does not have as spelled, or has in fewer than TYPO_MAX_DF documents,
  // are looked up in the typo lexicon (a second read, for those queries only).
  // A word others spell differently (مسئول, مسؤول) is in use if either spelling is.
  // A word typed alone is looked up too when its spelling is rare (see correctTypos).
  const lone = query.words.length === 1 && query.typed === 1 && query.required.length === 0;
  const unknown = params.correct === false ? [] : query.words.filter((w) => (!knownAsTyped(w, loaded) || (lone && !spelledInUse(loaded.get(w.stems[0]!), w.norm))) && !w.respellings.some((r) => (loaded.get(r)?.df ?? 0) >= TYPO_MAX_DF));
  // A word known as typed (read only because it is typed alone) is not also read as a typo in
  // its article: that is an unknown word's (امانيا), and it would double the lists read.
  const lexicon = unknown.length ? await index.lexicon(typoLookups(unknown, (w) => knownAsTyped(w, loaded)), stats) : [];
  const groups = query.words.map((w) => wordTerms(w, loaded, index.docCount));
  // A compound name written apart (عبد الله) is found written as one (عبدالله): that word
  // counts for both of its parts.
  query.words.forEach((w, i) => {
    if (!w.compound) return;
    w.compound.stems.forEach((term, k) => {
      if ((loaded.get(term)?.df ?? 0) === 0) return;
      const weight = k === 0 ? 1 : RANKING.altWeight;
      for (const g of [groups[w.compound!.head]!, groups[i]!]) if (!g.some((t) => t.term === term)) g.push({ term, weight, kind: k === 0 ? 'plain' : 'alt' });
    });
  });
  let corrections = params.correct === false ? [] : correctTypos(index, query.words, groups, loaded, lexicon, capped, lone);
  const corrected = corrections.flatMap((c) => groups[c.word]!.map((t) => t.term)).filter((t) => !loaded.has(t));
  if (corrected.length) for (const [t, v] of await index.loadTerms(corrected, stats)) loaded.set(t, v);
  corrections = settleCorrections(query.words, groups, loaded, corrections, index.dead);
  stats.end('load');

  stats.start('match');
  let scratch = scratches.get(index.store);
  if (!scratch || scratch.capacity < index.docSpace) scratches.set(index.store, (scratch = new Scratch(Math.ceil(index.docSpace * (scratch ? 1.25 : 1)))));
  const filters = {
    excluded: docsOf(excludedTerms, loaded, index.dead),
    tagged: tagTerms.length ? docsOf(tagTerms, loaded, index.dead) : undefined,
    range: dateRange(index, params.from, params.to),
    recency: params.recency > 0 ? runRecency(index.runs, index.newestDay, RANKING.recencyHalfLifeDays) : undefined,
    requiredMask: query.required.reduce((m, i) => m | (1 << i), 0),
    naming: namingWords(groups.length, corrections),
    joined: query.words.reduce((m, w, i) => (w.joined ? m | (1 << i) : m), 0),
  };
  // A real word typed for another (الجزار for الجزائر) is no unknown word: it shows as the one
  // word of the query that no document holds with all the others.
  let { cands, wordIdf, whole } = match(index, groups, loaded, scratch, filters, params.recency);
  const stray = groups.length >= 2 && params.correct !== false && query.required.length === 0 && query.phrases.length === 0 ? strays(groups, loaded, whole) : undefined;
  const nearMisses: NearMisses = new Map();
  if (stray) {
    // Rare (the words do not meet): scored again, noting the docs that miss one word.
    const near = groups.map((): number[] => []);
    ({ cands, wordIdf } = match(index, groups, loaded, scratch, filters, params.recency, near));
    near.forEach((docs) => { if (docs.length > NEAR_MISS_DOCS) docs.splice(0, docs.length - NEAR_MISS_DOCS); });
    for (const [doc, w] of stray) near[w]!.push(doc);
    near.forEach((docs, w) => { if (docs.length > 0) nearMisses.set(w, docs); });
  }
  stats.end('match');
  if (nearMisses.size > 0) {
    stats.start('load');
    const found = await contextCorrections(index, query.words, groups, loaded, nearMisses, corrections, capped, stats);
    stats.end('load');
    if (found.length > 0) {
      corrections.push(...found);
      filters.naming = namingWords(groups.length, corrections);
      stats.start('match');
      ({ cands, wordIdf } = match(index, groups, loaded, scratch, filters, params.recency));
      stats.end('match');
    }
  }

  let facets: Facets | undefined;
  stats.start('filter');
  const needAttrs = params.facets || !!params.source?.length || !!params.category?.length;
  if (needAttrs && cands.count > 0) {
    // Every candidate comes from one of these terms: their codes are all it needs.
    index.learnAttributes(groups.flatMap((g) => g.map((t) => loaded.get(t.term))));
    facets = applyAttributes(index, cands, params);
  }
  else if (params.facets) facets = { source: {}, category: {}, year: {} };
  stats.end('filter');

  stats.start('rank');
  // Exact matches of every word rank above docs found only through a correction.
  const { doc: cd, score: cs, exact: ce } = cands;
  const better = params.sort === 'date'
    ? (a: number, b: number) => cands.day[b]! - cands.day[a]! || cd[b]! - cd[a]!
    : (a: number, b: number) => ce[b]! - ce[a]! || cs[b]! - cs[a]! || cd[b]! - cd[a]!;
  const toRanked = (order: number[]) => order.map((i) => ({ doc: cd[i]!, score: cs[i]!, exact: ce[i]! }));
  // The top of the ranking is re-ordered on the articles' text where the query says more than
  // its terms: by closeness for several words, by the surface form for words typed with hamza
  // or harakat.
  const surfaces = query.words.map((w) => surfaceKey(w.text));
  const bySurface = RANKING.surfaceBonus > 0 && surfaces.some(Boolean);
  const byCloseness = RANKING.proximity > 0 && groups.length >= 2;
  // A word's forms, in every house style (مسئول, مسؤول); any writing of a compound name.
  const compoundHeads = new Set(query.words.flatMap((w) => (w.compound ? [w.compound.head] : [])));
  const byForm = RANKING.formBonus > 0 && params.sort === 'relevance';
  const forms = byForm ? query.words.map((w, i) => (w.compound || w.joined || compoundHeads.has(i) ? undefined : [...new Set([w.norm, ...hamzaRespellings(w.text)].flatMap(wordForms))])) : [];
  const depth = params.sort === 'relevance' && query.phrases.length === 0 && (bySurface || byCloseness || byForm) ? RANKING.rerankDepth : 0;
  let ranked = toRanked(topK(cands.count, Math.max(params.offset + params.limit, depth), better));
  let total = cands.count;
  const phraseCandidates = query.phrases.length > 0 ? toRanked(topK(cands.count, PHRASE_CHECK, better)) : [];
  stats.end('rank');

  const matcher = new Matcher(groups.map((g) => g.map((t) => t.term)), ALT_MARK);
  if (query.phrases.length > 0) {
    const checked = await checkPhrases(index, phraseCandidates, query, matcher, stats);
    if (cands.count > PHRASE_CHECK) capped.push('phrase-candidates');
    total = checked.length;
    ranked = checked.slice(0, params.offset + params.limit);
  }

  const textHits = new Map<number, { title: TextHits; body: TextHits }>();
  let articles = new Map<number, Article>();
  // A page past the re-ranked top holds the same docs in the same order whatever the top's
  // order: its articles alone are read.
  if (depth > 0 && ranked.length > 1 && params.offset < depth) {
    // Closeness: the top of the ranking is re-ordered by how near together each text holds
    // the query's words, read from the same articles the snippets come from (one batch).
    stats.start('rank');
    const head = ranked.slice(0, depth);
    const pageDocs = ranked.slice(params.offset, params.offset + params.limit).map((c) => c.doc);
    articles = await index.docs([...new Set([...head.map((c) => c.doc), ...pageDocs])], stats);
    for (const c of head) {
      const a = articles.get(c.doc)!;
      const h = hitsIn(index, c.doc, a, 'body', matcher, { words: groups.length, window: RANKING.proximityWindow });
      const t = hitsIn(index, c.doc, a, 'title', matcher);
      textHits.set(c.doc, { title: t, body: h });
      let factor = 1;
      if (byCloseness) {
        factor += RANKING.proximity * Math.max(closeness(t.hits, wordIdf, RANKING.proximityWindow), closeness(h.hits, wordIdf, RANKING.proximityWindow));
        if (RANKING.adjacency > 0) factor += RANKING.adjacency * Math.max(adjacency(t.hits, wordIdf), adjacency(h.hits, wordIdf));
      }
      if (bySurface) factor += RANKING.surfaceBonus * surfaceShare(surfaces, wordIdf, writtenMatches([t, h]));
      if (byForm) factor += RANKING.formBonus * formShare(forms, wordIdf, writtenMatches([t, h]));
      c.score *= factor;
    }
    head.sort((a, b) => b.exact - a.exact || b.score - a.score || b.doc - a.doc);
    ranked = [...head, ...ranked.slice(depth)];
    stats.end('rank');
  }

  stats.start('snippets');
  const page = ranked.slice(params.offset, params.offset + params.limit);
  const missing = page.map((c) => c.doc).filter((d) => !articles.has(d));
  if (missing.length) for (const [d, a] of await index.docs(missing, stats)) articles.set(d, a);
  const hits = page.map((c) => toHit(index, c.doc, articles.get(c.doc)!, c.score, matcher, textHits.get(c.doc)));
  stats.end('snippets');

  let exactTotal = 0;
  for (let i = 0; i < cands.count && exactTotal < DID_YOU_MEAN_BELOW; i++) exactTotal += cands.exact[i]!;
  const result: SearchResult = {
    query: params.q, total, offset: params.offset, limit: params.limit, sort: params.sort, hits, index: index.version,
  };
  if (facets) result.facets = facets;
  // Of a word's readings, the one the best result has (كرة السة: السلة, not the commoner السنة).
  const top = ranked[0]?.doc;
  const inTop = new Map(corrections.map((c) => [c, c.readings.find((r) => top !== undefined && hasDoc(loaded.get(r.stem), top))]));
  // A correction found in context is offered only when it made the best result, and is far
  // more common than the word as typed: a question whose words do not all meet is often spelt
  // right (its readings still count, weighted as typos).
  const offered = corrections.filter((c) => !c.context || (inTop.get(c)?.df ?? 0) >= c.context.offerDf);
  if (offered.some((c) => c.mode === 'auto' || c.context) || (offered.length > 0 && exactTotal < DID_YOU_MEAN_BELOW)) {
    const shownDocs = page.slice(0, WRITTEN_FORM_DOCS).map((c) => c.doc);
    for (const c of offered) c.to = writtenForm(index, inTop.get(c)?.word ?? c.to, shownDocs, articles, matcher);
    result.didYouMean = correctedQuery(params.q, query, offered);
    if (offered.some((c) => c.mode === 'auto')) result.corrected = true;
  }
  if (capped.length) result.capped = capped;
  return result;
}

/** The query words that can name a title: all but those read as several typo corrections. */
function namingWords(words: number, corrections: Correction[]): number {
  let mask = (1 << words) - 1;
  for (const c of corrections) if (c.readings.length > 1) mask &= ~(1 << c.word);
  return mask;
}

/** What a candidate must pass besides matching (`-word`, `tag`, dates and quoted words), and which words can name a title. */
interface MatchFilters {
  excluded: Set<number>;
  tagged?: Set<number>;
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

/** Docs that hold every word of the query but one, by the word they lack (see contextCorrections). */
type NearMisses = Map<number, number[]>;

/** Near misses kept per word: enough to tell which readings of the word fit the others. */
const NEAR_MISS_DOCS = 256;
/** Docs holding every word that are checked for a stray match (see match); more: the words meet. */
const STRAY_CHECK = 3;

/**
 * Scores the docs matching any word of the query (BM25 sums scaled by idf-weighted coverage,
 * recency and a whole-title bonus) and keeps those that pass the filters, in doc order. Also
 * returns the first few docs that hold every word (`whole`, for several words), and fills `near`,
 * when given, with the docs that hold every word but one, by the word they lack.
 */
function match(index: Archive, groups: WeightedTerm[][], loaded: Map<string, LoadedTerm | null>, scratch: Scratch, filters: MatchFilters, recency: number, near?: number[][]): { cands: Candidates; wordIdf: number[]; whole: number[] } {
  const scored = scoreWords(index, groups, loaded, scratch);
  // Each query word's weight (its idf, corrections aside): for coverage, closeness and surface.
  const wordIdf = groups.map((g) => Math.max(0, ...g.filter((t) => t.kind !== 'typo').map((t) => idf(loaded.get(t.term)?.df ?? 0, index.docCount))));
  // Sized for this query's matches (not the archive): the scratch arrays stay with the isolate.
  const matched = scored.count;
  const cands: Candidates = { doc: new Int32Array(matched), score: new Float64Array(matched), exact: new Uint8Array(matched), day: new Int32Array(matched), count: 0 };
  const full = groups.length >= 2 ? 2 ** groups.length - 1 : -1;
  const whole: number[] = [];
  try {
    const { excluded, tagged, range, requiredMask, naming, joined, recency: prior } = filters;
    const dead = index.dead;
    const runDay = index.runs.day;
    const runs = new RunCursor(index.runs);
    // Coverage counts each query word by its idf, so matching the rare, telling word of a
    // question weighs more than matching several common ones.
    const idfSum = wordIdf.reduce((a, b) => a + b, 0) || 1;
    const allWords = full; // one-word queries get no title-cover bonus
    const titleCover = 1 + RANKING.titleCoverBonus;
    const titleNamed = 1 + RANKING.titleNamedBonus;
    // Coverage depends on the doc only through its mask: computed once per mask seen.
    const coverage = new Float64Array(2 ** groups.length).fill(-1);
    const coverageOf = (mask: number): number => {
      let covered = 0;
      for (let m = mask, w = 0; m !== 0; m >>>= 1, w++) if (m & 1) covered += wordIdf[w]!;
      return (coverage[mask] = (covered / idfSum) ** RANKING.coveragePower);
    };
    const { total: totals, mask: masks, exactMask, titleMask, titleWords } = scored;
    // In doc order: the per-doc arrays here and in the facets are read front to back, not at
    // random, for fewer cache misses (the ranking does not depend on the order; ties go by doc).
    const seen = scored.seen;
    for (let word = 0; word < seen.length; word++) {
      let bits = seen[word]!;
      if (bits === 0) continue;
      seen[word] = 0;
      for (; bits !== 0; bits &= bits - 1) {
        const doc = (word << 5) | (31 - Math.clz32(bits & -bits));
        // Read once, and the shared arrays cleared in the same pass.
        const mask = masks[doc]!;
        const total = totals[doc]!;
        const exact = exactMask[doc]!;
        const title = titleMask[doc]!;
        masks[doc] = 0;
        totals[doc] = 0;
        exactMask[doc] = 0;
        titleMask[doc] = 0;
        if ((mask & requiredMask) !== requiredMask) continue;
        if ((excluded.size > 0 && excluded.has(doc)) || (tagged && !tagged.has(doc))) continue;
        if (dead && dead.has(doc)) continue;
        const run = runs.at(doc);
        if (range && range[run] === 0) continue;
        if (mask === full) {
          if (whole.length <= STRAY_CHECK) whole.push(doc);
        } else if (near) {
          const lacking = full ^ mask;
          if ((lacking & (lacking - 1)) === 0) {
            // The newest NEAR_MISS_DOCS are kept (docs come oldest first): trimmed as it goes.
            const list = near[31 - Math.clz32(lacking)]!;
            if (list.push(doc) >= 2 * NEAR_MISS_DOCS) list.splice(0, list.length - NEAR_MISS_DOCS);
          }
        }
        const i = cands.count++;
        cands.doc[i] = doc;
        const cover = coverage[mask]! >= 0 ? coverage[mask]! : coverageOf(mask);
        // The query names the doc's whole title: as many of its words have the title as the
        // title has words (عبدالفتاح counting for عبد الفتاح).
        const namingTitle = title & naming;
        const named = namingTitle !== 0 && popcount(namingTitle) + popcount(namingTitle & joined) >= titleWords[doc]!;
        cands.score[i] = total * cover * (prior ? 1 + recency * prior[run]! : 1) * (title === allWords ? titleCover : 1) * (named ? titleNamed : 1);
        cands.day[i] = runDay[run]!;
        cands.exact[i] = exact !== 0 ? 1 : 0;
      }
    }
    scored.count = 0;
  } finally {
    clear(scored); // only left to do when the loop above was cut short
  }
  return { cands, wordIdf, whole };
}

/**
 * Whether the query's words meet: some doc holds them all. They do not when the few docs
 * holding them all do so only through another reading of a word (الين found in بين, read as
 * ب + ين); such a stray doc is returned as a near miss of that word.
 */
function strays(groups: WeightedTerm[][], loaded: Map<string, LoadedTerm | null>, whole: number[]): [doc: number, word: number][] | undefined {
  if (whole.length > STRAY_CHECK) return undefined;
  const typed = groups.map((g) => (g.some((t) => t.kind === 'plain') ? g.filter((t) => t.kind === 'plain') : g));
  const out: [number, number][] = [];
  for (const doc of whole) {
    const lacking = typed.flatMap((g, w) => (g.some((t) => hasDoc(loaded.get(t.term), doc)) ? [] : [w]));
    if (lacking.length === 0) return undefined;
    if (lacking.length === 1) out.push([doc, lacking[0]!]);
  }
  return out;
}

/** Readings of a word compared per query when its context suggests a typo (terms read). */
const CONTEXT_READINGS = 6;

/**
 * A typo that makes another real word (الجزار for الجزائر, انفجر for انفجار) is in the
 * archive as typed, so the lexicon is not asked. It shows in context instead: no document holds
 * every word of the query, but some hold all the others. Such a word's known readings within
 * its edits are read, and those found in the documents holding the other words are added as
 * corrections: they rank as typo matches, below what the words as typed find together.
 * A reading that no such document has is not added, so queries whose words simply do not meet
 * keep their results.
 */
async function contextCorrections(index: Archive, words: QueryWord[], groups: WeightedTerm[][], loaded: Map<string, LoadedTerm | null>, nearMisses: NearMisses, done: Correction[], capped: string[], stats: ReadStats): Promise<Correction[]> {
  const suspects = [...nearMisses.keys()].filter((wi) => !done.some((c) => c.word === wi) && typoLookups([words[wi]!]).length > 0);
  if (suspects.length === 0) return [];
  const lexicon = await index.lexicon(typoLookups(suspects.map((wi) => words[wi]!)), stats);
  const budget = { scanned: 0 };
  const readings = new Map<number, TypoCandidate[]>();
  const typedDfs = new Map(suspects.map((wi) => [wi, dfAsTyped(words[wi]!, lexicon, loaded)]));
  for (const wi of suspects) {
    const own = new Set(groups[wi]!.map((t) => t.term));
    // Readings more common than the word as typed, likeliest first, one per stem.
    const typed = typedDfs.get(wi)!;
    const stemsSeen = new Set<string>();
    const cands = typoCandidates(words, wi, lexicon, Math.max(TYPO_MAX_DF, typed + 1), budget).filter((c) => !own.has(c.stem) && !stemsSeen.has(c.stem) && stemsSeen.add(c.stem));
    if (cands.length > 0) readings.set(wi, cands.slice(0, CONTEXT_READINGS));
  }
  if (budget.scanned > TYPO_SCAN_LIMIT && !capped.includes('typo-candidates')) capped.push('typo-candidates');
  const wanted = [...readings.values()].flat().map((c) => c.stem).filter((t) => !loaded.has(t));
  if (wanted.length) for (const [t, v] of await index.loadTerms(wanted, stats)) loaded.set(t, v);
  const out: Correction[] = [];
  for (const [wi, cands] of readings) {
    const context = new Set(nearMisses.get(wi));
    // The likeliest readings that some of those documents have, weighted as other corrections.
    const fits = cands.filter((c) => hasAny(loaded.get(c.stem), context)).slice(0, TYPO_CANDIDATES);
    if (fits.length === 0) continue;
    for (const c of fits) {
      const weight = RANKING.typoWeight * (c.d === 1 ? 1 : 0.75) * Math.min(1, Math.sqrt(c.df / fits[0]!.df));
      groups[wi]!.push({ term: c.stem, weight, kind: 'typo' });
    }
    // Offered only as a rare word's correction would be: far more common than the word as typed.
    out.push({ word: wi, to: fits[0]!.word, readings: fits, mode: 'suggest', context: { offerDf: 10 * typedDfs.get(wi)! } });
  }
  return out;
}

/** Whether a term is found in a doc (slots list docs in ascending order). */
function hasDoc(term: LoadedTerm | null | undefined, doc: number): boolean {
  for (const part of term?.parts ?? []) for (const postings of [part.title, part.body]) {
    for (const slot of postings?.slots ?? []) {
      if (!slot) continue;
      let lo = 0;
      let hi = slot.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (slot[mid] === doc) return true;
        if (slot[mid]! < doc) lo = mid + 1;
        else hi = mid - 1;
      }
    }
  }
  return false;
}

/** Whether a term is found in any of `docs` (title or body). */
function hasAny(term: LoadedTerm | null | undefined, docs: Set<number>): boolean {
  for (const d of docsOfTerm(term)) if (docs.has(d)) return true;
  return false;
}

/** The query words some texts hold, with each word as written there. */
function* writtenMatches(texts: TextHits[]): Generator<[number, string]> {
  for (const text of texts) {
    for (const { word, start, end } of text.hits) {
      yield [word, text.text.slice(start, end)];
    }
  }
}

/**
 * Word indexes of cached articles' titles and bodies, built by the first query that reads an
 * article, charged to the reader's cache with it and dropped with it.
 */
const wordIndexes = new WeakMap<Article, { title?: WordIndex; body?: WordIndex }>();

/** The query's words in an article's title or body: from its word index when an earlier query built one. */
function hitsIn(index: Archive, doc: number, a: Article, field: 'title' | 'body', matcher: Matcher, options: FindOptions = {}): TextHits {
  let entry = wordIndexes.get(a);
  if (!entry) wordIndexes.set(a, (entry = {}));
  const known = entry[field];
  if (known) return findHits(known, matcher, options);
  return findHits(a[field], matcher, options, (built) => {
    entry[field] = built;
    // Three Int32Arrays, and the joined text when the body came in paragraphs.
    index.chargeDoc(doc, 12 * built.count + (field === 'body' ? 2 * built.text.length : 0) + 200);
  });
}

/** A hit for the page; `found` are the article's matches when the re-ranking already has them. */
function toHit(index: Archive, doc: number, a: Article, score: number, matcher: Matcher, found?: { title: TextHits; body: TextHits }): Hit {
  const title = highlightAll(found?.title ?? hitsIn(index, doc, a, 'title', matcher), matcher);
  const snip: Highlighted = snippet(found?.body ?? hitsIn(index, doc, a, 'body', matcher, { words: matcher.words }));
  return {
    id: a.id,
    title: a.title,
    titleHtml: title.html,
    ...(a.date ? { date: a.date } : {}),
    ...(a.sources[0] ? { source: a.sources[0] } : {}),
    sources: a.sources,
    ...(a.category ? { category: a.category } : {}),
    ...(a.url ? { url: a.url } : {}),
    score: Math.round(score * 1e4) / 1e4,
    snippet: snip.html,
    snippetText: snip.text,
    matches: { title: title.marks, snippet: snip.marks },
  };
}

/**
 * The terms a query word is looked up under. Its plain stem always; a reading without a
 * proclitic (لبوتين → بوت) only where that reading is the more frequent one, and the index's
 * marked readings (وبوتين indexed as ~بوت) only where they do not swamp the plain stem. The
 * frequencies decide between "ل + بوتين" and "ب + وتين" as a reader would.
 */
function wordTerms(word: QueryWord, loaded: Map<string, LoadedTerm | null>, docCount: number): WeightedTerm[] {
  const df = (t: string) => loaded.get(t)?.df ?? 0;
  const plain = word.stems[0]!;
  const out: WeightedTerm[] = [{ term: plain, weight: 1, kind: 'plain' }];
  const respelt = word.respellings.filter((r) => df(r) > 0);
  if (respelt.length > 0) {
    // One word in several spellings: each scores with the idf of the commonest, so the rarer
    // house style is not taken for a rarer word.
    const common = idf(Math.max(df(plain), ...respelt.map(df)), docCount);
    out[0]!.weight = common / idf(df(plain), docCount);
    for (const r of respelt) out.push({ term: r, weight: common / idf(df(r), docCount), kind: 'plain' });
  }
  if (behindProclitic(plain, loaded)) out.push({ term: ALT_MARK + plain, weight: RANKING.altWeight, kind: 'alt' });
  for (const alt of word.stems.slice(1)) {
    if (df(alt) <= df(plain)) continue;
    out.push({ term: alt, weight: RANKING.altWeight, kind: 'alt' });
    if (df(ALT_MARK + alt) > 0) out.push({ term: ALT_MARK + alt, weight: RANKING.altWeight ** 2, kind: 'alt' });
  }
  return out;
}

/**
 * Whether a stem is searched behind a proclitic too (لترامب for ترامب): when the archive has it
 * so, and not far more often than bare, as a short stem is (بسل, وسل for سل), where the marked
 * term would find other words.
 */
function behindProclitic(stem: string, loaded: Map<string, LoadedTerm | null>): boolean {
  const marked = loaded.get(ALT_MARK + stem)?.df ?? 0;
  return marked > 0 && marked <= 2 * (loaded.get(stem)?.df ?? 0) + 2;
}

/** A typo correction of one query word. */
interface Correction {
  word: number;
  /** The normalized word the reader most likely meant (the first reading, until the results say). */
  to: string;
  /** The readings searched, likeliest first. */
  readings: { word: string; stem: string; df: number }[];
  /** `auto`: the word as typed is unknown, the correction takes its place; `suggest`: both count, exact first. */
  mode: 'auto' | 'suggest';
  /** The word's terms before the correction, when it stands only if an article writes both (see settleCorrections). */
  unconfirmed?: WeightedTerm[];
  /**
   * Found from the query's other words (see contextCorrections): offered when the best result
   * has a reading found in at least `offerDf` documents.
   */
  context?: { offerDf: number };
}

/** Lexicon keys to read for the words of a query that may be misspelt. */
function typoLookups(words: QueryWord[], inUse: (w: QueryWord) => boolean = () => false): { first: string; length: number }[] {
  return words.flatMap((w) => {
    const bare = bareWord(w.norm);
    if (w.norm.length < TYPO_MIN_LENGTH - 1 || !/^[\u0600-\u06ff]/.test(bare)) return [];
    if (w.norm.length < TYPO_MIN_LENGTH) return [{ first: bare[0]!, length: bare.length + 1 }, ...shortArticleLookups(w.norm)];
    const max = w.norm.length >= TYPO_TWO_EDITS_LENGTH ? 2 : 1;
    const own = range(bare.length - max, bare.length + max).map((length) => ({ first: bare[0]!, length }));
    return inUse(w) ? own : [...own, ...articleTypoLookups(w.norm)];
  });
}

/**
 * A 4-letter word with the article (السة, الين) read as a 5-letter one with a letter left out
 * (السلة, اليمن): those are keyed by their letters after ال.
 */
function shortArticleLookups(norm: string): { first: string; length: number }[] {
  return norm.length === TYPO_MIN_LENGTH - 1 && norm.startsWith('ال') ? [{ first: norm[2]!, length: norm.length - 1 }] : [];
}

/**
 * A typo in the article: ال typed with its ل left out, swapped with the next letter or
 * mistyped (امانيا, املانيا, اكمانيا for المانيا). The word then starts with ا and not ال, and
 * its lexicon key (which leaves ال out) is another letter's: these are the keys of the words
 * ال + X that it may stand for.
 */
function articleTypoLookups(norm: string): { first: string; length: number }[] {
  if (!norm.startsWith('ا') || norm.startsWith('ال') || norm.length < TYPO_MIN_LENGTH) return [];
  const rest = norm.slice(1);
  return [
    { first: rest[0]!, length: rest.length }, // ل left out
    { first: rest[0]!, length: rest.length - 1 }, // ل swapped with the next letter
    { first: rest[1]!, length: rest.length - 1 }, // ل mistyped
  ];
}

/**
 * Typo tolerance, on words rather than stems (a misspelt name must be compared with the name,
 * not with a stem its misspelling happens to share: ماركون is not مارك). A word of 5+ letters
 * that the lexicon does not know, or knows as rare, is compared with the known words of the
 * same first letter (ال aside) within one edit (two from 9 letters); the likeliest spellings are
 * added to the word's terms. An unknown word hands its place to the correction ("auto"); a rare
 * one keeps it and exact matches rank first ("suggest").
 */
function correctTypos(index: Archive, words: QueryWord[], groups: WeightedTerm[][], loaded: Map<string, LoadedTerm | null>, lexicon: [string, number][][], capped: string[], lone: boolean): Correction[] {
  const out: Correction[] = [];
  const budget = { scanned: 0 };
  words.forEach((w, wi) => {
    const bare = bareWord(w.norm);
    if (w.norm.length < TYPO_MIN_LENGTH - 1 || !/^[\u0600-\u06ff]/.test(bare)) return;
    const short = w.norm.length < TYPO_MIN_LENGTH;
    const own = loaded.get(w.stems[0]!);
    const plainDf = own?.df ?? 0;
    const spelledAsTyped = hasSpelling(own?.spellings, w.norm);
    if (spelledInUse(own, w.norm)) return;
    let typedDf = lexiconDf(w, lexicon);
    // A word in use as typed (its stem in 3+ documents, or 3+ documents spelling it so; any
    // known 4-letter word) is no typo, unless it is typed alone (`lone`: no other word, not
    // even a question's), rare as spelled, and the reading is over TYPO_SWAMP times more
    // common (a reader who types ماركون or ترام alone means ماكرون or ترامب, which the archive
    // spells so 100 times as often), or TYPO_TOGETHER times and written beside it.
    const inUse = (spelledAsTyped && short) || knownAsTyped(w, loaded) || typedDf >= TYPO_MAX_DF;
    if (inUse && !lone) return;
    // A 4-letter word's own lexicon list is not read: its stem's count stands in.
    if (short && spelledAsTyped) typedDf = Math.max(typedDf, plainDf);
    // A rare word is corrected only to a far more common one; an unknown one to any known word.
    const minDf = inUse ? TYPO_TOGETHER * Math.max(1, typedDf) : typedDf === 0 ? TYPO_MAX_DF : 10 * typedDf;
    const cands = typoCandidates(words, wi, lexicon, minDf, budget);
    if (budget.scanned > TYPO_SCAN_LIMIT && !capped.includes('typo-candidates')) capped.push('typo-candidates');
    const best = cands[0];
    // The typed word's own stem is the likelier reading, unless the word is short and unknown:
    // a 4-letter form unseen in the whole archive is a slip, whatever its (short) stem matches.
    if (!best || (!short && best.df <= plainDf / 2)) return;
    // As typed, the word is nowhere in the archive: the correction takes its place. Found in a
    // few documents: both count, and those documents rank first.
    // ... unless the correction is so much more common that the few documents spelling it as
    // typed are the archive's own typos (بومبو in 1 article, بومبيو in 580): then it takes over.
    const mode = spelledAsTyped && !inUse && best.df < TYPO_SWAMP * Math.max(1, typedDf) ? 'suggest' : 'auto';
    // A word in use, typed alone, that is merely 10-100 times rarer: kept only if an article
    // writes both (see settleCorrections); until then, its terms as they were.
    const unconfirmed = inUse && best.df < TYPO_SWAMP * Math.max(1, typedDf) ? groups[wi]!.map((t) => ({ ...t })) : undefined;
    if (mode === 'auto') {
      // The word as typed loses its place: what its stem finds (the archive's own typos, or
      // other words that happen to share the stem) counts as a correction would, after the
      // rest, and never with more weight than the correction's (a rare stem's idf is high).
      for (const t of groups[wi]!) {
        t.weight *= RANKING.typoWeight * Math.min(1, idf(best.df, index.docCount) / idf(loaded.get(t.term)?.df ?? 1, index.docCount));
        t.kind = 'typo';
      }
    }
    // Up to TYPO_CANDIDATES readings of distinct stems, each weighted by how common it is
    // against the likeliest (which may be the rarer one: it kept the article as typed).
    const readings: TypoCandidate[] = [];
    for (const c of cands) {
      if (readings.length >= TYPO_CANDIDATES) break;
      if (c.d > best.d || c.df * 100 < best.df || readings.some((r) => r.stem === c.stem)) continue;
      if (inUse && !unconfirmed && c.df < TYPO_SWAMP * Math.max(1, typedDf)) continue; // the 100 times took over
      readings.push(c);
      const weight = (mode === 'auto' ? 1 : RANKING.typoWeight) * (c.d === 1 ? 1 : 0.75) * Math.min(1, Math.sqrt(c.df / best.df));
      const kind = mode === 'auto' ? 'alt' : 'typo';
      // As the word typed right would be: the stem, and the stem found behind a proclitic (لترامب).
      groups[wi]!.push({ term: c.stem, weight, kind }, { term: ALT_MARK + c.stem, weight: weight * RANKING.altWeight, kind });
    }
    out.push(unconfirmed ? { word: wi, to: best.word, readings, mode, unconfirmed } : { word: wi, to: best.word, readings, mode });
  });
  return out;
}

/**
 * Settles the corrections once their readings are loaded. Those that need an article writing
 * both the word as typed and a reading (`unconfirmed`) and have none are dropped, the word's
 * terms restored; a reading's proclitic term stays only on the terms a typed word's would
 * (see behindProclitic).
 */
function settleCorrections(words: QueryWord[], groups: WeightedTerm[][], loaded: Map<string, LoadedTerm | null>, corrections: Correction[], dead: Set<number> | undefined): Correction[] {
  return corrections.filter((c) => {
    if (c.unconfirmed) {
      const typed = docsOf([words[c.word]!.stems[0]!], loaded, dead);
      if (!c.readings.some((r) => hasAny(loaded.get(r.stem), typed))) {
        groups[c.word] = c.unconfirmed;
        return false;
      }
    }
    const unfit = new Set(c.readings.filter((r) => !behindProclitic(r.stem, loaded)).map((r) => ALT_MARK + r.stem));
    if (unfit.size > 0) groups[c.word] = groups[c.word]!.filter((t) => !unfit.has(t.term));
    return true;
  });
}

/** True when the archive has a word as typed and its stem in TYPO_MAX_DF documents or more. */
function knownAsTyped(w: QueryWord, loaded: Map<string, LoadedTerm | null>): boolean {
  const own = loaded.get(w.stems[0]!);
  return hasSpelling(own?.spellings, w.norm) && (own?.df ?? 0) >= TYPO_MAX_DF;
}

/** True when the archive has a word as spelled in enough documents to be in use (see TermEntry). */
function spelledInUse(term: LoadedTerm | null | undefined, norm: string): boolean {
  const rank = spellingRank(term?.spellings, norm);
  return rank >= 0 && rank < (term?.inUse ?? 0);
}

/**
 * How many documents a word is in as typed, from the lexicon lists read (a 4-letter word's own
 * list is not read: its stem's count stands in).
 */
function dfAsTyped(w: QueryWord, lexicon: [string, number][][], loaded: Map<string, LoadedTerm | null>): number {
  return w.norm.length < TYPO_MIN_LENGTH ? (loaded.get(w.stems[0]!)?.df ?? 0) : lexiconDf(w, lexicon);
}

/** How many documents the lexicon lists read say a word is in, as typed (0: unknown). */
function lexiconDf(w: QueryWord, lexicon: [string, number][][]): number {
  const first = bareWord(w.norm).charCodeAt(0);
  let typedDf = 0;
  for (const l of lexicon) {
    if (l.length > 0 && bareWord(l[0]![0]).charCodeAt(0) === first) for (const [word, df] of l) if (word === w.norm) typedDf = df;
  }
  return typedDf;
}

interface TypoCandidate {
  word: string;
  stem: string;
  /** Edits from the word as typed. */
  d: number;
  /** 1 when the reading and the word as typed differ in having the article. */
  article: number;
  df: number;
}

/**
 * Known words within the edits query word `wi` tolerates, in documents at least `minDf`, from
 * the lexicon lists read: the likeliest first (fewest edits, the article as typed, most used).
 * Not the word's own stem, and not another word of the query: a reader who typed المكتب
 * elsewhere in the query did not mean it twice.
 */
function typoCandidates(words: QueryWord[], wi: number, lexicon: [string, number][][], minDf: number, budget: { scanned: number }): TypoCandidate[] {
  const w = words[wi]!;
  const bare = bareWord(w.norm);
  const short = w.norm.length < TYPO_MIN_LENGTH;
  const bareLength = bare.length;
  const first = bare.charCodeAt(0);
  const max = w.norm.length >= TYPO_TWO_EDITS_LENGTH ? 2 : 1;
  const plainStem = w.stems[0]!;
  // With or without the article as typed: السيطي is السيسي rather than سيتي.
  const typedArticle = bare !== w.norm;
  const otherStems = new Set(words.filter((_, j) => j !== wi).map((o) => o.stems[0]!));
  // Words ال + X one edit from the word as typed, the edit in the article (see articleTypoLookups).
  const acrossKeys = new Set(articleTypoLookups(w.norm).map((k) => `${k.first}/${k.length}`));
  // ... and words ال + X a letter longer than a 4-letter word with the article.
  const innerKeys = new Set(shortArticleLookups(w.norm).map((k) => `${k.first}/${k.length}`));
  const cands: TypoCandidate[] = [];
  // Most lexicon words fail the letter-set test, which is far cheaper than an edit distance.
  const bareLetters = letterSet(bare);
  const typedLetters = letterSet(w.norm);
  const nearAsTyped = (word: string) => popcount(typedLetters ^ letterSet(word)) <= 2 && editDistance(w.norm, word, 1) <= 1;
  for (const l of lexicon) {
    if (l.length === 0) continue;
    // Lists of this first letter and nearby lengths (a word with ال is keyed without it).
    const keyBare = bareWord(l[0]![0]);
    const length = keyBare.length;
    const own = keyBare.charCodeAt(0) === first && (short ? length === bareLength + 1 : Math.abs(length - bareLength) <= max);
    const key = `${keyBare[0]}/${length}`;
    const across = acrossKeys.has(key);
    const inner = innerKeys.has(key);
    if (!own && !across && !inner) continue;
    for (const [word, df] of l) {
      if (df < minDf) break; // lists are sorted by df, most used first
      if (word === w.norm) continue;
      if (++budget.scanned > TYPO_SCAN_LIMIT) break;
      const wordBare = bareWord(word);
      let d = own && popcount(bareLetters ^ letterSet(wordBare)) <= 2 * max ? editDistance(bare, wordBare, max) : max + 1;
      let article = (wordBare !== word) === typedArticle ? 0 : 1;
      if (d > max && across && wordBare !== word && nearAsTyped(word)) {
        d = 1;
        article = 0; // the article is where the typo is
      }
      if (d > max && inner && wordBare !== word && word.length === w.norm.length + 1 && nearAsTyped(word)) {
        d = 1;
        article = 0;
      }
      if (d > max) continue;
      const stem = stems(word)[0]!;
      if (stem !== plainStem && !otherStems.has(stem)) cands.push({ word, stem, d, article, df });
    }
  }
  return cands.sort((a, b) => a.d - b.d || a.article - b.article || b.df - a.df);
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(1, from); i <= to; i++) out.push(i);
  return out;
}

/**
 * A reading as the archive writes it (أ, ة, ى and all, harakat aside), found among the query's
 * words in the best results' text (already read for the page); as normalized if none has it
 * bare. The lexicon holds words normalized: الجزاير is shown الجزائر.
 */
function writtenForm(index: Archive, norm: string, docs: number[], articles: Map<number, Article>, matcher: Matcher): string {
  for (const doc of docs) {
    const a = articles.get(doc);
    if (!a) continue;
    for (const field of ['title', 'body'] as const) {
      const found = hitsIn(index, doc, a, field, matcher);
      for (const h of found.hits) {
        const written = found.text.slice(h.start, h.end);
        if (normalize(written) === norm) return surface(written, false);
      }
    }
  }
  return norm;
}

/** The query as typed, with each corrected word replaced. */
function correctedQuery(q: string, query: ParsedQuery, corrections: Correction[]): string {
  let out = q;
  for (const c of corrections) out = out.replace(query.words[c.word]!.text, c.to);
  return out;
}

/** All live docs having any of the terms. */
function docsOf(terms: string[], loaded: Map<string, LoadedTerm | null>, dead?: Set<number>): Set<number> {
  const out = new Set<number>();
  for (const t of terms) for (const d of docsOfTerm(loaded.get(t))) if (!dead?.has(d)) out.add(d);
  return out;
}

/** The docs a term is found in (title, then body; a doc may come twice). */
function* docsOfTerm(term: LoadedTerm | null | undefined): Generator<number> {
  for (const part of term?.parts ?? []) for (const postings of [part.title, part.body]) for (const slot of postings?.slots ?? []) for (const d of slot ?? []) yield d;
}

/** Per day run, whether its docs fall in an inclusive date range (`YYYY-MM-DD`); undefined for no range. */
function dateRange(index: Archive, from?: string, to?: string): Uint8Array | undefined {
  if (!from && !to) return undefined;
  const fromDay = from ? Math.floor(Date.parse(from) / 86_400_000) : -Infinity;
  const toDay = to ? Math.floor(Date.parse(to) / 86_400_000) : Infinity;
  return Uint8Array.from(index.runs.day, (day) => (day >= 0 && day >= fromDay && day <= toDay ? 1 : 0));
}

/**
 * Filters candidates by source and category in place, and counts facets over what is kept: by
 * attribute code (one count a doc), summed into sources and categories at the end.
 */
function applyAttributes(index: Archive, c: Candidates, params: SearchParams): Facets | undefined {
  const meta = index.tables;
  const codes = meta.attributes;
  const attributeOf = index.attributeOf;
  const yearOfRun = params.facets ? runYears(index.runs) : undefined;
  const runs = new RunCursor(index.runs);
  let keep: Uint8Array | undefined;
  if (params.source?.length || params.category?.length) {
    const sources = params.source?.length ? new Set(params.source.map((s) => meta.sources.indexOf(s))) : undefined;
    const categories = params.category?.length ? new Set(params.category.map((s) => meta.categories.indexOf(s))) : undefined;
    keep = Uint8Array.from(codes, ([s, cat]) => ((!sources || sources.has(s)) && (!categories || categories.has(cat)) ? 1 : 0));
  }
  const perCode = new Int32Array(codes.length);
  const yearCounts = YEAR_COUNTS;
  let minYear = MAX_YEAR;
  let maxYear = 0;
  let kept = 0;
  for (let i = 0; i < c.count; i++) {
    const doc = c.doc[i]!;
    const code = attributeOf[doc]!;
    if (keep) {
      if (keep[code] === 0) continue;
      c.doc[kept] = doc;
      c.score[kept] = c.score[i]!;
      c.exact[kept] = c.exact[i]!;
      c.day[kept] = c.day[i]!;
    }
    kept++;
    if (!params.facets) continue;
    perCode[code]!++;
    const year = yearOfRun![runs.at(doc)]!;
    if (year > 0 && year <= MAX_YEAR) {
      yearCounts[year]!++;
      if (year < minYear) minYear = year;
      if (year > maxYear) maxYear = year;
    }
  }
  c.count = kept;
  if (!params.facets) return undefined;
  const sourceCounts = new Int32Array(meta.sources.length);
  const categoryCounts = new Int32Array(meta.categories.length);
  perCode.forEach((n, code) => {
    const [s, cat] = codes[code]!;
    if (s >= 0) sourceCounts[s]! += n;
    if (cat >= 0) categoryCounts[cat]! += n;
  });
  const facets: Facets = { source: {}, category: {}, year: {} };
  // Most matches first, then by name: the same order whatever order the tables were filled in.
  const byCount = (counts: Int32Array, names: string[]) => Object.fromEntries([...counts].map((n, i): [string, number] => [names[i]!, n]).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  facets.source = byCount(sourceCounts, meta.sources);
  facets.category = byCount(categoryCounts, meta.categories);
  for (let year = minYear; year <= maxYear; year++) {
    if (yearCounts[year]! > 0) facets.year[String(year)] = yearCounts[year]!;
    yearCounts[year] = 0;
  }
  return facets;
}

/** Candidate docs in shared typed arrays: no object per candidate on the hot path. */
interface Candidates {
  doc: Int32Array;
  score: Float64Array;
  exact: Uint8Array;
  /** Publication day (days since 1970, -1: undated), for the date order. */
  day: Int32Array;
  count: number;
}

/**
 * Indexes 0..n-1 of the k best items by `better`, best first: a bounded heap, so a large
 * result set is never fully sorted.
 */
export function topK(n: number, k: number, better: (a: number, b: number) => number): number[] {
  if (k <= 0 || n === 0) return [];
  if (n <= k * 4) return Array.from({ length: n }, (_, i) => i).sort(better).slice(0, k);
  // A heap whose root is the worst of the k best seen so far.
  const heap: number[] = [];
  const worse = (a: number, b: number) => better(a, b) > 0;
  const swap = (i: number, j: number) => { const t = heap[i]!; heap[i] = heap[j]!; heap[j] = t; };
  for (let item = 0; item < n; item++) {
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        swap(i, p);
        i = p;
      }
    } else if (better(item, heap[0]!) < 0) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < k && worse(heap[l]!, heap[m]!)) m = l;
        if (r < k && worse(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.sort(better);
}

/**
 * Keeps the candidates whose title or body holds every quoted phrase, words in order. A phrase
 * word matches a text word the way search does (stem, proclitic reading, correction: a dropped
 * ال, an attached و or a typo inside quotes still finds the phrase); stop words must be there.
 */
async function checkPhrases<T extends { doc: number }>(index: Archive, ranked: T[], query: ParsedQuery, matcher: Matcher, stats: ReadStats): Promise<T[]> {
  const docs = await index.docs(ranked.map((c) => c.doc), stats);
  return ranked.filter((c) => {
    const a = docs.get(c.doc)!;
    const texts = [tokenize(a.title), tokenize(a.body.join('\n'))];
    return query.phrases.every((p) => texts.some((tokens) => containsPhrase(tokens.map((t) => t.norm), p, matcher)));
  });
}

function containsPhrase(norms: string[], phrase: PhraseWord[], matcher: Matcher): boolean {
  const same = (norm: string, w: PhraseWord) => ('norm' in w ? norm === w.norm || withoutProclitics(norm)[0] === w.norm : matcher.match(norm) === w.word);
  outer: for (let i = 0; i + phrase.length <= norms.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (!same(norms[i + j]!, phrase[j]!)) continue outer;
    return true;
  }
  return false;
}
