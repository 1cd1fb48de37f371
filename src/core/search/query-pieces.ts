/**
 * How a query's text divides before its words are read: quoted phrases, chunks between spaces,
 * which of them a minus or NOT excludes, and the operators. The query parser (query.ts), the
 * news frame (frames.ts), /suggest, the search box's completion and the editor's rules all read
 * a query through it, so that they agree on what a query asks.
 */

/**
 * A stretch of a query as the parser (query.ts `parseQuery`) reads it: a quoted phrase (ASCII quotes or the
 * typographic ones Arabic keyboards produce; an unclosed quote's text is plain), or a chunk
 * between spaces outside quotes. `excluded`: a minus before the quote, or at the chunk's start
 * (`start` is then after it). A plus at a chunk's start (`+word`, as Lucene and Elasticsearch
 * write a required word) makes the chunk a phrase, after the plus: its words required.
 * `part`: which stretch between quotes it lies in.
 */
export interface QueryPiece {
  start: number;
  end: number;
  phrase: boolean;
  excluded: boolean;
  part: number;
  /**
   * The chunk is an operator as search engines write them, no word: `OR` (or `|`) joins the last
   * word of the chunk before it and the first of the chunk after it when both are plain words
   * (neither quoted nor excluded); `AND` (or `&&`) does nothing (every word is asked already);
   * `NOT` excludes the chunk or phrase after it, as a minus does. Upper case only (`or` is a
   * word); anywhere but first (`NOT` first too, with something after it); else words.
   */
  operator?: 'or' | 'and' | 'not';
  /** A chunk of words (neither quoted nor excluded) that `OR` joins to the chunk of words before it. */
  joined?: boolean;
}

/** Operators as search engines write them (upper case: `or` is a word). */
const OPERATORS = new Map<string, QueryPiece['operator']>([['OR', 'or'], ['|', 'or'], ['||', 'or'], ['AND', 'and'], ['&&', 'and'], ['NOT', 'not']]);

/**
 * The query's phrases and chunks, in order (see {@link QueryPiece}). `openQuote`: text after an
 * unclosed quote is a phrase still being typed (what /suggest reads), not plain text.
 */
export function queryPieces(q: string, openQuote = false): QueryPiece[] {
  const pieces: QueryPiece[] = [];
  const parts = q.split(/["“”«»]/);
  let at = 0;
  parts.forEach((text, k) => {
    const start = at;
    at += text.length + 1;
    if (k % 2 === 1 && (k < parts.length - 1 || openQuote)) {
      const negated = pieces.at(-1)?.operator === 'not' && pieces.at(-1)!.part === k - 1;
      pieces.push({ start, end: start + text.length, phrase: true, excluded: negated || /(^|\s)[-−]$/.test(parts[k - 1]!), part: k });
      return;
    }
    for (const chunk of text.matchAll(/\S+/g)) {
      const before = pieces.at(-1);
      const operator = OPERATORS.get(chunk[0]);
      // (NOT alone, OR or AND first, is a word.)
      const placed = before !== undefined || (operator === 'not' && /\S/.test(q.slice(start + chunk.index! + chunk[0].length)));
      if (operator && placed) {
        pieces.push({ start: start + chunk.index!, end: start + chunk.index! + chunk[0].length, phrase: false, excluded: false, part: k, operator });
        continue;
      }
      const minus = /^[-−]/.test(chunk[0]) && chunk[0].length > 1;
      const excluded = minus || before?.operator === 'not';
      // +word: the chunk required, as a quoted phrase's words are (a one-word "word" is the same).
      if (!excluded && /^\+[^+\s]/.test(chunk[0])) {
        pieces.push({ start: start + chunk.index! + 1, end: start + chunk.index! + chunk[0].length, phrase: true, excluded: false, part: k });
        continue;
      }
      const words = (p: QueryPiece | undefined) => p !== undefined && !p.phrase && !p.excluded && !p.operator;
      const joined = !excluded && before?.operator === 'or' && words(pieces.at(-2));
      pieces.push({ start: start + chunk.index! + (minus ? 1 : 0), end: start + chunk.index! + chunk[0].length, phrase: false, excluded, part: k, ...(joined ? { joined } : {}) });
    }
  });
  return pieces;
}
