/** Title start: a title that begins with the query's words, in the query's order. */
import { isStop, tokenize } from '../../analyzer/index';
import type { RerankQuery, RerankText } from './feature';

/**
 * How much of the query a title begins with: the title's matching words, in its order and each
 * counted once, are the query's first words in the query's order, the first of them the title's
 * first word (`opens`: or the first after words the query leaves out, up to two stop words: «من هو
 * عبد الفتاح مورو …»), each the word after the one before (`follows`: or after words the query
 * leaves out, up to two stop words: «قتلى وجرحى في غارات» for «قتلى وجرحى غارات»); the weighted
 * share of those words (`weights[i]`: query word i's idf). A reader who recalls a headline types
 * its beginning («الصين تفرض رسوما جمركية» for «الصين تفرض رسوما جمركية جديدة على …»): among
 * titles that hold the same words, the one that starts so is the one meant, and not one with
 * other words between them («احباط 3 محاولات هجرة سرية» for «احباط محاولة هجرة سرية»).
 */
export function titleStart<H extends { token: number; word: number; start?: number; end?: number }>(hits: readonly H[], weights: readonly number[], opens: (first: H) => boolean = (h) => h.token === 0, follows: (before: H, after: H) => boolean = (a, b) => b.token <= a.token + 1): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || hits.length === 0) return 0;
  // A word that weighs nothing (no doc holds it: match.ts `heldMask`) is not looked for.
  const after = (w: number): number => {
    while (w < weights.length && weights[w]! <= 0) w++;
    return w;
  };
  // The title's first match must be the query's first word (read no further otherwise).
  const opening = after(0);
  let first = hits[0]!;
  for (const h of hits) if (h.token < first.token || (h.token === first.token && h.word === opening)) first = h;
  if (first.word !== opening || !opens(first)) return 0;
  const inOrder = [...hits].sort((a, b) => a.token - b.token);
  const seen = new Set<number>();
  let next = opening;
  let share = 0;
  let last: H | undefined;
  for (const h of inOrder) {
    if (last && !follows(last, h)) break;
    last = h;
    if (seen.has(h.word)) continue;
    seen.add(h.word);
    if (h.word !== next) break;
    share += weights[next]!;
    next = after(next + 1);
  }
  return share / total;
}

/** Stop words a title may open with before the query's first word («من هو …», «هل …»), or hold between two of its words. */
const OPENING_STOP_WORDS = 2;

/** The feature: on the title only (a body's first words are not what a reader recalls). */
export function titleStartFeature(text: RerankText, q: RerankQuery): number {
  const title = text.title.text;
  // Up to two words before it or between two, read only where a title would begin with the query's words.
  const onlyStops = (from: number, to: number) => tokenize(title.slice(from, to)).every((t) => isStop(t.norm));
  return titleStart(
    text.title.hits,
    q.weights,
    (h) => h.token === 0 || (h.token <= OPENING_STOP_WORDS && onlyStops(0, h.start)),
    (a, b) => b.token <= a.token + 1 || (b.token - a.token - 1 <= OPENING_STOP_WORDS && onlyStops(a.end, b.start)),
  );
}
