/**
 * Chooses `spelling.didYouMeanMargin` (`npm run eval -- --fit-did-you-mean`): the margin above
 * which a reading the spelling model offers is named in `didYouMean` however many results the
 * word finds as typed. A word the archive holds in a few articles keeps its own hits (ماركون:
 * three articles, and 1,182 through its stem's brands), but a reader who meant ماكرون is only
 * helped if told. Below the margin the offer still counts in the ranking, unnamed, unless the
 * word found fewer than `didYouMeanBelow` results.
 *
 * The typo benchmark is run at each margin of a grid (the model's `offer` to its `replace`, and
 * never); on its fit halves, the margin that maximises the typos whose word the reader is shown
 * (its top story first, or named in didYouMean), words of 5+ letters and of 4, less the
 * correctly spelt words offered another (rare words of both lengths, typed alone, and the dev
 * questions' correct words), each a share, a point for a point, is chosen; the report halves
 * are printed beside it.
 */
import { searchOptions, type SearchOptions } from '../../src/core/search/options';
import { questionHalf } from './fit-spelling';
import { halfOf, type TypoBench, type TypoOutcome } from './typos';

/** The shares one margin gives on one half (0–1). */
export interface DidYouMeanScore {
  /** Typos of words of 5+ letters (the headline's kinds) whose word the reader is shown. */
  shown: number;
  /** The same, words of 4 letters (every kind). */
  shortShown: number;
  /** Rare words (1–3 articles) typed alone, offered another. */
  rareOffered: number;
  shortRareOffered: number;
  /** Correctly spelt dev-question words offered another. */
  questionOffered: number;
  /** shown + shortShown − the three offered shares. */
  objective: number;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** The shares of `out` on one half of `bench` (the questions split by `seed`, as the spelling fit splits them). */
export function didYouMeanScore(bench: TypoBench, out: TypoOutcome, seed: number, half: 'fit' | 'report'): DidYouMeanScore {
  const h = halfOf(bench, half);
  const pick = (xs: readonly number[] | undefined, idx: readonly number[]) => (xs ? idx.map((i) => xs[i]!) : []);
  const qs = new Set(questionHalf(bench.questions, seed, half));
  const correct = out.questionCorrect;
  const qIdx = correct ? correct.of.flatMap((q, i) => (qs.has(bench.questions[q]!) ? [i] : [])) : [];
  const s = {
    shown: mean(pick(out.typoShown, h.cases)),
    shortShown: mean(pick(out.short?.typoShown, h.shortCases)),
    rareOffered: mean(pick(out.rareOffered, h.rare)),
    shortRareOffered: mean(pick(out.short?.rareOffered, h.shortRare)),
    questionOffered: mean(pick(out.questionCorrectOffered, qIdx)),
  };
  return { ...s, objective: s.shown + s.shortShown - s.rareOffered - s.shortRareOffered - s.questionOffered };
}

/** The margins tried: the model's `offer` to its `replace` by half nats (past `replace` a reading is searched, not offered), and never. */
export function marginGrid(offer: number, replace: number): number[] {
  const out: number[] = [];
  for (let m = offer; m < replace - 1e-9; m += 0.5) out.push(Math.round(m * 100) / 100);
  return [...out, Infinity];
}

/** The best margin by the fit half's objective; of equals, the higher (fewer offers named). */
export function chooseMargin(rows: readonly { margin: number; fit: DidYouMeanScore }[]): number {
  let best = rows[0]!;
  for (const r of rows) if (r.fit.objective > best.fit.objective + 1e-12 || (Math.abs(r.fit.objective - best.fit.objective) <= 1e-12 && r.margin > best.margin)) best = r;
  return best.margin;
}

/** Options that name offered readings above `margin` (Infinity: only where few results, as before the margin). */
export function withMargin(o: SearchOptions, margin: number): SearchOptions {
  return searchOptions({ spelling: { didYouMeanMargin: margin } }, o);
}

/** The grid's table: each margin's shares on the fit half (the objective) and the report half. */
export function didYouMeanTable(rows: readonly { margin: number; fit: DidYouMeanScore; report: DidYouMeanScore }[], chosen: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const cells = (s: DidYouMeanScore) => `${pct(s.shown)} | ${pct(s.shortShown)} | ${pct(s.rareOffered)} | ${pct(s.shortRareOffered)} | ${pct(s.questionOffered)}`;
  return [
    '| margin (nats) | fit: typos shown, 5+ letters | 4 letters | rare words offered another, 5+ | 4 | question words offered another | objective | report: typos shown, 5+ letters | 4 letters | rare words offered another, 5+ | 4 | question words offered another |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.margin === Infinity ? 'never (few results only)' : r.margin}${r.margin === chosen ? ' **chosen**' : ''} | ${cells(r.fit)} | ${(100 * r.fit.objective).toFixed(1)} | ${cells(r.report)} |`),
  ].join('\n');
}
