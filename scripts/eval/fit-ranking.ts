/**
 * Fits the ranking's weights (features.ts) by coordinate ascent on MRR@10, with k-fold
 * cross-validation over the dev questions grouped by their passage (questions on one passage
 * never straddle folds): each question is scored by weights fitted without it (out of fold).
 * The simulated ranking re-orders each question's 100 best candidates as search() would with
 * the weights: exact matches first, then the first-stage score; the head of `depth` re-ranked
 * with the text features added.
 *
 * The items may be of several tasks (dev questions, headline searches): each counts with its
 * `weight`, so that the objective is the sum of each task's MRR@10 (ranking-run.ts), not the
 * larger task's alone.
 */
import type { PairFeatures } from '../../src/core/search/features';
import { mulberry32 } from './variants';

export const FEATURE_NAMES = ['coverage', 'titleAll', 'named', 'closeness', 'adjacency', 'surface', 'form', 'titleStart'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Weights = Record<FeatureName, number>;

export interface FitQuestion {
  qid: string;
  group: string;
  relevant: Set<string>;
  cands: PairFeatures[];
  /** Its share of the objective (default 1). */
  weight?: number;
}

/** The weights the hand-set options amounted to (their log-linear reading). */
export function weightsOf(r: { coveragePower: number; titleCoverBonus: number; titleNamedBonus: number; proximity: number; adjacency: number; surfaceBonus: number; formBonus: number; titleStart: number }): Weights {
  return { coverage: r.coveragePower, titleAll: Math.log1p(r.titleCoverBonus), named: Math.log1p(r.titleNamedBonus), closeness: r.proximity, adjacency: r.adjacency, surface: r.surfaceBonus, form: r.formBonus, titleStart: r.titleStart };
}

function firstStage(c: PairFeatures, w: Weights): number {
  return c.logBm25 + w.coverage * c.logCoverage + w.titleAll * c.titleAll + w.named * c.named;
}

/** The re-ranking's factor `1 + Σ weight × share` (rerank/index.ts), in log. */
function textScore(c: PairFeatures, w: Weights): number {
  return Math.log1p(w.closeness * c.shares.closeness! + w.adjacency * c.shares.adjacency! + w.surface * c.shares.surface! + w.form * c.shares.form! + w.titleStart * (c.shares.titleStart ?? 0));
}

type Scored = { c: PairFeatures; s: number };
const order = (a: Scored, b: Scored) => b.c.exact - a.c.exact || b.s - a.s || b.c.doc - a.c.doc;

/** A question's candidates in search()'s order under weights `w`: the first `depth` re-ranked on their text, then the rest. */
export function orderWith(q: FitQuestion, w: Weights, depth: number): PairFeatures[] {
  const first = q.cands.map((c) => ({ c, s: firstStage(c, w) })).sort(order);
  const head = first.slice(0, depth).map((x) => ({ c: x.c, s: x.s + textScore(x.c, w) })).sort(order);
  return [...head, ...first.slice(depth)].map((x) => x.c);
}

/** The top 10 ids of a question under weights `w`, re-ranking the first `depth`. */
export function rankWith(q: FitQuestion, w: Weights, depth: number): string[] {
  return orderWith(q, w, depth).slice(0, 10).map((c) => c.id);
}

export function rr(q: FitQuestion, w: Weights, depth: number): number {
  const at = rankWith(q, w, depth).findIndex((id) => q.relevant.has(id));
  return at < 0 ? 0 : 1 / (at + 1);
}

/** The weighted mean reciprocal rank (each item by its `weight`). */
function mrr(qs: FitQuestion[], w: Weights, depth: number): number {
  let s = 0;
  let n = 0;
  for (const q of qs) {
    const x = q.weight ?? 1;
    s += x * rr(q, w, depth);
    n += x;
  }
  return s / Math.max(1e-9, n);
}

/** Coordinate ascent on MRR@10 from `start`; features in `fixed` stay at their start value. */
export function ascend(qs: FitQuestion[], start: Weights, depth: number, fixed: ReadonlySet<FeatureName> = new Set()): Weights {
  let w = { ...start };
  let best = mrr(qs, w, depth);
  let step = 0.5;
  for (let round = 0; round < 12 && step > 0.03; round++) {
    let moved = false;
    for (const f of FEATURE_NAMES) {
      if (fixed.has(f)) continue;
      for (const dir of [1, -1]) {
        const trial = { ...w, [f]: Math.max(0, w[f] + dir * step) };
        if (trial[f] === w[f]) continue;
        const s = mrr(qs, trial, depth);
        if (s > best + 1e-6) {
          best = s;
          w = trial;
          moved = true;
          break;
        }
      }
    }
    if (!moved) step /= 2;
  }
  return w;
}

/** Folds of questions, grouped (a group in one fold), seeded. */
export function folds(qs: FitQuestion[], k: number, seed: number): number[] {
  const groups = [...new Set(qs.map((q) => q.group))].sort();
  const rng = mulberry32(seed);
  for (let i = groups.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [groups[i], groups[j]] = [groups[j]!, groups[i]!];
  }
  const foldOf = new Map(groups.map((g, i) => [g, i % k]));
  return qs.map((q) => foldOf.get(q.group)!);
}

/** Out-of-fold reciprocal ranks: each fold scored with weights fitted on the others. */
export function outOfFold(qs: FitQuestion[], fold: number[], k: number, start: Weights, depth: number, fixed: ReadonlySet<FeatureName> = new Set()): { rr: number[]; weights: Weights[] } {
  const out = new Array<number>(qs.length).fill(0);
  const weights: Weights[] = [];
  for (let f = 0; f < k; f++) {
    const train = qs.filter((_, i) => fold[i] !== f);
    const w = ascend(train, start, depth, fixed);
    weights.push(w);
    qs.forEach((q, i) => { if (fold[i] === f) out[i] = rr(q, w, depth); });
  }
  return { rr: out, weights };
}
