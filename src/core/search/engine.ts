/**
 * The search core: query in, ranked and highlighted hits out. Reads through a LoadedIndex,
 * so it runs the same in the Worker, in tests and in the benchmarks. Every stage is bounded:
 * words per query, typo candidates, docs read for phrases and snippets.
 */
import type { Article } from '../article';
import { filterTerm, readFixed, type IndexMeta } from '../format/layout';
import { ALT_MARK, normalize } from '../analyzer/index';
import { parseQuery, type ParsedQuery, type PhraseWord, type QueryWord } from './query';
import { clear, editDistance, idf, RANKING, Scratch, scoreWords, type WeightedTerm } from './rank';
import type { LoadedIndex, LoadedTerm } from './reader';
import { highlightAll, Matcher, snippet, type Highlighted } from './snippet';
import { ReadStats } from './source';
import { tokenize, withoutProclitics } from '../analyzer/index';

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
  /** Limits that applied to this query (see the README). */
  capped?: string[];
  index: string;
}

/** A word of four letters or fewer is never corrected; 9 or more may take two edits. */
const TYPO_MIN_LENGTH = 5;
const TYPO_TWO_EDITS_LENGTH = 9;
/** A word found in fewer documents than this is checked for a likelier spelling. */
const TYPO_MAX_DF = 3;
/** Corrections kept per word, and lexicon entries compared at most per query. */
const TYPO_CANDIDATES = 3;
const TYPO_SCAN_LIMIT = 40_000;
/** Candidates whose text is read to check a quoted phrase. */
const PHRASE_CHECK = 100;
/** Results found below which a correction is offered as "did you mean". */
const DID_YOU_MEAN_BELOW = 3;

const scratches = new WeakMap<LoadedIndex, Scratch>();

