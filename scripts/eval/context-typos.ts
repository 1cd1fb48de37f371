/**
 * Typos in context: a headline's first four content words with one typo in its longest word,
 * the way a reader types a half-remembered headline. Searched alone, such a word may be a real
 * word (روية for روسية) or one the model keeps (راقة for راقصة); with the query's other words,
 * the documents holding them say which reading was meant. This is the evidence the spelling
 * model's `context` (spell-model.ts) prices, and the one-word typo benchmark never exercises it:
 * it is fitted here (`npm run eval -- --fit`, or `--fit-context` alone) on one half of the set
 * and reported on the other.
 *
 * The titles are drawn like the known-item test's but with another seed, and the known-item
 * test's titles are left out: that test's own `typo` rewriting of the first four words is never
 * fitted on.
 */
import { searchOptions, type SearchOptions } from '../../src/core/search/options';
import type { SpellModel } from '../../src/core/search/spell-model';
import type { EvalDoc } from './data';
import { sampleKnownItems } from './known-item';
import { CUTOFF, reciprocalRank } from './metrics';
import { flips, SIGN_Z } from './fit-spelling';
import type { Progress } from './run';
import { bootstrap, fmt, fmtDiff, pairedDiff } from './stats';
import { hashSeed, mulberry32, VARIANTS } from './variants';
import type { Search } from './typos';

/** The context set's titles are drawn with the eval's seed plus this (the known-item test uses the seed itself, the ranking fit +1000). */
export const CONTEXT_SEED_OFFSET = 2000;
/** Titles drawn (a few give no typo: no word of 5+ letters). */
export const CONTEXT_TITLES = 2400;

export interface ContextTypo {
  target: string;
  clean: string;
  q: string;
  half: 'fit' | 'report';
}

/** The set: first four content words of titles apart from `exclude` (the known-item test's), one typo each, in halves by a seeded hash of the article. */
export function contextTypos(docs: EvalDoc[], seed: number, exclude: ReadonlySet<string>, size = CONTEXT_TITLES): ContextTypo[] {
  const typo = VARIANTS.find((v) => v.name === 'typo')!;
  const drawn = sampleKnownItems(docs, size + exclude.size, seed + CONTEXT_SEED_OFFSET).filter((k) => !exclude.has(k.target)).slice(0, size);
  return drawn
    .map((k): ContextTypo => ({
      target: k.target,
      clean: k.clean.first4,
      q: typo.apply(k.clean.first4, mulberry32(hashSeed(seed, k.target, 'context-typo'))),
      half: hashSeed(seed, 'context-half', k.target) % 2 === 0 ? 'fit' : 'report',
    }))
    .filter((c) => c.q !== c.clean);
}

