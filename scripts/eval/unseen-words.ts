/**
 * Correct words the archive lacks, typed alone. The typo benchmark's own check of correct words
 * (rare words in 1–3 articles, question words) asks about words some document holds, or words
 * the fit has seen. Here the index is built without a tenth of the news (chosen by a seeded hash
 * of the article's id), and the words of those articles that no indexed document holds as
 * written (5+ letters, not stop words; and apart, words of 4 letters without the article, which
 * the spelling model reads since 2026-12-05) are searched alone:
 * real words of real articles, unseen by the index and by every fit. Some are the articles' own
 * typos; most are forms no other article happens to use. Reported: how often the search
 * replaces them (`corrected`) or offers another word (`didYouMean`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isStopWord, normalize, stems } from '../../src/core/analyzer/index';
import type { SearchOptions } from '../../src/core/search/options';
import type { SearchResult } from '../../src/core/search/types';
import { openBahth, type BahthIndex } from './bahth';
import { search } from '../../src/core/search/search';
import { ReadStats } from '../../src/core/search/source';
import { readJsonlFile } from './data';
import type { Progress } from './run';
import { bootstrap, fmt } from './stats';
import { arabicWords } from './typo-gen';
import { hashSeed } from './variants';

/** One in this many news articles is left out of the index. */
const HELD_OUT = 10;
/** Words searched (a seeded sample of the unseen words of 5+ letters). */
const SAMPLE = 1500;
/** ... and of those of 4 letters, without the article (typo-gen.ts `WordLength`). */
const SHORT_SAMPLE = 600;

export interface UnseenWord {
  norm: string;
  /** As first written in the held-out articles. */
  surface: string;
  /** Some indexed document holds a form with one of its stems: searched as typed, it finds those forms. */
  stemHeld: boolean;
  /** The spelling fit's (`fit`) or the report's (`report`), by a seeded hash of the word. */
  half: 'fit' | 'report';
  /** A word of 4 letters (drawn apart: {@link SHORT_SAMPLE}). */
  short: boolean;
}

/**
 * Writes the news minus the held-out tenth into `dir` (once: the split depends only on the ids
 * and the seed), opens (or builds) its index, and draws the unseen words.
 */
export async function unseenWords(root: string, corpus: string, qaDocs: string, dir: string, seed: number, progress: Progress): Promise<{ index: BahthIndex; words: UnseenWord[]; heldOutArticles: number; unseen: number; unseenShort: number }> {
  mkdirSync(dir, { recursive: true });
  const kept: string[] = [];
  const out: { title: string; body: string }[] = [];
  const heldWords = new Set<string>();
  const hold = (text: string) => { for (const w of arabicWords(text)) heldWords.add(normalize(w)); };
  for await (const row of readJsonlFile(corpus)) {
    const id = String(row.id);
    const title = String(row.title ?? '');
    const body = String(row.body ?? '');
    if (hashSeed(seed, 'unseen-split', id) % HELD_OUT === 0) out.push({ title, body });
    else {
      kept.push(JSON.stringify(row));
      hold(`${title} ${body}`);
    }
  }
  for await (const row of readJsonlFile(qaDocs)) hold(`${String(row.title ?? '')} ${String(row.body ?? '')}`);
  const news = join(dir, `news-without-held-out-${seed}.jsonl`);
  const text = `${kept.join('\n')}\n`;
  if (!existsSync(news) || readFileSync(news, 'utf8') !== text) writeFileSync(news, text);
  const index = await openBahth({ root, inputs: [qaDocs, news], cacheDir: join(dir, 'index'), rebuild: false, log: (m) => progress.message(`unseen words: ${m}`), progress: (m) => progress.update(`unseen words: ${m}`) });
  const first = new Map<string, string>();
  const isShort = (n: string) => n.length === 4 && !n.startsWith('ال');
  for (const a of out) {
    for (const w of arabicWords(`${a.title} ${a.body}`)) {
      const n = normalize(w);
      if ((n.length < 5 && !isShort(n)) || isStopWord(n) || heldWords.has(n) || first.has(n)) continue;
      first.set(n, w);
    }
  }
  // The terms the index holds: every stem (plain and proclitic-free) of every form it holds.
  const heldStems = new Set<string>();
  for (const w of heldWords) for (const s of stems(w)) heldStems.add(s);
  const all = [...first.keys()].sort();
  const draw = (pool: string[], n: number, short: boolean): UnseenWord[] => pool
    .map((w) => ({ w, h: hashSeed(seed, 'unseen-pick', w) }))
    .sort((a, b) => a.h - b.h || (a.w < b.w ? -1 : 1))
    .slice(0, n)
    .map(({ w }) => ({ norm: w, surface: first.get(w)!, stemHeld: stems(w).some((s) => heldStems.has(s)), half: hashSeed(seed, 'unseen-half', w) % 2 === 0 ? ('fit' as const) : ('report' as const), short }));
  const long = all.filter((n) => !isShort(n));
  const short = all.filter(isShort);
  return { index, words: [...draw(long, SAMPLE, false), ...draw(short, SHORT_SAMPLE, true)], heldOutArticles: out.length, unseen: long.length, unseenShort: short.length };
}

