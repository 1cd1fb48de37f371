/**
 * Completions as the reader types, on titles the index has not seen: the index of
 * unseen-words.ts (the news without a tenth of its articles) and the titles of that tenth. A case
 * is a title typed up to one of its content words (4+ letters, with a content word before it)
 * and that word's first 2 or 3 letters; it succeeds when the word is among the completions (@1:
 * first; @5: among the five a search box shows). The cases are split in halves by a seeded
 * hash: the weighing of completions by the words before (suggest.ts `CONTEXT`) is chosen on the
 * fit half, over a small grid, and reported on the other, paired against completions by their
 * titles alone (as before 2026-12-05), with what a cold reader reads for each.
 */
import { isStop, normalize, tokenize } from '../../src/core/analyzer/index';
import { IndexReader } from '../../src/core/search/reader';
import { ReadStats } from '../../src/core/search/source';
import { CONTEXT, LAYOUT_PREFIX, suggest, type SuggestOptions } from '../../src/core/search/suggest';
import { NAMES } from '../bench/names-table';
import { MemoryKv } from '../../src/indexer/publish';
import { BEFORE_KEPT } from '../../src/core/format/layout';
import type { BahthIndex } from './bahth';
import { readJsonlFile } from './data';
import type { Progress } from './run';
import { bootstrap, fmt, fmtDiff, pairedDiff } from './stats';
import { hashSeed, latinLayout, mulberry32, pick } from './variants';
import { makeTypo, type TypoKind } from './typo-gen';

export interface CompletionCase {
  typed: string;
  /** The word being typed, normalized. */
  target: string;
  /** The word being typed, as the title writes it, and what comes before it. */
  word: string;
  head: string;
  half: 'fit' | 'report';
}

/** Cases per half. */
const PER_HALF = 1500;
/** Cases of the report half read by a cold reader (bytes). */
const COLD_SAMPLE = 300;
/** The fit half's grid: candidates weighed × prior. */
const GRID = { candidates: [8, 12, 20, 30], prior: [0.25, 0.5, 1] };
/** The fit half's grid of the weight of the titles putting a completion right after the word before. */
const BEFORE_GRID = [0, 1, 2, 4, 6, 8];

/** The held-out titles (unseen-words.ts's split) as typed cases. */
export async function completionCases(corpus: string, seed: number): Promise<CompletionCase[]> {
  const out: CompletionCase[] = [];
  const count = { fit: 0, report: 0 };
  for await (const row of readJsonlFile(corpus)) {
    if (hashSeed(seed, 'unseen-split', String(row.id)) % 10 !== 0) continue;
    const title = String(row.title ?? '');
    const tokens = tokenize(title);
    const at: number[] = [];
    let before = 0;
    tokens.forEach((t, i) => {
      if (!isStop(t.norm) && t.norm.length >= 4 && before > 0) at.push(i);
      if (!isStop(t.norm)) before++;
    });
    if (at.length === 0) continue;
    const h = hashSeed(seed, 'completion', title);
    const t = tokens[at[h % at.length]!]!;
    const letters = 2 + ((h >>> 8) % 2);
    const word = title.slice(t.start, t.end);
    if (word.length <= letters) continue;
    const half = hashSeed(seed, 'completion-half', title) % 2 === 0 ? 'fit' : 'report';
    if (count[half] >= PER_HALF) continue;
    count[half]++;
    out.push({ typed: title.slice(0, t.start) + word.slice(0, letters), target: t.norm, word, head: title.slice(0, t.start), half });
  }
  return out;
}

/** Per case: 1 when the word is first (`at1`) / among the five (`at5`); and the first completion (`first`, undefined for none). */
async function measure(index: BahthIndex, cases: CompletionCase[], o: SuggestOptions): Promise<{ at1: number[]; at5: number[]; first: (string | undefined)[] }> {
  const at1: number[] = [];
  const at5: number[] = [];
  const first: (string | undefined)[] = [];
  for (const c of cases) {
    const r = await suggest(index.archive, c.typed, 5, new ReadStats(), o);
    const i = r.completions.findIndex((x) => tokenize(x.text).at(-1)?.norm === c.target);
    at1.push(i === 0 ? 1 : 0);
    at5.push(i >= 0 ? 1 : 0);
    first.push(r.completions[0]?.text);
  }
  return { at1, at5, first };
}

