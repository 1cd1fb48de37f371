/**
 * The search pipeline, read top to bottom: plan → read the terms (and, for words that may be
 * misspelt, the typo lexicon) → spell → match → (context typos → match) → filters and facets →
 * order → phrases → re-rank the top on its text → hits and did-you-mean. Each stage is a
 * function of values in its own module; every read goes through the archive, which batches it.
 */
import { ALT_MARK } from '../analyzer/index';
import type { Article } from '../article';
import type { Archive } from './archive';
import { facetsAndFilters } from './facets';
import { didYouMean, hitsIn, toHit } from './hits';
import { filtersOf, match, namingWords, nearMisses, strays } from './match';
import { Matcher } from './matcher';
import { DEFAULT_OPTIONS, type SearchOptions } from './options';
import { best, orderOf } from './order';
import { checkPhrases } from './phrases';
import { hasRest, restCeilings, topIsFinal, wholeFor } from './tiers';
import { planQuery, relaxPhrases, type QueryPlan } from './plan';
import { activeFeatures, rerank, rerankQuery, type RerankText } from './rerank';
import { ReadStats } from './source';
import { correctionTerms, correctTypos, lexiconLookups, settleCorrections } from './spell';
import { contextCorrections, contextLookups, contextReadings } from './spell-context';
import { groupsOf, type Loaded } from './terms';
import type { NearMisses, SearchParams, SearchResult } from './types';

export type { Facets, Hit, SearchParams, SearchResult, SortOrder } from './types';

/**
 * Runs a search. A query whose quoted phrases (or quoted words) match nothing is run again with
 * their words as plain words, as a reader pasting a misremembered quote expects, and the
 * response says so (`relaxed: ["phrase"]`).
 */
export async function search(index: Archive, params: SearchParams, stats = new ReadStats(), o: SearchOptions = DEFAULT_OPTIONS): Promise<SearchResult> {
  const plan = planQuery(params);
  const result = await run(index, plan, stats, o);
  if (result.total > 0 || plan.query.required.length === 0) return result;
  const loose = await run(index, relaxPhrases(plan), stats, o);
  return loose.total === 0 ? result : { ...loose, relaxed: ['phrase'] };
}

