/**
 * The typo benchmark (docs/relevance.md, "Typos"): typos of words drawn from the corpus, and
 * correctly spelt words that must not be replaced. Per item, 0 or 1, so that two runs (two
 * spelling models) compare item by item.
 *
 * - typos: the typo searched alone finds the same top story as the word spelt right;
 * - rare words (in 1–3 articles) typed alone: searched as another word (`corrected: true`), or
 *   offered another (`didYouMean` without `corrected`);
 * - query words: words of the dev questions and of news titles that a search replaced
 *   (`corrected: true` and the word changed in `didYouMean`); the questions' words also split
 *   by whether the archive holds them as typed (a question's own typo is one it does not).
 */
import { readFileSync } from 'node:fs';
import { isStopWord, normalize } from '../../src/core/analyzer/index';
import type { SearchOptions } from '../../src/core/search/options';
import type { SearchResult } from '../../src/core/search/types';
import type { EvalDoc, Question } from './data';
import { sampleKnownItems } from './known-item';
import type { Progress } from './run';
import { arabicWords, BANDS, corpusWords, drawWords, RARE_BAND, TYPO_KINDS, typoCases, type DrawnWord, type TypoCase, type TypoKind } from './typo-gen';

export type Search = (q: string, options?: SearchOptions) => Promise<SearchResult>;

export interface TypoBench {
  words: DrawnWord[];
  cases: TypoCase[];
  rare: DrawnWord[];
  /** 4-letter words (typo-gen.ts `WordLength`), drawn and reported apart from the headline's: their typos and their rare words. */
  short: { words: DrawnWord[]; cases: TypoCase[]; rare: DrawnWord[] };
  questions: string[];
  titles: string[];
  /** Normalized words some document of the archive holds as written (news and passages). */
  held: Set<string>;
  /** The dev questions' misspelt words, labelled by hand (normalized word → the query words meant). */
  misspelt: Map<string, string[]>;
  /** The words the labels judge correctly spelt (normalized). */
  correct: Set<string>;
  /** Question words no document holds that the labels name neither way (normalized): a new question's, to be labelled. */
  unlabelled: string[];
}

/** Hand labels of the dev questions' misspelt words (labels/question-misspellings.json says how they were made). */
export const MISSPELLING_LABELS = new URL('./labels/question-misspellings.json', import.meta.url);

/** The misspellings as normalized word → the query words meant (a glued pair's stop words dropped). */
export function readMisspellings(file: URL = MISSPELLING_LABELS): Map<string, string[]> {
  const { labels } = JSON.parse(readFileSync(file, 'utf8')) as { labels: { word: string; meant: string }[] };
  return new Map(labels.map((l) => [normalize(l.word), queryWords(l.meant)]));
}

/** The words the labels judge correctly spelt, normalized. */
export function readCorrectlySpelt(file: URL = MISSPELLING_LABELS): Set<string> {
  const { correct } = JSON.parse(readFileSync(file, 'utf8')) as { correct?: string[] };
  return new Set((correct ?? []).map(normalize));
}

/** Draws the benchmark: `perBand` words per band for typos, `rare` rare words, `titles` titles; half as many of each of 4 letters. */
export function typoBench(docs: EvalDoc[], questions: Question[], seed: number, perBand = 200, rare = 300, titles = 300): TypoBench {
  const news = docs.filter((d) => d.id.startsWith('ant'));
  const counted = corpusWords(news);
  const words = drawWords(news, BANDS, perBand, seed, counted);
  const rareWords = drawWords(news, [RARE_BAND], rare, seed, counted);
  const shortWords = drawWords(news, BANDS, Math.round(perBand / 2), seed, counted, 'short');
  const held = new Set(counted.df.keys());
  for (const d of docs) if (!d.id.startsWith('ant')) for (const w of arabicWords(`${d.title} ${d.body}`)) held.add(normalize(w));
  const misspelt = readMisspellings();
  const correct = readCorrectlySpelt();
  const unlabelled = [...new Set(questions.flatMap((q) => queryWords(q.query)))].filter((w) => !held.has(w) && !misspelt.has(w) && !correct.has(w));
  return {
    held,
    misspelt,
    correct,
    unlabelled,
    words,
    cases: typoCases(words, seed),
    rare: rareWords,
    short: { words: shortWords, cases: typoCases(shortWords, seed), rare: drawWords(news, [RARE_BAND], Math.round(rare / 2), seed, counted, 'short') },
    questions: questions.map((q) => q.query),
    titles: sampleKnownItems(docs, titles, seed + 1).map((k) => k.clean.title),
  };
}

