/** Adjacency: how much of the query a text holds side by side, in the query's order. */
import type { RerankQuery, RerankText } from './feature';

/**
 * How much of the query a text holds in the query's own order: the weighted share of the
 * query's consecutive word pairs (i, i+1) that the text has within `gap` words, in that order.
 */
export function adjacency(hits: { token: number; word: number }[], weights: number[], gap = 2): number {
  let total = 0;
  for (let i = 0; i + 1 < weights.length; i++) total += Math.min(weights[i]!, weights[i + 1]!);
  if (total <= 0) return 0;
  const found = new Uint8Array(weights.length);
  for (let a = 0; a < hits.length; a++) {
    const wa = hits[a]!.word;
    for (let b = a + 1; b < hits.length && hits[b]!.token - hits[a]!.token <= gap; b++) {
      if (hits[b]!.word === wa + 1) found[wa] = 1;
    }
  }
  let share = 0;
  for (let i = 0; i + 1 < weights.length; i++) if (found[i]) share += Math.min(weights[i]!, weights[i + 1]!);
  return share / total;
}

/** The feature: the better of the title's and the body's adjacency. */
export function adjacencyFeature(text: RerankText, q: RerankQuery): number {
  return Math.max(adjacency(text.title.hits, q.weights), adjacency(text.body.hits, q.weights));
}
