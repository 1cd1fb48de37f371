/**
 * Ranking metrics over the top 10, with binary relevance (a passage is relevant or not).
 */

export const CUTOFF = 10;

export interface QaScores {
  mrr: number;
  r1: number;
  r10: number;
  ndcg: number;
}

/** MRR@10: 1 / rank of the first relevant doc in the top 10, else 0. */
export function reciprocalRank(ranked: string[], relevant: ReadonlySet<string>): number {
  const at = ranked.slice(0, CUTOFF).findIndex((id) => relevant.has(id));
  return at < 0 ? 0 : 1 / (at + 1);
}

/** Recall@k: share of the relevant docs found in the top k (hit@k when one doc is relevant). */
export function recallAt(ranked: string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  const found = new Set(ranked.slice(0, k).filter((id) => relevant.has(id)));
  return found.size / relevant.size;
}

/** nDCG@10 with gain 1 per relevant doc; the ideal ranking puts min(|relevant|, 10) relevant docs first. */
export function ndcgAt10(ranked: string[], relevant: ReadonlySet<string>): number {
  const discount = (i: number) => 1 / Math.log2(i + 2);
  let dcg = 0;
  const seen = new Set<string>();
  ranked.slice(0, CUTOFF).forEach((id, i) => {
    // A doc listed twice earns its gain once.
    if (relevant.has(id) && !seen.has(id)) dcg += discount(i);
    seen.add(id);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.size, CUTOFF); i++) ideal += discount(i);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function scoreOne(ranked: string[], relevant: ReadonlySet<string>): QaScores {
  return {
    mrr: reciprocalRank(ranked, relevant),
    r1: recallAt(ranked, relevant, 1),
    r10: recallAt(ranked, relevant, CUTOFF),
    ndcg: ndcgAt10(ranked, relevant),
  };
}

export function meanScores(list: QaScores[]): QaScores {
  const n = Math.max(1, list.length);
  const sum = (f: (s: QaScores) => number) => list.reduce((a, s) => a + f(s), 0) / n;
  return { mrr: sum((s) => s.mrr), r1: sum((s) => s.r1), r10: sum((s) => s.r10), ndcg: sum((s) => s.ndcg) };
}

/** Share of ranked lists that have `target` within the first k. */
export function successAt(rankings: string[][], targets: string[], k: number): number {
  if (rankings.length === 0) return 0;
  let hits = 0;
  rankings.forEach((r, i) => {
    if (r.slice(0, k).includes(targets[i]!)) hits++;
  });
  return hits / rankings.length;
}
