/** The form typed: a text holding the query's words as typed, article and proclitics aside. */
import { normalize, stripArticle, withoutProclitics } from '../../analyzer/index';
import type { RerankQuery, RerankText } from './feature';
import { writtenMatches } from './feature';

/**
 * A word's forms without its article and proclitics, suffixes kept (والمسيح → مسيح): the
 * stemmer folds المسيحية onto المسيح and أرسلان onto أرسل, and a text that has the query's
 * word in the form typed is the likelier answer (RankingOptions.formBonus).
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

/** The feature: the weighted share of the query's words found in the form typed. */
export function formFeature(text: RerankText, q: RerankQuery): number {
  return formShare(q.forms, q.weights, writtenMatches(text));
}
