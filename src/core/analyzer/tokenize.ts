import { foldCodePoint } from './normalize';

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

/** Longest token kept; longer runs (base64 blobs, URLs glued together) are cut here. */
export const MAX_TOKEN_LENGTH = 64;

/**
 * Splits text into normalized words with offsets into the original string, so that
 * highlighting can wrap the original word whole, harakat and clitics included.
 * @example tokenize('وبوتينُ، الصين')[0] // { norm: 'وبوتين', start: 0, end: 7 }
 */
export function tokenize(text: string, limit = Infinity): Token[] {
  const tokens: Token[] = [];
  let norm = '';
  let start = -1;
  let end = -1;
  let tanween = false;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldCodePoint(cp);
    if (cp === FATHATAN && norm.endsWith('ا')) {
      // رئيساً: the alef only carries the tanween; رئيسا and رئيس are the same word
      norm = norm.slice(0, -1);
    } else if (cp === FATHATAN) {
      tanween = true; // written before its alef (رئيسًا): drop that alef when it comes
    } else if (tanween && f === 'ا') {
      tanween = false;
      end = i + width;
      i += width;
      continue;
    }
    if (f !== '') tanween = tanween && f === '';
    if (f === null) {
      if (norm.length > 0) {
        tokens.push({ norm: norm.slice(0, MAX_TOKEN_LENGTH), start, end });
        if (tokens.length >= limit) return tokens;
      }
      norm = '';
      start = -1;
    } else if (f.length > 0) {
      if (start < 0) start = i;
      norm += f;
      end = i + width;
    } else if (start >= 0) {
      end = i + width; // a mark inside or after a word belongs to it
    }
    i += width;
  }
  if (norm.length > 0) tokens.push({ norm: norm.slice(0, MAX_TOKEN_LENGTH), start, end });
  return tokens;
}
