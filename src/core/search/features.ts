/**
 * The ranking's features of (query, document) pairs, for fitting the weights that combine them
 * (scripts/eval/fit-ranking.ts): the same pipeline as search() up to matching, then, for the
 * best `depth` candidates, each feature the score is made of. Not on a query's path.
 *
 * A document's score is log-linear in them: `log BM25 + coveragePower × log coverage +
 * log(1 + titleCoverBonus) × titleAll + log(1 + titleNamedBonus) × named`, and in the re-ranked
 * head `+ log(1 + Σ weight × share)` over the text features (rerank/).
 */
import { NO_SETTINGS } from '../settings/reader';
import type { Archive } from './archive';
import { editorPlan } from './editor';
import { hitsIn } from './hits';
import { match, TITLE_ALL, TITLE_NAMED } from './match';
import { searchOptions, type SearchOptions } from './options';
import { best, orderOf } from './order';
import { planQuery } from './plan';
import { QueryRun } from './query-run';
import { FEATURES, rerankQuery } from './rerank';
import { ReadStats } from './source';
import { contextTypos, matcherOf, matchWords, readWords } from './steps';
import type { SearchParams } from './types';

export interface PairFeatures {
  id: string;
  doc: number;
  /** Matches a word as typed (exact matches rank first). */
  exact: number;
  /** log of the BM25 sum over the query's words. */
  logBm25: number;
  /** log of the idf-weighted share of the query's words the document holds. */
  logCoverage: number;
  /** 1 when the title holds every word of a query of 2+ words. */
  titleAll: number;
  /** 1 when the query names the whole title. */
  named: number;
  /** The share of the title's words the query holds (1 when it names it). Absent in features cached before it. */
  titleShare?: number;
  /** The query's words the document holds (bit i: word i). Absent in features cached before it. */
  mask?: number;
  /** Each re-ranking feature's share (0–1), by name; 0 where it does not apply. */
  shares: Record<string, number>;
}

/**
 * The features of the best `depth` candidates of a query (by the ranking of `o`, before
 * re-ranking), read with every posting (no tier stop).
 */
export async function rankingFeatures(index: Archive, params: SearchParams, o: SearchOptions, depth: number): Promise<PairFeatures[]> {
  // The candidates by the hand-set probe the fit has always drawn them with (bonuses ×2 and ×4,
  // coverage unpowered: the coverage feature is its log).
  const probe = searchOptions({ ranking: { titleCoverBonus: 1, titleNamedBonus: 3, coveragePower: 1, formBonus: Math.max(o.ranking.formBonus, 1e-9) }, caps: { tierStop: false } }, o);
  const plan = planQuery(params);
  // No editor's settings (synonyms, rules) and no Latin names: the ranking's own features.
  const r = new QueryRun(index, plan, editorPlan(plan, params.q, undefined, NO_SETTINGS, probe), new ReadStats(), probe);
  const read = await readWords(r);
  const { words, found } = await contextTypos(r, read, await matchWords(r, read));
  const m = match(index, words.groups, r.loaded, found.filters, 0, probe, undefined, true);
  const ranked = best(m.cands, depth, orderOf(m.cands, 'relevance'));
  const at = new Map<number, number>();
  for (let i = 0; i < m.cands.count; i++) at.set(m.cands.doc[i]!, i);
  await r.readArticles(ranked.map((c) => c.doc));
  const matcher = matcherOf(words);
  const q = rerankQuery(plan.query, 'relevance', m.wordIdf, probe.ranking, words.corrections);
  return ranked.map((c) => {
    const i = at.get(c.doc)!;
    const a = r.articles.get(c.doc)!;
    const text = { title: hitsIn(index, c.doc, a, 'title', matcher), body: hitsIn(index, c.doc, a, 'body', matcher, { words: words.groups.length, window: probe.ranking.proximityWindow }) };
    return {
      id: a.id,
      doc: c.doc,
      exact: c.exact,
      logBm25: Math.log(Math.max(1e-9, m.parts!.total[i]!)),
      logCoverage: Math.log(Math.max(1e-9, m.coverage(m.parts!.mask[i]!))),
      titleAll: m.parts!.title[i]! & TITLE_ALL ? 1 : 0,
      named: m.parts!.title[i]! & TITLE_NAMED ? 1 : 0,
      titleShare: m.parts!.titleShare[i]!,
      mask: m.parts!.mask[i]!,
      shares: Object.fromEntries(FEATURES.map((f) => [f.name, f.applies(q) ? f.share(text, q) : 0])),
    };
  });
}
