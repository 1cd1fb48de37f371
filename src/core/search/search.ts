/**
 * The search pipeline, read top to bottom: Latin names read in Arabic → plan (and the editor's
 * synonyms and rules the query triggers) → read the terms (and, for words that may be misspelt,
 * the typo lexicon) → spell → synonyms → match → (context typos → match) → hidden and boosted
 * results → filters and facets → order → phrases → re-rank the top on its text → pinned
 * results → hits and did-you-mean. Each stage is a function of values in its own module; every
 * read goes through the archive, which batches it.
 */
import { ALT_MARK } from '../analyzer/index';
import type { Article } from '../article';
import { NO_SETTINGS, type EditorSettings } from '../settings/reader';
import type { Archive } from './archive';
import { facetsAndFilters } from './facets';
import { didYouMean, hitsIn, toHit } from './hits';
import { filtersOf, match, namingWords, nearMisses, strays } from './match';
import { Matcher } from './matcher';
import { editorGroups, editorPlan, type EditorPlan } from './editor';
import { readNames, withLatinSpellings } from './names/index';
import { DEFAULT_OPTIONS, type SearchOptions } from './options';
import { best, orderOf } from './order';
import { checkPhrases } from './phrases';
import { planQuery, relaxPhrases, type QueryPlan } from './plan';
import { parseQuery } from './query';
import { activeFeatures, rerank, rerankQuery, type RerankText } from './rerank';
import { docsOfIds, hideAndBoost, pinResults } from './rules';
import { ReadStats } from './source';
import { correctionTerms, correctTypos, lexiconLookups, settleCorrections } from './spell';
import { contextCorrections, contextLookups, contextReadings } from './spell-context';
import { matcherGroups } from './synonyms';
import { groupsOf, type Loaded } from './terms';
import type { NearMisses, SearchParams, SearchResult } from './types';

export type { Facets, Hit, SearchParams, SearchResult, SortOrder } from './types';

/**
 * Runs a search. A query whose quoted phrases (or quoted words) match nothing is run again with
 * their words as plain words, as a reader pasting a misremembered quote expects, and the
 * response says so (`relaxed: ["phrase"]`). `settings` are the editor's synonyms and rules.
 */
export async function search(index: Archive, params: SearchParams, stats = new ReadStats(), o: SearchOptions = DEFAULT_OPTIONS, settings: EditorSettings = NO_SETTINGS): Promise<SearchResult> {
  // A Latin name is searched as the archive writes it in Arabic (not with correct=false: as typed).
  stats.start('load');
  const named = params.correct === false ? undefined : await readNames(index, params.q, settings.synonyms, stats, o);
  stats.end('load');
  const plan = named ? planQuery({ ...params, q: named.q }, withLatinSpellings(parseQuery(named.q), named)) : planQuery(params);
  const editor = editorPlan(plan, params.q, named, settings, o);
  let result = await run(index, plan, editor, stats, o);
  if (result.total === 0 && plan.query.required.length > 0) {
    const loose = await run(index, relaxPhrases(plan), editor, stats, o);
    if (loose.total > 0) result = { ...loose, relaxed: ['phrase'] };
  }
  return named ? { ...result, query: params.q } : result;
}

async function run(index: Archive, plan: QueryPlan, editor: EditorPlan, stats: ReadStats, o: SearchOptions): Promise<SearchResult> {
  const { params, query } = plan;
  const capped = new Set(query.capped);
  const readMore = async (terms: string[]) => {
    if (terms.length) for (const [t, v] of await index.loadTerms(terms, stats)) loaded.set(t, v);
  };

  stats.start('load');
  const terms = editor.terms.length ? [...new Set([...plan.terms, ...editor.terms])] : plan.terms;
  const [loaded, ruleDocs]: [Loaded, Map<string, number>] = await Promise.all([index.loadTerms(terms, stats), docsOfIds(index, editor.rules.ids, stats)]);
  const lexicon = await index.lexicon(lexiconLookups(plan, loaded, o.spelling), stats);
  const spelled = correctTypos(plan, groupsOf(plan, loaded, index.docCount, o.ranking), loaded, lexicon, index.docCount, o);
  if (spelled.capped) capped.add('typo-candidates');
  await readMore(correctionTerms(spelled.groups, spelled.corrections, loaded));
  const settled = settleCorrections(query.words, spelled.groups, loaded, spelled.corrections, index.dead);
  // The synonyms, and a name's other readings, join the words they stand for.
  const edited = editorGroups(editor, settled, query.words, loaded, index.docCount, o);
  for (const [key, term] of edited.made) loaded.set(key, term);
  let { groups, corrections } = edited;
  stats.end('load');

  stats.start('match');
  let filters = filtersOf(index, plan, loaded, corrections, groups, o);
  let matched = match(index, groups, loaded, filters, params.recency, o);
  // A real word typed for another (الجزار for الجزائر) shows as the one word of the query that
  // no document holds with all the others.
  const stray = groups.length >= 2 && plan.correct && query.required.length === 0 && query.phrases.length === 0 ? strays(groups, loaded, matched.whole, o) : undefined;
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
  const ruled = hideAndBoost(index, matched.cands, groups, loaded, editor.rules, ruleDocs, params.sort);
  const { cands, facets } = facetsAndFilters(index, ruled.cands, groups, loaded, params);
  stats.end('filter');

  stats.start('rank');
  const order = orderOf(cands, params.sort);
  const rq = rerankQuery(query, params.sort, matched.wordIdf, o.ranking);
  const features = params.sort === 'relevance' && query.phrases.length === 0 ? activeFeatures(rq, o.ranking) : [];
  const depth = features.length > 0 ? o.ranking.rerankDepth : 0;
  // Room for the pinned docs, which may be among the best and leave them.
  const pins = editor.rules.triggered.pins.length;
  let ranked = best(cands, Math.max(params.offset + params.limit + pins, depth), order);
  let total = cands.count;
  const phraseCandidates = query.phrases.length > 0 ? best(cands, o.caps.phraseCheck, order) : [];
  stats.end('rank');

  const matcher = new Matcher(matcherGroups(groups), ALT_MARK);
  if (query.phrases.length > 0) {
    const checked = await checkPhrases(index, phraseCandidates, query, matcher, stats);
    if (cands.count > o.caps.phraseCheck) capped.add('phrase-candidates');
    total = checked.length;
    ranked = checked.slice(0, params.offset + params.limit);
  }

  // The top is re-ordered on its articles' text, read with the page's (one batch); a page past
  // it holds the same docs in the same order whatever the top's order: its articles alone are read.
  const textHits = new Map<number, RerankText>();
  let articles = new Map<number, Article>();
  if (depth > 0 && ranked.length > 1 && params.offset < depth) {
    stats.start('rank');
    const head = ranked.slice(0, depth);
    const pageDocs = ranked.slice(params.offset, params.offset + params.limit).map((c) => c.doc);
    articles = await index.docs([...new Set([...head.map((c) => c.doc), ...pageDocs, ...ruleDocs.values()])], stats);
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

  // Pinned articles take their places last; a pinned article that is no match adds to the total.
  const pinned = pinResults(ranked, editor.rules, ruleDocs, cands, params);
  ranked = pinned.ranked;
  total += pinned.added;

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
  const applied = new Set([...ruled.applied, ...pinned.applied]);
  if (applied.size) result.rules = editor.rules.triggered.rules.map((r) => r.rule.id).filter((id) => applied.has(id));
  return result;
}
