/**
 * How Latin spelling is written in Arabic: for each letter, digraph and Arabizi digit, the
 * Arabic letters it can stand for, each with a cost (the negative log of how often, roughly:
 * 0 the usual reading, 0.3–0.6 a common one, 1–2 a rare one). Written from the phonology of
 * the two scripts (English, French, Italian, German and pinyin spellings of names, and the
 * Arabizi of chat), not from any list of names. Arabic letters are given folded as the analyzer
 * folds them (أ → ا, ة → ه, ى → ي), so they compare with the archive's normalized words.
 */

/** One way of writing a piece of Latin in Arabic: letters (possibly none) and a cost. */
export type Option = readonly [arabic: string, cost: number];

/** Options of a piece by where it stands in the word (`any` when the place does not matter). */
interface Piece {
  any: readonly Option[];
  /** At the start of a word (Arabic starts no word with a vowel: ا or ع carries it). */
  first?: readonly Option[];
  /** At the end of a word. */
  last?: readonly Option[];
}

const SHORT_A: Piece = {
  any: [['ا', 0.5], ['', 0.4], ['ع', 1.5], ['ه', 1.6], ['ي', 1.8]],
  // A name's first vowel is carried by ا or by ع about as often (Amman, Abbas, Omar, Iraq).
  first: [['ا', 0.2], ['ع', 0.6]],
  // The -a of Latin place names is often not Arabic (Argentina الأرجنتين).
  last: [['ا', 0.2], ['ه', 0.6], ['', 0.7], ['ي', 0.9], ['اء', 1.2], ['ع', 1.5]],
};
const SHORT_E: Piece = {
  any: [['', 0.3], ['ي', 0.6], ['ا', 0.9], ['ع', 1.8]],
  first: [['ا', 0.3], ['اي', 0.8], ['ع', 0.8], ['ي', 2.0]],
  // A final e is mostly silent; in place names often an ا (Rome روما, Libye ليبيا).
  last: [['', 0.3], ['ا', 0.6], ['ي', 0.6], ['ه', 0.7]],
};
const SHORT_I: Piece = {
  any: [['ي', 0.3], ['', 0.5], ['ا', 1.2], ['ع', 1.8]],
  first: [['ا', 0.3], ['اي', 0.5], ['ع', 0.8], ['ي', 2.0]],
  last: [['ي', 0.1], ['', 1.5]],
};
const SHORT_O: Piece = {
  any: [['و', 0.3], ['', 0.6], ['ا', 1.0], ['ع', 1.8]],
  first: [['او', 0.3], ['ع', 0.6], ['ا', 0.8], ['عو', 1.2]],
  last: [['و', 0.2], ['', 1.5], ['ا', 1.5]],
};
const SHORT_U: Piece = {
  // English u is often the vowel of "but", which Arabic writes ا (Trump ترامب).
  any: [['و', 0.3], ['', 0.6], ['ا', 0.9], ['ع', 1.8]],
  // English u is also "you" (UNESCO اليونسكو).
  first: [['او', 0.4], ['ا', 0.7], ['ع', 0.7], ['عو', 1.0], ['يو', 1.0]],
  last: [['و', 0.2], ['', 1.5]],
};

