/**
 * `npm run eval -- --fit-ranking`: the ranking's weights fitted with k-fold cross-validation
 * (fit-ranking.ts), out-of-fold MRR@10 with 95 % intervals, paired differences against the
 * hand-set weights and Lucene-style BM25, the re-rank depth chosen by measurement, and one
 * ablation per feature. Returns the weights fitted on every question (to ship) and the
 * report's section.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { codeHash } from './bahth';
import type { Archive } from '../../src/core/search/archive';
import { rankingFeatures, type PairFeatures } from '../../src/core/search/features';
import { HAND_SET_RANKING, type RankingOptions, type SearchOptions } from '../../src/core/search/options';
import { isQuestion } from '../../src/core/search/question';
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { MemorySource, ReadStats } from '../../src/core/search/source';
import type { SearchParams } from '../../src/core/search/types';
import type { Question } from './data';
import { FEATURE_NAMES, folds, outOfFold, ascend, rr, weightsOf, type FeatureName, type FitQuestion, type Weights } from './fit-ranking';
import { fitHeadTrees, LEARNING_RATE, TREES, treesOutOfFold } from './head-trees';
import { HEAD_FEATURES, HEAD_MIN_WORDS, type HeadFeature, type HeadModel } from '../../src/core/search/head-model';
import type { Progress } from './run';
import { bootstrap, fmt, fmtDiff, pairedDiff, sign } from './stats';

const K = 5;
const POOL = 100;
export const DEPTHS = [10, 20, 30, 50, 75, 100] as const;

const params = (q: string): SearchParams => ({ q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 });

export interface RankingFit {
  weights: Weights;
  depth: number;
  /** The head model's trees, fitted on every query after the weights (head-trees.ts). */
  headModel: HeadModel;
  /**
   * Whether the trees earn their place: out of fold, paired against the weights alone, the
   * objective gains beyond its interval and QA loses nothing beyond it (else `--ship-ranking`
   * ships the weights alone).
   */
  treesPass: boolean;
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

/** The code the features are computed with: the search core and the analyzer (a cache made by other code is made again). */
const FEATURE_CODE = ['src/core/search', 'src/core/analyzer'];

