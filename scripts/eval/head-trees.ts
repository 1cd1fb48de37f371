/**
 * The head model's trees (src/core/search/head-model.ts), fitted by LambdaMART (Burges 2010:
 * gradient-boosted regression trees on LambdaRank's gradients), written here, no dependency.
 *
 * Each query's head is its first `depth` candidates in search()'s order under the fitted
 * weights (fit-ranking.ts `orderWith`); a doc's starting score is `−log(1 + position)` there,
 * and the trees add to it what the features say. Per round, each pair of a relevant and an
 * irrelevant doc of a query (of the same exactness: exact matches rank first whatever the
 * score) pulls their scores apart by `|ΔNDCG| × ρ`, ρ the logistic of their score difference
 * (the pair's chance of being in the wrong order); a tree of depth 3 is fitted to these
 * gradients by Newton leaves (the sum of gradients over the sum of their second derivatives),
 * its splits on 32 quantile bins of each feature. The settings were set once, before any was
 * measured (100 trees, learning rate 0.1, leaves of at least 100 docs), and left there; each
 * query counts with its weight (the two tasks' MRR@10 summed, as the weights' fit).
 */
import type { PairFeatures } from '../../src/core/search/features';
import { headScore, headWords, HEAD_FEATURES, HEAD_MIN_WORDS, type HeadFeature, type HeadModel } from '../../src/core/search/head-model';
import { orderWith, type FitQuestion, type Weights } from './fit-ranking';

export const TREES = 100;
export const LEARNING_RATE = 0.1;
const TREE_DEPTH = 3;
const MIN_LEAF = 100;
const BINS = 32;
/** Added to a leaf's sum of second derivatives (a leaf of tiny ones stays finite). */
const LEAF_RIDGE = 1e-3;

/** A feature of a candidate as the head model reads it (the same as steps.ts `headFeatures`); `best` is the head's highest log BM25. */
export function headFeature(c: PairFeatures, f: HeadFeature, best: number): number {
  switch (f) {
    case 'relBm25':
      return c.logBm25 - best;
    case 'adjacency':
    case 'form':
    case 'closeness':
    case 'surface':
    case 'titleStart':
      return c.shares[f] ?? 0;
    case 'titleShare':
      return c.titleShare ?? c.named;
    default:
      return c[f];
  }
}

interface Row {
  x: number[];
  base: number;
  relevant: boolean;
  exact: number;
  doc: number;
}

/** A query's head as rows: features, starting score and label. */
function headRows(q: FitQuestion, w: Weights, depth: number, features: readonly HeadFeature[]): Row[] {
  const head = orderWith(q, w, depth).slice(0, depth);
  if (!ordersHead(head)) return [];
  const best = bestBm25(head);
  return head.map((c, i) => ({ x: features.map((f) => headFeature(c, f, best)), base: -Math.log1p(i), relevant: q.relevant.has(c.id), exact: c.exact, doc: c.doc }));
}

/** The head's highest log BM25 sum. */
function bestBm25(head: PairFeatures[]): number {
  return head.reduce((a, c) => Math.max(a, c.logBm25), -Infinity);
}

/** Bin edges per feature: the values at the rows' quantiles, distinct, ascending. */
function edgesOf(rows: Row[], n: number): number[][] {
  return Array.from({ length: n }, (_, f) => {
    const v = rows.map((r) => r.x[f]!).sort((a, b) => a - b);
    const edges: number[] = [];
    for (let b = 1; b < BINS; b++) {
      const x = v[Math.floor((b * v.length) / BINS)]!;
      if (edges.length === 0 || x > edges[edges.length - 1]!) edges.push(x);
    }
    return edges;
  });
}

