/**
 * The search pipeline, read top to bottom: plan → read the terms (and, for words that may be
 * misspelt, the typo lexicon) → spell → match → (context typos → match) → filters and facets →
 * top k (tiers) → phrases → re-rank the top on its text → hits and did-you-mean. Each stage is a
 * function of values in its own module; every read goes through the query's {@link QueryRun},
 * which batches it (steps.ts holds the steps).
 */
import type { Archive } from './archive';
import { DEFAULT_OPTIONS, type SearchOptions } from './options';
import { planQuery, relaxPhrases, type QueryPlan } from './plan';
import { QueryRun } from './query-run';
import { ReadStats } from './source';
import { contextTypos, matcherOf, matchWords, phrases, readWords, rerankTop, respond, select } from './steps';
import type { SearchParams, SearchResult } from './types';

export type { Facets, Hit, SearchParams, SearchResult, SortOrder } from './types';

/**
 * Runs a search. A query whose quoted phrases (or quoted words) match nothing is run again with
 * their words as plain words, as a reader pasting a misremembered quote expects, and the
 * response says so (`relaxed: ["phrase"]`).
 */
export async function search(index: Archive, params: SearchParams, stats = new ReadStats(), o: SearchOptions = DEFAULT_OPTIONS): Promise<SearchResult> {
  const plan = planQuery(params);
  const result = await run(new QueryRun(index, plan, stats, o));
  if (result.total > 0 || plan.query.required.length === 0) return result;
  const loose = await run(new QueryRun(index, relaxPhrases(plan), stats, o));
  return loose.total === 0 ? result : { ...loose, relaxed: ['phrase'] };
}

/** One pass of the pipeline over a plan. */
async function run(r: QueryRun): Promise<SearchResult> {
  const read = await r.timed('load', () => readWords(r));
  const first = await r.timed('match', () => matchWords(r, read));
  const { words, found } = await contextTypos(r, read, first);
  const matcher = matcherOf(words);
  const selected = await phrases(r, await select(r, words, found), matcher);
  const { ranked, texts } = await rerankTop(r, words, selected, matcher);
  return respond(r, words, selected, ranked, texts, matcher);
}