/** Runs a search. */
export async function search(index: LoadedIndex, params: SearchParams, stats = new ReadStats()): Promise<SearchResult> {
  const query = parseQuery(params.q);
  const capped = [...query.capped];
  const excludedTerms = query.excluded.map((w) => w.stems[0]!);
  const tagTerms = (params.tag ?? []).map((t) => filterTerm.tag(normalize(t)));

  stats.start('load');
  const candidatesOf = query.words.map((w) => w.stems.flatMap((s) => [s, ALT_MARK + s]));
  const all = [...new Set([...candidatesOf.flat(), ...excludedTerms, ...tagTerms])];
  const loaded = await index.loadTerms(all, stats);
  const groups = query.words.map((w) => wordTerms(w, loaded));
  const corrections = await correctTypos(index, query.words, groups, loaded, stats, capped);
  stats.end('load');

  stats.start('match');
  let scratch = scratches.get(index);
  if (!scratch) scratches.set(index, (scratch = new Scratch(index.docCount, recencyByDoc(index.meta), yearByDoc(index.meta))));
  const scored = scoreWords(index, groups, loaded, scratch);
  let cands: Candidates = { doc: scratch.candDoc, score: scratch.candScore, exact: scratch.candExact, count: 0 };
  let facets: Facets | undefined;
  try {
    const excluded = docsOf(excludedTerms, loaded);
    const tagged = tagTerms.length ? docsOf(tagTerms, loaded) : undefined;
    const range = dateRange(index.meta, params.from, params.to);
    const requiredMask = query.required.reduce((m, i) => m | (1 << i), 0);
    // Coverage counts each query word by its idf, so matching the rare, telling word of a
    // question weighs more than matching several common ones.
    const wordIdf = groups.map((g) => Math.max(0, ...g.filter((t) => t.kind !== 'typo').map((t) => idf(loaded.get(t.term)?.df ?? 0, index.docCount))));
    const idfSum = wordIdf.reduce((a, b) => a + b, 0) || 1;
    const recency = params.recency;
    const allWords = groups.length >= 2 ? 2 ** groups.length - 1 : -1; // one-word queries get no title-cover bonus
    const titleCover = 1 + RANKING.titleCoverBonus;
    const prior = scratch.recency;
    for (const doc of scored.docs) {
      const mask = scored.mask[doc]!;
      if ((mask & requiredMask) !== requiredMask) continue;
      if (excluded.has(doc) || (tagged && !tagged.has(doc))) continue;
      if (range && (doc < range[0] || doc >= range[1])) continue;
      const i = cands.count++;
      cands.doc[i] = doc;
      let covered = 0;
      for (let m = mask, w = 0; m !== 0; m >>>= 1, w++) if (m & 1) covered += wordIdf[w]!;
      cands.score[i] = scored.total[doc]! * (covered / idfSum) ** RANKING.coveragePower * (1 + recency * prior[doc]!) * (scored.titleMask[doc] === allWords ? titleCover : 1);
      cands.exact[i] = scored.exactMask[doc] !== 0 ? 1 : 0;
    }
  } finally {
    clear(scored);
  }
  // The scratch arrays serve every request of the isolate: copy out before the next await.
  cands = { doc: cands.doc.slice(0, cands.count), score: cands.score.slice(0, cands.count), exact: cands.exact.slice(0, cands.count), count: cands.count };
  stats.end('match');

  stats.start('filter');
  const needAttrs = params.facets || !!params.source?.length || !!params.category?.length;
  if (needAttrs && cands.count > 0) facets = await applyAttributes(index, cands, params, scratch.year, stats);
  else if (params.facets) facets = { source: {}, category: {}, year: {} };
  stats.end('filter');

  stats.start('rank');
  // Exact matches of every word rank above docs found only through a correction.
  const { doc: cd, score: cs, exact: ce } = cands;
  const better = params.sort === 'date'
    ? (a: number, b: number) => cd[a]! - cd[b]!
    : (a: number, b: number) => ce[b]! - ce[a]! || cs[b]! - cs[a]! || cd[a]! - cd[b]!;
  const toRanked = (order: number[]) => order.map((i) => ({ doc: cd[i]!, score: cs[i]! }));
  let ranked = toRanked(topK(cands.count, params.offset + params.limit, better));
  let total = cands.count;
  const phraseCandidates = query.phrases.length > 0 ? toRanked(topK(cands.count, PHRASE_CHECK, better)) : [];
  stats.end('rank');

  if (query.phrases.length > 0) {
    const checked = await checkPhrases(index, phraseCandidates, query, new Matcher(groups.map((g) => g.map((t) => t.term)), ALT_MARK), stats);
    if (cands.count > PHRASE_CHECK) capped.push('phrase-candidates');
    total = checked.length;
    ranked = checked.slice(0, params.offset + params.limit);
  }

  stats.start('snippets');
  const page = ranked.slice(params.offset, params.offset + params.limit);
  const articles = await index.docs(page.map((c) => c.doc), stats);
  const matcher = new Matcher(groups.map((g) => g.map((t) => t.term)), ALT_MARK);
  const hits = page.map((c) => toHit(articles.get(c.doc)!, c.score, matcher));
  stats.end('snippets');

  let exactTotal = 0;
  for (let i = 0; i < cands.count && exactTotal < DID_YOU_MEAN_BELOW; i++) exactTotal += cands.exact[i]!;
  const result: SearchResult = {
    query: params.q, total, offset: params.offset, limit: params.limit, sort: params.sort, hits, index: index.version,
  };
  if (facets) result.facets = facets;
  if (corrections.size > 0 && exactTotal < DID_YOU_MEAN_BELOW) result.didYouMean = correctedQuery(params.q, query, corrections);
  if (capped.length) result.capped = capped;
  return result;
}

