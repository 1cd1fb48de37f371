/**
 * One query's reads: the terms it has read (its term store), the articles it has read, the
 * limits that applied. Stages decide what to read; this is where it is read, in batches.
 */
import type { Article } from '../article';
import type { Archive } from './archive';
import type { LexiconKey, Lexicon } from './spell';
import type { SearchOptions } from './options';
import type { QueryPlan } from './plan';
import type { ReadStats } from './source';
import type { Loaded } from './terms';
import { hasRest } from './tiers';

export class QueryRun {
  /** Terms read so far (null: the archive does not hold it). */
  loaded: Loaded = new Map();
  /** Articles read so far, by doc. */
  readonly articles = new Map<number, Article>();
  /** Limits that applied (`SearchResult.capped`). */
  readonly capped: Set<string>;

  constructor(
    readonly index: Archive,
    readonly plan: QueryPlan,
    readonly stats: ReadStats,
    readonly o: SearchOptions,
  ) {
    this.capped = new Set(plan.query.capped);
  }

  /** Reads terms (with tiers B for those already whole elsewhere) into the store. */
  async readTerms(terms: string[]): Promise<void> {
    if (!terms.length) return;
    const more = await this.index.loadTerms(terms, this.stats);
    await this.index.loadRest(more, this.stats);
    for (const [t, v] of more) this.loaded.set(t, v);
  }

  /** Reads every big term's tier B: postings become whole. */
  async readRest(): Promise<void> {
    if (hasRest(this.loaded)) await this.index.loadRest(this.loaded, this.stats);
  }

  /** True while some big term's tier B is unread. */
  get partial(): boolean {
    return hasRest(this.loaded);
  }

  lexicon(keys: LexiconKey[]): Promise<Lexicon> {
    return this.index.lexicon(keys, this.stats);
  }

  /** Reads the articles of these docs not read yet, in one batch. */
  async readArticles(docs: Iterable<number>): Promise<void> {
    const wanted = [...new Set(docs)].filter((d) => !this.articles.has(d));
    if (wanted.length) for (const [d, a] of await this.index.docs(wanted, this.stats)) this.articles.set(d, a);
  }

  /** Times `f` under a stage name in the read stats (`Server-Timing`). */
  async timed<T>(stage: string, f: () => Promise<T> | T): Promise<T> {
    this.stats.start(stage);
    try {
      return await f();
    } finally {
      this.stats.end(stage);
    }
  }
}
