/**
 * Re-ranking of the top results on their own text, read from the articles the page's snippets
 * need anyway: each active feature's share, weighted, raises a result's score,
 * `score × (1 + Σ weight × share)`; then the head is sorted again (exact matches first, then
 * score, newer first). Each feature is a module of its own with one signature (feature.ts).
 */
import { hamzaRespellings } from '../../analyzer/index';
import type { RankingOptions } from '../options';
import type { ParsedQuery } from '../query';
import type { Correction, Ranked, SortOrder } from '../types';
import { adjacencyFeature } from './adjacency';
import { closenessFeature } from './closeness';
import type { Feature, RerankQuery, RerankText } from './feature';
import { formFeature, wordForms } from './form';
import { surfaceFeature, surfaceKey } from './surface';
import { titleStartFeature } from './title-start';

export type { RerankQuery, RerankText } from './feature';
export { heldWords } from './feature';

export interface RerankFeature {
  name: string;
  weight: (r: Readonly<RankingOptions>) => number;
  /** Whether the feature can tell results apart for this query. */
  applies: (q: RerankQuery) => boolean;
  share: Feature;
}

/** The features, in the order their shares are added. */
export const FEATURES: readonly RerankFeature[] = Object.freeze([
  { name: 'closeness', weight: (r) => r.proximity, applies: (q) => q.words >= 2, share: closenessFeature },
  { name: 'adjacency', weight: (r) => r.adjacency, applies: (q) => q.words >= 2, share: adjacencyFeature },
  { name: 'surface', weight: (r) => r.surfaceBonus, applies: (q) => q.surfaces.some(Boolean), share: surfaceFeature },
  { name: 'form', weight: (r) => r.formBonus, applies: () => true, share: formFeature },
  // Two query words the head holds at least (RerankQuery.held): a stray word read as a rare name
  // does not make a search for one word (whose titles mostly begin with it) a search for two.
  { name: 'titleStart', weight: (r) => r.titleStart, applies: (q) => q.words >= 2 && (q.held ?? q.words) >= 2, share: titleStartFeature },
]);

/** The features that weigh something and apply to this query. */
export function activeFeatures(q: RerankQuery, ranking: Readonly<RankingOptions>): RerankFeature[] {
  return FEATURES.filter((f) => f.weight(ranking) > 0 && f.applies(q));
}

/**
 * The head of a ranking re-ordered: `texts(doc)` gives a result's texts. Returns new objects
 * with the re-ranked scores, best first; `shares`, when given, keeps each doc's shares by
 * feature name (the head model reads them).
 */
export function rerank(head: Ranked[], texts: (doc: number) => RerankText, q: RerankQuery, features: RerankFeature[], ranking: Readonly<RankingOptions>, shares?: Map<number, Map<string, number>>): Ranked[] {
  const out = head.map((c) => {
    const text = texts(c.doc);
    let factor = 1;
    const kept = shares ? new Map<string, number>() : undefined;
    for (const f of features) {
      const share = f.share(text, q);
      kept?.set(f.name, share);
      factor += f.weight(ranking) * share;
    }
    if (kept) shares!.set(c.doc, kept);
    return { ...c, score: c.score * factor };
  });
  return out.sort((a, b) => b.exact - a.exact || b.score - a.score || b.doc - a.doc);
}

/** What the features know of the query: its words' weights, surface keys and forms. */
export function rerankQuery(query: ParsedQuery, sort: SortOrder, weights: number[], ranking: Readonly<RankingOptions>, corrections: readonly Correction[] = []): RerankQuery {
  const words = query.words;
  // A word no article writes as typed, offered a reading (not replaced by it), is found in the
  // form of the reading too: its own form tells no text apart, the form meant does.
  const meant = new Map(corrections.filter((c) => c.mode === 'suggest' && c.unwritten).map((c) => [c.word, c.to]));
  // A word's forms, in every house style (مسئول, مسؤول); any writing of a compound name.
  const compoundHeads = new Set(words.flatMap((w) => (w.compound ? [w.compound.head] : [])));
  const byForm = ranking.formBonus > 0 && sort === 'relevance';
  return {
    words: words.length,
    weights,
    window: ranking.proximityWindow,
    surfaces: words.map((w) => surfaceKey(w.text)),
    forms: byForm ? words.map((w, i) => (w.compound || w.joined || compoundHeads.has(i) ? undefined : [...new Set([w.norm, ...hamzaRespellings(w.text), ...(meant.has(i) ? [meant.get(i)!] : [])].flatMap(wordForms))])) : [],
  };
}
