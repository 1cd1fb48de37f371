/**
 * `npm run eval -- --fit-ranking`: the ranking's weights fitted with k-fold cross-validation
 * (fit-ranking.ts), out-of-fold MRR@10 with 95 % intervals, paired differences against the
 * hand-set weights and Lucene-style BM25, the re-rank depth chosen by measurement, and one
 * ablation per feature. Returns the weights fitted on every question (to ship) and the
 * report's section.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Archive } from '../../src/core/search/archive';
import { rankingFeatures, type PairFeatures } from '../../src/core/search/features';
import { HAND_SET_RANKING, type RankingOptions, type SearchOptions } from '../../src/core/search/options';
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { MemorySource, ReadStats } from '../../src/core/search/source';
import type { SearchParams } from '../../src/core/search/types';
import type { Question } from './data';
import { FEATURE_NAMES, folds, outOfFold, ascend, rr, weightsOf, type FeatureName, type FitQuestion, type Weights } from './fit-ranking';
import type { Progress } from './run';
import { bootstrap, fmt, fmtDiff, pairedDiff, sign } from './stats';

const K = 5;
const POOL = 100;
export const DEPTHS = [10, 20, 30, 50, 75, 100] as const;

const params = (q: string): SearchParams => ({ q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 });

export interface RankingFit {
  weights: Weights;
  depth: number;
  markdown: string;
  /** Per question, out of fold, at the chosen depth. */
  oof: number[];
}

/** Median bytes a cold query reads at each depth (a fresh reader per query), on `sample` questions. */
async function coldBytes(entries: Map<string, string>, qs: string[], o: SearchOptions, depth: number): Promise<number> {
  const bytes: number[] = [];
  for (const q of qs) {
    const reader = new IndexReader(new MemorySource(entries), { cacheBytes: 2 ** 28 });
    const index = await reader.current(new ReadStats());
    const stats = new ReadStats();
    await search(index, { ...params(q), facets: true }, stats, { ...o, ranking: { ...o.ranking, rerankDepth: depth } });
    bytes.push(stats.bytes);
  }
  bytes.sort((a, b) => a - b);
  return bytes[Math.floor(bytes.length / 2)]!;
}

/** Each query's candidates and their features (kept in `cacheFile`: they depend only on the index, the code and the queries). */
async function features(archive: Archive, queries: string[], o: SearchOptions, progress: Progress, cacheFile: string, label: string): Promise<PairFeatures[][]> {
  const cached = existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as { queries?: string[]; cands?: PairFeatures[][] }) : undefined;
  if (cached?.queries && cached.cands && cached.queries.join('\n') === queries.join('\n')) return cached.cands;
  const cands: PairFeatures[][] = [];
  for (const [i, q] of queries.entries()) {
    cands.push(await rankingFeatures(archive, params(q), o, POOL));
    progress.update(`ranking features (${label}): ${i + 1}/${queries.length}`);
  }
  writeFileSync(cacheFile, JSON.stringify({ queries, cands }));
  return cands;
}

/** A headline search the fit learns from: the query (a whole title or its first four content words) and its article. */
export interface FitHeadline {
  kind: 'title' | 'first4';
  q: string;
  target: string;
}

/** Per item, its reciprocal rank scaled so that the mean over all items is the mean of the two tasks' MRR@10. */
function joint(rrs: number[], nQa: number): number[] {
  const n = rrs.length;
  const nKi = n - nQa;
  if (nKi === 0) return rrs;
  return rrs.map((x, i) => x * (i < nQa ? n / (2 * nQa) : n / (2 * nKi)));
}

/**
 * The fit, cross-validated. With `headlines` (news titles and their first four content words,
 * none of them the known-item test's), the objective is the sum of the two tasks' MRR@10: the
 * dev questions reward passages holding a question's rarest words, a headline search needs
 * every word covered, and weights fitted on one alone cost the other.
 */
