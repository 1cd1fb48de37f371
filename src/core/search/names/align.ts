/**
 * How well an Arabic word reads a Latin one: the cheapest way to write the Latin pieces as the
 * Arabic letters, each piece by one of its options, any Arabic letter the Latin leaves
 * unwritten (ع, hamza, a long vowel, a final ة) at its cost, and the article ال written or not.
 * A small dynamic programme over (pieces read, letters written), cut short once every way
 * costs more than the caller would accept.
 */
import { UNWRITTEN, UNWRITTEN_LAST_H, type Option, type Pieces } from './letters';

/** Whether the Latin wrote the article (al-, el-) before the word. */
export interface ArticleCosts {
  typed: boolean;
  /** Cost of an article the Arabic has and the Latin does not write, or the reverse. */
  cost: number;
}

/** {@link UNWRITTEN} by character code (from U+0600; NaN for a letter Latin always writes): no string per letter. */
const SKIP = new Float64Array(256).fill(Number.NaN);
for (const [letter, cost] of Object.entries(UNWRITTEN)) SKIP[letter.charCodeAt(0) - 0x600] = cost;
const HEH = 'ه'.charCodeAt(0);

let row = new Float64Array(32);
let next = new Float64Array(32);

/**
 * The cost of reading `word` (normalized Arabic) for the Latin `pieces`; Infinity when above
 * `max`.
 * @example readingCost(piecesOf('putin'), 'بوتين', { typed: false, cost: 0.6 }, 5) // 0.6
 */
export function readingCost(pieces: Pieces, word: string, article: ArticleCosts, max: number): number {
  const hasArticle = word.length >= 4 && word.startsWith('ال');
  // With the article, the Latin reads the word after it; without, the word whole.
  let best = Infinity;
  if (hasArticle) best = align(pieces, word, 2, article.typed ? 0 : article.cost, max);
  const whole = align(pieces, word, 0, article.typed ? article.cost : 0, Math.min(max, best));
  return Math.min(best, whole);
}

function align(pieces: Pieces, word: string, from: number, start: number, max: number): number {
  const n = word.length;
  if (start > max) return Infinity;
  if (row.length < n + 1) {
    row = new Float64Array(2 * (n + 1));
    next = new Float64Array(2 * (n + 1));
  }
  row.fill(Infinity, 0, n + 1);
  row[from] = start;
  for (let i = 0; i <= pieces.length; i++) {
    // Letters the Latin leaves unwritten, any number in a row.
    let least = Infinity;
    for (let j = from; j <= n; j++) {
      const here = row[j]!;
      if (here < least) least = here;
      if (j < n && here < Infinity) {
        const code = word.charCodeAt(j);
        const at = code - 0x600;
        const skip = j === n - 1 && code === HEH ? UNWRITTEN_LAST_H : at >= 0 && at < 256 ? SKIP[at]! : Number.NaN;
        if (here + skip < row[j + 1]!) row[j + 1] = here + skip; // false for NaN: the letter must be written
      }
    }
    if (least > max) return Infinity;
    if (i === pieces.length) break;
    next.fill(Infinity, 0, n + 1);
    const options: readonly Option[] = pieces[i]!;
    for (let j = from; j <= n; j++) {
      const here = row[j]!;
      if (here > max) continue;
      for (let k = 0; k < options.length; k++) {
        const option = options[k]!;
        const arabic = option[0];
        const c = here + option[1];
        if (c > max) continue;
        if (arabic.length === 0) {
          if (c < next[j]!) next[j] = c;
        } else if (word.startsWith(arabic, j) && c < next[j + arabic.length]!) {
          next[j + arabic.length] = c;
        }
      }
    }
    const t = row;
    row = next;
    next = t;
  }
  const out = row[n]!;
  return out <= max ? out : Infinity;
}

/**
 * The likeliest Arabic spellings of the Latin pieces (no unwritten letters), cheapest first:
 * a beam over the pieces. They tell which lexicon lists a reading can be in.
 */
export function spellings(pieces: Pieces, beam = 64): [arabic: string, cost: number][] {
  // The beam as parallel arrays, cheapest first (ties in the order they were first reached).
  let strs: string[] = [''];
  let costs: number[] = [0];
  for (const options of pieces) {
    const grown: string[] = [];
    const grownCosts: number[] = [];
    const at = new Map<string, number>();
    for (let si = 0; si < strs.length; si++) {
      const s = strs[si]!;
      const c = costs[si]!;
      for (let k = 0; k < options.length; k++) {
        const option = options[k]!;
        const key = s + option[0];
        const v = c + option[1];
        const i = at.get(key);
        if (i === undefined) {
          at.set(key, grown.length);
          grown.push(key);
          grownCosts.push(v);
        } else if (v < grownCosts[i]!) grownCosts[i] = v;
      }
    }
    const order = Array.from(grown, (_, i) => i).sort((x, y) => grownCosts[x]! - grownCosts[y]! || x - y);
    if (order.length > beam) order.length = beam;
    strs = order.map((i) => grown[i]!);
    costs = order.map((i) => grownCosts[i]!);
  }
  const out: [arabic: string, cost: number][] = [];
  for (let i = 0; i < strs.length; i++) if (strs[i]!.length > 0) out.push([strs[i]!, costs[i]!]);
  return out;
}