async function run(index: Archive, plan: QueryPlan, stats: ReadStats, o: SearchOptions): Promise<SearchResult> {
  const { params, query } = plan;
  const capped = new Set(query.capped);
  const readMore = async (terms: string[]) => {
    if (!terms.length) return;
    const more = await index.loadTerms(terms, stats);
    await index.loadRest(more, stats);
    for (const [t, v] of more) loaded.set(t, v);
  };

  stats.start('load');
  const loaded: Loaded = await index.loadTerms(plan.terms, stats);
  const lexicon = await index.lexicon(lexiconLookups(plan, loaded, o.spelling), stats);
  const spelled = correctTypos(plan, groupsOf(plan, loaded, index.docCount, o.ranking), loaded, lexicon, index.docCount, o);
  if (spelled.capped) capped.add('typo-candidates');
  await readMore(correctionTerms(spelled.groups, spelled.corrections, loaded));
  // Big terms' tiers B are read now unless the page may be found without them (tiers.ts): a
  // plain query by relevance, on its first page.
  const mayStopEarly = o.caps.tierStop && params.sort === 'relevance' && query.phrases.length === 0 && plan.excludedTerms.length === 0 && plan.tagTerms.length === 0
    && !params.source?.length && !params.category?.length && spelled.corrections.length === 0 && params.offset + params.limit <= o.ranking.rerankDepth;
  if (!mayStopEarly) await index.loadRest(loaded, stats);
  let { groups, corrections } = settleCorrections(query.words, spelled.groups, loaded, spelled.corrections, index.dead);
  stats.end('load');

  stats.start('match');
  let filters = filtersOf(index, plan, loaded, corrections, groups, o);
  let matched = match(index, groups, loaded, filters, params.recency, o, undefined, hasRest(loaded));
  // A real word typed for another (الجزار for الجزائر) shows as the one word of the query that
  // no document holds with all the others.
  const strayOf = () => (groups.length >= 2 && plan.correct && query.required.length === 0 && query.phrases.length === 0 ? strays(groups, loaded, matched.whole, o) : undefined);
  let stray = strayOf();
  if (stray && hasRest(loaded)) {
    // Which docs hold every word is a question for whole postings.
    await index.loadRest(loaded, stats);
    matched = match(index, groups, loaded, filters, params.recency, o);
    stray = strayOf();
  }
  let near: NearMisses = new Map();
  if (stray) ({ matched, near } = nearMisses(index, groups, loaded, filters, params.recency, stray, o));
  stats.end('match');
  const context = contextLookups(query.words, near, corrections, o);
  if (context.suspects.length > 0) {
    stats.start('load');
    const found = contextReadings(query.words, groups, loaded, await index.lexicon(context.lookups, stats), context.suspects, o);
    if (found.capped) capped.add('typo-candidates');
    await readMore(found.terms);
    const fixed = contextCorrections(groups, loaded, near, found, o);
    stats.end('load');
    if (fixed.corrections.length > 0) {
      ({ groups } = fixed);
      corrections = [...corrections, ...fixed.corrections];
      filters = { ...filters, naming: namingWords(groups.length, corrections) };
      stats.start('match');
      matched = match(index, groups, loaded, filters, params.recency, o);
      stats.end('match');
    }
  }

  stats.start('filter');
  let { cands, facets } = facetsAndFilters(index, matched.cands, groups, loaded, params);
  stats.end('filter');

  stats.start('rank');
  let order = orderOf(cands, params.sort);
  const rq = rerankQuery(query, params.sort, matched.wordIdf, o.ranking);
  const features = params.sort === 'relevance' && query.phrases.length === 0 ? activeFeatures(rq, o.ranking) : [];
  const depth = features.length > 0 ? o.ranking.rerankDepth : 0;
  const k = Math.max(params.offset + params.limit, depth);
  let ranked = best(cands, k, order);
  stats.end('rank');
  let articles = new Map<number, Article>();
  let partial = false;
  if (hasRest(loaded)) {
    if (topIsFinal(matched, ranked, k, restCeilings(index, groups, loaded), params.recency)) {
      // The page is these docs whatever tiers B hold: their articles (read for snippets anyway)
      // complete their scores.
      stats.start('rank');
      articles = await index.docs(ranked.map((r) => r.doc), stats);
      const whole = match(index, groups, wholeFor(loaded, ranked.map((r) => r.doc), articles), filters, params.recency, o).cands;
      ranked = best(whole, k, orderOf(whole, params.sort));
      partial = true;
      stats.end('rank');
    } else {
      stats.start('load');
      await index.loadRest(loaded, stats);
      stats.end('load');
      stats.start('match');
      matched = match(index, groups, loaded, filters, params.recency, o);
      stats.end('match');
      ({ cands, facets } = facetsAndFilters(index, matched.cands, groups, loaded, params));
      order = orderOf(cands, params.sort);
      ranked = best(cands, k, order);
    }
  }
  let total = cands.count;
  const phraseCandidates = query.phrases.length > 0 ? best(cands, o.caps.phraseCheck, order) : [];

  const matcher = new Matcher(groups.map((g) => g.map((t) => t.term)), ALT_MARK);
  if (query.phrases.length > 0) {
    const checked = await checkPhrases(index, phraseCandidates, query, matcher, stats);
    if (cands.count > o.caps.phraseCheck) capped.add('phrase-candidates');
    total = checked.length;
    ranked = checked.slice(0, params.offset + params.limit);
  }

  // The top is re-ordered on its articles' text, read with the page's (one batch); a page past
  // it holds the same docs in the same order whatever the top's order: its articles alone are read.
  const textHits = new Map<number, RerankText>();
  if (depth > 0 && ranked.length > 1 && params.offset < depth) {
    stats.start('rank');
    const head = ranked.slice(0, depth);
    const pageDocs = ranked.slice(params.offset, params.offset + params.limit).map((c) => c.doc);
    const wanted = [...new Set([...head.map((c) => c.doc), ...pageDocs])].filter((d) => !articles.has(d));
    if (wanted.length) for (const [d, a] of await index.docs(wanted, stats)) articles.set(d, a);
    const texts = (doc: number): RerankText => {
      const a = articles.get(doc)!;
      const body = hitsIn(index, doc, a, 'body', matcher, { words: groups.length, window: o.ranking.proximityWindow });
      const t = { title: hitsIn(index, doc, a, 'title', matcher), body };
      textHits.set(doc, t);
      return t;
    };
    ranked = [...rerank(head, texts, rq, features, o.ranking), ...ranked.slice(depth)];
    stats.end('rank');
  }

  stats.start('snippets');
  const page = ranked.slice(params.offset, params.offset + params.limit);
  const missing = page.map((c) => c.doc).filter((d) => !articles.has(d));
  if (missing.length) for (const [d, a] of await index.docs(missing, stats)) articles.set(d, a);
  const hits = page.map((c) => toHit(index, c, articles.get(c.doc)!, matcher, textHits.get(c.doc)));
  stats.end('snippets');

  let exactTotal = 0;
  for (let i = 0; i < cands.count && exactTotal < o.spelling.didYouMeanBelow; i++) exactTotal += cands.exact[i]!;
  const result: SearchResult = { query: params.q, total, offset: params.offset, limit: params.limit, sort: params.sort, hits, index: index.version };
  if (facets) result.facets = facets;
  Object.assign(result, didYouMean(index, query, params.q, corrections, loaded, ranked, page, exactTotal, articles, matcher, o));
  if (capped.size) result.capped = [...capped];
  if (partial) result.partial = ['total', 'facets'];
  return result;
}
