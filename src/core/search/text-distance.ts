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
export function letterSet(word: string, from = 0, to = word.length): number {
  let set = 0;
  for (let i = from; i < to; i++) set |= 1 << (word.charCodeAt(i) & 31);
  return set;
}

const ROWS = [new Int32Array(65), new Int32Array(65), new Int32Array(65)];

/**
 * Damerau–Levenshtein (optimal string alignment) distance when it is at most `max`; otherwise
 * some number above `max`. Allocation-free (three reused rows): it runs over thousands of
 * lexicon words per query. Only the band of cells within `max` of the diagonal is computed (a
 * path that leaves it costs more than `max`): 3 or 5 cells a row, not the word's length.
 * `b` may be a word inside a longer text, from `from` to `to` (a lexicon list's, unmade).
 */
export function editDistance(a: string, b: string, max: number, from = 0, to = b.length): number {
  const la = a.length;
  const lb = to - from;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la > 64 || lb > 64) return la === lb && b.startsWith(a, from) ? 0 : max + 1;
  const out = max + 1; // stands for any cost above max
  let prev2 = ROWS[0]!;
  let prev = ROWS[1]!;
  let cur = ROWS[2]!;
  for (let j = 0; j <= lb; j++) prev[j] = j <= max ? j : out;
  for (let i = 1; i <= la; i++) {
    const lo = i - max > 1 ? i - max : 1;
    const hi = i + max < lb ? i + max : lb;
    cur[0] = i <= max ? i : out;
    cur[lo - 1] = lo === 1 ? cur[0]! : out;
    let rowMin = cur[lo - 1]!;
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(from + j - 1);
      let v = prev[j - 1]! + (ai === bj ? 0 : 1);
      if (prev[j]! + 1 < v) v = prev[j]! + 1;
      if (cur[j - 1]! + 1 < v) v = cur[j - 1]! + 1;
      if (i > 1 && j > 1 && ai === b.charCodeAt(from + j - 2) && a.charCodeAt(i - 2) === bj && prev2[j - 2]! + 1 < v) v = prev2[j - 2]! + 1;
      if (v > out) v = out;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < lb) cur[hi + 1] = out;
    if (rowMin > max) return out;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return prev[lb]!;
}