/** Every piece of Latin spelling the model reads, longest first where they overlap. */
const PIECES: Record<string, Piece> = {
  // Vowels and vowel digraphs.
  a: SHORT_A,
  e: SHORT_E,
  i: SHORT_I,
  o: SHORT_O,
  u: SHORT_U,
  aa: { any: [['ا', 0], ['ع', 1.2]], first: [['ا', 0], ['ع', 0.6]], last: [['اء', 0.5], ['ا', 0.3], ['ع', 1.0]] },
  ee: { any: [['ي', 0], ['', 1.2]], first: [['اي', 0.3]] },
  ea: { any: [['ي', 0.4], ['يا', 0.5], ['', 1.0]], first: [['اي', 0.5]] },
  ie: { any: [['ي', 0.2], ['يا', 0.8]], first: [['اي', 0.5]], last: [['ي', 0.3], ['يا', 0.6], ['', 1.0]] },
  // English -ia makes country names of some Arabic ones (Tunisia تونس).
  ia: { any: [['يا', 0.4], ['ي', 0.6]], first: [['ايا', 0.5]], last: [['يا', 0.2], ['يه', 0.8], ['ي', 0.8], ['', 1.0]] },
  oo: { any: [['و', 0], ['', 1.5]], first: [['او', 0.3]] },
  ou: { any: [['و', 0], ['', 1.2]], first: [['او', 0.4], ['ا', 0.8], ['عو', 1.0]], last: [['و', 0]] },
  ai: { any: [['اي', 0.3], ['ي', 0.4], ['ا', 1.0]], first: [['اي', 0.3], ['ا', 1.0]] },
  ay: { any: [['اي', 0.3], ['ي', 0.4], ['ا', 1.0]], first: [['اي', 0.3]] },
  ei: { any: [['ي', 0.3], ['اي', 0.5], ['', 1.0]], first: [['اي', 0.3]] },
  ey: { any: [['ي', 0.3], ['اي', 0.5]], first: [['اي', 0.3]], last: [['ي', 0.3], ['يا', 0.6], ['اي', 0.5]] },
  au: { any: [['او', 0.3], ['و', 0.4]], first: [['او', 0.3], ['ا', 0.8]] },
  aw: { any: [['او', 0.3], ['و', 0.4]], first: [['او', 0.3]] },
  oa: { any: [['وا', 0.5], ['و', 0.6]] },
  oi: { any: [['وي', 0.3], ['وا', 0.8]] },
  oy: { any: [['وي', 0.3]] },
  // Consonants.
  b: { any: [['ب', 0]] },
  p: { any: [['ب', 0]] },
  t: { any: [['ت', 0], ['ط', 0.8]] },
  th: { any: [['ت', 0.4], ['ث', 0.5], ['ذ', 1.0], ['ط', 1.2]] },
  d: { any: [['د', 0], ['ض', 0.8], ['ذ', 1.0]] },
  dh: { any: [['ذ', 0.4], ['ض', 0.6], ['ظ', 0.6], ['د', 0.9]] },
  dj: { any: [['ج', 0]] },
  j: { any: [['ج', 0], ['ي', 1.2], ['خ', 2.0]] },
  g: { any: [['ج', 0.4], ['غ', 0.4], ['ق', 0.9], ['ك', 1.5], ['ڨ', 1.5]] },
  gh: { any: [['غ', 0], ['ج', 1.0], ['ق', 1.2]] },
  gu: { any: [['غ', 0.5], ['ج', 1.0], ['غو', 0.8], ['قو', 1.2]] },
  h: { any: [['ه', 0.3], ['ح', 0.3], ['', 1.0]] },
  kh: { any: [['خ', 0], ['ك', 1.2]] },
  k: { any: [['ك', 0], ['ق', 0.6], ['خ', 1.5]] },
  q: { any: [['ق', 0], ['ك', 0.8]] },
  // qu with its u silent, as in French (Mexique المكسيك) and often in English.
  qu: { any: [['ق', 0.3], ['ك', 0.4], ['قو', 0.4], ['كو', 0.8]] },
  c: { any: [['ك', 0.3], ['س', 0.6], ['ق', 1.2], ['ش', 1.5], ['تش', 1.5]] },
  ch: { any: [['ش', 0.3], ['تش', 0.8], ['ك', 1.0], ['خ', 1.2]] },
  ck: { any: [['ك', 0]] },
  cc: { any: [['ك', 0.2], ['كس', 0.8], ['تش', 1.2]] },
  f: { any: [['ف', 0]] },
  ph: { any: [['ف', 0]] },
  v: { any: [['ف', 0.2], ['ڤ', 1.0]] },
  l: { any: [['ل', 0]] },
  m: { any: [['م', 0]] },
  n: { any: [['ن', 0]] },
  r: { any: [['ر', 0]] },
  // Latin writes س and the emphatic ص alike (Salah صلاح, Saddam صدام, Sudan السودان).
  s: { any: [['س', 0], ['ص', 0.4], ['ز', 0.9], ['ث', 1.5], ['ش', 2.0]] },
  sh: { any: [['ش', 0]] },
  sch: { any: [['ش', 0.2]] },
  tch: { any: [['تش', 0.3], ['ش', 0.5]] },
  z: { any: [['ز', 0], ['ظ', 0.9], ['س', 1.0], ['ذ', 1.1], ['تس', 1.5]] },
  zh: { any: [['ج', 0.5], ['ز', 0.5], ['ظ', 0.8], ['ض', 1.0]] },
  w: { any: [['و', 0]] },
  y: { any: [['ي', 0]], last: [['ي', 0.1], ['يا', 0.6]] },
  // x is ks in English and French, sh in pinyin, Portuguese and Catalan (Xi شي).
  x: { any: [['كس', 0.3], ['ش', 0.6], ['ز', 1.5], ['س', 1.5]] },
  // Arabizi: digits for the letters Latin lacks.
  // The hamza, and in Egyptian and Levantine chat the ق those dialects say as a hamza.
  2: { any: [['ا', 0.3], ['ء', 0.3], ['ق', 0.6], ['و', 1.0], ['ي', 1.0], ['', 1.0]] },
  3: { any: [['ع', 0], ['غ', 1.5]] },
  5: { any: [['خ', 0]] },
  6: { any: [['ط', 0]] },
  7: { any: [['ح', 0]] },
  8: { any: [['غ', 0.3], ['ق', 0.8]] },
  9: { any: [['ق', 0.3], ['ص', 0.3]] },
};