/** Each query's candidates and their features (kept in `cacheFile`: they depend only on the index, the code and the queries). */
async function features(archive: Archive, queries: string[], o: SearchOptions, progress: Progress, cacheFile: string, label: string): Promise<PairFeatures[][]> {
  const code = codeHash(fileURLToPath(new URL('../../', import.meta.url)), FEATURE_CODE);
  const cached = existsSync(cacheFile) ? (JSON.parse(readFileSync(cacheFile, 'utf8')) as { queries?: string[]; code?: string; cands?: PairFeatures[][] }) : undefined;
  if (cached?.queries && cached.cands && cached.code === code && cached.queries.join('\n') === queries.join('\n')) return cached.cands;
  const cands: PairFeatures[][] = [];
  for (const [i, q] of queries.entries()) {
    cands.push(await rankingFeatures(archive, params(q), o, POOL));
    progress.update(`ranking features (${label}): ${i + 1}/${queries.length}`);
  }
  writeFileSync(cacheFile, JSON.stringify({ queries, code, cands }));
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
export async function runRankingFit(archive: Archive, entries: Map<string, string>, questions: Question[], current: number[], lucene: number[], o: SearchOptions, seed: number, progress: Progress, cacheFile: string, headlines: FitHeadline[] = [], headlinesCurrent: number[] = [], fixedDepth?: number, keepWeights = false, free: readonly FeatureName[] = []): Promise<RankingFit> {
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
  const depths = keepWeights ? [fixedDepth ?? o.ranking.rerankDepth] : fixedDepth ? [fixedDepth] : [...DEPTHS];
  for (const d of keepWeights ? [] : depths) {
    progress.update(`ranking: cross-validating at depth ${d}`, true);
    byDepth.set(d, outOfFold(qs, fold, K, hand, d).rr);
  }
  // Cold reads per depth: a 2-word query, as the benchmarks' cold goal (the questions' first two content words).
  const two = questions.filter((_, i) => i % 13 === 0).map((q) => q.query.split(/\s+/).filter((w) => w.length > 2).slice(-2).join(' '));
  const cold = new Map<number, number>();
  for (const d of keepWeights ? [] : depths) cold.set(d, await coldBytes(entries, two, o, d));
  // The depth: the one asked for, or the shallowest (fewest articles read, least CPU) whose
  // out-of-fold objective is not below the best within the cold budget by more than noise (paired).
  const obj = (xs: number[]) => joint(xs, nQa);
  const within = depths.filter((d) => keepWeights || cold.get(d)! <= 256 * 1024);
  const top = within.reduce((a, d) => (bootstrap(obj(byDepth.get(d) ?? [])).mean > bootstrap(obj(byDepth.get(a) ?? [])).mean ? d : a), within[0]!);
  const depth = keepWeights ? depths[0]! : fixedDepth ?? within.find((d) => sign(pairedDiff(obj(byDepth.get(d)!), obj(byDepth.get(top)!))) >= 0) ?? top;
  // Kept (--keep-weights): the weights in force, not refitted, their ranking simulated on the pools.
  const inForce = weightsOf(o.ranking);
  if (keepWeights) byDepth.set(depth, qs.map((q) => rr(q, inForce, depth)));
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
  if (keepWeights) lines.push(row(`the weights in force, not refitted (--keep-weights), simulated on the pools, re-rank depth ${depth} (in-sample where they were fitted on these questions)`, oof));
  else for (const d of depths) lines.push(row(`fitted, re-rank depth ${d}${d === depth ? (fixedDepth ? ' (asked for: --rerank-depth)' : ' (chosen)') : ''}; cold read ${(cold.get(d)! / 1024).toFixed(0)} KB median`, byDepth.get(d)!));
  if (!nKi) lines.push(row('Lucene BM25', lucene));
  // Backward elimination: each round, every remaining feature is left out in turn (its weight
  // held at 0, the rest refitted, out of fold); the one whose loss is least goes if that loss is
  // within noise (its paired interval holds 0). Stops when every remaining feature's removal
  // costs more than noise. (One round alone would drop both of two features that stand in for
  // each other, as closeness and adjacency do.)
  const dropped = new Set<FeatureName>(keepWeights ? FEATURE_NAMES.filter((f) => inForce[f] === 0 && !free.includes(f)) : []);
  let full = oof;
  const abl: string[] = [`| round | feature left out | ${nKi ? 'objective' : 'MRR@10'} without it | with − without (paired) | |`, '| ---: | --- | ---: | ---: | --- |'];
  for (let round = 1; !keepWeights && dropped.size < FEATURE_NAMES.length; round++) {
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
  // Kept, with some weights freed (--fit-weights): those fitted beside the others, held as in force.
  const held = new Set(FEATURE_NAMES.filter((f) => !free.includes(f)));
  const freed = keepWeights && free.length > 0 ? outOfFold(qs, fold, K, inForce, depth, held) : undefined;
  const final = freed ? ascend(qs, inForce, depth, held) : keepWeights ? inForce : ascend(qs, start, depth, dropped);
  const finalOof = freed ? freed.rr : full;
  if (freed) lines.push(row(`the weights in force with ${free.join(', ')} fitted beside them (--fit-weights; the others held), out of fold, re-rank depth ${depth}`, finalOof));
  if (!keepWeights) lines.push(row(`fitted with the kept features only (${kept.join(', ')}), depth ${depth}`, finalOof));
  // The head model: trees over the re-ranked head, each fold's fitted on the other folds with
  // those folds' weights (the same run as the row above), its features chosen by backward
  // elimination as the weights' were.
  const foldWeights = freed ? freed.weights : keepWeights ? Array.from({ length: K }, () => inForce) : outOfFold(qs, fold, K, start, depth, dropped).weights;
  const treeRr = (fs: readonly HeadFeature[]) => treesOutOfFold(qs, fold, K, foldWeights, depth, fs);
  const treeFeatures: HeadFeature[] = [...HEAD_FEATURES];
  progress.update('ranking: head trees, every feature', true);
  let trees = treeRr(treeFeatures);
  const treeAbl: string[] = [`| round | feature left out | ${nKi ? 'objective' : 'MRR@10'} without it | with − without (paired) | |`, '| ---: | --- | ---: | ---: | --- |'];
  for (let round = 1; treeFeatures.length > 1; round++) {
    const trials = treeFeatures.map((f) => {
      progress.update(`ranking: head trees, round ${round}, leaving out ${f}`, true);
      const without = treeRr(treeFeatures.filter((x) => x !== f));
      return { f, without, diff: pairedDiff(obj(trees), obj(without)) };
    });
    const least = trials.reduce((a, b) => (b.diff.mean < a.diff.mean ? b : a));
    for (const t of trials) treeAbl.push(`| ${round} | ${t.f} | ${fmt(bootstrap(obj(t.without)))} | ${fmtDiff(t.diff)} | ${t === least && sign(t.diff) <= 0 ? 'dropped' : sign(t.diff) > 0 ? 'costs more than noise' : ''} |`);
    if (sign(least.diff) > 0) break;
    treeFeatures.splice(treeFeatures.indexOf(least.f), 1);
    trees = least.without;
  }
  // Where the trees act: every head, or questions' only (question.ts), every other query then
  // ranked by the weights as before. The narrower scope unless ordering every head gains the
  // objective beyond noise over it: a model acts only where it is shown to help.
  const asked = [...questions.map((q) => isQuestion(q.query)), ...headlines.map((h) => isQuestion(h.q))];
  const onQuestions = trees.map((x, i) => (asked[i] ? x : finalOof[i]!));
  const everyHead = sign(pairedDiff(obj(trees), obj(onQuestions))) > 0;
  const scoped = everyHead ? trees : onQuestions;
  const headModel: HeadModel = { ...fitHeadTrees(qs, () => final, depth, treeFeatures), ...(everyHead ? {} : { questionsOnly: true }) };
  const weightsLabel = keepWeights ? 'the weights in force' : 'the fitted weights';
  const bold = (x: string, on: boolean) => (on ? `**${x}**` : x);
  lines.push(row(bold(`${weightsLabel}, then the head model's trees over every head (${treeFeatures.join(', ')}), depth ${depth}`, everyHead), trees));
  lines.push(row(bold(`${weightsLabel}, then the same trees over questions' heads only (question.ts: ${asked.slice(0, nQa).filter(Boolean).length} of the ${nQa} dev questions, ${asked.slice(nQa).filter(Boolean).length} of the ${nKi} headline searches), depth ${depth}`, !everyHead), onQuestions));
  const treeGain = pairedDiff(qa(scoped), qa(finalOof));
  const treeObj = pairedDiff(obj(scoped), obj(finalOof));
  const treesPass = sign(treeObj) > 0 && sign(treeGain) >= 0;
  const freedGain = freed ? pairedDiff(obj(finalOof), obj(oof)) : undefined;
  progress.clear();
  const task = nKi
    ? `the ${nQa} dev questions and ${nKi} headline searches (${nKi / 2} news titles drawn with seed ${seed + HEADLINE_SEED_OFFSET}, none of the known-item test's, each searched whole and as its first four content words); the objective is the sum of the two tasks' MRR@10 (each headline search's article is its one relevant document), so neither task's size decides`
    : `the ${nQa} dev questions`;
  const md = [
    `${K}-fold cross-validation over ${task}; folds grouped by passage (no passage's questions in two folds) and by article (a title and its first four words in one fold); per query, its ${POOL} best candidates under the hand-set weights are re-ranked by the weights being fitted. 95 % intervals: bootstrap over queries; differences are paired.`,
    '',
    lines.join('\n'),
    '',
    ...(keepWeights
      ? [
        freed
          ? `The weights in force were held (\`--keep-weights\`) but ${free.join(', ')} (\`--fit-weights\`), fitted beside them by coordinate ascent: out of fold, the objective ${fmtDiff(freedGain!)} against the weights in force (paired; QA ${fmtDiff(pairedDiff(qa(finalOof), qa(oof)))}); fitted on all queries: \`${JSON.stringify(final)}\`, re-rank depth ${depth}. The trees below are fitted on top of them, each fold's on the other folds.`
          : `The weights were not refitted (\`--keep-weights\`): those in force, \`${JSON.stringify(final)}\`, re-rank depth ${depth}; the trees below are fitted on top of them, each fold's on the other folds.`,
      ]
      : [
        `Feature selection at the chosen depth, by backward elimination (each trial refitted without the feature, out of fold). A feature stays only if leaving it out lowers the ${nKi ? 'objective' : 'MRR@10'} beyond its interval.`,
        '',
        abl.join('\n'),
        '',
        `Weights fitted on all ${nKi ? 'queries' : 'questions'} (shipped in src/core/search/fitted.ts with \`--ship-ranking\`): \`${JSON.stringify(final)}\`, re-rank depth ${depth}.`,
      ]),
    '',
    `The head model (src/core/search/head-model.ts, scripts/eval/head-trees.ts): ${TREES} regression trees of depth 3 (LambdaMART, learning rate ${LEARNING_RATE}) over the re-ranked head of ${depth} of each query of ${HEAD_MIN_WORDS} words or more (the others keep the weights' order), starting from \`−log(1 + position)\` there, fitted on every query's head. They act on ${everyHead ? 'every head: over questions\' heads only, the objective would be' : 'questions\' heads only (`questionsOnly`): over every head, the objective is'} ${fmtDiff(pairedDiff(obj(everyHead ? onQuestions : trees), obj(scoped)))} (paired)${everyHead ? '' : ', not beyond noise'}. Out of fold, as they act, against the weights alone (the same folds and weights): QA MRR@10 ${fmtDiff(treeGain)}, the objective ${fmtDiff(treeObj)} (paired). Their features, by backward elimination over every head (each trial refitted without the feature, out of fold):`,
    '',
    treeAbl.join('\n'),
    '',
    `Trees fitted on all ${nKi ? 'queries' : 'questions'} over ${treeFeatures.join(', ')}: ${headModel.trees.length} trees, ${headModel.trees.reduce((a, t) => a + t.length / 4, 0)} nodes (${treesPass ? 'shipped in fitted.ts with \`--ship-ranking\`' : '\`--ship-ranking\` ships the weights without them: their gain is not past noise'}).`,
  ].join('\n');
  return { weights: final, depth, headModel, treesPass, markdown: md, oof: qa(treesPass ? scoped : finalOof) };
}

/** The headline searches' titles are drawn with the eval's seed plus this (the known-item test uses the seed itself). */
export const HEADLINE_SEED_OFFSET = 1000;

function zeroed(w: Weights, fs: Set<FeatureName>): Weights {
  return { ...w, ...Object.fromEntries([...fs].map((f) => [f, 0])) } as Weights;
}

/** Ranking options from fitted weights (their log-linear reading, see features.ts), and the head model's trees when fitted. */
export function rankingOf(w: Weights, depth: number, headModel?: HeadModel): Partial<RankingOptions> {
  const r = (x: number) => Number(x.toFixed(4));
  return { coveragePower: r(w.coverage), titleCoverBonus: r(Math.expm1(w.titleAll)), titleNamedBonus: r(Math.expm1(w.named)), proximity: r(w.closeness), adjacency: r(w.adjacency), surfaceBonus: r(w.surface), formBonus: r(w.form), titleStart: r(w.titleStart), rerankDepth: depth, ...(headModel ? { headModel } : {}) };
}
