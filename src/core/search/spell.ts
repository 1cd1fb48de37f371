/**
 * Typo tolerance, on words rather than stems (a misspelt name must be compared with the name,
 * not with a stem its misspelling happens to share: ماركون is not مارك). A word of 4+ letters
 * that the archive does not know, or knows as rare, is compared with the known words of the
 * same first letter (ال aside) within one edit (two from 9 letters); the likeliest readings are
 * added to the word's terms. An unknown word hands its place to the correction (`auto`); a rare
 * one keeps it and exact matches rank first (`suggest`). The stages here read nothing: they say
 * which lexicon lists and terms to read, and decide once those are read (docs/ranking.md).
 */
import type { LexiconList } from '../format/codec';
import { fitItems, lexiconCosts } from './budget';
import { ALT_MARK, articleLengthAt, bareWord, normalize, stem, stems, withoutProclitics } from '../analyzer/index';
import { hasSpelling, spellingInUseDf, spellingRank } from '../format/layout';
import type { LoadedTerm } from './archive';
import type { SearchOptions, SpellingOptions } from './options';
import { planQuery, type QueryPlan } from './plan';
import { queryWord, type QueryWord } from './query';
import { copyGroups, behindProclitic, type Loaded } from './terms';
import { editDistance, letterSet, popcount } from './text-distance';
import { rankReadings, typedPrior, verdict, type SpellModel, type TypedWord } from './spell-model';
import type { Correction, TermGroups, WeightedTerm } from './types';

/** A lexicon list key: words of a first letter (ال aside) and a length. */
export interface LexiconKey {
  first: string;
  length: number;
}

/** Lexicon lists, as read: normalized words and their dfs, most used first. */
export type Lexicon = LexiconList[];

/** A known word within the edits a query word tolerates. */
export interface TypoCandidate {
  word: string;
  stem: string;
  /** Edits from the word as typed. */
  d: number;
  /** 1 when the reading and the word as typed differ in having the article. */
  article: number;
  df: number;
}

/** True when the archive has a word as typed and its stem in `maxDf` documents or more. */
export function knownAsTyped(w: QueryWord, loaded: Loaded, sp: SpellingOptions): boolean {
  const own = loaded.get(w.stems[0]!);
  return hasSpelling(own?.spellings, w.norm) && (own?.df ?? 0) >= sp.maxDf;
}

/** True when the archive has a word as spelled in enough documents to be in use (see TermEntry). */
function spelledInUse(term: LoadedTerm | null | undefined, norm: string): boolean {
  const rank = spellingRank(term?.spellings, norm);
  return rank >= 0 && rank < (term?.inUse ?? 0);
}

/**
 * The lexicon lists to read for a plan's words: those of words the archive lacks as spelled,
 * has in fewer than `maxDf` documents, or spells so only rarely (Lucene's maxQueryFrequency: a
 * word in common use is never looked up; its real-word typos are the context's). A word others
 * spell differently (مسئول and مسؤول) is in use if either spelling is.
 */
export function lexiconLookups(plan: QueryPlan, loaded: Loaded, sp: SpellingOptions, maxWords = Infinity, room = Infinity): { keys: LexiconKey[]; capped: boolean } {
  if (!plan.correct) return { keys: [], capped: false };
  const unknown = plan.query.words.filter((w) => (!knownAsTyped(w, loaded, sp) || !spelledInUse(loaded.get(w.stems[0]!), w.norm)) && !w.respellings.some((r) => (loaded.get(r)?.df ?? 0) >= sp.maxDf));
  // A word known as typed is not also read as a typo in its article: that is an unknown
  // word's (امانيا), and it would double the lists read.
  // The budget: the first words in query order whose lists fit (the others are searched as typed).
  const fit = fitItems(unknown.slice(0, maxWords), (w) => lexiconCosts(typoLookups([w], sp, (x) => knownAsTyped(x, loaded, sp))), room);
  return { keys: [...fit.keys.values()], capped: fit.cut || unknown.length > maxWords };
}

/** Lexicon keys to read for words that may be misspelt. */
export function typoLookups(words: QueryWord[], sp: SpellingOptions, inUse: (w: QueryWord) => boolean = () => false): LexiconKey[] {
  return words.flatMap((w) => {
    const bare = bareWord(w.norm);
    if (w.norm.length < sp.minLength || !/^[\u0600-\u06ff]/.test(bare)) return [];
    const firsts = firstLetters(bare);
    const inner = shortArticleLookups(w.norm);
    if (inner.length > 0) return inner;
    const max = w.norm.length >= sp.twoEditsLength ? 2 : 1;
    const own = firsts.flatMap((first) => range(bare.length - max, bare.length + max).map((length) => ({ first, length })));
    return inUse(w) ? own : [...own, ...articleTypoLookups(w.norm, sp)];
  });
}

