/**
 * Re-ranking of the top results on their own text, read from the articles the page's snippets
 * need anyway: each active feature's share, weighted, raises a result's score,
 * `score × (1 + Σ weight × share)`; then the head is sorted again (exact matches first, then
 * score, newer first). Each feature is a module of its own with one signature (feature.ts).
 */
import type { RankingOptions } from '../options';
import type { Ranked } from '../types';
import { adjacencyFeature } from './adjacency';
import { closenessFeature } from './closeness';
import type { Feature, RerankQuery, RerankText } from './feature';
import { formFeature } from './form';
import { surfaceFeature } from './surface';

export type { RerankQuery, RerankText } from './feature';

interface RerankFeature {
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
]);

/** The features that weigh something and apply to this query. */
export function activeFeatures(q: RerankQuery, ranking: Readonly<RankingOptions>): RerankFeature[] {
  return FEATURES.filter((f) => f.weight(ranking) > 0 && f.applies(q));
}

/**
 * The head of a ranking re-ordered: `texts(doc)` gives a result's texts. Returns new objects
 * with the re-ranked scores, best first.
 */
export function rerank(head: Ranked[], texts: (doc: number) => RerankText, q: RerankQuery, features: RerankFeature[], ranking: Readonly<RankingOptions>): Ranked[] {
  const out = head.map((c) => {
    const text = texts(c.doc);
    let factor = 1;
    for (const f of features) factor += f.weight(ranking) * f.share(text, q);
    return { ...c, score: c.score * factor };
  });
  return out.sort((a, b) => b.exact - a.exact || b.score - a.score || b.doc - a.doc);
}
