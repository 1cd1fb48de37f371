/** Title start: a title that begins with the query's words, in the query's order. */
import { isStop, tokenize } from '../../analyzer/index';
import type { RerankQuery, RerankText } from './feature';

/**
 * How much of the query a title begins with: the title's matching words, in its order and each
 * counted once, are the query's first words in the query's order, the first of them the title's
 * first word (`opens`: or the first after words the query leaves out, up to two stop words: «من هو
 * عبد الفتاح مورو …»); the weighted share of those words (`weights[i]`: query word i's idf). A reader who
 * recalls a headline types its beginning («الصين تفرض رسوما جمركية» for «الصين تفرض رسوما
 * جمركية جديدة على …»): among titles that hold the same words, the one that starts so is the
 * one meant.
 */
export function titleStart(hits: readonly { token: number; word: number; start?: number }[], weights: readonly number[], opens: (first: { token: number; start?: number }) => boolean = (h) => h.token === 0): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || hits.length === 0) return 0;
  // The title's first match must be the query's first word (read no further otherwise).
  let first = hits[0]!;
  for (const h of hits) if (h.token < first.token || (h.token === first.token && h.word === 0)) first = h;
  if (first.word !== 0 || !opens(first)) return 0;
  const inOrder = [...hits].sort((a, b) => a.token - b.token);
  const seen = new Set<number>();
  let next = 0;
  let share = 0;
  for (const h of inOrder) {
    if (seen.has(h.word)) continue;
    seen.add(h.word);
    if (h.word !== next) break;
    share += weights[next]!;
    next++;
  }
  return share / total;
}

/** Stop words a title may open with before the query's first word («من هو …», «هل …»). */
const OPENING_STOP_WORDS = 2;

/** The feature: on the title only (a body's first words are not what a reader recalls). */
export function titleStartFeature(text: RerankText, q: RerankQuery): number {
  const title = text.title.text;
  // Up to two words before it, read only for a title that would begin with the query's words.
  return titleStart(text.title.hits, q.weights, (h) => h.token === 0 || (h.token <= OPENING_STOP_WORDS && h.start !== undefined && tokenize(title.slice(0, h.start)).every((t) => isStop(t.norm))));
}