/**
 * The first letters whose lexicon lists hold a word's readings: its own, and for a word opening
 * on a bare hamza (ءنترناسيونال, الءعذار), alef: the analyzer folds أ إ آ to ا but leaves ء,
 * and no word opens on ء, so a reader who typed the hamza without its seat meant an alef's.
 */
export function firstLetters(bare: string): string[] {
  return bare[0] === 'ء' ? ['ء', 'ا'] : [bare[0]!];
}

/**
 * A 4-letter word with the article (السة, الين) read as a 5-letter one with a letter left out
 * (السلة, اليمن): the lexicon keeps words with the article from 5 letters, keyed by their
 * letters after ال (bareWord), and none of 4.
 */
function shortArticleLookups(norm: string): LexiconKey[] {
  return norm.startsWith('ال') && articleLengthAt(norm) === 0 && norm.length >= 4 ? [{ first: norm[2]!, length: norm.length - 1 }] : [];
}

/**
 * A typo in the article: ال typed with its ل left out, swapped with the next letter or
 * mistyped (امانيا, املانيا, اكمانيا for المانيا). The word then starts with ا and not ال, and
 * its lexicon key (which leaves ال out) is another letter's: these are the keys of the words
 * ال + X that it may stand for.
 */
function articleTypoLookups(norm: string, sp: SpellingOptions): LexiconKey[] {
  if (!norm.startsWith('ا') || norm.startsWith('ال') || norm.length < sp.minLength) return [];
  const rest = norm.slice(1);
  return [
    { first: rest[0]!, length: rest.length }, // ل left out
    { first: rest[0]!, length: rest.length - 1 }, // ل swapped with the next letter
    { first: rest[1]!, length: rest.length - 1 }, // ل mistyped
  ];
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = Math.max(1, from); i <= to; i++) out.push(i);
  return out;
}

/** What correcting a plan's typos gives: the groups with the readings added, and the corrections. */
export interface Spelled {
  groups: TermGroups;
  corrections: Correction[];
  /** The typo scan stopped at its cap. */
  capped: boolean;
}

/** What the spelling model knows of query word `wi` as typed: its documents and its stem's. */
export function typedWord(w: QueryWord, loaded: Loaded, lexicon: Lexicon, sp: SpellingOptions, docCount: number): TypedWord {
  const own = loaded.get(w.stems[0]!);
  const stemDf = own?.df ?? 0;
  // The lexicon leaves out words in one document.
  const spelled = hasSpelling(own?.spellings, w.norm) ? 1 : 0;
  return { norm: w.norm, df: Math.max(lexiconDf(w, lexicon), spelled), stemDf, behindDf: behindDf(w, loaded, docCount), docCount };
}

/**
 * The fewest documents the archive is known to write a word's proclitic-free reading in
 * (وسيؤول: سيؤول), read off the loaded terms (a plan reads every reading's stem): a spelling in
 * use is in {@link spellingInUseDf} or more, any other spelling of the stem in 1 or more; 0 when
 * no article writes a reading. Not the stem's documents: light stemming gives a rare form a
 * common stem (اولايات: اولا), and the form's own count is in a lexicon list not read.
 */
function behindDf(w: QueryWord, loaded: Loaded, docCount: number): number {
  let best = 0;
  for (const rest of withoutProclitics(w.norm)) {
    const term = loaded.get(stem(rest));
    if (hasSpelling(term?.spellings, rest)) best = Math.max(best, spelledInUse(term, rest) ? spellingInUseDf(docCount) : 1);
  }
  return best;
}

/**
 * The fewest documents a reading needs to clear the model's `offer` margin over the word as
 * typed with its cheapest edit: the lexicon lists (most used first) are scanned down to it.
 */
export function minReadingDf(w: TypedWord, m: SpellModel): number {
  const cheapest = Math.min(...Object.values(m.cost));
  if (m.prior <= 0) return Infinity;
  return Math.max(1, Math.ceil(Math.exp((m.offer + cheapest + typedPrior(w, m)) / m.prior)));
}

/**
 * Reads each word of the plan as the spelling model says (spell-model.ts): the known words
 * within its edits are scored against the word as typed; the best replaces the word (`auto`)
 * when its margin passes `replace`, or counts below it (`suggest`) when it passes `offer`.
 */