export interface TypoOutcome {
  /** Per case: the typo finds the word's top story. */
  typo: number[];
  /** Per case: the typo was searched as a correction (`corrected`). */
  typoCorrected: number[];
  /**
   * Per case: the reader is shown the word meant, its top story first or its name offered in
   * `didYouMean` (a click away). Absent in runs before it.
   */
  typoShown?: number[];
  /** Per rare word: searched as another word. */
  rareReplaced: number[];
  /** Per rare word: another word offered (didYouMean, not corrected). */
  rareOffered: number[];
  /** Per query word of the dev questions / titles: replaced. */
  questionWords: number[];
  /** Per question word: its question's index in the benchmark's questions. */
  questionOf: number[];
  /**
   * The question words split by whether the archive holds them as typed (absent in runs
   * before the split): per word, replaced or not, and its question's index. A word the archive
   * does not hold is often the question's own typo (اصاية for إصابة), whose correction is right.
   */
  questionHeld?: { replaced: number[]; of: number[] };
  questionUnheld?: { replaced: number[]; of: number[] };
  /**
   * The question words split by the hand labels (absent in runs before them): correctly spelt
   * ones (the archive holds them, or the labels call them right), replaced or not; and the
   * labelled misspellings, replaced or not and replaced by the words meant or not.
   */
  questionCorrect?: { replaced: number[]; of: number[] };
  questionMisspelt?: { replaced: number[]; meant: number[]; of: number[] };
  titleWords: number[];
  /**
   * Per correctly spelt question word (as questionCorrect) and per title word: another word
   * offered for it in `didYouMean` (not searched: the hits are the word's). Absent in runs before it.
   */
  questionCorrectOffered?: number[];
  titleOffered?: number[];
  /** The 4-letter words' (absent in runs before them): per typo case, found; per rare word, replaced, offered. */
  short?: { typo: number[]; rareReplaced: number[]; rareOffered: number[]; typoShown?: number[] };
}

/**
 * What a search did to each word of a question, by the hand labels: `meant` a word the archive
 * lacks as typed that the labels call misspelt (and the words meant), `right` when it was
 * replaced by every word meant. A word the archive holds, or the labels do not call misspelt,
 * counts as correctly spelt (`meant` undefined).
 */
export function labelledWords(bench: Pick<TypoBench, 'held' | 'misspelt'>, q: string, result: SearchResult): { word: string; replaced: number; offered: number; meant?: string[]; right: number }[] {
  const r = replacedWords(q, result);
  const searched = new Set(result.corrected && result.didYouMean ? queryWords(result.didYouMean) : []);
  const offered = offeredWords(q, result);
  return r.asked.map((word, i) => {
    const meant = bench.held.has(word) ? undefined : bench.misspelt.get(word);
    const replaced = r.flags[i]!;
    const right = replaced && meant !== undefined && meant.length > 0 && meant.every((m) => searched.has(m)) ? 1 : 0;
    return { word, replaced, offered: offered[i]!, ...(meant !== undefined ? { meant } : {}), right };
  });
}

/** Query words that count: Arabic, not stop words. */
function queryWords(q: string): string[] {
  return arabicWords(q).map(normalize).filter((w) => w.length >= 2 && !isStopWord(w));
}

/** Per query word: 1 when `didYouMean` names another word for it (whether searched or offered). */
function changedWords(asked: string[], r: SearchResult): number[] {
  if (!r.didYouMean) return asked.map(() => 0);
  const meant = new Set(queryWords(r.didYouMean));
  return asked.map((w) => (meant.has(w) ? 0 : 1));
}

/** How many of a query's words the response replaced (0 unless `corrected`), and which. */
export function replacedWords(q: string, r: SearchResult): { words: number; replaced: number; asked: string[]; flags: number[] } {
  const asked = queryWords(q);
  const flags = r.corrected ? changedWords(asked, r) : asked.map(() => 0);
  return { words: asked.length, replaced: flags.reduce((a: number, b) => a + b, 0), asked, flags };
}

/** Per query word: another word offered for it in `didYouMean`, the hits still the query's as typed (not `corrected`). */
export function offeredWords(q: string, r: SearchResult): number[] {
  const asked = queryWords(q);
  return r.corrected ? asked.map(() => 0) : changedWords(asked, r);
}

/** The reader is shown the word meant: the top story is the word's, or `didYouMean` names it. */
export function shownMeant(r: SearchResult, word: string, want: string | undefined): number {
  if (want !== undefined && r.hits[0]?.id === want) return 1;
  return r.didYouMean !== undefined && queryWords(r.didYouMean).includes(word) ? 1 : 0;
}

function perWord(list: { words: number; replaced: number }[]): { words: number[]; of: number[] } {
  return {
    words: list.flatMap(({ words, replaced }) => Array.from({ length: words }, (_, i) => (i < replaced ? 1 : 0))),
    of: list.flatMap(({ words }, q) => Array.from({ length: words }, () => q)),
  };
}

