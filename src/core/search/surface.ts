/**
 * The query's own surface form. The analyzer folds hamza, alef madda, ta marbuta, alef maqsura
 * and harakat away so that every spelling finds every other; but a reader who typed أمن (and
 * not آمن), or put harakat on a word, said something the fold forgets. Where the text has the
 * word as typed, the ranking gives a small bonus (see RANKING.surfaceBonus).
 */

import { normalize, stripArticle, withoutProclitics } from '../analyzer/index';

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

/**
 * A word's forms without its article and proclitics, suffixes kept (والمسيح → مسيح): the
 * stemmer folds المسيحية onto المسيح and أرسلان onto أرسل, and a text that has the query's
 * word in the form typed is the likelier answer (see RANKING.formBonus).
 */
export function wordForms(norm: string): string[] {
  const out = [stripArticle(norm)];
  for (const rest of withoutProclitics(norm)) {
    const f = stripArticle(rest);
    if (!out.includes(f)) out.push(f);
  }
  return out;
}

/**
 * The weighted share of the query's words that a text holds in the form typed: `forms[i]` is
 * query word i's {@link wordForms} (undefined: any form counts, as for a compound name, which
 * may be written apart or as one), `words` the text's words matching the query (the query word
 * and the word as written).
 */
export function formShare(forms: (string[] | undefined)[], weights: number[], words: Iterable<[number, string]>): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  const found = new Set<number>();
  for (const [w, written] of words) {
    if (found.has(w)) continue;
    const f = forms[w];
    if (!f || wordForms(normalize(written)).some((x) => f.includes(x))) found.add(w);
  }
  let share = 0;
  for (const w of found) share += weights[w]!;
  return share / total;
}
