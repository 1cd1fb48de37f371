/**
 * Character folding for Arabic text (arabic.md, rules 1–6), one code point at a time so that
 * the tokenizer can keep every token's offsets in the original string.
 *
 * `foldCodePoint` returns what a code point becomes: a string of letters/digits, `''` for a
 * mark that vanishes inside a word (harakat, tatweel, invisible characters), or `null` for a
 * separator. Basic Latin and the Arabic block go through a precomputed table; everything else
 * through NFKC once and a cache.
 */

/** Marks the table uses for "drop this" and "this separates words". */
const DROP = '';
const SEP = null;
type Folded = string | null;

const INVISIBLE = new Set<number>([
  0x00ad, 0x061c, 0xfeff, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f,
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2060, 0x2066, 0x2067, 0x2068, 0x2069,
]);

/** Rule 4: letter folds, applied after NFKC. */
const LETTER_FOLDS: Record<number, string> = {
  0x0622: 'ا', 0x0623: 'ا', 0x0625: 'ا', 0x0671: 'ا', 0x0672: 'ا', 0x0673: 'ا', // آ أ إ ٱ ٲ ٳ
  0x0649: 'ي', 0x06cc: 'ي', 0x06d2: 'ي', 0x06d3: 'ي', 0x0626: 'ي', // ى ی ے ۓ ئ
  0x06a9: 'ك', 0x06aa: 'ك', // ک ڪ
  0x0629: 'ه', 0x06c0: 'ه', 0x06c1: 'ه', 0x06c2: 'ه', 0x06d5: 'ه', // ة ۀ ہ ۂ ە
  0x0624: 'و', // ؤ
};

function isArabicMark(cp: number): boolean {
  return (
    cp === 0x0640 || // tatweel
    (cp >= 0x0610 && cp <= 0x061a) ||
    (cp >= 0x064b && cp <= 0x065f) ||
    cp === 0x0670 ||
    (cp >= 0x06d6 && cp <= 0x06ed)
  );
}

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;
const MARK = /\p{M}/u;
const DECIMAL_DIGIT = /\p{Nd}/u;

/** Value 0–9 of any Unicode decimal digit: Nd digits come in runs of ten starting at zero. */
function digitValue(cp: number): number {
  let run = 0;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(cp - run - 1))) run++;
  return run % 10;
}

/** Folds one character that NFKC has already produced (rules 2–6). */
function foldNormalizedChar(ch: string): Folded {
  const cp = ch.codePointAt(0)!;
  if (INVISIBLE.has(cp) || isArabicMark(cp)) return DROP;
  const letter = LETTER_FOLDS[cp];
  if (letter !== undefined) return letter;
  if (cp >= 0x30 && cp <= 0x39) return ch;
  if (DECIMAL_DIGIT.test(ch)) return String(digitValue(cp));
  if (LETTER_OR_DIGIT.test(ch)) return ch.toLowerCase();
  if (MARK.test(ch)) return DROP;
  return SEP;
}

/** Full path for one code point: NFKC (rule 1) then the folds; may expand (ﻻ → لا, ﷲ → الله). */
function foldSlow(cp: number): Folded {
  if (INVISIBLE.has(cp)) return DROP; // NFKC would keep some of these
  const nfkc = String.fromCodePoint(cp).normalize('NFKC');
  let out = '';
  let sawText = false;
  for (const ch of nfkc) {
    const f = foldNormalizedChar(ch);
    if (f === SEP) {
      // A compatibility form that expands to letters and spaces (ﷺ) still separates words.
      if (sawText) return out.length > 0 ? out : SEP;
      continue;
    }
    sawText = true;
    out += f;
  }
  return sawText ? out : SEP;
}

const TABLE_SIZE = 0x0700;
const table: Folded[] = Array.from({ length: TABLE_SIZE }, (_, cp) => foldSlow(cp));
const cache = new Map<number, Folded>();
const CACHE_LIMIT = 4096;

/** {@link foldedCode}'s answers besides a code unit. */
export const FOLD_DROP = -1;
export const FOLD_SEPARATOR = -2;
/** The code point folds to several code units (ﻻ → لا): ask {@link foldCodePoint}. */
export const FOLD_MANY = -3;

/** {@link foldedCode} of the code points below 0x700, by code point. */
export const FOLD_TABLE = Int32Array.from(table, (f) => (f === SEP ? FOLD_SEPARATOR : f === DROP ? FOLD_DROP : f.length === 1 ? f.charCodeAt(0) : FOLD_MANY));

/**
 * {@link foldCodePoint} as a number, for the tokenizer's inner loop: the one code unit a code
 * point folds to, or FOLD_DROP, FOLD_SEPARATOR or FOLD_MANY. No string is made.
 */
export function foldedCode(cp: number): number {
  if (cp < TABLE_SIZE) return FOLD_TABLE[cp]!;
  const f = foldCodePoint(cp);
  return f === SEP ? FOLD_SEPARATOR : f === DROP ? FOLD_DROP : f.length === 1 ? f.charCodeAt(0) : FOLD_MANY;
}

/** What one code point becomes after rules 1–6: text, `''` (vanishes inside a word) or `null` (separator). */
export function foldCodePoint(cp: number): string | null {
  if (cp < TABLE_SIZE) return table[cp]!;
  let f = cache.get(cp);
  if (f === undefined) {
    f = foldSlow(cp);
    // Bounded: a hostile query can hold many distinct code points.
    if (cache.size < CACHE_LIMIT) cache.set(cp, f);
  }
  return f;
}