/** Runs the benchmark with one set of options. */
export async function measureTypos(bench: TypoBench, search: Search, progress: Progress, options?: SearchOptions): Promise<TypoOutcome> {
  const top = new Map<string, string | undefined>();
  let done = 0;
  const { short } = bench;
  const total = bench.words.length + bench.cases.length + bench.rare.length + short.words.length + short.cases.length + short.rare.length + bench.questions.length + bench.titles.length;
  const tick = () => progress.update(`typos: ${++done}/${total}`);
  const found = async (words: DrawnWord[], cases: TypoCase[]) => {
    for (const w of words) {
      top.set(w.norm, (await search(w.surface, options)).hits[0]?.id);
      tick();
    }
    const typo: number[] = [];
    const corrected: number[] = [];
    const shown: number[] = [];
    for (const c of cases) {
      const r = await search(c.typo, options);
      const want = top.get(c.word.norm);
      typo.push(want !== undefined && r.hits[0]?.id === want ? 1 : 0);
      corrected.push(r.corrected ? 1 : 0);
      shown.push(shownMeant(r, c.word.norm, want));
      tick();
    }
    return { typo, corrected, shown };
  };
  const typedAlone = async (words: DrawnWord[]) => {
    const replaced: number[] = [];
    const offered: number[] = [];
    for (const w of words) {
      const r = await search(w.surface, options);
      replaced.push(r.corrected ? 1 : 0);
      offered.push(!r.corrected && r.didYouMean ? 1 : 0);
      tick();
    }
    return { replaced, offered };
  };
  const { typo, corrected: typoCorrected, shown: typoShown } = await found(bench.words, bench.cases);
  const { replaced: rareReplaced, offered: rareOffered } = await typedAlone(bench.rare);
  const shortTypos = await found(short.words, short.cases);
  const shortRare = await typedAlone(short.rare);
  const questionHeld = { replaced: [] as number[], of: [] as number[] };
  const questionUnheld = { replaced: [] as number[], of: [] as number[] };
  const questionCorrect = { replaced: [] as number[], of: [] as number[] };
  const questionCorrectOffered: number[] = [];
  const titleOffered: number[] = [];
  const questionMisspelt = { replaced: [] as number[], meant: [] as number[], of: [] as number[] };
  const replaced = async (qs: string[], split = false) => {
    const out: { words: number; replaced: number }[] = [];
    for (const [qi, q] of qs.entries()) {
      const result = await search(q, options);
      out.push(replacedWords(q, result));
      if (!split) titleOffered.push(...offeredWords(q, result));
      if (split) {
        for (const w of labelledWords(bench, q, result)) {
          const to = bench.held.has(w.word) ? questionHeld : questionUnheld;
          to.replaced.push(w.replaced);
          to.of.push(qi);
          if (w.meant === undefined) {
            questionCorrect.replaced.push(w.replaced);
            questionCorrect.of.push(qi);
            questionCorrectOffered.push(w.offered);
          } else {
            questionMisspelt.replaced.push(w.replaced);
            questionMisspelt.meant.push(w.right);
            questionMisspelt.of.push(qi);
          }
        }
      }
      tick();
    }
    return perWord(out);
  };
  const asked = await replaced(bench.questions, true);
  const titleWords = (await replaced(bench.titles)).words;
  return { typo, typoCorrected, typoShown, rareReplaced, rareOffered, questionWords: asked.words, questionOf: asked.of, questionHeld, questionUnheld, questionCorrect, questionMisspelt, titleWords, questionCorrectOffered, titleOffered, short: { typo: shortTypos.typo, rareReplaced: shortRare.replaced, rareOffered: shortRare.offered, typoShown: shortTypos.shown } };
}

/**
 * Indexes of the items of one half (cases by their word's half), the cases of the headline's
 * kinds only unless `kinds` says otherwise.
 */
export function halfOf(bench: TypoBench, half: 'fit' | 'report', kinds: readonly TypoKind[] = TYPO_KINDS): { cases: number[]; rare: number[]; shortCases: number[]; shortRare: number[] } {
  const of = <T extends { half: 'fit' | 'report' }>(xs: T[]) => xs.flatMap((w, i) => (w.half === half ? [i] : []));
  return {
    cases: bench.cases.flatMap((c, i) => (c.word.half === half && kinds.includes(c.kind) ? [i] : [])),
    rare: of(bench.rare),
    // The 4-letter words' typos of every kind: they are reported apart from the headline anyway.
    shortCases: bench.short.cases.flatMap((c, i) => (c.word.half === half ? [i] : [])),
    shortRare: of(bench.short.rare),
  };
}