const LONGEST = 3;

/**
 * Arabic letters a Latin spelling may leave unwritten, with what leaving them out costs: the
 * ع and hamza Latin has no letter for (سعودي from Saudi), long vowels (a long ا least of all:
 * Latin writes an a for it), and a final ة.
 */
export const UNWRITTEN: Readonly<Record<string, number>> = Object.freeze({ 'ع': 1.2, 'ء': 1.0, 'ا': 1.5, 'ي': 1.3, 'و': 1.3, 'ه': 1.3 });
/** A final ه (ة, as in السعودية for Saudi) is left unwritten more often than one inside a word. */
export const UNWRITTEN_LAST_H = 0.6;

/** A Latin word as pieces, each with the Arabic options of its place. */
export type Pieces = readonly (readonly Option[])[];

/** Latin letters and Arabizi digits only, accents removed (é → e, ğ → g), lower case. */
export function latinLetters(word: string): string {
  return word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** True for a word the model can read: two Latin letters or more, and only the digits Arabizi uses for letters. */
export function readable(word: string): boolean {
  const w = latinLetters(word);
  return /^[a-z2356789]+$/.test(w) && /[a-z].*[a-z]/.test(w);
}

/**
 * A Latin word as pieces, longest match first. A doubled consonant is one piece: mostly one
 * Arabic letter (written once, with a shadda the archive's text drops), or two letters, alike
 * (rare) or not (the قج of Khashoggi, Turkish Kaşıkçı), at a cost.
 */
export function piecesOf(word: string): Pieces {
  const w = latinLetters(word);
  const out: (readonly Option[])[] = [];
  for (let i = 0; i < w.length; ) {
    let len = Math.min(LONGEST, w.length - i);
    while (len > 1 && !PIECES[w.slice(i, i + len)]) len--;
    const key = w.slice(i, i + len);
    const piece = PIECES[key]!;
    const doubled = len === 1 && w[i + 1] === key && !'aeiouy'.includes(key);
    const end = i + (doubled ? 2 : len);
    const options = (i === 0 && piece.first) || (end === w.length && piece.last) || piece.any;
    out.push(doubled ? [...options, ...options.flatMap(([a, c]) => options.map(([b, d]): Option => [a + b, c + d + (a === b ? 1.0 : 0.5)]))] : options);
    i = end;
  }
  return out;
}
