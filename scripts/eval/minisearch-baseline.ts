/**
 * Baseline: MiniSearch 7 configured as its README suggests for a document search: title and
 * body indexed, the default tokenizer and term processing, and searches with the README's
 * `{ boost: { title: 2 }, fuzzy: 0.2, prefix: true }` (OR of the query's terms, BM25+).
 * Used only by the eval (a devDependency).
 */
import MiniSearch from 'minisearch';
import type { EvalDoc } from './data';

export const MINISEARCH_OPTIONS = { fields: ['title', 'body'] };
export const MINISEARCH_SEARCH = { boost: { title: 2 }, fuzzy: 0.2, prefix: true };

export class MiniSearchBaseline {
  private readonly index = new MiniSearch<{ id: number; title: string; body: string }>({ ...MINISEARCH_OPTIONS, fields: [...MINISEARCH_OPTIONS.fields] });

  constructor(private readonly ids: string[], docs: Iterable<EvalDoc>, onProgress?: (done: number) => void) {
    let n = 0;
    for (const d of docs) {
      this.index.add({ id: n, title: d.title, body: d.body });
      if (++n % 2000 === 0) onProgress?.(n);
    }
  }

  search(q: string, limit = 10): string[] {
    return this.index.search(q, MINISEARCH_SEARCH).slice(0, limit).map((r) => this.ids[r.id as number]!);
  }
}
