/**
 * The known-item test's query rewritings: the spellings Arabic readers actually type. Each
 * variant is a pure function of the query and a seeded random source, so a run is repeatable
 * and a variant's randomness does not depend on which other variants ran.
 */

import { normalize } from '../../src/core/analyzer/index';
import { mulberry32, type Rng } from '../lib/random';

export { mulberry32, type Rng };

/** FNV-1a of a string: turns (seed, item, variant) into an independent RNG seed. */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

/** Arabic base letters (hamza to yeh), the letters a variant may touch. */
const ARABIC_LETTER = /[\u0621-\u064a]/;
const isLetter = (ch: string) => ARABIC_LETTER.test(ch);
/** Letters that do not join to the following letter: no tatweel may follow them. */
const NON_JOINING = new Set([...'اأإآءدذرزوؤةى']);

const FATHA = '\u064e';
const DAMMA = '\u064f';
const KASRA = '\u0650';
const SHADDA = '\u0651';
const SUKUN = '\u0652';
const TATWEEL = '\u0640';

/** Applies `f` to every whitespace-separated word, keeping the spacing. */
function mapWords(q: string, f: (word: string, index: number) => string): string {
  let i = 0;
  return q.replace(/\S+/g, (w) => f(w, i++));
}

/** Number of Arabic letters in a word. */
export function letterCount(word: string): number {
  return [...word].filter(isLetter).length;
}

// ---------------------------------------------------------------------------------------------
// The variants
// ---------------------------------------------------------------------------------------------

/** Harakat after every second letter (a shadda with a vowel now and then), as in vocalized text. */
function harakat(q: string, rng: Rng): string {
  return mapWords(q, (w) => {
    let out = '';
    let letters = 0;
    for (const ch of w) {
      out += ch;
      // Long vowels (ا ى) carry no haraka; the mark goes on the next letter instead.
      if (!isLetter(ch) || ch === 'ا' || ch === 'ى') continue;
      if (++letters % 2 === 0) out += rng() < 0.15 ? SHADDA + pick(rng, [FATHA, KASRA, DAMMA]) : pick(rng, [FATHA, KASRA, DAMMA, SUKUN]);
    }
    return out;
  });
}

/** Hamza on alef dropped (أ إ آ → ا), and a bare initial alef given one (انتخابات → إنتخابات), as careless and careful typists do. */
function alef(q: string, rng: Rng): string {
  return mapWords(q, (w) => {
    if (/[أإآ]/.test(w)) return w.replace(/[أإآ]/g, 'ا');
    if (w.startsWith('ا') && !w.startsWith('ال') && letterCount(w) >= 3) return pick(rng, ['أ', 'إ']) + w.slice(1);
    return w;
  });
}

/** Final ة written ه and final ه written ة. */
function taMarbuta(q: string): string {
  return mapWords(q, (w) => w.replace(/([ةه])(?=[^\u0621-\u064a]*$)/u, (c) => (c === 'ة' ? 'ه' : 'ة')));
}

/** Final ي written ى and final ى written ي. */
function ya(q: string): string {
  return mapWords(q, (w) => w.replace(/([يى])(?=[^\u0621-\u064a]*$)/u, (c) => (c === 'ي' ? 'ى' : 'ي')));
}

/** Tatweel stretched inside words of 4+ letters, after a letter that joins forward. */
function tatweel(q: string, rng: Rng): string {
  return mapWords(q, (w) => {
    const chars = [...w];
    const slots: number[] = [];
    for (let i = 1; i < chars.length - 1; i++) {
      if (isLetter(chars[i - 1]!) && isLetter(chars[i]!) && !NON_JOINING.has(chars[i - 1]!)) slots.push(i);
    }
    if (letterCount(w) < 4 || slots.length === 0) return w;
    const at = pick(rng, slots);
    chars.splice(at, 0, TATWEEL.repeat(1 + Math.floor(rng() * 2)));
    return chars.join('');
  });
}

