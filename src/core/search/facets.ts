/**
 * Facets and the source/category filters, from the attribute codes of the terms the query read
 * (every candidate comes from one of them, so nothing more is read).
 */
import { normalize } from '../analyzer/index';
import { filterTerm } from '../format/layout';
import { ascending, docBitsOf, type DocSet } from './postings';
import type { Archive } from './archive';
import { inRange, NO_RUNS, RunCursor, type DayRange } from './days';
import type { ReadStats } from './source';
import type { Loaded } from './terms';
import type { Candidates, Facets, SearchParams, TermGroups } from './types';

/** Latest year a facet counts (years are Uint16; later ones are left out). */
const MAX_YEAR = 9999;
/** Per-year counts, cleared after each use (a scratch buffer: facets are counted synchronously). */
const YEAR_COUNTS = new Int32Array(MAX_YEAR + 1);

/**
 * The candidates the filters keep and, when asked, the facets over them. `skipped` (a mask of
 * words) are words scored only on the other words' docs (word-skip.ts): no candidate comes from
 * their postings alone, so their codes are not learnt here.
 */
export function facetsAndFilters(index: Archive, cands: Candidates, groups: TermGroups, loaded: Loaded, params: SearchParams, skipped = 0): { cands: Candidates; facets?: Facets } {
  const needAttrs = params.facets || !!params.source?.length || !!params.category?.length;
  if (!needAttrs || cands.count === 0) return params.facets ? { cands, facets: { source: {}, category: {}, year: {} } } : { cands };
  // Every candidate comes from one of these terms: their codes are all it needs.
  index.learnAttributes(groups.flatMap((g, w) => ((skipped & (1 << w)) !== 0 ? [] : g.map((t) => loaded.get(t.term)))));
  return applyAttributes(index, cands, params);
}

/** Each table's names by their loose form (namesIn), made once per table. */
const LOOSE = new WeakMap<readonly string[], Map<string, number[]>>();

/** A name as a reader might type it: case, letter forms (ة ه, أ ا), punctuation and spaces aside. */
const loose = (name: string) => normalize(name);

/**
 * The codes of filter names in a manifest table (its sources or categories): each name as the
 * table writes it, else every name of the same loose form (`cnn arabic`, `CNN  Arabic.` for
 * CNN Arabic; `internationalnews` for internationalNews), as tags are matched. `unknown`: the
 * names that match none (they keep nothing; the answer names them, `unmatchedFilters`).
 */
export function namesIn(names: readonly string[], table: readonly string[]): { codes: Set<number>; unknown: string[] } {
  const codes = new Set<number>();
  const unknown: string[] = [];
  let byLoose = LOOSE.get(table);
  for (const name of names) {
    const exact = table.indexOf(name);
    if (exact >= 0) {
      codes.add(exact);
      continue;
    }
    if (!byLoose) {
      byLoose = new Map();
      table.forEach((t, i) => {
        const k = loose(t);
        if (k) byLoose!.set(k, [...(byLoose!.get(k) ?? []), i]);
      });
      LOOSE.set(table, byLoose);
    }
    const found = byLoose.get(loose(name));
    if (found) for (const i of found) codes.add(i);
    else unknown.push(name);
  }
  return { codes, unknown };
}

/** The source and category names of a search that no article has in any case or spelling (namesIn). */
export function unknownFilters(index: Archive, params: Pick<SearchParams, 'source' | 'category'>): { source?: string[]; category?: string[] } | undefined {
  const source = params.source?.length ? namesIn(params.source, index.tables.sources).unknown : [];
  const category = params.category?.length ? namesIn(params.category, index.tables.categories).unknown : [];
  if (source.length === 0 && category.length === 0) return undefined;
  return { ...(source.length ? { source } : {}), ...(category.length ? { category } : {}) };
}

/**
 * Keeps the candidates of the sources and categories asked for, and counts facets over what is
 * kept: by attribute code (one count a doc), summed into sources and categories at the end.
 * Returns the candidates kept (a new set when filtered; the input is not changed).
 */
