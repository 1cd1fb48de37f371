/**
 * The Arabic analyzer of arabic.md: one pipeline, used identically by the index builder and by
 * the Worker for queries and highlighting. Runtime-neutral (no Node or Workers APIs).
 */
import { isStopWord } from './stopwords';
import { stems, withoutProclitics } from './stem';
import { tokenize, type Token } from './tokenize';

export { normalize } from './normalize';
export { foldCodePoint } from './fold';
export { codesToString, scanWords, tokenize, MAX_TOKEN_LENGTH, type Token, type WordVisitor } from './tokenize';
export { stem, stems, stripArticle, withoutProclitics, withoutTanween } from './stem';
export { isStopWord, STOP_WORDS } from './stopwords';
export { hamzaRespellings } from './spelling';

/** A word of the text that takes part in matching: a token and the stems it is indexed under. */
export interface Term extends Token {
  /** Plain stem first, then the stems of its proclitic-free readings (alternatives). */
  stems: string[];
  /**
   * For the second word of a compound name written apart (عبد الله, أبو ظبي): the stems of the
   * two written as one (عبدالله), under which the pair is also indexed. See {@link compoundHead}.
   */
  compound?: string[];
}

/**
 * First words of Arabic compound names (normalized): عبد (عبد الله, عبد العزيز), أبو/أبي/أبا
 * (أبو ظبي, أبو مازن), ابن/بن (بن سلمان, بن كيران). Such names are written both apart and as one
 * word, by writers and readers alike (عبدالله, أبوظبي); a pair written apart is also indexed as
 * the one word, and a query written apart also asks for it.
 */
export const COMPOUND_HEADS: ReadonlySet<string> = new Set(['عبد', 'ابو', 'ابي', 'ابا', 'ابن', 'بن']);

/**
 * True when a normalized word opens a compound name, alone or after و/ف (وعبد, فأبو: the
 * readings {@link withoutProclitics} gives a 3-letter head). Called for every word indexed, so
 * it makes no string for the rest.
 */
export function compoundHead(norm: string): boolean {
  if (norm.length > 4) return false;
  return COMPOUND_HEADS.has(norm) || (norm.length === 4 && (norm[0] === 'و' || norm[0] === 'ف') && COMPOUND_HEADS.has(norm.slice(1)));
}

/**
 * True for a word that is a compound name written as one (عبدالفتاح, أبوظبي): عبد or أبو and
 * at least 3 more letters (not أبواب, doors). The heads ابن/بن are left out: joined, they are
 * rare, and many words begin with their letters (بنغلاديش).
 */
export function writtenAsCompound(norm: string): boolean {
  const word = norm.startsWith('عبد') || norm.startsWith('ابو') ? norm : withoutProclitics(norm)[0] ?? '';
  return (word.startsWith('عبد') || word.startsWith('ابو')) && word.length >= 6;
}

/** The stems of a compound written as one word: a head and the word after it (عبد + الله). */
export function compoundStems(headNorm: string, norm: string): string[] | undefined {
  if (!compoundHead(headNorm) || !/^[\u0600-\u06ff]/.test(norm)) return undefined;
  return stems(headNorm + norm);
}

/** True for a stop word, and for a proclitic glued to one (وفي, فإن, بأن, لأن). */
export function isStop(norm: string): boolean {
  if (isStopWord(norm)) return true;
  const rest = withoutProclitics(norm)[0];
  return rest !== undefined && isStopWord(rest);
}

/**
 * Which fields' words are indexed with their readings without a tanween's alef (رسوما as ~رسوم,
 * see withoutTanween): titles only. A reader types a headline's accusative in its plain form
 * (رسوم جمركية for «رسوما جمركية»), and a title is where that costs the article; read in bodies
 * too, the readings swelled common marked terms past the big-term size and a cold 2-word query
 * at 1M read 258 KB (the goal is 256), where titles alone add a few bytes (docs/ranking.md).
 */
export const READS_TANWEEN = { title: true, body: false } as const;

/**
 * Words of a text that are matched against the index: tokens minus stop words, with stems
 * (`tanween` false: without the tanween's readings, as a body is indexed).
 * @example analyze('وبوتين في الكرملين').map((t) => t.stems) // [['وبوت', 'بوت', 'وت'], ['كرمل']]
 */
export function analyze(text: string, limit = Infinity, tanween = true): Term[] {
  const out: Term[] = [];
  let previous: Token | undefined;
  for (const token of tokenize(text, limit)) {
    const head = previous;
    previous = token;
    if (isStop(token.norm)) continue;
    const term: Term = { ...token, stems: stems(token.norm, tanween) };
    // Only a space between: عبد، الله is no name.
    const compound = head && compoundHead(head.norm) && /^\s+$/.test(text.slice(head.end, token.start)) ? compoundStems(head.norm, token.norm) : undefined;
    if (compound) term.compound = compound;
    out.push(term);
  }
  return out;
}

/**
 * A term's index terms: its plain stem, then its readings marked with {@link ALT_MARK}, then
 * those of the compound it closes (plain, then marked).
 */
export function termsOf(term: Term): string[] {
  const out = [term.stems[0]!];
  for (let i = 1; i < term.stems.length; i++) out.push(ALT_MARK + term.stems[i]);
  if (term.compound) {
    out.push(term.compound[0]!);
    for (let i = 1; i < term.compound.length; i++) out.push(ALT_MARK + term.compound[i]);
  }
  return out;
}

/** Marks an index term that comes from a proclitic-free reading (وبوتين → ~بوت), not a plain stem. */
export const ALT_MARK = '~';

/**
 * The index terms of a text, in order: each word's plain stem, then its proclitic-free
 * readings marked with {@link ALT_MARK}, then a compound name's one-word stems (see
 * {@link termsOf}). Readings are kept apart from plain stems so the ranker can tell
 * "بوتين read as ب + وتين" from the word وتين, and use a reading only where it is the likelier
 * one. This is the encoder FlexSearch is built with, so FlexSearch and the ranker agree.
 */
export function indexTerms(text: string, tanween = true): string[] {
  return analyze(text, Infinity, tanween).flatMap(termsOf);
}

/**
 * A normalized word without a leading article (الحريري → حريري): the typo lexicon is keyed on
 * this, so a typo is looked up among words of the same first real letter.
 */
export function bareWord(norm: string): string {
  return articleLengthAt(norm) ? norm.slice(2) : norm;
}

/**
 * How many letters at the start of the word `text[from, to)` are the article {@link bareWord}
 * sets aside: 2 (ال before 3 letters or more) or 0. On a range, so that a lexicon list's words
 * can be read in place (spell.ts).
 */
export function articleLengthAt(text: string, from = 0, to = text.length): number {
  return to - from >= 5 && text.charCodeAt(from) === 0x627 && text.charCodeAt(from + 1) === 0x644 ? 2 : 0;
}

/**
 * Words worth a typo lexicon entry and a spelling code (the index keeps both for these only):
 * Arabic, up to 24 letters once a leading ال is set aside, and the readings a typo of 4+ letters
 * may stand for: 4+ letters without the article, 5+ with it (السلة, الشيخ: what السة and الشيف
 * were typed for).
 */
export function isLexiconWord(w: string): boolean {
  const bare = bareWord(w);
  return (bare.length >= 4 || bare !== w) && bare.length <= 24 && bare.charCodeAt(0) >= 0x0600 && bare.charCodeAt(0) <= 0x06ff;
}