function toHit(a: Article, score: number, matcher: Matcher): Hit {
  const title = highlightAll(a.title, matcher);
  const snip: Highlighted = snippet(a.body.join('\n'), matcher);
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
function wordTerms(word: QueryWord, loaded: Map<string, LoadedTerm | null>): WeightedTerm[] {
  const df = (t: string) => loaded.get(t)?.df ?? 0;
  const plain = word.stems[0]!;
  const out: WeightedTerm[] = [{ term: plain, weight: 1, kind: 'plain' }];
  const marked = ALT_MARK + plain;
  if (df(marked) > 0 && df(marked) <= 2 * df(plain) + 2) out.push({ term: marked, weight: RANKING.altWeight, kind: 'alt' });
  for (const alt of word.stems.slice(1)) {
    if (df(alt) <= df(plain)) continue;
    out.push({ term: alt, weight: RANKING.altWeight, kind: 'alt' });
    if (df(ALT_MARK + alt) > 0) out.push({ term: ALT_MARK + alt, weight: RANKING.altWeight ** 2, kind: 'alt' });
  }
  return out;
}

/**
 * For words found in fewer than TYPO_MAX_DF docs: looks up spellings one edit away (two for
 * long words) with the same first letter, in the lexicon, and adds the likeliest as weighted
 * terms of the word. Returns word index → corrected stem.
 */
async function correctTypos(index: LoadedIndex, words: QueryWord[], groups: WeightedTerm[][], loaded: Map<string, LoadedTerm | null>, stats: ReadStats, capped: string[]): Promise<Map<number, string>> {
  const wants: { word: number; stem: string; max: number }[] = [];
  words.forEach((w, i) => {
    const s = w.stems[0]!;
    const df = loaded.get(s)?.df ?? 0;
    if (w.norm.length >= TYPO_MIN_LENGTH && s.length >= 4 && df < TYPO_MAX_DF && /^[\u0600-\u06ff]/.test(s)) {
      wants.push({ word: i, stem: s, max: w.norm.length >= TYPO_TWO_EDITS_LENGTH ? 2 : 1 });
    }
  });
  const out = new Map<number, string>();
  if (wants.length === 0) return out;
  const lexKeys = wants.flatMap((w) => range(w.stem.length - w.max, w.stem.length + w.max).map((length) => ({ first: w.stem[0]!, length })));
  const lexicon = await index.lexicon(lexKeys, stats);
  const found: string[] = [];
  let scanned = 0;
  for (const w of wants) {
    const minDf = Math.max(TYPO_MAX_DF, (loaded.get(w.stem)?.df ?? 0) * 4);
    const cands: { term: string; d: number; df: number }[] = [];
    for (const [term, df] of lexicon) {
      if (term[0] !== w.stem[0] || df < minDf || term === w.stem) continue;
      if (Math.abs(term.length - w.stem.length) > w.max) continue;
      if (++scanned > TYPO_SCAN_LIMIT) break;
      const d = editDistance(w.stem, term, w.max);
      if (d <= w.max) cands.push({ term, d, df });
    }
    if (scanned > TYPO_SCAN_LIMIT && !capped.includes('typo-candidates')) capped.push('typo-candidates');
    // The likeliest spelling first: fewest edits, then most used. Rarer candidates are kept only
    // when they are in the same league, and weigh in by how common they are, so a rare word
    // one edit away never outranks the name the reader meant.
    cands.sort((a, b) => a.d - b.d || b.df - a.df);
    const best = cands[0];
    for (const c of cands.slice(0, TYPO_CANDIDATES)) {
      if (!best || c.d > best.d || c.df * 10 < best.df) continue;
      groups[w.word]!.push({ term: c.term, weight: RANKING.typoWeight * (c.d === 1 ? 1 : 0.75) * Math.sqrt(c.df / best.df), kind: 'typo' });
      found.push(c.term);
    }
    if (cands[0]) out.set(w.word, cands[0].term);
  }
  if (found.length) for (const [t, v] of await index.loadTerms(found, stats)) loaded.set(t, v);
  return out;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(1, from); i <= to; i++) out.push(i);
  return out;
}

/** The query as typed, with each corrected word's stem replaced inside the word. */
function correctedQuery(q: string, query: ParsedQuery, corrections: Map<number, string>): string {
  let out = q;
  for (const [i, stem] of corrections) {
    const w = query.words[i]!;
    const at = w.norm.indexOf(w.stems[0]!);
    const fixed = at >= 0 ? w.norm.slice(0, at) + stem + w.norm.slice(at + w.stems[0]!.length) : stem;
    out = out.replace(w.text, fixed);
  }
  return out;
}

/** All docs having any of the terms. */
function docsOf(terms: string[], loaded: Map<string, LoadedTerm | null>): Set<number> {
  const out = new Set<number>();
  for (const t of terms) {
    const term = loaded.get(t);
    for (const postings of [term?.title, term?.body]) for (const slot of postings?.slots ?? []) for (const d of slot ?? []) out.add(d);
  }
  return out;
}

/** Publication day of a doc (days since 1970), or -1, from the meta's run-length table. */
export function dayOfDoc(meta: IndexMeta, doc: number): number {
  const days = meta.days;
  let lo = 0;
  let hi = days.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (days[mid]![1] <= doc) lo = mid;
    else hi = mid - 1;
  }
  return days[lo]?.[0] ?? -1;
}

