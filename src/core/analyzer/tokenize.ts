import { FOLD_DROP, FOLD_MANY, FOLD_SEPARATOR, FOLD_TABLE, foldCodePoint, foldedCode } from './fold';

/** A word of the original text: its normalized form and where it stands in the original. */
export interface Token {
  /** Normalized form (arabic.md rules 1–6), before stemming. */
  norm: string;
  /** Offset of its first code unit in the original string. */
  start: number;
  /** Offset just past its last code unit, harakat and tatweel included. */
  end: number;
}

const FATHATAN = 0x064b;
const ALEF = 0x0627;

/** Longest token kept; longer runs (base64 blobs, URLs glued together) are cut here. */
export const MAX_TOKEN_LENGTH = 64;

/**
 * Called for each word by {@link scanWords}: the word spans `[start, end)` of the text, and its
 * normalized form is `codes[0 … length)` (at most MAX_TOKEN_LENGTH code units). `codes` is the
 * scanner's own buffer, valid during the call only. Returning true stops the scan.
 */
export type WordVisitor = (start: number, end: number, codes: Uint16Array, length: number) => boolean | void;

/** The scanner's word buffer (scanning is synchronous, so one serves every call). */
let word: Uint16Array = new Uint16Array(256);

/**
 * The tokenizer's loop: walks `text[from … to)` and hands each word's offsets and normalized
 * code units to `visit`, making no string. Callers that look for a few words (highlighting,
 * re-ranking) build a string only for the words that may match.
 */
export function scanWords(text: string, visit: WordVisitor, from = 0, to = text.length): void {
  const table = FOLD_TABLE;
  let buf = word;
  let n = 0; // code units of the current word (may exceed MAX_TOKEN_LENGTH; only that many are handed on)
  let start = -1;
  let end = -1;
  let tanween = false;
  for (let i = from; i < to; ) {
    let cp = text.charCodeAt(i);
    let f = cp < table.length ? table[cp]! : FOLD_MANY;
    if (f >= 0 && !tanween) {
      // The common case, a plain letter or digit: appended, nothing else to decide.
      if (start < 0) start = i;
      if (n === buf.length) buf = grow();
      buf[n++] = f;
      end = ++i;
      continue;
    }
    let width = 1;
    if (f === FOLD_MANY) {
      if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < to) {
        const low = text.charCodeAt(i + 1);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = ((cp - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
          width = 2;
        }
      }
      f = foldedCode(cp);
    }
    if (cp === FATHATAN && n > 0 && buf[n - 1] === ALEF) {
      n--; // رئيساً: the alef only carries the tanween; رئيسا and رئيس are the same word
    } else if (cp === FATHATAN) {
      tanween = true; // written before its alef (رئيسًا): drop that alef when it comes
    } else if (tanween && f === ALEF) {
      tanween = false;
      end = i + width;
      i += width;
      continue;
    }
    if (f !== FOLD_DROP) tanween = false;
    if (f === FOLD_SEPARATOR) {
      if (n > 0 && visit(start, end, buf, Math.min(n, MAX_TOKEN_LENGTH)) === true) return;
      n = 0;
      start = -1;
    } else if (f !== FOLD_DROP) {
      if (start < 0) start = i;
      const folded = f === FOLD_MANY ? foldCodePoint(cp)! : String.fromCharCode(f);
      for (let k = 0; k < folded.length; k++) {
        if (n === buf.length) buf = grow();
        buf[n++] = folded.charCodeAt(k);
      }
      end = i + width;
    } else if (start >= 0) {
      end = i + width; // a mark inside or after a word belongs to it
    }
    i += width;
  }
  if (n > 0) visit(start, end, buf, Math.min(n, MAX_TOKEN_LENGTH));
}

/** Doubles the word buffer (a word longer than any seen so far). */
function grow(): Uint16Array {
  const grown = new Uint16Array(word.length * 2);
  grown.set(word);
  return (word = grown);
}

/** The string of `codes[0 … length)`. */
export function codesToString(c: Uint16Array, length: number): string {
  // Spelled out by length: V8 makes short strings fastest from fixed arguments.
  switch (length) {
    case 1: return String.fromCharCode(c[0]!);
    case 2: return String.fromCharCode(c[0]!, c[1]!);
    case 3: return String.fromCharCode(c[0]!, c[1]!, c[2]!);
    case 4: return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!);
    case 5: return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!);
    case 6: return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!);
    case 7: return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!);
    case 8: return String.fromCharCode(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!);
    default: return String.fromCharCode.apply(null, c.subarray(0, length) as unknown as number[]);
  }
}

/**
 * Splits text into normalized words with offsets into the original string, so that
 * highlighting can wrap the original word whole, harakat and clitics included.
 * @example tokenize('وبوتينُ، الصين')[0] // { norm: 'وبوتين', start: 0, end: 7 }
 */
export function tokenize(text: string, limit = Infinity): Token[] {
  const tokens: Token[] = [];
  scanWords(text, (start, end, codes, length) => tokens.push({ norm: codesToString(codes, length), start, end }) >= limit);
  return tokens;
}
