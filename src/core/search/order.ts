/** Ordering candidates: the best k of many by a comparator, and the two orders a search asks for. */
import type { Candidates, Ranked, SortOrder } from './types';

/**
 * Indexes 0..n-1 of the k best items by `better`, best first: a bounded heap, so a large
 * result set is never fully sorted.
 */
export function topK(n: number, k: number, better: (a: number, b: number) => number): number[] {
  if (k <= 0 || n === 0) return [];
  if (n <= k * 4) return Array.from({ length: n }, (_, i) => i).sort(better).slice(0, k);
  // A heap whose root is the worst of the k best seen so far.
  const heap: number[] = [];
  const worse = (a: number, b: number) => better(a, b) > 0;
  const swap = (i: number, j: number) => { const t = heap[i]!; heap[i] = heap[j]!; heap[j] = t; };
  for (let item = 0; item < n; item++) {
    if (heap.length < k) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        swap(i, p);
        i = p;
      }
    } else if (better(item, heap[0]!) < 0) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < k && worse(heap[l]!, heap[m]!)) m = l;
        if (r < k && worse(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        swap(i, m);
        i = m;
      }
    }
  }
  return heap.sort(better);
}

/**
 * The order of a search: by date, newest first (then newer doc first); by relevance, docs that
 * match every word as typed (not only through a typo reading) first, then score, then newer.
 */
export function orderOf(c: Candidates, sort: SortOrder): (a: number, b: number) => number {
  const { doc, score, exact, day } = c;
  return sort === 'date'
    ? (a, b) => day[b]! - day[a]! || doc[b]! - doc[a]!
    : (a, b) => exact[b]! - exact[a]! || score[b]! - score[a]! || doc[b]! - doc[a]!;
}

/** The best `k` candidates in order, as ranked docs. */
export function best(c: Candidates, k: number, order: (a: number, b: number) => number): Ranked[] {
  return topK(c.count, k, order).map((i) => ({ doc: c.doc[i]!, score: c.score[i]!, exact: c.exact[i]! }));
}