/** Western digits written as Arabic-Indic ones. */
function digits(q: string): string {
  return q.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

/** Persian keyboard letters: ی for ي/ى and ک for ك. */
function persian(q: string): string {
  return q.replace(/[يى]/g, 'ی').replace(/ك/g, 'ک');
}

/** The article ال left out (الرئيس → رئيس). */
function noAl(q: string): string {
  return mapWords(q, (w) => (w.startsWith('ال') && letterCount(w) >= 4 ? w.slice(2) : w));
}

/** و glued to every other Arabic word, starting with the first (وبوتين). */
function waw(q: string): string {
  let arabic = 0;
  return mapWords(q, (w) => (isLetter([...w][0] ?? '') && arabic++ % 2 === 0 ? `و${w}` : w));
}

/** Letters after which a final ا is not the accusative's tanween (a long vowel's, a pronoun's, a hamza's). */
const NOT_TANWEEN_BEFORE = new Set([...'اويهءأإآؤئى']);

/**
 * The accusative's tanween alef left out, as a reader types a word's plain form (رسوما جمركية →
 * رسوم جمركية, مقتل 26 شخصا → مقتل 26 شخص): a final ا after a consonant, in a word of 4+ letters
 * without the article, when the archive writes the word without it at least as often (`words`:
 * normalized words and their documents), so that a name ending in ا (كندا, ناسا) stays.
 */
function tanween(q: string, _rng: Rng, words?: ReadonlyMap<string, number>): string {
  return mapWords(q, (w) => {
    if (!words || letterCount(w) < 4 || !w.endsWith('ا') || w.startsWith('ال') || NOT_TANWEEN_BEFORE.has(w.at(-2)!)) return w;
    const n = normalize(w);
    return (words.get(n.slice(0, -1)) ?? 0) >= (words.get(n) ?? 0) ? w.slice(0, -1) : w;
  });
}

/**
 * Words the corpus's outlets spell their own ways, labelled by hand from their articles by
 * outlet (ANT corpus, 2026-12-06): أميرك- (Sky News Arabia 4,189, AlArabiya 1,143) against أمريك-
 * (CNN 1,544, BBC 1,455, France24 860); ترامب (Sky News 1,611, CNN 667, BBC 664) against ترمب
 * (AlArabiya 511); تشيلسي (AlArabiya 154) against تشلسي (Sky News 207); دانيالز against
 * دانيلز (BBC 17); نتنياهو (CNN 106, BBC 77) against نتانياهو (Sky News 131, France24 76);
 * بوتين against بوتن (Sky News 300). Each side is matched inside a word (after a proclitic or
 * the article, before a suffix), a leading أ also as ا. Not taken from what the build finds
 * (indexer/house-styles.ts): the rewriting also measures the pairs it misses.
 */
const HOUSE_STYLE_PAIRS: readonly [string, string][] = [['أميرك', 'أمريك'], ['ترامب', 'ترمب'], ['تشيلسي', 'تشلسي'], ['دانيالز', 'دانيلز'], ['نتنياهو', 'نتانياهو'], ['بوتين', 'بوتن']];
const HOUSE_STYLE_RULES = HOUSE_STYLE_PAIRS.flatMap(([a, b]) => {
  const re = (f: string) => new RegExp(`^([\u0621-\u064A]{0,3})${f.replace(/^أ/, '[أا]')}`);
  return [[re(a), b], [re(b), a]] as [RegExp, string][];
});

/** A word of a pair in the other outlets' spelling (ترامب → ترمب, الأمريكية → الأميركية). */
function houseStyle(q: string): string {
  return mapWords(q, (w) => {
    for (const [re, other] of HOUSE_STYLE_RULES) if (re.test(w)) return w.replace(re, `$1${other}`);
    return w;
  });
}

/** Common letters a slip of the finger produces. */
const TYPO_LETTERS = [...'ابتثجحخدذرزسشصضطظعغفقكلمنهوي'];

/**
 * One edit in a word (substitution, deletion or transposition), never on its first letter nor
 * in the article ال; returns the word unchanged if it has no room for one.
 */
export function typoWord(word: string, rng: Rng): string {
  const chars = [...word];
  const letterAt = chars.map((c, i) => (isLetter(c) ? i : -1)).filter((i) => i >= 0);
  const skip = word.startsWith('ال') && letterAt.length >= 5 ? 3 : 1;
  const editable = letterAt.slice(skip);
  if (editable.length < 2) return word;
  for (let attempt = 0; attempt < 10; attempt++) {
    const kind = pick(rng, ['sub', 'del', 'swap'] as const);
    const k = Math.floor(rng() * editable.length);
    const at = editable[k]!;
    const out = [...chars];
    if (kind === 'sub') out[at] = pick(rng, TYPO_LETTERS.filter((c) => c !== chars[at]));
    else if (kind === 'del') out.splice(at, 1);
    else {
      const next = editable[k + 1];
      if (next === undefined || chars[next] === chars[at]) continue;
      [out[at], out[next]] = [chars[next]!, chars[at]!];
    }
    return out.join('');
  }
  return word;
}

/** One typo in the query's longest word of 5+ letters (the first, if tied). */
function typo(q: string, rng: Rng): string {
  const words = q.split(/\s+/).filter(Boolean);
  let target = -1;
  words.forEach((w, i) => {
    const n = letterCount(w);
    if (n >= 5 && (target < 0 || n > letterCount(words[target]!))) target = i;
  });
  if (target < 0) return q;
  return mapWords(q, (w, i) => (i === target ? typoWord(w, rng) : w));
}

/** Egyptian print's hamza on yeh before waw (مسؤول → مسئول, شؤون → شئون). */
function hamzaSeat(q: string): string {
  return q.replace(/ؤ(?=[\u064B-\u065F]*و)/g, 'ئ');
}

/**
 * Compound names the other way: written apart as one word (عبد الله → عبدالله, أبو ظبي →
 * أبوظبي), written as one with an article apart (عبدالعزيز → عبد العزيز).
 */
function compound(q: string): string {
  const words = q.split(' ');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const joined = /^(عبد|أبو|ابو)(ال[\u0621-\u064A]{2,})$/.exec(w);
    const next = words[i + 1];
    if (joined) out.push(joined[1]!, joined[2]!);
    else if (/^(عبد|أبو|ابو)$/.test(w) && next && /^[\u0621-\u064A]{2}/.test(next)) out.push(w + words[++i]);
    else out.push(w);
  }
  return out.join(' ');
}