/** Bytes a fresh reader reads for each case (its manifest included). */
async function coldBytes(index: BahthIndex, cases: CompletionCase[], o: SuggestOptions): Promise<number[]> {
  const out: number[] = [];
  const kv = new MemoryKv(index.entries);
  for (const c of cases) {
    const stats = new ReadStats();
    const archive = await new IndexReader(kv, { cacheBytes: 2 ** 28 }).current(stats);
    await suggest(archive, c.typed, 5, stats, o);
    out.push(stats.bytes);
  }
  return out.sort((a, b) => a - b);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const kb = (xs: number[], q: number) => `${Math.round(xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]! / 1024)} KB`;

/**
 * Completions for Arabic typed on the Latin layout (suggest.ts reads it back): the report half's
 * cases typed so, against the same typed right; and the keystrokes of Latin names as a reader
 * of English news or Arabizi types them (the names benchmark's spellings, each prefix of two
 * letters or more of its first word) offered an Arabic completion, which only the layout's
 * reading gives there (the names model reads a name once finished).
 */
async function measureLayout(index: BahthIndex, report: CompletionCase[], names: readonly string[], o: SuggestOptions): Promise<string[]> {
  // Typed as the known-item test's latin-layout rewriting types a query (variants.ts).
  const cases = report;
  const right = await measure(index, cases, o);
  const slipped = await measure(index, cases.map((c) => ({ ...c, typed: latinLayout(c.typed) })), o);
  const first: string[] = [...new Set(names.map((n) => n.toLowerCase().split(/\s+/)[0]!))];
  let strokes = 0;
  const offered: number[] = [];
  const examples: string[] = [];
  for (const name of first) {
    for (let n = 2; n <= name.length; n++) {
      const r = await suggest(index.archive, name.slice(0, n), 5, new ReadStats(), o);
      const arabic = r.completions.some((c) => /[\u0621-\u064a]/.test(c.text));
      strokes++;
      offered.push(arabic ? 1 : 0);
      if (arabic && examples.length < 8) examples.push(`${name.slice(0, n)} (${r.completions[0]!.text})`);
    }
  }
  return [
    `Typed on the Latin layout: the report half's cases, each typed as the known-item test's \`latin-layout\` rewriting types a query (the keys of its letters, \`f,jdk\` for بوتين, أ إ آ shifted; punctuation and Latin words as a space), the words before the last read back as /search reads a query (layout.ts \`readLayout\`), the word being typed with them; and the first word of each Latin spelling of the names benchmark (${first.length}, scripts/bench/names-table.ts: English, French and Arabizi), typed a letter at a time from its second (${strokes} keystrokes), offered an Arabic completion (a first word is read back alone only from ${LAYOUT_PREFIX} letters, when its keys as typed suggest nothing).`,
    '',
    '| | n | typed right | on the Latin layout |',
    '| --- | ---: | ---: | ---: |',
    `| the word is the first completion (@1) | ${cases.length} | ${fmt(bootstrap(right.at1), true)} | ${fmt(bootstrap(slipped.at1), true)} |`,
    `| … among the five (@5) | ${cases.length} | ${fmt(bootstrap(right.at5), true)} | ${fmt(bootstrap(slipped.at5), true)} |`,
    `| a Latin name's keystroke offered an Arabic completion | ${strokes} | | ${fmt(bootstrap(offered), true)} |`,
    '',
    `Latin keystrokes so read${examples.length ? `, the first ${examples.length}: ${examples.join(', ')}` : ': none'}.`,
  ];
}

/** The typo kinds a word being typed is given (typo-gen.ts): those inside a word, not its hamza, ة or ال. */
const TYPING_KINDS: readonly TypoKind[] = ['dropped', 'doubled', 'swap', 'neighbour', 'sound', 'substituted'];

/** A case typed further: its word (5+ letters) all but its last letter, right and with a typo. */
export interface TypingCase {
  right: CompletionCase;
  typo: CompletionCase;
  kind: TypoKind;
}

/**
 * The cases whose word has 5 letters or more, typed to all but its last letter (what a reader
 * has typed when a completion saves a keystroke or more), once right and once with one seeded
 * typo of a kind drawn from {@link TYPING_KINDS} inside the letters typed.
 */
export function typingCases(cases: CompletionCase[], seed: number): TypingCase[] {
  const out: TypingCase[] = [];
  for (const c of cases) {
    if (c.target.length < 5) continue;
    const rng = mulberry32(hashSeed(seed, 'typing-typo', c.typed, c.word));
    const kind = pick(rng, TYPING_KINDS);
    const typo = makeTypo(c.word, kind, rng);
    if (!typo) continue;
    const typed = normalize(typo).slice(0, -1);
    // The typo must be in what is typed (not its last letter, cut off), and leave a prefix of no word the case is.
    if (typed.length < 4 || c.target.startsWith(typed)) continue;
    out.push({ right: { ...c, typed: c.head + c.word.slice(0, -1) }, typo: { ...c, typed: c.head + [...typo].slice(0, -1).join('') }, kind });
  }
  return out;
}

/** A case whose last content word before the word being typed (5+ letters) is typed with a typo. */
export function finishedTypoCases(cases: CompletionCase[], seed: number): { right: CompletionCase; typo: CompletionCase; meant: string }[] {
  const out: { right: CompletionCase; typo: CompletionCase; meant: string }[] = [];
  for (const c of cases) {
    const prev = tokenize(c.head).filter((t) => !isStop(t.norm)).at(-1);
    if (!prev || prev.norm.length < 5) continue;
    const rng = mulberry32(hashSeed(seed, 'finished-typo', c.typed));
    const typo = makeTypo(c.head.slice(prev.start, prev.end), pick(rng, FINISHED_KINDS), rng);
    if (!typo) continue;
    out.push({ right: c, typo: { ...c, typed: c.head.slice(0, prev.start) + typo + c.typed.slice(prev.end) }, meant: prev.norm });
  }
  return out;
}

/** The typo kinds a finished word is given: {@link TYPING_KINDS}, and its hamza seats and ة. */
const FINISHED_KINDS: readonly TypoKind[] = [...TYPING_KINDS, 'hamza', 'taMarbuta'];

/**
 * Completions of a word typed with a typo (suggest-typos.ts): the report half's {@link typingCases},
 * with the typo readings and without, and the same words typed right, with and without (what
 * the readings cost when nothing was mistyped).
 */
async function measureTyping(index: BahthIndex, report: CompletionCase[], sample: CompletionCase[], seed: number, o: SuggestOptions): Promise<string[]> {
  const cases = typingCases(report, seed);
  const off = { ...o, typos: false };
  const typoOn = await measure(index, cases.map((c) => c.typo), o);
  const typoOff = await measure(index, cases.map((c) => c.typo), off);
  const rightOn = await measure(index, cases.map((c) => c.right), o);
  const rightOff = await measure(index, cases.map((c) => c.right), off);
  const kinds = TYPING_KINDS.map((k) => {
    const at = cases.flatMap((c, i) => (c.kind === k ? [i] : []));
    return `| · ${k} | ${at.length} | ${fmt(bootstrap(at.map((i) => typoOff.at5[i]!)), true)} | ${fmt(bootstrap(at.map((i) => typoOn.at5[i]!)), true)} | |`;
  });
  const finished = finishedTypoCases(report, seed);
  const finishedOn = await measure(index, finished.map((c) => c.typo), o);
  const finishedOff = await measure(index, finished.map((c) => c.typo), off);
  const finishedRight = await measure(index, finished.map((c) => c.right), o);
  // The typo read as the word meant: the first completion writes it (completions write a reading).
  const readRight: number[] = [];
  const readOther: number[] = [];
  for (const [i, c] of finished.entries()) {
    const first = finishedOn.first[i];
    const typed = tokenize(c.typo.typed).map((t) => t.norm);
    const words = first !== undefined ? tokenize(first).map((t) => t.norm) : typed;
    readRight.push(words.includes(c.meant) ? 1 : 0);
    readOther.push(!words.includes(c.meant) && words.slice(0, -1).join(' ') !== typed.slice(0, -1).join(' ') ? 1 : 0);
  }
  // What the model reads: the completion key of each finished word no document holds (the
  // word being typed is read among the words of its key, read anyway).
  const coldOff = await coldBytes(index, sample, off);
  const coldOn = await coldBytes(index, sample, o);
  const finishedSample = finished.filter((_, i) => i % Math.max(1, Math.floor(finished.length / COLD_SAMPLE)) === 0).slice(0, COLD_SAMPLE);
  const coldTypoOff = await coldBytes(index, finishedSample.map((c) => c.typo), off);
  const coldTypoOn = await coldBytes(index, finishedSample.map((c) => c.typo), o);
  return [
    `A word being typed with a typo (suggest-typos.ts): the report half's cases whose word has 5 letters or more, typed to all but its last letter, once right and once with one seeded typo inside the letters typed (a kind drawn from ${TYPING_KINDS.join(', ')}; typo-gen.ts \`makeTypo\`, never on the first letter). Its completions are read by the spelling model's channel and margins (fitted.ts), with no parameter of their own: a typo in the letters that choose the completion key (the first two, more for a crowded beginning such as ال) is another key's, and not read. "Without": no typo readings (as before).`,
    '',
    '| report half | n | without | with typo readings | with − without (paired) |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| typed with a typo: the word is the first completion (@1) | ${cases.length} | ${fmt(bootstrap(typoOff.at1), true)} | ${fmt(bootstrap(typoOn.at1), true)} | ${fmtDiff(pairedDiff(typoOn.at1, typoOff.at1), true)} |`,
    `| … among the five (@5) | ${cases.length} | ${fmt(bootstrap(typoOff.at5), true)} | ${fmt(bootstrap(typoOn.at5), true)} | ${fmtDiff(pairedDiff(typoOn.at5, typoOff.at5), true)} |`,
    ...kinds,
    `| typed right: the word is the first completion (@1) | ${cases.length} | ${fmt(bootstrap(rightOff.at1), true)} | ${fmt(bootstrap(rightOn.at1), true)} | ${fmtDiff(pairedDiff(rightOn.at1, rightOff.at1), true)} |`,
    `| … among the five (@5) | ${cases.length} | ${fmt(bootstrap(rightOff.at5), true)} | ${fmt(bootstrap(rightOn.at5), true)} | ${fmtDiff(pairedDiff(rightOn.at5, rightOff.at5), true)} |`,
    '',
    `A finished word typed with a typo: the report half's cases whose last content word before the word being typed has 5 letters or more, that word given one seeded typo (a kind drawn from ${FINISHED_KINDS.join(', ')}). Without the model, a finished word no document holds narrows nothing and weighs no completion; with it, such a word is read by the spelling model among the words of its completion key (suggest-typos.ts \`finishedTypo\`: titles, not /search's lexicon of every word; the other words do not weigh its readings) and weighs the completions as its reading. A typo that is a word the archive holds stays as typed.`,
    '',
    '| report half | n | without | with the model | with − without (paired) | typed right |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| the word being typed is the first completion (@1) | ${finished.length} | ${fmt(bootstrap(finishedOff.at1), true)} | ${fmt(bootstrap(finishedOn.at1), true)} | ${fmtDiff(pairedDiff(finishedOn.at1, finishedOff.at1), true)} | ${fmt(bootstrap(finishedRight.at1), true)} |`,
    `| … among the five (@5) | ${finished.length} | ${fmt(bootstrap(finishedOff.at5), true)} | ${fmt(bootstrap(finishedOn.at5), true)} | ${fmtDiff(pairedDiff(finishedOn.at5, finishedOff.at5), true)} | ${fmt(bootstrap(finishedRight.at5), true)} |`,
    `| the typo read as the word meant (the first completion writes it) | ${finished.length} | 0 | ${fmt(bootstrap(readRight), true)} | | |`,
    `| … read as another word | ${finished.length} | 0 | ${fmt(bootstrap(readOther), true)} | | |`,
    `| a cold reader reads, median / p95: the headline's ${sample.length} cases (their manifest included) | ${sample.length} | ${kb(coldOff, 0.5)} / ${kb(coldOff, 0.95)} | ${kb(coldOn, 0.5)} / ${kb(coldOn, 0.95)} | | |`,
    `| … ${finishedSample.length} of these cases with a finished typo | ${finishedSample.length} | ${kb(coldTypoOff, 0.5)} / ${kb(coldTypoOff, 0.95)} | ${kb(coldTypoOn, 0.5)} / ${kb(coldTypoOn, 0.95)} | | |`,
  ];
}

/** The section's markdown. */
export async function measureCompletions(index: BahthIndex, corpus: string, seed: number, progress: Progress): Promise<string> {
  const cases = await completionCases(corpus, seed);
  const fit = cases.filter((c) => c.half === 'fit');
  const report = cases.filter((c) => c.half === 'report');
  const none: SuggestOptions = { contextCandidates: 0 };
  const shipped: SuggestOptions = { contextCandidates: CONTEXT.candidates, contextPrior: CONTEXT.prior, contextBefore: CONTEXT.before };

  progress.update('completions: the fit half');
  const base = await measure(index, fit, none);
  const grid: { candidates: number; prior: number; at1: number; at5: number }[] = [];
  for (const candidates of GRID.candidates) {
    for (const prior of GRID.prior) {
      progress.update(`completions: the fit half, ${candidates} candidates, prior ${prior}`);
      const r = await measure(index, fit, { contextCandidates: candidates, contextPrior: prior });
      grid.push({ candidates, prior, at1: mean(r.at1), at5: mean(r.at5) });
    }
  }
  const beforeGrid: { before: number; at1: number; at5: number }[] = [];
  for (const b of BEFORE_GRID) {
    progress.update(`completions: the fit half, the words before weighed ${b}`);
    const r = await measure(index, fit, { ...shipped, contextBefore: b });
    beforeGrid.push({ before: b, at1: mean(r.at1), at5: mean(r.at5) });
  }
  progress.update('completions: the report half');
  const before = await measure(index, report, none);
  const now = await measure(index, report, shipped);
  const notAfter = await measure(index, report, { ...shipped, contextBefore: 0 });
  const sample = report.filter((_, i) => i % Math.max(1, Math.floor(report.length / COLD_SAMPLE)) === 0).slice(0, COLD_SAMPLE);
  const coldBefore = await coldBytes(index, sample, none);
  const coldNow = await coldBytes(index, sample, shipped);
  progress.update('completions: typed on the Latin layout');
  const layout = await measureLayout(index, report, NAMES.flatMap((n) => [...n.latin, ...n.arabizi]), shipped);
  progress.update('completions: a word typed with a typo');
  const typing = await measureTyping(index, report, sample, seed, shipped);
  progress.clear();

  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const best = [...grid].sort((a, b) => b.at1 + b.at5 - (a.at1 + a.at5))[0]!;
  const gridRows = grid.map((g) => `| ${g.candidates} | ${g.prior} | ${pct(g.at1)} | ${pct(g.at5)} |${g.candidates === CONTEXT.candidates && g.prior === CONTEXT.prior ? ' shipped' : ''}${g === best ? ' best @1 + @5' : ''} |`);
  return [
    `${cases.length} cases from the titles of the articles held out of the index of "Correct words the archive lacks" (${fit.length} fit, ${report.length} report, split by a seeded hash): each title typed up to one of its content words of 4+ letters that has a content word before it (one such word a title, seeded) and that word's first 2 or 3 letters. A case succeeds when the word is the first completion (@1) or among the five a search box shows (@5). Before: completions by the titles that use them (the archive's most used words of that beginning). Now: the ${CONTEXT.candidates} most used, and up to ${CONTEXT.followers} that titles put right after the last word typed, are ranked by log(1 + Σ_w titles holding the completion and w) + ${CONTEXT.before} × log(1 + titles putting it right after the last word typed) + ${CONTEXT.prior} × log(titles holding it), w over the words typed before (suggest.ts \`CONTEXT\`), a large archive's big terms too (from their titles' keys, since build revision 12). 95 % bootstrap intervals; differences paired.`,
    '',
    '| report half | n | before | now | now − before (paired) |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| the word typed is the first completion (@1) | ${report.length} | ${fmt(bootstrap(before.at1), true)} | ${fmt(bootstrap(now.at1), true)} | ${fmtDiff(pairedDiff(now.at1, before.at1), true)} |`,
    `| … among the five (@5) | ${report.length} | ${fmt(bootstrap(before.at5), true)} | ${fmt(bootstrap(now.at5), true)} | ${fmtDiff(pairedDiff(now.at5, before.at5), true)} |`,
    `| a cold reader reads, median / p95 (its manifest included; ${sample.length} cases) | ${sample.length} | ${kb(coldBefore, 0.5)} / ${kb(coldBefore, 0.95)} | ${kb(coldNow, 0.5)} / ${kb(coldNow, 0.95)} | |`,
    '',
    `The fit half (before: @1 ${pct(mean(base.at1))}, @5 ${pct(mean(base.at5))}), over the grid. The shipped setting is chosen for what it reads as much as for what it finds: each candidate weighed is a term (a shard) more for a cold reader, and more candidates gain a point or two more at @5 here.`,
    '',
    '| candidates weighed | prior | @1 | @5 | |',
    '| ---: | ---: | ---: | ---: | --- |',
    ...gridRows,
    '',
    `**The word before** (since build revision 17): each completion's entry names the content words titles put right before it (the ${BEFORE_KEPT} likeliest in each segment, stop words between them skipped), with those titles. A completion is weighed by them too, the weight below (× log(1 + titles putting it right after the last word typed)), and up to ${CONTEXT.followers} words that titles put after that word join the ${CONTEXT.candidates} most used candidates however rarely they are used (weighed by those titles alone). Chosen on the fit half (the grid at ${CONTEXT.candidates} candidates and prior ${CONTEXT.prior}; shipped ${CONTEXT.before}); reported on the other, paired against the same weighing without it.`,
    '',
    '| weight of the word before | @1 (fit half) | @5 (fit half) | |',
    '| ---: | ---: | ---: | --- |',
    ...beforeGrid.map((g) => `| ${g.before} | ${pct(g.at1)} | ${pct(g.at5)} |${g.before === CONTEXT.before ? ' shipped' : ''} |`),
    '',
    '| report half | n | without the word before | with it (now) | with − without (paired) |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| the word typed is the first completion (@1) | ${report.length} | ${fmt(bootstrap(notAfter.at1), true)} | ${fmt(bootstrap(now.at1), true)} | ${fmtDiff(pairedDiff(now.at1, notAfter.at1), true)} |`,
    `| … among the five (@5) | ${report.length} | ${fmt(bootstrap(notAfter.at5), true)} | ${fmt(bootstrap(now.at5), true)} | ${fmtDiff(pairedDiff(now.at5, notAfter.at5), true)} |`,
    '',
    ...layout,
    '',
    ...typing,
  ].join('\n');
}