/** A word searched as typed, no reading of it tried (`correct=false`): its first result. */
export function searchAsTyped(index: BahthIndex, q: string, options: SearchOptions): Promise<SearchResult> {
  return search(index.archive, { q, limit: 1, offset: 0, sort: 'relevance', facets: false, recency: 0, correct: false }, new ReadStats(), options);
}

/** Searches each word alone; the section's markdown. */
export async function measureUnseen(drawn: Awaited<ReturnType<typeof unseenWords>>, options: SearchOptions, progress: Progress): Promise<string> {
  const { index, heldOutArticles, unseen, unseenShort } = drawn;
  // The fit half is the spelling fit's (fit-spelling.ts): reported here, the other.
  const words = drawn.words.filter((w) => w.half === 'report');
  const replaced: number[] = [];
  const offered: number[] = [];
  const otherTop: number[] = [];
  const examples: string[] = [];
  for (const [i, w] of words.entries()) {
    const r = await index.searchFull(w.surface, 0, options);
    replaced.push(r.corrected ? 1 : 0);
    offered.push(!r.corrected && r.didYouMean ? 1 : 0);
    // What the reader gets first against what the word searched as typed (no reading) finds first.
    const asTyped = await searchAsTyped(index, w.surface, options);
    otherTop.push(asTyped.hits.length > 0 && r.hits[0]?.id !== asTyped.hits[0]!.id ? 1 : 0);
    if (r.corrected && w.stemHeld && examples.length < 12) examples.push(`${w.surface} → ${r.didYouMean ?? '?'}`);
    progress.update(`unseen words: ${i + 1}/${words.length}`);
  }
  progress.clear();
  const of = (short: boolean, held?: boolean) => words.flatMap((w, i) => (w.short === short && (held === undefined || w.stemHeld === held) ? [i] : []));
  const rows = [
    ['every word of 5+ letters', of(false)],
    ['· a form of its stem in some indexed document (searched as typed, it finds them)', of(false, true)],
    ['· none (searched as typed, it finds nothing: a search with no results reads it anyway)', of(false, false)],
    ['every word of 4 letters (without the article)', of(true)],
    ['· a form of its stem in some indexed document', of(true, true)],
    ['· none', of(true, false)],
  ] as const;
  // What the spelling fit counts against the typos (fit-spelling.ts UnseenFit): either.
  const another = replaced.map((r, i) => (r || otherTop[i] ? 1 : 0));
  const table = rows.map(([label, idx]) => `| ${label} | ${idx.length} | ${fmt(bootstrap(idx.map((i) => replaced[i]!)), true)} | ${fmt(bootstrap(idx.map((i) => offered[i]!)), true)} | ${fmt(bootstrap(idx.map((i) => otherTop[i]!)), true)} | ${fmt(bootstrap(idx.map((i) => another[i]!)), true)} |`);
  return [
    `The index built without one news article in ${HELD_OUT} (${heldOutArticles} articles, chosen by a seeded hash of their ids; ${index.docs} documents indexed). The held-out articles have ${unseen} words of 5+ letters, not stop words, that no indexed document holds as written, and ${unseenShort} of 4 letters (the article not among them); ${SAMPLE} of the first and ${SHORT_SAMPLE} of the others, drawn by a seeded hash, are split in halves by another: the spelling fit weighs the fit half's words whose stem's forms the index holds (\`npm run eval -- --fit\`), and the ${words.length} of the other half are searched alone here. Some are the articles' own typos; most are real forms no other article uses, and neither the fit nor the labels have seen any. Replaced: the search answers for another word (\`corrected\`); offered: the word stands and another is offered (\`didYouMean\`); top story: the first result is not the one the word searched as typed (\`correct=false\`) puts first, where that finds anything (an offered reading's articles may outrank the word's own); answered as another word: either (what the spelling fit counts against the typos found, on the fit half). 95 % bootstrap intervals. No goal names these words (the goals' correct words are words the archive holds, or the dev questions'); the figure is here so that a change to the spelling model is weighed on them too.`,
    '',
    '| words searched alone | n | replaced | offered | top story not the one the word as typed finds first | answered as another word |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...table,
    '',
    `Replaced though their stem's forms are in the index, the first ${examples.length} in the draw's order: ${examples.join(', ')}.`,
  ].join('\n');
}
