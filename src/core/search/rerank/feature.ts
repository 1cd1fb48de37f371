/**
 * What a re-ranking feature sees: one result's title and body hits (read from its article,
 * which the page's snippets need anyway) and the query. A feature is a function of the two,
 * returning a share in 0..1; the re-ranker weighs them (RankingOptions).
 */
import type { TextHits } from '../snippet';

export interface RerankText {
  title: TextHits;
  body: TextHits;
}

export interface RerankQuery {
  /** Query words (after stop words). */
  words: number;
  /**
   * The query's words the head's texts hold between them, once read (undefined before): a word
   * none of them holds (a stray Latin word read as a rare name) does not make a search for one
   * word a search for two.
   */
  held?: number;
  /** Each query word's weight (its idf; typo readings aside). */
  weights: number[];
  /** Words within which the query's words count as close. */
  window: number;
  /** Each query word's surface key (see surface.ts), when typed with hamza or harakat. */
  surfaces: ({ key: string; harakat: boolean } | undefined)[];
  /** Each query word's forms (see form.ts); undefined for a word any writing of which counts. */
  forms: (string[] | undefined)[];
}

export type Feature = (text: RerankText, query: RerankQuery) => number;

/** The query words a result's texts hold, with each word as written there. */
export function* writtenMatches(text: RerankText): Generator<[number, string]> {
  for (const t of [text.title, text.body]) {
    for (const { word, start, end } of t.hits) yield [word, t.text.slice(start, end)];
  }
}

/** The query's words some of these texts hold (see RerankQuery.held), counted up to `enough`. */
export function heldWords(texts: Iterable<RerankText>, enough = Infinity): number {
  let all = 0;
  let n = 0;
  const add = (hits: readonly { word: number }[]): boolean => {
    for (let i = 0; i < hits.length; i++) {
      const bit = 1 << hits[i]!.word;
      if ((all & bit) !== 0) continue;
      all |= bit;
      if (++n >= enough) return true;
    }
    return false;
  };
  for (const t of texts) if (add(t.title.hits) || add(t.body.hits)) break;
  return n;
}
