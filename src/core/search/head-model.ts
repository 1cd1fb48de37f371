/**
 * The head model: boosted regression trees (LambdaMART, fitted by `npm run eval -- --fit-ranking`,
 * scripts/eval/head-trees.ts) that re-order the re-ranked head of a relevance page when
 * `ranking.headModel` holds some (fitted.ts ships them since 2026-12-06, for questions' heads:
 * docs/ranking.md, item 5 of the ranking). The log-linear ranking (features.ts) orders every
 * candidate; its head (`rerankDepth`, 10) is re-ranked on the articles' text; then each head
 * doc's place there, `−log(1 + position)`, plus the trees' sum over the doc's features orders
 * the head again, exact matches first as everywhere. The trees
 * learn what a sum of weights cannot: that a doc whose title the query mostly names (a share of
 * its words, not all) is the one asked about, more so when the BM25 sum is close.
 *
 * Only the head's order changes: the same docs make the page, and a page past the head is the
 * same whatever the head's order. The head's scores are mapped into the span between the best
 * score and the next result's, in the model's order (see {@link reorderHead}).
 */
import type { Ranked } from './types';

/**
 * The features the trees may read, by name (features.ts computes the same for the fit).
 * `relBm25` is a doc's log BM25 sum less the head's best: a query's scale (its words' idf, a
 * typo reading's weight) says nothing of which of its docs is meant, and a word read for a typo
 * must order its docs as the word typed right does.
 */
export const HEAD_FEATURES = ['relBm25', 'logCoverage', 'titleAll', 'named', 'titleShare', 'adjacency', 'form', 'closeness', 'surface', 'titleStart'] as const;
export type HeadFeature = (typeof HEAD_FEATURES)[number];

/**
 * The features that are a re-ranking feature's share (rerank/index.ts FEATURES, by name): read
 * off the head's texts even where the ranking weighs them 0 (closeness, the surface form).
 */
export const SHARE_FEATURES: ReadonlySet<HeadFeature> = new Set(['adjacency', 'form', 'closeness', 'surface', 'titleStart']);

export interface HeadModel {
  /** The features of the trees' inputs, in order (a subset of {@link HEAD_FEATURES}). */
  features: HeadFeature[];
  /**
   * Each tree as flat nodes of four numbers, the root first: the feature's index in
   * `features`, the threshold (go left below it), the left and right nodes' indexes; a leaf is
   * −1 and its value (the learning rate applied), then two zeros.
   */
  trees: number[][];
  /**
   * The trees order the heads of questions only (question.ts), every other query keeping the
   * weights' order: the fit's choice when ordering every head gains nothing more out of fold.
   */
  questionsOnly?: boolean;
}

/** The trees' sum for one doc's features (`x[i]` is `features[i]`'s value). */
export function headScore(model: HeadModel, x: ArrayLike<number>): number {
  let sum = 0;
  for (const t of model.trees) {
    let n = 0;
    for (let steps = 0; steps < 64; steps++) {
      const f = t[4 * n]!;
      if (f < 0) {
        sum += t[4 * n + 1]!;
        break;
      }
      n = x[f]! < t[4 * n + 1]! ? t[4 * n + 2]! : t[4 * n + 3]!;
    }
  }
  return sum;
}

/**
 * The trees order a head whose docs hold this many of the query's words or more between them
 * ({@link headWords}). A head of one word has no pairs of words to find together, few of the
 * fit's queries are of one word, and on them the trees would change the first result of three
 * in ten searches for a word typed right, the reader's commonest search, which a typo of it
 * would not follow (docs/ranking.md). Counted on the head's docs, not the query, a word that
 * finds nothing there (a stray Latin word read as a name, a word nothing holds) does not make a
 * search for one word a search for two.
 */
export const HEAD_MIN_WORDS = 2;

/** The query words a head's docs hold between them, from each doc's word mask. */
export function headWords(masks: Iterable<number>): number {
  let all = 0;
  for (const m of masks) all |= m;
  let n = 0;
  for (; all !== 0; all &= all - 1) n++;
  return n;
}

/** Whether a model was fitted and has trees (fitted.ts may ship none). */
export function hasTrees(model: HeadModel | null | undefined): model is HeadModel {
  return model != null && model.trees.length > 0;
}

/**
 * The head (in its re-ranked order) ordered by the model: exact matches first, then
 * `−log(1 + position) + headScore`, then the higher doc. Scores keep their meaning as far as a
 * page can show it: the first keeps the head's best score, and each after it
 * `next + (best − next) × e^(m − m₀)`, m the lowest model score down the page to it and m₀ the
 * first's, `next` being the score of the first result after the head (0 if none): never rising
 * down the page, and never below a later result's.
 */
export function reorderHead(head: Ranked[], features: ArrayLike<number>[], model: HeadModel, next: number): Ranked[] {
  if (head.length <= 1) return head;
  const m = head.map((_, i) => -Math.log1p(i) + headScore(model, features[i]!));
  const order = head.map((_, i) => i).sort((a, b) => head[b]!.exact - head[a]!.exact || m[b]! - m[a]! || head[b]!.doc - head[a]!.doc);
  const best = Math.max(...head.map((c) => c.score));
  const floor = Math.min(Math.max(0, next), best);
  const first = m[order[0]!]!;
  let low = first;
  return order.map((i) => {
    low = Math.min(low, m[i]!);
    return { ...head[i]!, score: floor + (best - floor) * Math.exp(low - first) };
  });
}