function applyAttributes(index: Archive, input: Candidates, params: Pick<SearchParams, 'facets' | 'source' | 'category'>): { cands: Candidates; facets?: Facets } {
  const meta = index.tables;
  const codes = meta.attributes;
  const attributeOf = index.attributeOf;
  const dated = input.count > 0; // no candidate, no day run to decode
  const yearOfRun = params.facets && dated ? index.yearOfRun : undefined;
  const runs = new RunCursor(dated ? index.runs : NO_RUNS);
  const keep = keptCodes(index, params);
  const c: Candidates = keep ? { doc: new Int32Array(input.count), score: new Float64Array(input.count), exact: new Uint8Array(input.count), day: new Int32Array(input.count), count: input.count } : input;
  const perCode = new Int32Array(codes.length);
  const yearCounts = YEAR_COUNTS;
  let minYear = MAX_YEAR;
  let maxYear = 0;
  let kept = 0;
  for (let i = 0; i < input.count; i++) {
    const doc = input.doc[i]!;
    const code = attributeOf[doc]!;
    if (keep) {
      if (keep[code] === 0) continue;
      c.doc[kept] = doc;
      c.score[kept] = input.score[i]!;
      c.exact[kept] = input.exact[i]!;
      c.day[kept] = input.day[i]!;
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
  if (keep) c.count = kept;
  if (!params.facets) return { cands: c };
  return { cands: c, facets: facetsOfCounts(index, perCode, minYear, maxYear) };
}

/** The sources' and categories' counts of per-code counts, and the years' of {@link YEAR_COUNTS} (cleared here). */
function facetsOfCounts(index: Archive, perCode: Int32Array, minYear: number, maxYear: number): Facets {
  const meta = index.tables;
  const codes = meta.attributes;
  const yearCounts = YEAR_COUNTS;
  const sourceCounts = new Int32Array(meta.sources.length);
  const categoryCounts = new Int32Array(meta.categories.length);
  perCode.forEach((n, code) => {
    const [s, cat] = codes[code]!;
    if (s >= 0) sourceCounts[s]! += n;
    if (cat >= 0) categoryCounts[cat]! += n;
  });
  const facets: Facets = { source: {}, category: {}, year: {} };
  // Most matches first, then by name: the same order whatever order the tables were filled in.
  const byCount = (counts: Int32Array, names: string[]) => mostFirst([...counts].map((n, i): [string, number] => [names[i]!, n]));
  facets.source = byCount(sourceCounts, meta.sources);
  facets.category = byCount(categoryCounts, meta.categories);
  for (let year = minYear; year <= maxYear; year++) {
    if (yearCounts[year]! > 0) facets.year[String(year)] = yearCounts[year]!;
    yearCounts[year] = 0;
  }
  return facets;
}

/** The codes the sources and categories asked keep (1), or undefined when none is asked (namesIn). */
function keptCodes(index: Archive, params: Pick<SearchParams, 'source' | 'category'>): Uint8Array | undefined {
  if (!params.source?.length && !params.category?.length) return undefined;
  const meta = index.tables;
  // A name the archive does not have matches nothing (namesIn: never -1, the code of a doc
  // with no source or category, which it must not keep).
  const sources = params.source?.length ? namesIn(params.source, meta.sources).codes : undefined;
  const categories = params.category?.length ? namesIn(params.category, meta.categories).codes : undefined;
  return Uint8Array.from(meta.attributes, ([s, cat]) => ((!sources || sources.has(s)) && (!categories || categories.has(cat)) ? 1 : 0));
}

/**
 * The facets of some of the candidates (already filtered, their attribute codes learnt): those a
 * quoted phrase was checked in and found (steps.ts `phrases`), or those left unchecked.
 */
export function facetsOf(index: Archive, docs: ArrayLike<number>): Facets {
  const count = docs.length;
  // In doc order, as the candidates are (the years' run cursor only moves forward).
  const cands: Candidates = { doc: Int32Array.from(docs).sort(), score: new Float64Array(count), exact: new Uint8Array(count), day: new Int32Array(count), count };
  return applyAttributes(index, cands, { facets: true }).facets ?? { source: {}, category: {}, year: {} };
}

/** What `/articles` asks of a listing. */
export interface ListParams extends Pick<SearchParams, 'source' | 'category' | 'tag'> {
  offset: number;
  limit: number;
  days?: DayRange;
  facets: boolean;
  /** Docs left out (a query's exclusions: search.ts's browse). */
  without?: DocSet;
}

/**
 * Live docs newest first, a page of them after `offset`, and how many there are: within `days`,
 * with one of the tags asked (their filter terms' postings, as a search's `tag`), of the sources
 * and categories asked (matched as a search matches them, namesIn), without the docs of
 * `without`, with the facets over every doc listed when asked. Without filters or facets nothing
 * is read; with sources, categories or facets, every doc of the range has its code learnt
 * (Archive.learnRanges). Nothing passes over every doc of the archive for a request: a tag's
 * docs are listed from its postings, and the others are counted by day run (listByRuns).
 */
export async function listNewest(index: Archive, p: ListParams, stats: ReadStats): Promise<{ total: number; docs: number[]; facets?: Facets }> {
  const attributes = !!p.source?.length || !!p.category?.length || p.facets;
  const without = p.without && p.without.size > 0 ? p.without : undefined;
  if (!attributes && !p.tag?.length && !without) {
    const total = index.liveWithin(p.days);
    return { total, docs: index.newest(Math.min(p.offset, total), p.limit, p.days) };
  }
  let tagged: DocSet | undefined;
  if (p.tag?.length) {
    const terms = p.tag.map((t) => filterTerm.tag(normalize(t)));
    tagged = docBitsOf(terms, await index.loadTerms(terms, stats, true), index.docSpace);
  }
  if (attributes) await index.learnRanges(index.runRanges(p.days), stats);
  const keep = keptCodes(index, p);
  const count = new Counts(index, p.facets, attributes ? index.attributeOf : undefined, keep);
  if (tagged) return listDocs(index, p, count, ascending(tagged).filter((d) => !without?.has(d)));
  // Docs left out are taken back one by one: past a third of the range's, a pass over the range is cheaper.
  if (without && without.size * 3 > index.liveWithin(p.days)) return listByPass(index, p, count, without);
  return listByRuns(index, p, count, without);
}

/** A listing by one pass over every live doc of the range, newest first, `without`'s left out. */
function listByPass(index: Archive, p: ListParams, count: Counts, without: DocSet): { total: number; docs: number[]; facets?: Facets } {
  const { perCode, codes } = count;
  let total = 0;
  const docs: number[] = [];
  for (const r of index.runsNewest(p.days)) {
    const [first, end] = index.runDocs(r);
    let kept = 0;
    for (let d = end - 1; d >= first; d--) {
      if (index.isDead(d) || without.has(d) || (codes && !count.kept(d))) continue;
      if (total + kept >= p.offset && docs.length < p.limit) docs.push(d);
      kept++;
      if (perCode) perCode[codes![d]!]!++;
    }
    total += kept;
    if (count.yearOfRun && kept > 0) count.year(r, kept);
  }
  const facets = count.facets();
  return { total, docs, ...(facets ? { facets } : {}) };
}

/** What a listing counts: its docs' codes (when learnt) kept by the filters, and the facets' counts. */
class Counts {
  readonly perCode?: Int32Array;
  readonly yearOfRun?: Uint16Array;
  private minYear = MAX_YEAR;
  private maxYear = 0;

  constructor(private readonly index: Archive, facets: boolean, readonly codes: ArrayLike<number> | undefined, readonly keep: Uint8Array | undefined) {
    if (facets) {
      this.perCode = new Int32Array(index.tables.attributes.length);
      this.yearOfRun = index.yearOfRun;
    }
  }

  /** Whether a doc's code is one the filters keep. */
  kept(doc: number): boolean {
    return !this.keep || this.keep[this.codes![doc]!] !== 0;
  }

  /** `n` docs of a run counted in the year facet. */
  year(run: number, n: number): void {
    const year = this.yearOfRun![run]!;
    if (year <= 0 || year > MAX_YEAR) return;
    YEAR_COUNTS[year]! += n;
    if (year < this.minYear) this.minYear = year;
    if (year > this.maxYear) this.maxYear = year;
  }

  facets(): Facets | undefined {
    return this.perCode ? facetsOfCounts(this.index, this.perCode, this.minYear, this.maxYear) : undefined;
  }
}

/**
 * A listing of some docs (a tag's, ascending): those live, in the range and kept, newest first
 * (a run newer than another first, then the higher doc, as Archive.newest orders them).
 */
function listDocs(index: Archive, p: ListParams, count: Counts, docs: number[]): { total: number; docs: number[]; facets?: Facets } {
  const runs = index.runs;
  const cursor = new RunCursor(runs);
  const listed: number[] = [];
  const runOf: number[] = [];
  for (const d of docs) {
    const r = cursor.at(d);
    if ((p.days && !inRange(runs.day[r]!, p.days)) || index.isDead(d) || !count.kept(d)) continue;
    listed.push(d);
    runOf.push(r);
    if (!count.perCode) continue;
    count.perCode[count.codes![d]!]!++;
    count.year(r, 1);
  }
  const rank = new Int32Array(runs.count);
  index.runsNewest().forEach((r, i) => { rank[r] = i; });
  const order = listed.map((_, i) => i).sort((a, b) => rank[runOf[a]!]! - rank[runOf[b]!]! || listed[b]! - listed[a]!);
  const page = order.slice(p.offset, p.offset + p.limit).map((i) => listed[i]!);
  const facets = count.facets();
  return { total: listed.length, docs: page, ...(facets ? { facets } : {}) };
}

/**
 * A listing of every doc of the range but `without`'s, by day run: each run's live docs,
 * counted by code (Archive.codesOfRun, once per isolate) when sources, categories or facets are
 * asked, less those of `without` it holds, give the total and the facets; only the runs the page
 * falls in are walked, newest first. The same answer as a pass over every doc, at the cost of
 * one step per run and code (the 1M bench's archive: about 34,000 runs, 25 × the corpus's 1,358,
 * against a million docs) and one per doc left out.
 */
function listByRuns(index: Archive, p: ListParams, count: Counts, without: DocSet | undefined): { total: number; docs: number[]; facets?: Facets } {
  const { perCode, codes } = count;
  // The docs left out, by run: how many each run loses (live, in the range, kept), and their codes.
  const lost = new Map<number, number>();
  if (without) {
    const runs = index.runs;
    const cursor = new RunCursor(runs);
    for (const d of ascending(without)) {
      const r = cursor.at(d);
      if ((p.days && !inRange(runs.day[r]!, p.days)) || index.isDead(d) || (codes && !count.kept(d))) continue;
      lost.set(r, (lost.get(r) ?? 0) + 1);
      if (perCode) perCode[codes![d]!]!--;
    }
  }
  let total = 0;
  const docs: number[] = [];
  for (const r of index.runsNewest(p.days)) {
    let kept = 0;
    if (codes) {
      const counts = index.codesOfRun(r);
      for (let i = 0; i < counts.length; i += 2) {
        const code = counts[i]!;
        if (count.keep && count.keep[code] === 0) continue;
        kept += counts[i + 1]!;
        if (perCode) perCode[code]! += counts[i + 1]!;
      }
    } else kept = index.liveOfRun(r);
    kept -= lost.get(r) ?? 0;
    if (kept <= 0) continue;
    if (docs.length < p.limit && total + kept > p.offset) {
      // The page starts or goes on in this run: its kept docs newest first, from the offset's.
      const [first, end] = index.runDocs(r);
      let seen = total;
      for (let d = end - 1; d >= first && docs.length < p.limit; d--) {
        if (index.isDead(d) || (codes && !count.kept(d)) || without?.has(d)) continue;
        if (seen >= p.offset) docs.push(d);
        seen++;
      }
    }
    total += kept;
    if (count.yearOfRun) count.year(r, kept);
  }
  const facets = count.facets();
  return { total, docs, ...(facets ? { facets } : {}) };
}

/** `known` plus `rest` counted `rate` times (rounded): the facets of docs checked and an estimate of the others'. */
export function addFacets(known: Facets, rest: Facets, rate: number): Facets {
  const add = (a: Record<string, number>, b: Record<string, number>) => {
    const out: Record<string, number> = { ...a };
    for (const [k, n] of Object.entries(b)) out[k] = (out[k] ?? 0) + Math.round(n * rate);
    return mostFirst(Object.entries(out));
  };
  const year = add(known.year, rest.year);
  return { source: add(known.source, rest.source), category: add(known.category, rest.category), year: Object.fromEntries(Object.entries(year).sort((x, y) => Number(x[0]) - Number(y[0]))) };
}

/** Counts as a facet lists them: most first, then by name (the same order whatever order they were counted in); none of 0. */
function mostFirst(entries: [string, number][]): Record<string, number> {
  return Object.fromEntries(entries.filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}