/** Doc-number range [first, end) of a date range: docs are numbered newest first. */
function dateRange(meta: IndexMeta, from?: string, to?: string): [number, number] | undefined {
  if (!from && !to) return undefined;
  const fromDay = from ? Math.floor(Date.parse(from) / 86_400_000) : -Infinity;
  const toDay = to ? Math.floor(Date.parse(to) / 86_400_000) : Infinity;
  let first = meta.counts.articles;
  let end = 0;
  meta.days.forEach(([day, start], i) => {
    const stop = meta.days[i + 1]?.[1] ?? meta.counts.articles;
    if (day >= 0 && day >= fromDay && day <= toDay) {
      first = Math.min(first, start);
      end = Math.max(end, stop);
    }
  });
  return first < end ? [first, end] : [0, 0];
}

/** Filters candidates by source and category in place, and counts facets over what is kept. */
async function applyAttributes(index: LoadedIndex, c: Candidates, params: SearchParams, yearOf: Uint16Array, stats: ReadStats): Promise<Facets | undefined> {
  const meta = index.meta;
  const size = meta.attrBlockSize;
  const blocks = new Set<number>();
  for (let i = 0; i < c.count; i++) blocks.add(Math.floor(c.doc[i]! / size));
  const attrs = await index.attributes([...blocks], stats);
  const wantSource = params.source?.length ? new Set(params.source.map((s) => meta.sources.indexOf(s))) : undefined;
  const wantCategory = params.category?.length ? new Set(params.category.map((s) => meta.categories.indexOf(s))) : undefined;
  const sourceCounts = new Int32Array(meta.sources.length);
  const categoryCounts = new Int32Array(meta.categories.length);
  const years = new Map<number, number>();
  let kept = 0;
  for (let i = 0; i < c.count; i++) {
    const doc = c.doc[i]!;
    const block = attrs.get(Math.floor(doc / size))!;
    const source = readFixed(block.source, doc % size, block.width) - 1;
    const category = readFixed(block.category, doc % size, block.width) - 1;
    if (wantSource && !wantSource.has(source)) continue;
    if (wantCategory && !wantCategory.has(category)) continue;
    c.doc[kept] = doc;
    c.score[kept] = c.score[i]!;
    c.exact[kept] = c.exact[i]!;
    kept++;
    if (!params.facets) continue;
    if (source >= 0) sourceCounts[source]!++;
    if (category >= 0) categoryCounts[category]!++;
    const year = yearOf[doc]!;
    if (year > 0) years.set(year, (years.get(year) ?? 0) + 1);
  }
  c.count = kept;
  if (!params.facets) return undefined;
  const facets: Facets = { source: {}, category: {}, year: {} };
  sourceCounts.forEach((n, i) => { if (n > 0) facets.source[meta.sources[i]!] = n; });
  categoryCounts.forEach((n, i) => { if (n > 0) facets.category[meta.categories[i]!] = n; });
  for (const [year, n] of [...years].sort((a, b) => a[0] - b[0])) facets.year[String(year)] = n;
  return facets;
}

/** Candidate docs in shared typed arrays: no object per candidate on the hot path. */
interface Candidates {
  doc: Int32Array;
  score: Float64Array;
  exact: Uint8Array;
  count: number;
}

/** Per doc, its publication year (0: undated). */
function yearByDoc(meta: IndexMeta): Uint16Array {
  const out = new Uint16Array(meta.counts.articles);
  meta.days.forEach(([day, first], i) => {
    const end = meta.days[i + 1]?.[1] ?? meta.counts.articles;
    out.fill(day < 0 ? 0 : new Date(day * 86_400_000).getUTCFullYear(), first, end);
  });
  return out;
}

/** Per doc, the recency prior's factor 0.5^(age / half-life) (0 for undated docs), age against the newest doc. */
function recencyByDoc(meta: IndexMeta): Float32Array {
  const out = new Float32Array(meta.counts.articles);
  const newest = meta.days[0]?.[0] ?? 0;
  meta.days.forEach(([day, first], i) => {
    const end = meta.days[i + 1]?.[1] ?? meta.counts.articles;
    out.fill(day < 0 ? 0 : 0.5 ** ((newest - day) / RANKING.recencyHalfLifeDays), first, end);
  });
  return out;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
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
async function checkPhrases<T extends { doc: number }>(index: LoadedIndex, ranked: T[], query: ParsedQuery, matcher: Matcher, stats: ReadStats): Promise<T[]> {
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
