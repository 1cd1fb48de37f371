/** What a search is asked and answers (the API's shapes), and what its stages hand each other. */

export type SortOrder = 'relevance' | 'date';

export interface SearchParams {
  q: string;
  limit: number;
  offset: number;
  sort: SortOrder;
  /** Keep only these sources / categories (any of them). */
  source?: string[];
  category?: string[];
  /** Keep only articles with one of these tags. */
  tag?: string[];
  /** Inclusive date range, `YYYY-MM-DD`. */
  from?: string;
  to?: string;
  /** Count sources, categories and years over all matches. */
  facets: boolean;
  /** Strength of the recency prior; 0 switches it off. */
  recency: number;
  /** Correct likely typos (default); false searches the words exactly as typed. */
  correct?: boolean;
  /**
   * The last word is still being typed (a search box searching as the reader types, no space
   * after it): it is completed as /suggest completes it, and the hits are the completed query's
   * (`completed`). Absent or false: every word is searched as a whole word.
   */
  prefix?: boolean;
}

export interface Hit {
  id: string;
  title: string;
  /** Title with matches in `<mark>`, HTML-escaped. */
  titleHtml: string;
  date?: string;
  source?: string;
  sources: string[];
  category?: string;
  url?: string;
  score: number;
  /** Best window of the body, matches in `<mark>`, HTML-escaped. */
  snippet: string;
  snippetText: string;
  /** Match offsets (UTF-16 code units) into `title` and `snippetText`, for clients rendering their own markup. */
  matches: { title: [number, number][]; snippet: [number, number][] };
}

export interface Facets {
  source: Record<string, number>;
  category: Record<string, number>;
  year: Record<string, number>;
}

export interface SearchResult {
  query: string;
  total: number;
  offset: number;
  limit: number;
  sort: SortOrder;
  hits: Hit[];
  facets?: Facets;
  /** The query with typos corrected, when the query as typed found little. */
  didYouMean?: string;
  /** True when the hits are those of `didYouMean`: a word was unknown as typed and searched as corrected. */
  corrected?: boolean;
  /** With `prefix`: the query searched, its last word completed (`وزير الخا` → `وزير الخارجية`); absent when searched as typed. */
  completed?: string;
  /** Query words (as typed) that no article holds in any form and that didYouMean does not name: the hits are the other words'. */
  unmatched?: string[];
  /** `source` and `category` names asked for that no article has, in any case or spelling (facets.ts namesIn): they keep nothing. */
  unmatchedFilters?: { source?: string[]; category?: string[] };
  /**
   * The query's words, as typed, when every one is a stop word (من هو، في): too common to search
   * (the index holds none), so the query finds nothing; absent otherwise.
   */
  ignored?: string[];
  /**
   * A query of exclusions alone (`-الصين`, `NOT "شي جين بينغ"`): what it leaves out, as typed (a
   * phrase's words joined by a space). The hits are the newest articles without it, within the
   * filters (`sort` is `date`, scores 0), as `/articles` lists them; absent otherwise.
   */
  without?: string[];
  /** A news reader's frame read off the query and not searched (أخبار, آخر مستجدات, اليوم: frames.ts), as typed. */
  framing?: string[];
  /** Limits that applied to this query (see the README). */
  capped?: string[];
  /** Constraints of the query dropped because nothing matched them: `phrase` (quoted words searched as words), `words` (by date, no doc holds every word: those listed hold the most of them). */
  relaxed?: string[];
  /**
   * Counts that cover only the postings read (`total`, `facets`): lower bounds. The hits are
   * exact; a frequent word's weakest postings were not needed to find them (docs/architecture.md).
   */
  partial?: string[];
  /**
   * Counts estimated (`total`, `facets`): a quoted phrase was checked in the text of the best
   * candidates only (`capped: ["phrase-candidates"]`); the counts are the docs found to hold it
   * and the unchecked candidates at the rate a sample of them holds it. The hits are those checked that hold it, in the asked order.
   */
  estimated?: string[];
  /** The editor's rules applied to these results (a pin placed, a hide or boost that met a match), by id, in file order. */
  rules?: string[];
  index: string;
}

/** One term of a query word, with its weight. */
export interface WeightedTerm {
  term: string;
  weight: number;
  /** `plain`: the word's stem or spelling; `alt`: another reading of it; `typo`: a correction. */
  kind: 'plain' | 'alt' | 'typo';
}

/** The terms each query word is searched under (`groups[i]` for query word i). */
export type TermGroups = WeightedTerm[][];

/** A reading of a misspelt word: a known word within the edits allowed. */
export interface Reading {
  word: string;
  stem: string;
  df: number;
  /** The spelling model's margin over the word as typed (nats), for the readings it scored. */
  margin?: number;
}

/** A typo correction of one query word. */
export interface Correction {
  word: number;
  /** The normalized word the reader most likely meant (the first reading, until the results say). */
  to: string;
  /** The readings searched, likeliest first. */
  readings: Reading[];
  /** `auto`: the word as typed is unknown, the correction takes its place; `suggest`: both count, exact first. */
  mode: 'auto' | 'suggest';
  /** Found from the query's other words: offered only when the best result has a reading. */
  context?: true;
  /** No article writes the word as typed (its form then tells nothing; the reading's does: rerankQuery). */
  unwritten?: true;
  /**
   * Readings short of `offer` on the word's own evidence that the query's other words may lift
   * past it (weighReadings, which settles them: none is searched as such).
   */
  reserve?: Reading[];
}

/** Candidate docs in shared typed arrays: no object per candidate on the hot path. */
export interface Candidates {
  doc: Int32Array;
  score: Float64Array;
  exact: Uint8Array;
  /** Publication day (days since 1970, -1: undated), for the date order. */
  day: Int32Array;
  count: number;
}

/** A ranked doc on its way to the page. */
export interface Ranked {
  doc: number;
  score: number;
  exact: number;
}

/** Docs that hold every word of the query but one, by the word they lack (context typos). */
export type NearMisses = Map<number, number[]>;
