/** Closeness: how near together a text holds the query's words. */
import type { RerankQuery, RerankText } from './feature';

/**
 * How close together a text holds the query's words: the largest weighted share of the
 * query's words that occur within `window` consecutive words (1: all of them, as in a
 * sentence that restates the question). `weights[i]` is query word i's weight (its idf).
 */
export function closeness(hits: { token: number; word: number }[], weights: number[], window: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || hits.length === 0) return 0;
  const count = new Array<number>(weights.length).fill(0);
  let inWindow = 0;
  let best = 0;
  for (let r = 0, l = 0; r < hits.length; r++) {
    const w = hits[r]!.word;
    if (count[w]!++ === 0) inWindow += weights[w]!;
    while (hits[r]!.token - hits[l]!.token >= window) {
      const lw = hits[l++]!.word;
      if (--count[lw]! === 0) inWindow -= weights[lw]!;
    }
    if (inWindow > best) best = inWindow;
  }
  return best / total;
}

/** The feature: the better of the title's and the body's closeness. */
export function closenessFeature(text: RerankText, q: RerankQuery): number {
  return Math.max(closeness(text.title.hits, q.weights, q.window), closeness(text.body.hits, q.weights, q.window));
}