export function correctTypos(plan: QueryPlan, input: TermGroups, loaded: Loaded, lexicon: Lexicon, docCount: number, o: SearchOptions): Spelled {
  const sp = o.spelling;
  const m = sp.model;
  const words = plan.query.words;
  const groups = copyGroups(input);
  const out: Correction[] = [];
  const budget = { scanned: 0 };
  if (!plan.correct || lexicon.length === 0) return { groups, corrections: out, capped: false };
  words.forEach((w, wi) => {
    const bare = bareWord(w.norm);
    if (w.norm.length < sp.minLength || !/^[\u0600-\u06ff]/.test(bare)) return;
    if (spelledInUse(loaded.get(w.stems[0]!), w.norm)) return;
    const typed = typedWord(w, loaded, lexicon, sp, docCount);
    const ranked = rankReadings(typed, typoCandidates(words, wi, lexicon, minReadingDf(typed, m), budget, o), m);
    const best = ranked[0];
    const v = best ? verdict(best.margin, m) : 'keep';
    if (!best || v === 'keep') return;
    const mode = v === 'replace' ? 'auto' : 'suggest';
    // Up to `candidates` readings of distinct stems that pass `offer` themselves; with other
    // words to weigh them by, up to `contextReadings` within `context` of it in reserve.
    const reach = m.cooccur > 0 && words.length >= 2 ? m.context : 0;
    const readings: (TypoCandidate & { margin: number })[] = [];
    const reserve: (TypoCandidate & { margin: number })[] = [];
    for (const c of ranked) {
      if (readings.length + reserve.length >= Math.max(sp.candidates, reach > 0 ? sp.contextReadings : 0) || c.margin <= m.offer - reach) break;
      if (readings.some((r) => r.stem === c.stem) || reserve.some((r) => r.stem === c.stem)) continue;
      (c.margin > m.offer && readings.length < sp.candidates ? readings : reserve).push(c);
    }
    const correction: Correction = { word: wi, to: best.word, readings, mode, ...(typed.df === 0 ? { unwritten: true as const } : {}), ...(reserve.length > 0 ? { reserve } : {}) };
    groups[wi]!.push(...readingTerms(correction, o));
    out.push(correction);
  });
  return { groups, corrections: out, capped: budget.scanned > o.caps.typoScan };
}

/**
 * The terms a correction's readings add to its word, each weighted by its odds against the
 * best. A replaced word's best reading takes the word's place in the plan (replaceWords:
 * searched as typed right); its other readings count beside it, as a suggested word's count
 * below the word as typed. A reading is searched as the word typed right would be (wordTerms):
 * the stem, the stem behind a proclitic (لترامب), and its proclitic-free readings (لتأسيسها:
 * تاسيس); settleCorrections keeps those the archive's counts favour, once read.
 */
export function readingTerms(c: Correction, o: SearchOptions): WeightedTerm[] {
  const best = c.readings[0]!;
  const out: WeightedTerm[] = [];
  for (const r of c.readings) {
    if (r === best && c.mode === 'auto') continue;
    const weight = (c.mode === 'auto' ? 1 : o.ranking.typoWeight) * Math.exp((r.margin ?? 0) - (best.margin ?? 0));
    out.push({ term: r.stem, weight, kind: 'typo' }, { term: ALT_MARK + r.stem, weight: weight * o.ranking.altWeight, kind: 'typo' });
    for (const alt of stems(r.word).slice(1)) out.push({ term: alt, weight: weight * o.ranking.altWeight, kind: 'typo' }, { term: ALT_MARK + alt, weight: weight * o.ranking.altWeight ** 2, kind: 'typo' });
  }
  return out;
}

/**
 * The plan with each replaced word (a correction `auto`) in the word's place: the reading, as
 * the reader would have typed it (writtenLike), so that its terms, its weight and the re-rank's
 * form and surface features are those of a query that typed it right ("showing results for").
 */
export function replaceWords(plan: QueryPlan, corrections: Correction[]): QueryPlan {
  const words = [...plan.query.words];
  for (const c of corrections) {
    if (c.mode !== 'auto') continue;
    const typed = words[c.word]!;
    words[c.word] = queryWord(writtenLike(typed.text, typed.norm, c.to), c.to);
  }
  return { ...planQuery(plan.params, { ...plan.query, words }), typing: plan.typing };
}

