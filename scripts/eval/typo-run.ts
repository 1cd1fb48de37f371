/**
 * Runs the typo benchmark on bahth and writes its section of the report: every figure on the
 * report half (the spelling model is fitted on the other) with its 95 % interval, and the
 * paired difference from the rules bahth had before the model (their per-item outcomes are kept
 * in baselines/typos-rules.json, measured on the same benchmark).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { normalize } from '../../src/core/analyzer/index';
import type { SearchOptions } from '../../src/core/search/options';
import type { BahthIndex } from './bahth';
import type { EvalDoc, Question } from './data';
import type { Progress } from './run';
import { bootstrap, fmt, fmtDiff, pairedDiff } from './stats';
import { BANDS, EXTRA_TYPO_KINDS, RARE_BAND, TYPO_KINDS } from './typo-gen';
import { halfOf, measureTypos, typoBench, type TypoBench, type TypoOutcome } from './typos';
import { questionHalf } from './fit-spelling';

export const TYPO_BASELINE = new URL('./baselines/typos-rules.json', import.meta.url);
/**
 * The 4-letter words' outcomes under the shipped model as it was before it read them (2026-12-05:
 * a word of 4 letters was read only as a 5-letter word with a letter left out), kept to pair
 * their rows against (`npm run eval -- --typos --save-typos` with `spelling.minLength` 5).
 */
export const SHORT_BASELINE = new URL('./baselines/typos-short-before.json', import.meta.url);

/** What a typo run keeps: the benchmark drawn and bahth's outcomes on it. */
export interface TypoRun {
  bench: TypoBench;
  outcome: TypoOutcome;
  markdown: string;
}

/**
 * `against`: a file of outcomes kept by `--save-typos` to pair every row against, instead of the
 * rules before the model (`--typos-against`); refused, naming it, unless it is of this benchmark.
 */
export async function runTypoBench(bahth: BahthIndex, docs: EvalDoc[], questions: Question[], seed: number, progress: Progress, options?: SearchOptions, saveTo?: URL, against?: string): Promise<TypoRun> {
  const bench = typoBench(docs, questions, seed);
  const other = against === undefined ? undefined : keptOutcomes(against, bench, seed);
  progress.message(`typos: ${bench.words.length} words (${bench.cases.length} typos), ${bench.rare.length} rare words, ${bench.questions.length} questions, ${bench.titles.length} titles`);
  if (bench.unlabelled.length > 0) progress.message(`typos: ${bench.unlabelled.length} question words no document holds are not labelled (counted as correctly spelt; label them in scripts/eval/labels/question-misspellings.json): ${bench.unlabelled.slice(0, 20).join(' ')}`);
  const outcome = await measureTypos(bench, (q, o) => bahth.searchFull(q, 0, o), progress, options);
  progress.clear();
  if (saveTo) writeFileSync(saveTo, `${JSON.stringify({ seed, outcome })}\n`);
  const saved = (file: URL) => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { seed: number; outcome: TypoOutcome }) : undefined);
  const baseline = saved(TYPO_BASELINE);
  const before = saved(SHORT_BASELINE);
  if (other) return { bench, outcome, markdown: typoMarkdown(bench, outcome, seed, other, other.short, `\`${against}\``) };
  return { bench, outcome, markdown: typoMarkdown(bench, outcome, seed, baseline?.seed === seed ? baseline.outcome : undefined, before?.seed === seed ? before.outcome.short : undefined) };
}

/** A `--typos-against` file that is not of this benchmark: its message names the file and why. */
export class KeptOutcomesError extends Error {}

