/**
 * Cheap tests of how far apart two words are, for typo candidates: a letter-set filter and a
 * bounded Damerau–Levenshtein distance, both allocation-free (they run over thousands of lexicon
 * words per query).
 */

/** Number of bits set. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * The letters of a word as a 32-bit set (letters hashed to bits). Two words `d` edits apart
 * differ in at most `2d` letters present, and hashing only merges differences, so
 * `popcount(letterSet(a) ^ letterSet(b)) > 2d` proves them further apart without an
 * {@link editDistance}: a cheap first test over thousands of lexicon words.
 */
export function letterSet(word: string): number {
  let set = 0;
  for (let i = 0; i < word.length; i++) set |= 1 << (word.charCodeAt(i) & 31);
  return set;
}

const ROWS = [new Int32Array(65), new Int32Array(65), new Int32Array(65)];

/**
 * Damerau–Levenshtein (optimal string alignment) distance, or `max + 1` once it exceeds `max`.
 * Allocation-free (three reused rows): it runs over thousands of lexicon words per query.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (a.length > 64 || b.length > 64) return a === b ? 0 : max + 1;
  let [prev2, prev, cur] = ROWS as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}