export async function runRankingFit(archive: Archive, entries: Map<string, string>, questions: Question[], current: number[], lucene: number[], o: SearchOptions, seed: number, progress: Progress, cacheFile: string, headlines: FitHeadline[] = [], headlinesCurrent: number[] = [], fixedDepth?: number): Promise<RankingFit> {
  const qaCands = await features(archive, questions.map((q) => q.query), o, progress, cacheFile, 'questions');
  const kiCands = headlines.length ? await features(archive, headlines.map((h) => h.q), o, progress, cacheFile.replace(/\.json$/, '-headlines.json'), 'headlines') : [];
  const nQa = questions.length;
  const nKi = headlines.length;
  const qs: FitQuestion[] = [
    ...questions.map((q, i): FitQuestion => ({ qid: q.qid, group: q.relevantIds[0]!, relevant: new Set(q.relevantIds), cands: qaCands[i]!, weight: nKi ? 1 / nQa : 1 })),
    ...headlines.map((h, i): FitQuestion => ({ qid: `${h.kind}:${h.target}`, group: `headline:${h.target}`, relevant: new Set([h.target]), cands: kiCands[i]!, weight: 1 / nKi })),
  ];
  const fold = folds(qs, K, seed);
  const hand = weightsOf(HAND_SET_RANKING);
  const handRr = qs.map((q) => rr(q, hand, HAND_SET_RANKING.rerankDepth));
  const currentAll = [...current, ...headlinesCurrent];
  if (currentAll.length !== qs.length) throw new Error(`eval: ${qs.length} fit items but ${currentAll.length} end-to-end results`);
  const lines: string[] = [];
  const byDepth = new Map<number, number[]>();
  const depths = fixedDepth ? [fixedDepth] : [...DEPTHS];
  for (const d of depths) {
    progress.update(`ranking: cross-validating at depth ${d}`, true);
    byDepth.set(d, outOfFold(qs, fold, K, hand, d).rr);
  }
  // Cold reads per depth: a 2-word query, as the benchmarks' cold goal (the questions' first two content words).
  const two = questions.filter((_, i) => i % 13 === 0).map((q) => q.query.split(/\s+/).filter((w) => w.length > 2).slice(-2).join(' '));
  const cold = new Map<number, number>();
  for (const d of depths) cold.set(d, await coldBytes(entries, two, o, d));
  // The depth: the one asked for, or the shallowest (fewest articles read, least CPU) whose
  // out-of-fold objective is not below the best within the cold budget by more than noise (paired).
  const obj = (xs: number[]) => joint(xs, nQa);
  const within = depths.filter((d) => cold.get(d)! <= 256 * 1024);
  const top = within.reduce((a, d) => (bootstrap(obj(byDepth.get(d)!)).mean > bootstrap(obj(byDepth.get(a)!)).mean ? d : a), within[0]!);
  const depth = fixedDepth ?? within.find((d) => sign(pairedDiff(obj(byDepth.get(d)!), obj(byDepth.get(top)!))) >= 0) ?? top;
  const oof = byDepth.get(depth)!;
  const qa = (xs: number[]) => xs.slice(0, nQa);
  const ki = (xs: number[], kind: FitHeadline['kind']) => xs.slice(nQa).filter((_, i) => headlines[i]!.kind === kind).map((x) => (x === 1 ? 1 : 0));
  const lucMrr = bootstrap(lucene).mean;
  if (nKi) {
    lines.push('| ranking | QA MRR@10 (out of fold unless said) | QA vs search() in force (paired) | QA vs Lucene BM25 (paired) | QA ratio to Lucene | headlines, first four words: success@1 | headlines, whole title: success@1 | objective vs search() in force (paired) |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  } else {
    lines.push('| ranking | MRR@10 (out of fold unless said) | vs search() in force (paired) | vs Lucene BM25 (paired) | ratio to Lucene |', '| --- | ---: | ---: | ---: | ---: |');
  }
  const row = (label: string, xs: number[]) => {
    const q = qa(xs);
    const base = `| ${label} | ${fmt(bootstrap(q))} | ${fmtDiff(pairedDiff(q, current))} | ${fmtDiff(pairedDiff(q, lucene))} | ${(bootstrap(q).mean / lucMrr).toFixed(3)}× |`;
    return nKi ? `${base} ${fmt(bootstrap(ki(xs, 'first4')), true)} | ${fmt(bootstrap(ki(xs, 'title')), true)} | ${fmtDiff(pairedDiff(obj(xs), obj(currentAll)))} |` : base;
  };
  lines.push(row('search() end to end with the options in force (in-sample where they were fitted on these questions)', currentAll));
  lines.push(row(`hand-set weights (\`HAND_SET_RANKING\`), simulated on the ${POOL}-candidate pools (fidelity check)`, handRr));
  for (const d of depths) lines.push(row(`fitted, re-rank depth ${d}${d === depth ? (fixedDepth ? ' (asked for: --rerank-depth)' : ' (chosen)') : ''}; cold read ${(cold.get(d)! / 1024).toFixed(0)} KB median`, byDepth.get(d)!));
  if (!nKi) lines.push(row('Lucene BM25', lucene));
  // Backward elimination: each round, every remaining feature is left out in turn (its weight
  // held at 0, the rest refitted, out of fold); the one whose loss is least goes if that loss is
  // within noise (its paired interval holds 0). Stops when every remaining feature's removal
  // costs more than noise. (One round alone would drop both of two features that stand in for
  // each other, as closeness and adjacency do.)
  const dropped = new Set<FeatureName>();
  let full = oof;
  const abl: string[] = [`| round | feature left out | ${nKi ? 'objective' : 'MRR@10'} without it | with − without (paired) | |`, '| ---: | --- | ---: | ---: | --- |'];
  for (let round = 1; dropped.size < FEATURE_NAMES.length; round++) {
    const trials = FEATURE_NAMES.filter((f) => !dropped.has(f)).map((f) => {
      progress.update(`ranking: round ${round}, leaving out ${f}`, true);
      const fixed = new Set([...dropped, f]);
      const without = outOfFold(qs, fold, K, zeroed(hand, fixed), depth, fixed).rr;
      return { f, without, diff: pairedDiff(obj(full), obj(without)) };
    });
    const least = trials.reduce((a, b) => (b.diff.mean < a.diff.mean ? b : a));
    for (const t of trials) abl.push(`| ${round} | ${t.f} | ${fmt(bootstrap(obj(t.without)))} | ${fmtDiff(t.diff)} | ${t === least && sign(t.diff) <= 0 ? 'dropped' : sign(t.diff) > 0 ? 'costs more than noise' : ''} |`);
    if (sign(least.diff) > 0) break;
    dropped.add(least.f);
    full = least.without;
  }
  const kept = FEATURE_NAMES.filter((f) => !dropped.has(f));
  const start = zeroed(hand, dropped);
  const final = ascend(qs, start, depth, dropped);
  const finalOof = full;
  lines.push(row(`**fitted with the kept features only (${kept.join(', ')}), depth ${depth}**`, finalOof));
  progress.clear();
  const task = nKi
    ? `the ${nQa} dev questions and ${nKi} headline searches (${nKi / 2} news titles drawn with seed ${seed + HEADLINE_SEED_OFFSET}, none of the known-item test's, each searched whole and as its first four content words); the objective is the sum of the two tasks' MRR@10 (each headline search's article is its one relevant document), so neither task's size decides`
    : `the ${nQa} dev questions`;
  const md = [
    `${K}-fold cross-validation over ${task}; folds grouped by passage (no passage's questions in two folds) and by article (a title and its first four words in one fold); per query, its ${POOL} best candidates under the hand-set weights are re-ranked by the weights being fitted. 95 % intervals: bootstrap over queries; differences are paired.`,
    '',
    lines.join('\n'),
    '',
    `Feature selection at the chosen depth, by backward elimination (each trial refitted without the feature, out of fold). A feature stays only if leaving it out lowers the ${nKi ? 'objective' : 'MRR@10'} beyond its interval.`,
    '',
    abl.join('\n'),
    '',
    `Weights fitted on all ${nKi ? 'queries' : 'questions'} (shipped in src/core/search/fitted.ts with \`--ship-ranking\`): \`${JSON.stringify(final)}\`, re-rank depth ${depth}.`,
  ].join('\n');
  return { weights: final, depth, markdown: md, oof: qa(finalOof) };
}

/** The headline searches' titles are drawn with the eval's seed plus this (the known-item test uses the seed itself). */
export const HEADLINE_SEED_OFFSET = 1000;

function zeroed(w: Weights, fs: Set<FeatureName>): Weights {
  return { ...w, ...Object.fromEntries([...fs].map((f) => [f, 0])) } as Weights;
}

/** Ranking options from fitted weights (their log-linear reading, see features.ts). */
export function rankingOf(w: Weights, depth: number): Partial<RankingOptions> {
  const r = (x: number) => Number(x.toFixed(4));
  return { coveragePower: r(w.coverage), titleCoverBonus: r(Math.expm1(w.titleAll)), titleNamedBonus: r(Math.expm1(w.named)), proximity: r(w.closeness), adjacency: r(w.adjacency), surfaceBonus: r(w.surface), formBonus: r(w.form), rerankDepth: depth };
}
