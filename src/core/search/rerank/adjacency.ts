/** Adjacency: how much of the query a text holds side by side, in the query's order. */
import type { RerankQuery, RerankText } from './feature';

/**
 * How much of the query a text holds in the query's own order: the weighted share of the
 * query's consecutive word pairs (i, then the next word that weighs something: a word no doc
 * holds is not looked for) that the text has within `gap` words, in that order.
 */
export function adjacency(hits: { token: number; word: number }[], weights: number[], gap = 2): number {
  // next[i]: the word after i that weighs something (weights.length: none).
  const next = new Int32Array(weights.length).fill(weights.length);
  for (let i = weights.length - 2; i >= 0; i--) next[i] = weights[i + 1]! > 0 ? i + 1 : next[i + 1]!;
  let total = 0;
  for (let i = 0; i < weights.length; i++) if (weights[i]! > 0 && next[i]! < weights.length) total += Math.min(weights[i]!, weights[next[i]!]!);
  if (total <= 0) return 0;
  const found = new Uint8Array(weights.length);
  for (let a = 0; a < hits.length; a++) {
    const wa = hits[a]!.word;
    for (let b = a + 1; b < hits.length && hits[b]!.token - hits[a]!.token <= gap; b++) {
      if (hits[b]!.word === next[wa]) found[wa] = 1;
    }
  }
  let share = 0;
  for (let i = 0; i < weights.length; i++) if (found[i] && weights[i]! > 0) share += Math.min(weights[i]!, weights[next[i]!]!);
  return share / total;
}

/** The feature: the better of the title's and the body's adjacency. */
export function adjacencyFeature(text: RerankText, q: RerankQuery): number {
  return Math.max(adjacency(text.title.hits, q.weights), adjacency(text.body.hits, q.weights));
}
