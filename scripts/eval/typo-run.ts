/**
 * Runs the typo benchmark on bahth and writes its section of the report: every figure on the
 * report half (the spelling model is fitted on the other) with its 95 % interval, and the
 * paired difference from the rules bahth had before the model (their per-item outcomes are kept
 * in baselines/typos-rules.json, measured on the same benchmark).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { SearchOptions } from '../../src/core/search/options';
import type { BahthIndex } from './bahth';
import type { EvalDoc, Question } from './data';
import type { Progress } from './run';
import { bootstrap, fmt, fmtDiff, pairedDiff } from './stats';
import { BANDS, RARE_BAND, TYPO_KINDS } from './typo-gen';
import { halfOf, measureTypos, typoBench, type TypoBench, type TypoOutcome } from './typos';
import { questionHalf } from './fit-spelling';

export const TYPO_BASELINE = new URL('./baselines/typos-rules.json', import.meta.url);

/** What a typo run keeps: the benchmark drawn and bahth's outcomes on it. */
export interface TypoRun {
  bench: TypoBench;
  outcome: TypoOutcome;
  markdown: string;
}

export async function runTypoBench(bahth: BahthIndex, docs: EvalDoc[], questions: Question[], seed: number, progress: Progress, options?: SearchOptions, saveTo?: URL): Promise<TypoRun> {
  const bench = typoBench(docs, questions, seed);
  progress.message(`typos: ${bench.words.length} words (${bench.cases.length} typos), ${bench.rare.length} rare words, ${bench.questions.length} questions, ${bench.titles.length} titles`);
  const outcome = await measureTypos(bench, (q, o) => bahth.searchFull(q, 0, o), progress, options);
  progress.clear();
  if (saveTo) writeFileSync(saveTo, `${JSON.stringify({ seed, outcome })}\n`);
  const baseline = existsSync(TYPO_BASELINE) ? (JSON.parse(readFileSync(TYPO_BASELINE, 'utf8')) as { seed: number; outcome: TypoOutcome }) : undefined;
  return { bench, outcome, markdown: typoMarkdown(bench, outcome, seed, baseline?.seed === seed ? baseline.outcome : undefined) };
}

function pick(xs: number[], idx: number[]): number[] {
  return idx.map((i) => xs[i]!);
}

/** The typo section: held-out figures, by kind and band, and against the rules. */
export function typoMarkdown(bench: TypoBench, out: TypoOutcome, seed: number, rules?: TypoOutcome): string {
  const report = halfOf(bench, 'report');
  const fit = halfOf(bench, 'fit');
  const row = (label: string, xs: number[], base: number[] | undefined, pct = true) =>
    `| ${label} | ${xs.length} | ${fmt(bootstrap(xs), pct)} | ${base ? fmt(bootstrap(base), pct) : '–'} | ${base ? fmtDiff(pairedDiff(xs, base), pct) : '–'} |`;
  const lines = [
    '| measure | n | spelling model | rules before | paired difference |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('**held-out typos: same top story as the word**', pick(out.typo, report.cases), rules && pick(rules.typo, report.cases)),
  ];
  for (const kind of TYPO_KINDS) {
    const idx = report.cases.filter((i) => bench.cases[i]!.kind === kind);
    lines.push(row(`· ${kind}`, pick(out.typo, idx), rules && pick(rules.typo, idx)));
  }
  for (const [lo, hi] of BANDS) {
    const idx = report.cases.filter((i) => bench.cases[i]!.word.band === `${lo}–${hi}`);
    lines.push(row(`· words in ${lo}–${hi} articles`, pick(out.typo, idx), rules && pick(rules.typo, idx)));
  }
  lines.push(row('typos on the fit half (in-sample)', pick(out.typo, fit.cases), rules && pick(rules.typo, fit.cases)));
  lines.push(row(`**rare words (in ${RARE_BAND[0]}–${RARE_BAND[1]} articles) typed alone, replaced** (report half)`, pick(out.rareReplaced, report.rare), rules && pick(rules.rareReplaced, report.rare)));
  lines.push(row('rare words typed alone, replaced (all)', out.rareReplaced, rules?.rareReplaced));
  lines.push(row('rare words typed alone, offered in didYouMean (all)', out.rareOffered, rules?.rareOffered));
  const reportQs = new Set(questionHalf(bench.questions, seed, 'report'));
  // Words per question depend on the question alone: the rules' list lines up with this one.
  const idx = out.questionOf.flatMap((q, i) => (reportQs.has(bench.questions[q]!) ? [i] : []));
  lines.push(row('**dev-question words replaced** (report half of the questions)', pick(out.questionWords, idx), rules && pick(rules.questionWords, idx)));
  lines.push(row('dev-question words replaced (all questions)', out.questionWords, rules?.questionWords));
  // The same words split by whether the archive holds them as typed: a word it does not hold is
  // often the question's own typo, which a right correction replaces.
  for (const [label, split] of [['· words the archive holds as typed, replaced (report half)', out.questionHeld], ['· words it does not hold (often the question\'s own typos), replaced (report half)', out.questionUnheld]] as const) {
    if (!split) continue;
    const half = split.of.flatMap((q, i) => (reportQs.has(bench.questions[q]!) ? [i] : []));
    lines.push(row(label, pick(split.replaced, half), undefined));
  }
  lines.push(row('**title words replaced** (titles searched whole)', out.titleWords, rules?.titleWords));
  return lines.join('\n');
}