/**
 * A reading written as the reader wrote the rest of the word: each letter the reading keeps
 * from the word as typed (aligned by the fewest edits) as it was typed (its hamza seat, ة, ى),
 * the reading's other letters normalized. وثاائقية read as وثايقيه is written وثائقية.
 */
export function writtenLike(typed: string, typedNorm: string, reading: string): string {
  const letters: string[] = [];
  for (const ch of typed) {
    const n = normalize(ch);
    if (n.length > 1) return reading;
    if (n.length === 1) letters.push(ch);
  }
  if (letters.length !== typedNorm.length || letters.some((ch, j) => normalize(ch) !== typedNorm[j])) return reading;
  const n = reading.length;
  const m = typedNorm.length;
  const w = m + 1;
  const d = new Int32Array((n + 1) * w);
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (i === 0 || j === 0) d[i * w + j] = i + j;
      else d[i * w + j] = Math.min(d[(i - 1) * w + j]! + 1, d[i * w + j - 1]! + 1, d[(i - 1) * w + j - 1]! + (reading[i - 1] === typedNorm[j - 1] ? 0 : 1));
    }
  }
  const out = [...reading];
  for (let i = n, j = m; i > 0 && j > 0; ) {
    const here = d[i * w + j]!;
    if (reading[i - 1] === typedNorm[j - 1] && here === d[(i - 1) * w + j - 1]) {
      out[i - 1] = letters[j - 1]!;
      i--;
      j--;
    } else if (here === d[(i - 1) * w + j - 1]! + 1) {
      i--;
      j--;
    } else if (here === d[(i - 1) * w + j]! + 1) i--;
    else j--;
  }
  return out.join('');
}

/** Terms of the corrections' readings not read yet. */
export function correctionTerms(groups: TermGroups, corrections: Correction[], loaded: Loaded): string[] {
  return corrections.flatMap((c) => [...groups[c.word]!.map((t) => t.term), ...(c.reserve ?? []).map((r) => r.stem)]).filter((t) => !loaded.has(t));
}

/**
 * Settles the corrections once their readings are read: a reading's proclitic terms stay only
 * where a typed word's would (see wordTerms, behindProclitic).
 */
export function settleCorrections(input: TermGroups, loaded: Loaded, corrections: Correction[]): { groups: TermGroups; corrections: Correction[] } {
  const groups = [...input];
  const df = (t: string) => loaded.get(t)?.df ?? 0;
  for (const c of corrections) {
    const unfit = new Set<string>();
    for (const r of c.readings) {
      if (!behindProclitic(r.stem, loaded)) unfit.add(ALT_MARK + r.stem);
      // A proclitic-free reading counts where it is the commoner one, as wordTerms decides.
      for (const alt of stems(r.word).slice(1)) {
        if (df(alt) <= df(r.stem)) unfit.add(alt);
        if (df(alt) <= df(r.stem) || df(ALT_MARK + alt) === 0) unfit.add(ALT_MARK + alt);
      }
    }
    if (unfit.size > 0) groups[c.word] = groups[c.word]!.filter((t) => t.kind === 'plain' || !unfit.has(t.term));
  }
  return { groups, corrections };
}

/**
 * How many documents the lexicon lists read say a word is in, as typed (0: unknown). A list
 * holds the words of one first letter and one length (the article aside), each once: only the
 * word's own list is scanned, and only until the word.
 */
function lexiconDf(w: QueryWord, lexicon: Lexicon): number {
  const bare = bareWord(w.norm);
  const first = bare.charCodeAt(0);
  for (const l of lexicon) {
    if (l.length === 0) continue;
    const head = bareWord(l.word(0));
    if (head.charCodeAt(0) !== first || head.length !== bare.length) continue;
    const i = l.indexOf(w.norm);
    if (i >= 0) return l.df[i]!;
  }
  return 0;
}

/**
 * Known words within the edits query word `wi` tolerates, in documents at least `minDf`, from
 * the lexicon lists read: the likeliest first (fewest edits, the article as typed, most used).
 * Not the word's own stem, and not another word of the query: a reader who typed المكتب
 * elsewhere in the query did not mean it twice.
 */
