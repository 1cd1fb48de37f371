/**
 * The Arabic analyzer of arabic.md: one pipeline, used identically by the index builder and by
 * the Worker for queries and highlighting. Runtime-neutral (no Node or Workers APIs).
 */
import { isStopWord } from './stopwords';
import { stems, withoutProclitics } from './stem';
import { tokenize, type Token } from './tokenize';

export { normalize, foldCodePoint } from './normalize';
export { codesToString, scanWords, tokenize, MAX_TOKEN_LENGTH, type Token, type WordVisitor } from './tokenize';
export { stem, stems, withoutProclitics } from './stem';
export { isStopWord, STOP_WORDS } from './stopwords';
export { hamzaRespellings } from './spelling';

/** A word of the text that takes part in matching: a token and the stems it is indexed under. */
export interface Term extends Token {
  /** Plain stem first, then the stems of its proclitic-free readings (alternatives). */
  stems: string[];
}

/** True for a stop word, and for a proclitic glued to one (وفي, فإن, بأن, لأن). */
export function isStop(norm: string): boolean {
  if (isStopWord(norm)) return true;
  const rest = withoutProclitics(norm)[0];
  return rest !== undefined && isStopWord(rest);
}

/**
 * Words of a text that are matched against the index: tokens minus stop words, with stems.
 * @example analyze('وبوتين في الكرملين').map((t) => t.stems) // [['وبوت', 'بوت', 'وت'], ['كرمل']]
 */
export function analyze(text: string, limit = Infinity): Term[] {
  const out: Term[] = [];
  for (const token of tokenize(text, limit)) {
    if (isStop(token.norm)) continue;
    out.push({ ...token, stems: stems(token.norm) });
  }
  return out;
}

/** Marks an index term that comes from a proclitic-free reading (وبوتين → ~بوت), not a plain stem. */
export const ALT_MARK = '~';

/**
 * The index terms of a text, in order: each word's plain stem, then its proclitic-free
 * readings marked with {@link ALT_MARK}. Kept apart from plain stems so the ranker can tell
 * "بوتين read as ب + وتين" from the word وتين, and use a reading only where it is the likelier
 * one. This is the encoder FlexSearch is built with, so FlexSearch and the ranker agree.
 */
export function indexTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(text)) {
    if (isStop(token.norm)) continue;
    const s = stems(token.norm);
    out.push(s[0]!);
    for (let i = 1; i < s.length; i++) out.push(ALT_MARK + s[i]);
  }
  return out;
}

/**
 * A normalized word without a leading article (الحريري → حريري): the typo lexicon is keyed on
 * this, so a typo is looked up among words of the same first real letter.
 */
export function bareWord(norm: string): string {
  return norm.startsWith('ال') && norm.length >= 5 ? norm.slice(2) : norm;
}
