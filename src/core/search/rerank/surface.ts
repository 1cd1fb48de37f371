/**
 * The query's own surface form. The analyzer folds hamza, alef madda, ta marbuta, alef maqsura
 * and harakat away so that every spelling finds every other; but a reader who typed أمن (and
 * not آمن), or put harakat on a word, said something the fold forgets. Where the text has the
 * word as typed, the ranking gives a small bonus (RankingOptions.surfaceBonus).
 */

import type { RerankQuery, RerankText } from './feature';
import { writtenMatches } from './feature';

const TATWEEL = /\u0640/g;
const HARAKAT = /[\u064b-\u065f\u0670]/g;
const HAS_HARAKAT = /[\u064b-\u065f\u0670]/;
/** Letters that carry information the fold drops. */
const DISTINCT = /[\u0621-\u0626\u0629\u0649\u064b-\u065f\u0670]/;

/** A word as written, compared as typed: NFC, tatweel removed, harakat kept only if asked. */
export function surface(word: string, keepHarakat: boolean): string {
  const s = word.normalize('NFC').replace(TATWEEL, '');
  return keepHarakat ? s : s.replace(HARAKAT, '');
}

/** Whether a typed word says more than its folded form (hamza, ة, ى or harakat). */
export function isDistinctive(typed: string): boolean {
  return DISTINCT.test(typed.normalize('NFC'));
}

/** What a typed query word is compared as, or undefined when it says nothing the fold keeps. */
export function surfaceKey(typed: string): { key: string; harakat: boolean } | undefined {
  if (!isDistinctive(typed)) return undefined;
  const harakat = HAS_HARAKAT.test(typed);
  return { key: surface(typed, harakat), harakat };
}

/**
 * The weighted share of the distinctive query words that a text holds as typed: `keys[i]` is
 * query word i's surface key (or undefined), `words` the text's words matching the query (the
 * query word and the word as written).
 */
export function surfaceShare(keys: ({ key: string; harakat: boolean } | undefined)[], weights: number[], words: Iterable<[number, string]>): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  const found = new Set<number>();
  for (const [w, written] of words) {
    const k = keys[w];
    if (k && !found.has(w) && surface(written, k.harakat).includes(k.key)) found.add(w);
  }
  let share = 0;
  for (const w of found) share += weights[w]!;
  return share / total;
}

/** The feature: the weighted share of the distinctive query words found as typed. */
export function surfaceFeature(text: RerankText, q: RerankQuery): number {
  return surfaceShare(q.surfaces, q.weights, writtenMatches(text));
}