export function typoCandidates(words: QueryWord[], wi: number, lexicon: Lexicon, minDf: number, budget: { scanned: number }, o: SearchOptions): TypoCandidate[] {
  const sp = o.spelling;
  const w = words[wi]!;
  const bare = bareWord(w.norm);
  const bareLength = bare.length;
  const firsts = firstLetters(bare).map((f) => f.charCodeAt(0));
  const max = w.norm.length >= sp.twoEditsLength ? 2 : 1;
  const plainStem = w.stems[0]!;
  // With or without the article as typed: السيطي is السيسي rather than سيتي.
  const typedArticle = bare !== w.norm;
  const otherStems = new Set(words.filter((_, j) => j !== wi).map((x) => x.stems[0]!));
  // Words ال + X one edit from the word as typed, the edit in the article (see articleTypoLookups).
  const acrossKeys = new Set(articleTypoLookups(w.norm, sp).map((k) => `${k.first}/${k.length}`));
  // ... and words ال + X a letter longer than a 4-letter word with the article.
  const innerKeys = new Set(shortArticleLookups(w.norm).map((k) => `${k.first}/${k.length}`));
  const cands: TypoCandidate[] = [];
  // Most lexicon words fail the letter-set test, which is far cheaper than an edit distance.
  const bareLetters = letterSet(bare);
  const typedLetters = letterSet(w.norm);
  const typedLength = w.norm.length;
  // A word of the list, from `from` to `to` in its text, as typed but one edit.
  const nearAsTyped = (text: string, from: number, to: number) => popcount(typedLetters ^ letterSet(text, from, to)) <= 2 && editDistance(w.norm, text, 1, from, to) <= 1;
  for (const l of lexicon) {
    if (l.length === 0) continue;
    // Lists of this first letter and nearby lengths (a word with ال is keyed without it).
    const keyBare = bareWord(l.word(0));
    const length = keyBare.length;
    const own = firsts.includes(keyBare.charCodeAt(0)) && Math.abs(length - bareLength) <= max;
    const key = `${keyBare[0]}/${length}`;
    const across = acrossKeys.has(key);
    const inner = innerKeys.has(key);
    if (!own && !across && !inner) continue;
    const seen = scanned(l);
    const { text, starts } = l;
    for (let i = 0; i < l.length; i++) {
      const df = l.df[i]!;
      if (df < minDf) break; // lists are sorted by df, most used first
      // The word is text[from, to), without its article from `bareFrom`: no string made yet.
      const from = starts[i]!;
      const to = starts[i + 1]! - 1;
      if (to - from === typedLength && text.startsWith(w.norm, from)) continue;
      if (++budget.scanned > o.caps.typoScan) break;
      if (i >= seen.filled) seen.fill(l, i);
      const bareFrom = from + seen.article[i]!;
      const hasArticle = bareFrom !== from;
      let d = own && popcount(bareLetters ^ seen.letters[i]!) <= 2 * max ? editDistance(bare, text, max, bareFrom, to) : max + 1;
      let article = hasArticle === typedArticle ? 0 : 1;
      if (d > max && across && hasArticle && nearAsTyped(text, from, to)) {
        d = 1;
        article = 0; // the article is where the typo is
      }
      if (d > max && inner && hasArticle && to - from === typedLength + 1 && nearAsTyped(text, from, to)) {
        d = 1;
        article = 0;
      }
      if (d > max) continue;
      const word = text.slice(from, to);
      const stem = stems(word)[0]!;
      if (stem !== plainStem && !otherStems.has(stem)) cands.push({ word, stem, d, article, df });
    }
  }
  return cands.sort((a, b) => a.d - b.d || a.article - b.article || b.df - a.df);
}

/**
 * For a lexicon list's words, as far as scans have gone, where each starts without its article
 * (0, or 2 past ال as {@link bareWord} sets it aside) and the letter set of what follows: kept
 * with the list (cached by the isolate with it), so the typo words of a query, and the queries
 * after it, compare against them without working them out again. Columns, not strings.
 */
class ScannedList {
  filled = 0;
  readonly article: Uint8Array;
  readonly letters: Int32Array;
  constructor(length: number) {
    this.article = new Uint8Array(length);
    this.letters = new Int32Array(length);
  }

  /** Fills entries up to `last`. */
  fill(l: LexiconList, last: number): void {
    const { text, starts } = l;
    for (let i = this.filled; i <= last; i++) {
      const from = starts[i]!;
      const to = starts[i + 1]! - 1;
      const skip = articleLengthAt(text, from, to);
      this.article[i] = skip;
      this.letters[i] = letterSet(text, from + skip, to);
    }
    this.filled = last + 1;
  }
}

const scannedLists = new WeakMap<LexiconList, ScannedList>();

function scanned(l: LexiconList): ScannedList {
  let s = scannedLists.get(l);
  if (!s) scannedLists.set(l, (s = new ScannedList(l.length)));
  return s;
}