/** A value's bin: how many edges are at or below it (so bin < b ⇔ value < edges[b − 1]). */
function binOf(edges: number[], v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v >= edges[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Fits one tree to the gradients of the rows `idx`; appends its nodes to `nodes` and returns its root's index. */
function fitTree(idx: number[], bins: Uint8Array[], g: Float64Array, h: Float64Array, edges: number[][], depth: number, nodes: number[]): number {
  let G = 0;
  let H = 0;
  for (const i of idx) {
    G += g[i]!;
    H += h[i]!;
  }
  const at = nodes.length / 4;
  nodes.push(-1, Number(((LEARNING_RATE * G) / (H + LEAF_RIDGE)).toPrecision(6)), 0, 0);
  if (depth === 0 || idx.length < 2 * MIN_LEAF) return at;
  const parent = (G * G) / (H + LEAF_RIDGE);
  let best = { gain: 1e-12, f: -1, bin: -1 };
  for (let f = 0; f < edges.length; f++) {
    const gs = new Float64Array(BINS + 1);
    const hs = new Float64Array(BINS + 1);
    const ns = new Int32Array(BINS + 1);
    for (const i of idx) {
      const b = bins[i]![f]!;
      gs[b] = gs[b]! + g[i]!;
      hs[b] = hs[b]! + h[i]!;
      ns[b] = ns[b]! + 1;
    }
    let gl = 0;
    let hl = 0;
    let nl = 0;
    for (let b = 0; b < edges[f]!.length; b++) {
      gl += gs[b]!;
      hl += hs[b]!;
      nl += ns[b]!;
      if (nl < MIN_LEAF || idx.length - nl < MIN_LEAF) continue;
      const gain = (gl * gl) / (hl + LEAF_RIDGE) + ((G - gl) * (G - gl)) / (H - hl + LEAF_RIDGE) - parent;
      if (gain > best.gain) best = { gain, f, bin: b + 1 };
    }
  }
  if (best.f < 0) return at;
  const left = idx.filter((i) => bins[i]![best.f]! < best.bin);
  const right = idx.filter((i) => bins[i]![best.f]! >= best.bin);
  nodes[4 * at] = best.f;
  // Seven digits shipped, never above the edge (a value at the edge goes right, as its bin does).
  const edge = edges[best.f]![best.bin - 1]!;
  const short = Number(edge.toPrecision(7));
  nodes[4 * at + 1] = short > edge ? edge : short;
  nodes[4 * at + 2] = fitTree(left, bins, g, h, edges, depth - 1, nodes);
  nodes[4 * at + 3] = fitTree(right, bins, g, h, edges, depth - 1, nodes);
  return at;
}

/**
 * Fits the trees on `qs`, each question's head ordered by `weights(question index)` (a fold's
 * weights in cross-validation, the shipped ones at the end).
 */
export function fitHeadTrees(qs: FitQuestion[], weights: (i: number) => Weights, depth: number, features: readonly HeadFeature[] = HEAD_FEATURES): HeadModel {
  // A head search() does not order (its docs hold fewer than HEAD_MIN_WORDS words) has no rows.
  const groups = qs.map((q, i) => headRows(q, weights(i), depth, features));
  const qWeight = qs.map((q) => q.weight ?? 1);
  const rows = groups.flat();
  const edges = edgesOf(rows, features.length);
  const bins = rows.map((r) => Uint8Array.from(r.x, (v, f) => binOf(edges[f]!, v)));
  const score = Float64Array.from(rows, (r) => r.base);
  const starts: number[] = [];
  let n = 0;
  for (const grp of groups) {
    starts.push(n);
    n += grp.length;
  }
  const trees: number[][] = [];
  const all = rows.map((_, i) => i);
  for (let t = 0; t < TREES; t++) {
    const g = new Float64Array(rows.length);
    const h = new Float64Array(rows.length);
    groups.forEach((grp, gi) => {
      const o = starts[gi]!;
      if (!grp.some((r) => r.relevant)) return;
      const order = grp.map((_, k) => k).sort((a, b) => grp[b]!.exact - grp[a]!.exact || score[o + b]! - score[o + a]! || grp[b]!.doc - grp[a]!.doc);
      const rank = new Int32Array(grp.length);
      order.forEach((k, r) => (rank[k] = r));
      for (let i = 0; i < grp.length; i++) {
        if (!grp[i]!.relevant) continue;
        for (let j = 0; j < grp.length; j++) {
          if (grp[j]!.relevant || grp[j]!.exact !== grp[i]!.exact) continue;
          const delta = Math.abs(1 / Math.log2(2 + rank[i]!) - 1 / Math.log2(2 + rank[j]!));
          const rho = 1 / (1 + Math.exp(score[o + i]! - score[o + j]!));
          const lambda = qWeight[gi]! * delta * rho;
          const hess = qWeight[gi]! * delta * rho * (1 - rho);
          g[o + i] = g[o + i]! + lambda;
          g[o + j] = g[o + j]! - lambda;
          h[o + i] = h[o + i]! + hess;
          h[o + j] = h[o + j]! + hess;
        }
      }
    });
    const nodes: number[] = [];
    fitTree(all, bins, g, h, edges, TREE_DEPTH, nodes);
    trees.push(nodes);
    const tree: HeadModel = { features: [...features], trees: [nodes] };
    for (let i = 0; i < rows.length; i++) score[i] = score[i]! + headScore(tree, rows[i]!.x);
  }
  return { features: [...features], trees };
}

/** Whether search() orders this head by the trees (head-model.ts HEAD_MIN_WORDS: the words its docs hold between them). */
function ordersHead(head: PairFeatures[]): boolean {
  return head.length > 1 && headWords(head.map((c) => c.mask ?? 0)) >= HEAD_MIN_WORDS;
}

/** A question's reciprocal rank (top 10) with its head ordered by `model` after weights `w` (as the weights alone order a query of fewer words). */
export function rrWithTrees(q: FitQuestion, w: Weights, depth: number, model: HeadModel): number {
  const ordered = orderWith(q, w, depth);
  if (!ordersHead(ordered.slice(0, depth))) {
    const at = ordered.slice(0, 10).findIndex((c) => q.relevant.has(c.id));
    return at < 0 ? 0 : 1 / (at + 1);
  }
  const best = bestBm25(ordered.slice(0, depth));
  const head = ordered.slice(0, depth).map((c, i) => ({ c, m: -Math.log1p(i) + headScore(model, model.features.map((f) => headFeature(c, f, best))) }));
  head.sort((a, b) => b.c.exact - a.c.exact || b.m - a.m || b.c.doc - a.c.doc);
  const top = [...head.map((x) => x.c), ...ordered.slice(depth)].slice(0, 10);
  const at = top.findIndex((c) => q.relevant.has(c.id));
  return at < 0 ? 0 : 1 / (at + 1);
}

/** Out-of-fold reciprocal ranks with trees: each fold's trees fitted on the others, on that fold's weights. */
export function treesOutOfFold(qs: FitQuestion[], fold: number[], k: number, foldWeights: Weights[], depth: number, features: readonly HeadFeature[]): number[] {
  const out = new Array<number>(qs.length).fill(0);
  for (let f = 0; f < k; f++) {
    const train = qs.filter((_, i) => fold[i] !== f);
    const model = fitHeadTrees(train, () => foldWeights[f]!, depth, features);
    qs.forEach((q, i) => {
      if (fold[i] === f) out[i] = rrWithTrees(q, foldWeights[f]!, depth, model);
    });
  }
  return out;
}
