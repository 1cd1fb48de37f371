/**
 * Baseline: FlexSearch 0.8 configured as its README suggests for a document search with
 * partial and fuzzy matching: a Document over title and body, the default encoder,
 * `tokenize: "forward"` (the README's own example of custom options, and the first of its
 * "Fuzzy-Search" recipes), numeric ids (its "Best Practices"), and searches with
 * `suggest: true`. Field results are joined by FlexSearch's own `merge: true`: title hits
 * first, then body hits, each id once, cut to 10.
 */
import { Document } from 'flexsearch';
import type { EvalDoc } from './data';

export const FLEX_BASELINE_OPTIONS = { document: { id: 'id', index: ['title', 'body'] }, tokenize: 'forward' } as const;

/** One entry of a merged document search: the doc's id and the fields it matched in. */
interface MergedEntry {
  id: number;
}

function isMergedEntry(x: unknown): x is MergedEntry {
  return typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'number';
}

export class FlexBaseline {
  private readonly index = new Document({ ...FLEX_BASELINE_OPTIONS, document: { ...FLEX_BASELINE_OPTIONS.document, index: [...FLEX_BASELINE_OPTIONS.document.index] } });

  constructor(private readonly ids: string[], docs: Iterable<EvalDoc>, onProgress?: (done: number) => void) {
    let n = 0;
    for (const d of docs) {
      this.index.add({ id: n, title: d.title, body: d.body });
      if (++n % 2000 === 0) onProgress?.(n);
    }
  }

  search(q: string, limit = 10): string[] {
    const raw: unknown = this.index.search(q, { limit, suggest: true, merge: true });
    if (!Array.isArray(raw)) return [];
    return raw.filter(isMergedEntry).slice(0, limit).map((e) => this.ids[e.id]!);
  }
}
