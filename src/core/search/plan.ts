/**
 * The first stage: the query text and parameters as a plan of what to look up: the words (each
 * with its readings), phrases, exclusions, tag filters, and the terms to read first.
 */
import { ALT_MARK, normalize } from '../analyzer/index';
import { filterTerm } from '../format/layout';
import { parseQuery, type ParsedQuery, type QueryWord } from './query';
import type { SearchParams } from './types';

export interface QueryPlan {
  params: SearchParams;
  query: ParsedQuery;
  /** Terms of the excluded words (their plain stems and other spellings). */
  excludedTerms: string[];
  /** Per excluded phrase, per word, its terms: a doc holding every word (by any of its terms) is excluded. */
  excludedAll: string[][][];
  /** Filter terms of the `tag` parameter. */
  tagTerms: string[];
  /** Every term to read before matching: the words' readings, exclusions and tags. */
  terms: string[];
  /** The query is one word typed alone (no other word, not even a question's): a lookup. */
  lone: boolean;
  /** Typos are read (`correct=false` searches the words exactly as typed). */
  correct: boolean;
  /**
   * A search as the reader types (`prefix`): the letters typed of the last word (normalized)
   * and the term of the completion searched in its place. The letters match, in the texts
   * read (re-ranking, highlighting), any word they begin, as that word.
   */
  typing?: { letters: string; term: string };
}

/** Plans a search; `query` (already parsed) lets a relaxed search reuse the parse. */
export function planQuery(params: SearchParams, query: ParsedQuery = parseQuery(params.q)): QueryPlan {
  const termsOf = (w: QueryWord) => [w.stems[0]!, ...w.respellings];
  const excludedTerms = query.excluded.flatMap(termsOf);
  const excludedAll = query.excludedPhrases.map((p) => p.map(termsOf));
  const tagTerms = (params.tag ?? []).map((t) => filterTerm.tag(normalize(t)));
  const readings = query.words.flatMap((w) => [...w.stems.flatMap((s) => [s, ALT_MARK + s]), ...w.respellings, ...(w.compound?.stems ?? [])]);
  return {
    params,
    query,
    excludedTerms,
    excludedAll,
    tagTerms,
    // An excluded word's readings are read too, to leave out as the word is searched: behind a
    // proclitic (لترامب for -ترامب), and without one (ترامب for -لترامب).
    terms: [...new Set([...readings, ...excludedTerms, ...query.excluded.flatMap((w) => [ALT_MARK + w.stems[0]!, ...w.stems.slice(1)]), ...excludedAll.flat(2), ...tagTerms])],
    lone: query.words.length === 1 && query.typed === 1 && query.required.length === 0,
    correct: params.correct !== false,
  };
}

/** The same plan without its phrases: their words as plain words (a misremembered quote). */
export function relaxPhrases(plan: QueryPlan): QueryPlan {
  return { ...planQuery(plan.params, { ...plan.query, phrases: [], required: [] }), typing: plan.typing };
}