/**
 * What a news site's reader types around a topic (not a headline's words): "news of", "the
 * latest on", "breaking", "today", "what happened in", in Modern Standard Arabic and in Levantine
 * speech. Written here from the genre, not drawn from any query; the title's words are kept
 * whole, so a search that finds the article for the words alone should find it framed.
 */
export const NEWS_FRAMES: readonly string[] = [
  'أخبار {}', 'آخر أخبار {}', 'آخر مستجدات {}', 'أحدث تطورات {}', 'عاجل {}', '{} اليوم', 'ماذا حدث في {}', 'شو صار في {}',
];

/** The query inside one of a reader's news frames ({@link NEWS_FRAMES}), drawn by the seeded source. */
function newsFrame(q: string, rng: Rng): string {
  return pick(rng, NEWS_FRAMES).replace('{}', q);
}

/** The key of the Latin (US) layout that types each Arabic letter on the Arabic (101) layout; أ إ آ their shifted keys. */
export const LATIN_KEY: Readonly<Record<string, string>> = {
  ض: 'q', ص: 'w', ث: 'e', ق: 'r', ف: 't', غ: 'y', ع: 'u', ه: 'i', خ: 'o', ح: 'p', ج: '[', د: ']',
  ش: 'a', س: 's', ي: 'd', ب: 'f', ل: 'g', ا: 'h', ت: 'j', ن: 'k', م: 'l', ك: ';', ط: "'",
  ئ: 'z', ء: 'x', ؤ: 'c', ر: 'v', ى: 'n', ة: 'm', و: ',', ز: '.', ظ: '/', ذ: '`', أ: 'H', إ: 'Y', آ: 'N',
};