/** Outcomes kept by `--save-typos` in `file`, checked to be of this benchmark (seed and sizes). */
export function keptOutcomes(file: string, bench: TypoBench, seed: number): TypoOutcome {
  let kept: { seed?: number; outcome?: TypoOutcome };
  try {
    kept = JSON.parse(readFileSync(file, 'utf8')) as typeof kept;
  } catch (e) {
    throw new KeptOutcomesError(`--typos-against ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not the JSON --save-typos writes (${(e as Error).message})`}`);
  }
  const o = kept.outcome;
  if (kept.seed !== seed) throw new KeptOutcomesError(`--typos-against ${file}: kept with seed ${kept.seed}, this run's is ${seed}`);
  if (!o || !Array.isArray(o.typo) || o.typo.length !== bench.cases.length || o.rareReplaced?.length !== bench.rare.length) {
    throw new KeptOutcomesError(`--typos-against ${file}: its outcomes are not of this benchmark (${o?.typo?.length ?? 0} typos against ${bench.cases.length}): save them again with --save-typos`);
  }
  return o;
}

function pick(xs: number[], idx: number[]): number[] {
  return idx.map((i) => xs[i]!);
}

/** Per-word index pairs (mine → theirs) over the questions that have as many words in both lists. */
export function alignByQuestion(mine: number[], theirs: number[]): Map<number, number> {
  const starts = (of: number[]) => {
    const at = new Map<number, { first: number; n: number }>();
    of.forEach((q, i) => { const e = at.get(q); if (e) e.n++; else at.set(q, { first: i, n: 1 }); });
    return at;
  };
  const a = starts(mine);
  const b = starts(theirs);
  const out = new Map<number, number>();
  for (const [q, x] of a) {
    const y = b.get(q);
    if (y && y.n === x.n) for (let k = 0; k < x.n; k++) out.set(x.first + k, y.first + k);
  }
  return out;
}

/** How the report names the kinds added since the headline's first runs. */
const EXTRA_LABELS: Record<(typeof EXTRA_TYPO_KINDS)[number], string> = {
  sound: 'sound (letters speech merges: ث ت س, ذ د ز, ظ ض ز, ص س, ض د, ط ت; not in the headline)',
  substituted: 'substituted (any other letter: not a neighbouring key, a sound-alike, a hamza seat or ta marbuta; not in the headline)',
};

/** The typo section: held-out figures, by kind and band, and against the rules. */
export function typoMarkdown(bench: TypoBench, out: TypoOutcome, seed: number, rules?: TypoOutcome, shortBefore?: TypoOutcome['short'], against?: string): string {
  const report = halfOf(bench, 'report');
  const fit = halfOf(bench, 'fit');
  const row = (label: string, xs: number[], base: number[] | undefined, pct = true) =>
    `| ${label} | ${xs.length} | ${fmt(bootstrap(xs), pct)} | ${base ? fmt(bootstrap(base), pct) : '–'} | ${base ? fmtDiff(pairedDiff(xs, base), pct) : '–'} |`;
  const lines = [
    `| measure | n | spelling model | ${against ?? 'rules before'} | paired difference |`,
    '| --- | ---: | ---: | ---: | ---: |',
    row('**held-out typos: same top story as the word**', pick(out.typo, report.cases), rules && pick(rules.typo, report.cases)),
  ];
  // What the reader is shown: the word's top story first, or the word named in didYouMean (a
  // click away). Absent in outcomes kept before it.
  const shownRow = (label: string, xs: number[] | undefined, base: number[] | undefined, idx: number[]) => {
    if (xs && xs.length > 0) lines.push(row(label, pick(xs, idx), base && base.length === xs.length ? pick(base, idx) : undefined));
  };
  shownRow('· the word meant shown: its top story first, or named in didYouMean', out.typoShown, rules?.typoShown, report.cases);
  // A typo that makes a word some article holds as written (يرون for يردون) is, searched alone,
  // that word: nothing in a one-word query tells it from the word meant (context can, in longer
  // queries: spell-context.ts). The split bounds what a one-word speller can reach.
  const held = (i: number) => bench.held.has(normalize(bench.cases[i]!.typo));
  for (const [label, idx] of [
    ['· typos that are words the archive holds as written (real-word typos: alone, nothing tells them from the word meant)', report.cases.filter(held)],
    ['· typos the archive does not hold', report.cases.filter((i) => !held(i))],
  ] as const) lines.push(row(label, pick(out.typo, idx), rules && pick(rules.typo, idx)));
  for (const kind of TYPO_KINDS) {
    const idx = report.cases.filter((i) => bench.cases[i]!.kind === kind);
    lines.push(row(`· ${kind}`, pick(out.typo, idx), rules && pick(rules.typo, idx)));
  }
  // Kinds added since (not in the headline; the rules' outcomes predate them).
  for (const kind of EXTRA_TYPO_KINDS) {
    const idx = halfOf(bench, 'report', [kind]).cases;
    if (idx.length === 0 || out.typo.length <= idx[idx.length - 1]!) continue;
    lines.push(row(`· ${EXTRA_LABELS[kind]}`, pick(out.typo, idx), undefined));
  }
  for (const [lo, hi] of BANDS) {
    const idx = report.cases.filter((i) => bench.cases[i]!.word.band === `${lo}–${hi}`);
    lines.push(row(`· words in ${lo}–${hi} articles`, pick(out.typo, idx), rules && pick(rules.typo, idx)));
  }
  lines.push(row('typos on the fit half (in-sample)', pick(out.typo, fit.cases), rules && pick(rules.typo, fit.cases)));
  lines.push(row(`**rare words (in ${RARE_BAND[0]}–${RARE_BAND[1]} articles) typed alone, replaced** (report half)`, pick(out.rareReplaced, report.rare), rules && pick(rules.rareReplaced, report.rare)));
  lines.push(row('rare words typed alone, replaced (all)', out.rareReplaced, rules?.rareReplaced));
  lines.push(row('rare words typed alone, offered in didYouMean (all)', out.rareOffered, rules?.rareOffered));
  // 4-letter words, read since 2026-12-05: paired against the model before it read them
  // (SHORT_BASELINE) in the column the rest gives the rules.
  const s = out.short;
  if (s && s.typo.length === bench.short.cases.length) {
    const b = shortBefore && shortBefore.typo.length === s.typo.length ? shortBefore : undefined;
    const shortHeld = (i: number) => bench.held.has(normalize(bench.short.cases[i]!.typo));
    lines.push(row(`**4-letter words' typos: same top story** (report half, every kind; not in the headline${against ? '' : '; "rules before": the model before it read 4-letter words'})`, pick(s.typo, report.shortCases), b && pick(b.typo, report.shortCases)));
    shownRow('· the word meant shown: its top story first, or named in didYouMean', s.typoShown, b?.typoShown, report.shortCases);
    lines.push(row('· 4-letter typos the archive does not hold', pick(s.typo, report.shortCases.filter((i) => !shortHeld(i))), b && pick(b.typo, report.shortCases.filter((i) => !shortHeld(i)))));
    for (const kind of [...TYPO_KINDS, ...EXTRA_TYPO_KINDS]) {
      const idx = report.shortCases.filter((i) => bench.short.cases[i]!.kind === kind);
      if (idx.length > 0) lines.push(row(`· 4 letters, ${kind}`, pick(s.typo, idx), b && pick(b.typo, idx)));
    }
    lines.push(row(`**rare 4-letter words (in ${RARE_BAND[0]}–${RARE_BAND[1]} articles) typed alone, replaced** (report half)`, pick(s.rareReplaced, report.shortRare), b && pick(b.rareReplaced, report.shortRare)));
    lines.push(row('rare 4-letter words typed alone, replaced (all)', s.rareReplaced, b?.rareReplaced));
    lines.push(row('rare 4-letter words typed alone, offered in didYouMean (all)', s.rareOffered, b?.rareOffered));
  }
  const reportQs = new Set(questionHalf(bench.questions, seed, 'report'));
  // Words per question depend on the question and the analyzer's stop list: the rules' list
  // lines up with this one question by question, except where a word became a stop word since
  // (ماسم): those questions are left out of the paired difference, on both sides.
  // Baselines saved before questionOf was kept line up only when no word count changed.
  const theirOf = rules && ((rules.questionOf as number[] | undefined) ?? (rules.questionWords.length === out.questionWords.length ? out.questionOf : []));
  const aligned = rules ? alignByQuestion(out.questionOf, theirOf!) : undefined;
  const idx = out.questionOf.flatMap((q, i) => (reportQs.has(bench.questions[q]!) ? [i] : []));
  const paired = (mine: number[]) => aligned && mine.filter((i) => aligned.has(i));
  const pairRow = (label: string, mine: number[]) => {
    const both = paired(mine);
    if (!both || !rules || both.length === 0) return row(label, pick(out.questionWords, mine), undefined);
    const theirs = pick(rules.questionWords, both.map((i) => aligned!.get(i)!));
    if (both.length === mine.length) return row(label, pick(out.questionWords, mine), theirs);
    const diff = pairedDiff(pick(out.questionWords, both), theirs);
    return `| ${label} | ${mine.length} | ${fmt(bootstrap(pick(out.questionWords, mine)), true)} | ${fmt(bootstrap(theirs), true)} | ${fmtDiff(diff, true)} (paired over the ${both.length} words of questions both analyzers split alike) |`;
  };
  lines.push(pairRow('**dev-question words replaced** (report half of the questions)', idx));
  lines.push(pairRow('dev-question words replaced (all questions)', out.questionWords.map((_, i) => i)));
  // The same words split by whether the archive holds them as typed: a word it does not hold is
  // often the question's own typo, which a right correction replaces.
  for (const [label, split] of [['· words the archive holds as typed, replaced (report half)', out.questionHeld], ['· words it does not hold (often the question\'s own typos), replaced (report half)', out.questionUnheld]] as const) {
    if (!split) continue;
    const half = split.of.flatMap((q, i) => (reportQs.has(bench.questions[q]!) ? [i] : []));
    lines.push(row(label, pick(split.replaced, half), undefined));
  }
  // The same words split by the hand labels (labels/question-misspellings.json): the goal's row.
  if (out.questionCorrect && out.questionMisspelt) {
    const half = (of: number[]) => of.flatMap((q, i) => (reportQs.has(bench.questions[q]!) ? [i] : []));
    const c = out.questionCorrect;
    const m = out.questionMisspelt;
    lines.push(row('**correctly spelt dev-question words replaced** (report half; misspellings labelled by hand)', pick(c.replaced, half(c.of)), undefined));
    const offered = out.questionCorrectOffered;
    const theirs = rules?.questionCorrectOffered;
    if (offered && offered.length === c.of.length) lines.push(row('· correctly spelt dev-question words offered another in didYouMean (report half)', pick(offered, half(c.of)), theirs && theirs.length === offered.length ? pick(theirs, half(c.of)) : undefined));
    lines.push(row('· the questions\' own misspellings (labelled), replaced (all questions)', m.replaced, undefined));
    lines.push(row('· … replaced by the words meant (all questions)', m.meant, undefined));
  }
  lines.push(row('**title words replaced** (titles searched whole)', out.titleWords, rules?.titleWords));
  if (out.titleOffered && out.titleOffered.length === out.titleWords.length) lines.push(row('title words offered another in didYouMean (titles searched whole)', out.titleOffered, rules?.titleOffered?.length === out.titleOffered.length ? rules.titleOffered : undefined));
  return lines.join('\n');
}
