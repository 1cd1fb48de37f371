/**
 * How the editor's phrases are found in a query: word by word, in order, each word of the
 * phrase matching a query word whose stems (its plain stem, or a reading without a proclitic)
 * include the phrase word's plain stem, as the index would match it (الإمارات in a query finds a
 * phrase الامارات, and so does بالإمارات). Words excluded with `-` are not part of the query here.
 */
import { stems, tokenize } from '../analyzer/index';
import { queryPieces } from '../search/query-pieces';

/** A word of the query as typed, with its offsets in the query string. */
export interface QueryToken {
  norm: string;
  /** Plain stem first, then the stems of its proclitic-free readings. */
  stems: string[];
  start: number;
  end: number;
}

/**
 * The words of a query, in order, as the query parser reads them: those excluded (`-word`,
 * `-"phrase"`, `NOT word`) and the operators (`OR`) left out. Where they stood between two
 * words, a token of no word (`norm` '', no stems) keeps those two from reading as a phrase
 * (كرة OR القدم is not كرة القدم).
 */
export function queryTokens(q: string): QueryToken[] {
  const out: QueryToken[] = [];
  let gap = false;
  for (const piece of queryPieces(q)) {
    if (piece.excluded || piece.operator) {
      gap = out.length > 0;
      continue;
    }
    for (const t of tokenize(q.slice(piece.start, piece.end))) {
      if (gap) out.push({ norm: '', stems: [], start: piece.start, end: piece.start });
      gap = false;
      out.push({ norm: t.norm, stems: stems(t.norm), start: piece.start + t.start, end: piece.start + t.end });
    }
  }
  return out;
}

/** True when the phrase (plain stems, in order) is found in the query's words from word `at` on. */
export function phraseAt(tokens: readonly QueryToken[], at: number, phrase: readonly string[]): boolean {
  if (at + phrase.length > tokens.length) return false;
  for (let k = 0; k < phrase.length; k++) if (!tokens[at + k]!.stems.includes(phrase[k]!)) return false;
  return true;
}

/** True when the query contains the phrase anywhere. */
export function containsPhrase(tokens: readonly QueryToken[], phrase: readonly string[]): boolean {
  for (let at = 0; at + phrase.length <= tokens.length; at++) if (phraseAt(tokens, at, phrase)) return true;
  return false;
}

/** True when the query is the phrase: the same words, in order, and no other. */
export function isPhrase(tokens: readonly QueryToken[], phrase: readonly string[]): boolean {
  return tokens.length === phrase.length && phraseAt(tokens, 0, phrase);
}

/** The plain stems of a phrase's words, as phrases are matched. */
export function phraseStems(text: string): string[] {
  return tokenize(text).map((t) => stems(t.norm)[0]!);
}