/**
 * The query's words typed with the keyboard left on its Latin layout (بوتين → f,jdk): each Arabic
 * letter as the key that types it, digits as typed, harakat and tatweel left out, punctuation and
 * Latin words as a space between words (a reader retyping the words: «للسعوديين..وهذه» is two).
 */
export function latinLayout(q: string): string {
  return [...q].map((c) => LATIN_KEY[c] ?? (/[0-9]/.test(c) ? c : /[\u064b-\u0652\u0640]/.test(c) ? '' : ' ')).join('').replace(/\s+/g, ' ').trim();
}

export interface Variant {
  name: string;
  /** What the rewriting does, for the report. */
  description: string;
  /** `words`: the archive's normalized words and their documents, for a rewriting that asks what the archive writes. */
  apply: (query: string, rng: Rng, words?: ReadonlyMap<string, number>) => string;
  /** Few titles give it anything to rewrite: the sample is topped up with titles it changes. */
  rare?: boolean;
}

export const VARIANTS: readonly Variant[] = [
  { name: 'harakat', description: 'fatha/kasra/damma/sukun (sometimes shadda) after every 2nd letter', apply: harakat },
  { name: 'alef', description: 'أ/إ/آ → ا; bare initial ا → أ/إ', apply: alef },
  { name: 'ta-marbuta', description: 'final ة → ه and final ه → ة', apply: taMarbuta },
  { name: 'ya', description: 'final ي → ى and final ى → ي', apply: ya },
  { name: 'tatweel', description: 'ـ inside every word of 4+ letters', apply: tatweel },
  { name: 'digits', description: '0-9 → ٠-٩', apply: digits },
  { name: 'persian', description: 'ي/ى → ی, ك → ک', apply: persian },
  { name: 'no-al', description: 'leading ال dropped', apply: noAl },
  { name: 'waw', description: 'و attached to every other word, from the first', apply: waw },
  { name: 'hamza-seat', description: 'ؤ before و → ئ (Egyptian print: مسئول, شئون)', apply: hamzaSeat, rare: true },
  { name: 'compound', description: 'compound names the other way: عبد الله → عبدالله, أبو ظبي → أبوظبي; عبدالعزيز → عبد العزيز (عبد/أبو only)', apply: compound, rare: true },
  { name: 'tanween', description: 'the accusative\'s tanween alef left out (رسوما → رسوم, شخصا → شخص) where the archive writes the plain form at least as often', apply: tanween, rare: true },
  { name: 'house', description: 'a word in the other outlets\' spelling (ترامب → ترمب, الأمريكية → الأميركية; six pairs labelled by hand from the corpus\'s outlets, not those the build finds)', apply: houseStyle, rare: true },
  { name: 'news-frame', description: 'the words inside a news reader\'s frame: أخبار X, آخر أخبار X, آخر مستجدات X, أحدث تطورات X, عاجل X, X اليوم, ماذا حدث في X, شو صار في X (one drawn per query)', apply: newsFrame },
  { name: 'latin-layout', description: 'the words typed with the keyboard on its Latin layout: each letter as the key that types it on the Arabic (101) layout (بوتين → f,jdk; أ إ آ by their shifted keys H Y N), punctuation and Latin words as a space between words', apply: latinLayout },
  { name: 'typo', description: 'one substitution/deletion/transposition (not the first letter) in the longest word of 5+ letters', apply: typo },
];