/** Reciprocal rank of each case's article in the top {@link CUTOFF} (0 when not there). */
export async function contextRanks(cases: readonly ContextTypo[], search: Search, o?: SearchOptions): Promise<number[]> {
  const out: number[] = [];
  for (const c of cases) out.push(reciprocalRank((await search(c.q, o)).hits.map((h) => h.id), new Set([c.target])));
  return out;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** The values `context` is fitted over (nats; the model's range is 0–10). */
const CONTEXT_GRID = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** The values `cooccur` is fitted over (nats per nat of lift; the model's range is 0–2 … its cap, `context`, binds above). */
const COOCCUR_GRID = [0, 0.25, 0.5, 1, 2, 3, 4, 6, 8];

/** One point of a grid as measured on the fit halves. */
interface Point {
  value: number;
  objective: number;
  ctx: number[];
  qa: number[];
}

/** A parameter the context fit moves by a grid. */
interface GridAxis {
  name: 'context' | 'cooccur';
  grid: number[];
}

const GRIDS: GridAxis[] = [
  { name: 'context', grid: CONTEXT_GRID },
  { name: 'cooccur', grid: COOCCUR_GRID },
];

/**
 * Fits the parameters that act only on queries of several words, `context` then `cooccur`, each
 * by a grid over the fit half of the context set, the others held: the objective is the set's
 * MRR@10 plus the dev questions' (fit half; a question's words are in context too, and a
 * reading added there can move its passage). A grid's best point replaces the start only when,
 * over the cases and questions it changes, those it improves outnumber those it worsens by a
 * paired sign test.
 */
export async function fitContext(cases: readonly ContextTypo[], questions: readonly { query: string; relevant: ReadonlySet<string> }[], search: Search, start: SpellModel, progress: Progress): Promise<{ model: SpellModel; log: string[] }> {
  const fit = cases.filter((c) => c.half === 'fit');
  let model = start;
  const log: string[] = [];
  for (const axis of GRIDS) {
    const measure = async (value: number): Promise<Point> => {
      const o = searchOptions({ spelling: { model: { ...model, [axis.name]: value } } });
      const ctx = await contextRanks(fit, search, o);
      const qa: number[] = [];
      for (const q of questions) qa.push(reciprocalRank((await search(q.query, o)).hits.map((h) => h.id), q.relevant));
      return { value, ctx, qa, objective: mean(ctx) + mean(qa) };
    };
    const from = model[axis.name];
    const base = await measure(from);
    log.push(`${axis.name} fit: start ${axis.name} ${from}: typos in context MRR@10 ${mean(base.ctx).toFixed(4)}, questions ${mean(base.qa).toFixed(4)} (fit halves, ${fit.length} cases, ${questions.length} questions)`);
    let best = base;
    let done = 0;
    for (const v of axis.grid) {
      progress.update(`${axis.name} fit: ${++done}/${axis.grid.length} (best ${best.objective.toFixed(4)})`, true);
      if (v === from) continue;
      const p = await measure(v);
      log.push(`  ${axis.name} ${v}: typos in context ${mean(p.ctx).toFixed(4)}, questions ${mean(p.qa).toFixed(4)}, objective ${p.objective.toFixed(4)}`);
      if (p.objective > best.objective + 1e-9) best = p;
    }
    const { fixed: better, broken: worse } = flips([...base.ctx, ...base.qa], [...best.ctx, ...best.qa]);
    const passes = better - worse >= SIGN_Z * Math.sqrt(better + worse) && better > worse;
    log.push(`${axis.name} fit: best ${axis.name} ${best.value}: typos in context ${mean(best.ctx).toFixed(4)}, questions ${mean(best.qa).toFixed(4)}; ${better} items better, ${worse} worse: ${passes ? 'kept' : 'not past the sign test, start kept'}`);
    if (passes) model = { ...model, [axis.name]: best.value };
  }
  return { model, log };
}

/** The report half measured with the model in force, with the `context` it had before this set (3), with the readings not weighed by the other words (`cooccur` 0), and with no context evidence. */
export interface ContextRun {
  cases: number;
  shipped: number[];
  before: number[];
  unweighed: number[];
  withoutContext: number[];
  markdown: string;
}

/** The `context` the model had before it was fitted on this set (set by hand: the one-word typos never moved it). */
const CONTEXT_BEFORE = 3;

export async function runContextTypos(cases: readonly ContextTypo[], search: Search, o: SearchOptions, progress: Progress): Promise<ContextRun> {
  const report = cases.filter((c) => c.half === 'report');
  progress.update(`typos in context: ${report.length} searches, four models`);
  const m = o.spelling.model;
  const shipped = await contextRanks(report, search, o);
  const before = await contextRanks(report, search, searchOptions({ spelling: { model: { ...m, context: CONTEXT_BEFORE } } }, o));
  const unweighed = await contextRanks(report, search, searchOptions({ spelling: { model: { ...m, cooccur: 0 } } }, o));
  const withoutContext = await contextRanks(report, search, searchOptions({ spelling: { model: { ...m, context: 0, cooccur: 0 } } }, o));
  const clean = await contextRanks(report.map((c) => ({ ...c, q: c.clean })), search, o);
  progress.clear();
  const at = (xs: number[], k: number) => xs.map((x) => (x >= 1 / k ? 1 : 0));
  const row = (name: string, xs: number[]) =>
    `| ${name} | ${fmt(bootstrap(xs))} | ${fmt(bootstrap(at(xs, 1)), true)} | ${fmt(bootstrap(at(xs, CUTOFF)), true)} | ${xs === shipped ? '–' : fmtDiff(pairedDiff(shipped, xs))} | ${xs === shipped ? '–' : fmtDiff(pairedDiff(at(shipped, CUTOFF), at(xs, CUTOFF)), true)} |`;
  const markdown = [
    `${report.length} searches: the first four content words of news titles (drawn with seed +${CONTEXT_SEED_OFFSET}, none of the known-item test's), one typo in the longest word as the known-item test's \`typo\` rewriting makes it; the article is the one relevant document. The spelling model's \`context\` and \`cooccur\` were fitted on the other half (${cases.length - report.length} searches) with the dev questions' fit half; this is the report half. 95 % bootstrap intervals; differences paired (same searches).`,
    '',
    '| spelling model | MRR@10 | success@1 | success@10 | shipped − this, MRR@10 | shipped − this, success@10 |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    row(`shipped (context ${m.context}, cooccur ${m.cooccur})`, shipped),
    row(`context ${CONTEXT_BEFORE} (before this set, set by hand)`, before),
    row('a corrected word\'s readings not weighed by the other words (cooccur 0)', unweighed),
    row('no context evidence (context 0, cooccur 0)', withoutContext),
    row('the same words without the typo (shipped model)', clean),
  ].join('\n');
  return { cases: report.length, shipped, before, unweighed, withoutContext, markdown };
}
