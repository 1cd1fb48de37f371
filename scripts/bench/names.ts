/**
 * The names-across-scripts benchmark: the romanization table (names-table.ts) joined with the
 * corpus. An entry counts when its Arabic spelling finds 5 or more articles (the corpus's
 * frequent names); each of its Latin and Arabizi spellings is then searched, and compared with
 * the Arabic query: success@1 when the top story is the Arabic query's top story, success@10
 * when that story is among the first ten. Entries are split in two halves by a hash of their
 * Arabic spelling: the model's costs were adjusted looking at the `dev` half's failures only,
 * and `test` is the held-out half.
 */
import { fnv1a } from '../../src/core/format/layout';
import type { Archive } from '../../src/core/search/archive';
import { search } from '../../src/core/search/search';
import { ReadStats } from '../../src/core/search/source';
import type { SearchResult } from '../../src/core/search/types';
import { DEFAULT_OPTIONS, type SearchOptions } from '../../src/core/search/options';
import { NO_SETTINGS, type EditorSettings } from '../../src/core/settings/reader';
import { NAMES, type NameEntry } from './names-table';

/** Articles an entry's Arabic spelling must find to count as one of the corpus's names. */
export const MIN_ARTICLES = 5;

export type Script = 'latin' | 'arabizi' | 'translated';
export type Half = 'dev' | 'test';

export interface NameCase {
  entry: NameEntry;
  script: Script;
  half: Half;
  q: string;
  /** What the query was read as (didYouMean), if anything. */
  readAs?: string;
  at1: boolean;
  at10: boolean;
}

export interface NamesRun {
  entries: number;
  dropped: { ar: string; total: number }[];
  cases: NameCase[];
}

const paramsOf = (q: string) => ({ q, limit: 10, offset: 0, sort: 'relevance' as const, facets: false, recency: 0.05 });

/** The half an entry is in (a fixed hash of its Arabic spelling). */
export function halfOf(e: NameEntry): Half {
  return parseInt(fnv1a(e.ar), 16) % 2 === 0 ? 'dev' : 'test';
}

/** Runs every spelling of every entry whose Arabic spelling is frequent enough. */
export async function runNames(index: Archive, o: SearchOptions = DEFAULT_OPTIONS, settings: EditorSettings = NO_SETTINGS): Promise<NamesRun> {
  const run = (q: string, s = settings): Promise<SearchResult> => search(index, paramsOf(q), new ReadStats(), o, s);
  const cases: NameCase[] = [];
  const dropped: NamesRun['dropped'] = [];
  let entries = 0;
  for (const entry of NAMES) {
    const arabic = await run(entry.ar, NO_SETTINGS);
    if (arabic.total < MIN_ARTICLES || arabic.hits.length === 0) {
      dropped.push({ ar: entry.ar, total: arabic.total });
      continue;
    }
    entries++;
    const top = arabic.hits[0]!.id;
    const spellings: [Script, string][] = [...entry.latin.map((q): [Script, string] => [entry.translated ? 'translated' : 'latin', q]), ...entry.arabizi.map((q): [Script, string] => ['arabizi', q])];
    for (const [script, q] of spellings) {
      const r = await run(q);
      const ids = r.hits.map((h) => h.id);
      cases.push({ entry, script, half: halfOf(entry), q, ...(r.didYouMean ? { readAs: r.didYouMean } : {}), at1: ids[0] === top, at10: ids.includes(top) });
    }
  }
  return { entries, dropped, cases };
}

export interface Rate {
  n: number;
  at1: number;
  at10: number;
}

/** success@1 and @10 of some cases, as shares. */
export function rate(cases: NameCase[]): Rate {
  const n = cases.length;
  return { n, at1: n ? cases.filter((c) => c.at1).length / n : Number.NaN, at10: n ? cases.filter((c) => c.at10).length / n : Number.NaN };
}

/** Rates by script and half. */
export function rates(run: NamesRun): Record<Script, Record<Half | 'all', Rate>> {
  const out = {} as Record<Script, Record<Half | 'all', Rate>>;
  for (const script of ['latin', 'arabizi', 'translated'] as Script[]) {
    const of = run.cases.filter((c) => c.script === script);
    out[script] = { dev: rate(of.filter((c) => c.half === 'dev')), test: rate(of.filter((c) => c.half === 'test')), all: rate(of) };
  }
  return out;
}
