/**
 * Light stemming (arabic.md rule 8), Lucene's light10 as the floor, with one change measured on
 * the eval set: a lone one-letter proclitic (و ف ب ل ك) is never stripped from the stem itself,
 * because light10's bare-و rule splits وزير from الوزير and stripping ب/ل would wreck names
 * (بوتين → وتين). Instead such a word also yields an *alternative* stem of what follows the
 * proclitic (وبوتين → بوت, لبوتين → بوت), indexed beside the plain stem, and the ranker gives
 * an alternative match a little less weight than a plain one.
 */

/** light10 article prefixes; each must leave at least 2 letters. */
const PREFIXES = ['وال', 'بال', 'كال', 'فال', 'لل', 'ال'];
/**
 * light10 suffixes, each removed at most once, in this order, while 2 letters remain.
 * ة and ى are folded to ه and ي before stemming, so ية is يه and ة is ه.
 */
const SUFFIXES = ['ها', 'ان', 'ات', 'ون', 'ين', 'يه', 'ه', 'ي'];
const PROCLITICS = 'وفبلك';
/** Letters that must remain after a proclitic for the rest to count as a word. */
const MIN_REST = 3;

function isArabic(word: string): boolean {
  const c = word.charCodeAt(0);
  return c >= 0x0600 && c <= 0x06ff;
}

/** A word without its light10 article prefix (وال, بال, كال, فال, لل, ال). */
export function stripArticle(word: string): string {
  for (const p of PREFIXES) {
    if (word.startsWith(p) && word.length - p.length >= 2) return word.slice(p.length);
  }
  return word;
}

function stripSuffixes(word: string): string {
  for (const s of SUFFIXES) {
    if (word.endsWith(s) && word.length - s.length >= 2) word = word.slice(0, -s.length);
  }
  return word;
}

/**
 * Stem of a normalized word: an article prefix and light10 suffixes removed.
 * Non-Arabic words (Latin, digits) are returned unchanged.
 * @example stem('والصينيه') // 'صين'
 */
export function stem(word: string): string {
  if (!isArabic(word)) return word;
  return stripSuffixes(stripArticle(word));
}

/**
 * The readings of a word as proclitics plus a word, nearest first: و/ف/ب/ل/ك stripped one at
 * a time, up to two (وبوتين → بوتين; ولروسيا → لروسيا, روسيا), while 3 letters remain.
 * @example withoutProclitics('ولروسيا') // ['لروسيا', 'روسيا']
 */
export function withoutProclitics(word: string): string[] {
  const out: string[] = [];
  let w = word;
  for (let n = 0; n < 2 && isArabic(w) && PROCLITICS.includes(w[0]!) && !w.startsWith('ال'); n++) {
    if (n === 1 && w[0] !== 'ب' && w[0] !== 'ل' && w[0] !== 'ك') break; // only و/ف stand before another
    // ب/ل/ك begin many plain words (بوتين, كرملين): ask for a longer rest before reading one off
    const minRest = w[0] === 'و' || w[0] === 'ف' ? MIN_REST : MIN_REST + 1;
    if (w.length - 1 < minRest) break;
    w = w.slice(1);
    out.push(w);
  }
  return out;
}

/** Letters after which a final ا is not the accusative's tanween: a long vowel's, a pronoun's (قالوا, بها), a hamza's. */
const NOT_TANWEEN_BEFORE = 'اوهء';

/**
 * The word without the alef of an accusative's tanween written without its mark (رسوما for
 * رسوماً: the tokenizer drops the alef when the mark is written), or undefined: a final ا after a
 * consonant or ي, in a word of 4+ letters (دعا, بدا keep theirs). Only a reading: names end so
 * too (شاكيرا, ناسا), and the article rules the tanween out (البابا), so the word keeps its own
 * stem and this is searched beside it as its proclitic-free readings are.
 */
export function withoutTanween(word: string): string | undefined {
  return word.length >= 4 && word.endsWith('ا') && !NOT_TANWEEN_BEFORE.includes(word[word.length - 2]!) ? word.slice(0, -1) : undefined;
}

/**
 * The stems a word contributes: the plain stem, then the stems of its proclitic-free readings,
 * then of its readings without a tanween's alef (رسوما → رسوم, ورسوما → رسوم), each once and
 * unlike the plain stem. Used identically at build time and for queries; `tanween` false leaves the
 * tanween's readings out (a body's words: see READS_TANWEEN).
 * @example stems('لبوتين') // ['لبوت', 'بوت', 'وت']
 * @example stems('ورسوما') // ['ورسوما', 'رسوما', 'ورسوم', 'رسوم']
 */
export function stems(word: string, tanween = true): string[] {
  const plain = stem(word);
  const out = [plain];
  if (!isArabic(word) || stripArticle(word) !== word) return out; // وال/بال/لل: light10 took it (and an article rules out the tanween)
  const readings = withoutProclitics(word);
  for (const rest of readings) {
    const s = stem(rest);
    if (!out.includes(s)) out.push(s);
  }
  if (!tanween) return out;
  for (const rest of [word, ...readings]) {
    const bare = withoutTanween(rest);
    if (bare === undefined) continue;
    const s = stem(bare);
    if (!out.includes(s)) out.push(s);
  }
  return out;
}
