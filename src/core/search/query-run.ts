/**
 * One query's reads: the terms it has read (its term store), the articles it has read, the
 * limits that applied. Stages decide what to read; this is where it is read, in batches.
 */
import type { Article } from '../article';
import { roomLeft } from './budget';
import type { Archive } from './archive';
import type { EditorPlan } from './editor';
import { docsOfIds } from './rules';
import type { LexiconKey, Lexicon } from './spell';
import type { SearchOptions } from './options';
import type { QueryPlan } from './plan';
import type { ReadStats } from './source';
import type { Loaded } from './terms';
import { hasRest } from './tiers';

/**
 * A plain query by relevance, on its first page, may be answered from big terms' tiers A
 * (tiers.ts) when the tier stop is on (`caps.tierStop`).
 */
export function mayStopEarly({ params, query, excludedTerms, excludedAll, tagTerms }: QueryPlan, o: SearchOptions): boolean {
  return o.caps.tierStop && params.sort === 'relevance' && query.phrases.length === 0 && excludedTerms.length === 0 && excludedAll.length === 0 && tagTerms.length === 0
    && !params.source?.length && !params.category?.length && params.offset + params.limit <= o.ranking.rerankDepth;
}

export class QueryRun {
  /** Terms read so far (null: the archive does not hold it). */
  loaded: Loaded = new Map();
  /** Articles read so far, by doc. */
  readonly articles = new Map<number, Article>();
  /** Limits that applied (`SearchResult.capped`). */
  readonly capped: Set<string>;
  /** Big terms are read whole (tiers A and B in one batch): the tier stop cannot apply. */
  readonly whole: boolean;
  /** Doc numbers of the articles the editor's triggered rules name, by id. */
  ruleDocs = new Map<string, number>();
  /** Ids of the editor's rules that changed the results (`SearchResult.rules`). */
  readonly rulesApplied = new Set<string>();
  /** Typo-lexicon lists the query asked for: with none, no word has a reading to search. */
  lexiconKeys = 0;

  /**
   * The plan being searched: the plan as asked until the spelling model replaces a word
   * (`replaceWords`), then the plan with the reading in the word's place.
   */
  plan: QueryPlan;

  constructor(
    readonly index: Archive,
    /** The plan as asked (did-you-mean rewrites its words as typed). */
    readonly asked: QueryPlan,
    readonly editor: EditorPlan,
    readonly stats: ReadStats,
    readonly o: SearchOptions,
  ) {
    this.plan = asked;
    this.capped = new Set(asked.query.capped);
    // Rules re-order what matching found: the tier bound does not cover them.
    this.whole = !mayStopEarly(asked, o) || editor.rules.triggered.rules.length > 0;
  }

  /** Reads the plan's terms and the editor's (synonyms, names' other readings, rules' tags), and the rules' articles' doc numbers, in one round trip. */
  async readPlanTerms(): Promise<void> {
    const extra = this.editor.terms;
    const terms = extra.length ? [...new Set([...this.plan.terms, ...extra])] : this.plan.terms;
    [this.loaded, this.ruleDocs] = await Promise.all([this.index.loadTerms(terms, this.stats, this.whole), docsOfIds(this.index, this.editor.rules.ids, this.stats)]);
  }

  /** Reads more terms (whole: corrections and context readings) into the store. */
  async readTerms(terms: string[]): Promise<void> {
    if (!terms.length) return;
    const more = await this.index.loadTerms(terms, this.stats, true);
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
    this.lexiconKeys += keys.length;
    return this.index.lexicon(keys, this.stats);
  }

  /** Reads the articles of these docs not read yet, in one batch. */
  async readArticles(docs: Iterable<number>): Promise<void> {
    const wanted = [...new Set(docs)].filter((d) => !this.articles.has(d));
    if (wanted.length) for (const [d, a] of await this.index.docs(wanted, this.stats)) this.articles.set(d, a);
  }

  /** Characters of the query's work budget not used yet (budget.ts). */
  get room(): number {
    return roomLeft(this.o.caps.work, this.stats);
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
