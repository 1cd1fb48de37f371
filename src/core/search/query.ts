/**
 * Query syntax: words (each optional, coverage rewarded), `"quoted phrases"` (their words
 * required, in order; `+word` is a one-word phrase: the word required), `-word` (documents with the word are left out; `NOT word` too), `A OR B`
 * (either word: what a search by date asks of its articles; `|` too; `AND` is no word). Bounded: a query
 * yields at most MAX_WORDS words that are looked up, MAX_PHRASES phrases and MAX_EXCLUDED
 * exclusions; the rest are dropped (a phrase past the limit, or one whose words the word limit
 * cuts, is searched as plain words) and the response names the limit in `capped`.
 */
import { compoundHead, compoundStems, hamzaRespellings, isStop, stems, tokenize, writtenAsCompound } from '../analyzer/index';
import { readFrame } from './frames';
import { queryPieces } from './query-pieces';

/** Longest `q` accepted, in characters (longer is a 400). */
export const MAX_QUERY_LENGTH = 256;
/** Words of a query that are looked up; more are ignored (and the response says so). */
export const MAX_WORDS = 12;
/** Quoted phrases checked (each reads the best candidates' text); later ones are plain words. */
export const MAX_PHRASES = 4;
/** Excluded words (`-word`, each a posting list read whole); more are ignored. */
export const MAX_EXCLUDED = 4;

export interface QueryWord {
  /** As typed (original characters, harakat included). */
  text: string;
  /** Normalized form. */
  norm: string;
  /** Plain stem first, then the proclitic-free alternatives. */
  stems: string[];
  /** Plain stems of the word as others spell it (مسئول for مسؤول): the same word, not a typo. */
  respellings: string[];
  /**
   * The word closes a compound name written apart (الله in عبد الله): the query word that opens
   * it (`head`, an index into `words`) and the stems of the two as one word (عبدالله).
   */
  compound?: { head: number; stems: string[] };
  /** The word is a compound name written as one (عبدالفتاح): two words of a title that has it apart. */
  joined: boolean;
}

export type PhraseWord = { word: number } | { norm: string };

export interface ParsedQuery {
  /** Words that score (phrase words included), stop words removed, in query order. */
  words: QueryWord[];
  /**
   * Phrases, word by word in order: the query word a phrase word is (index into `words`), or
   * for a stop word, its normalized form (stop words count inside phrases).
   */
  phrases: PhraseWord[][];
  /** Indexes into `words` of words that must match (phrase words). */
  required: number[];
  /** Words whose documents are excluded. */
  excluded: QueryWord[];
  /**
   * Quoted phrases after a minus (-"البيت الأبيض"), by their words (stop words left out, two or
   * more): the documents holding every one of them are excluded.
   */
  excludedPhrases: QueryWord[][];
  /**
   * Words joined by `OR` (or `|`), by their indexes into `words`: each set counts as one word
   * where the articles must hold every word (a search by date), held by holding any of them.
   */
  either: number[][];
  /** Limits that applied, for the response. */
  capped: string[];
  /** Words typed, stop words included (ما هو البظر is three: a question, not a name typed alone). */
  typed: number;
  /** A news reader's frame read off the query and not searched (frames.ts: آخر أخبار, اليوم), as typed. */
  framing: string[];
  /** The query searched: as typed, its frame read off. */
  text: string;
}

/** A query word from its text as typed and its normalized form. */
export function queryWord(text: string, norm: string): QueryWord {
  const own = stems(norm);
  const respellings = [...new Set(hamzaRespellings(text).map((r) => stems(r)[0]!))].filter((s) => s !== own[0]);
  return { text, norm, stems: own, respellings, joined: writtenAsCompound(norm) };
}

/**
 * The stop words of a query (في، من، هو …), as typed, once each: what a query of nothing else
 * cannot search (the index holds no stop word), and its answer names (`ignored`).
 */
export function stopWordsOf(text: string): string[] {
  return [...new Set(tokenize(text).filter((t) => isStop(t.norm)).map((t) => text.slice(t.start, t.end)))];
}

/** Parses a query string (already length-checked); a news reader's frame (frames.ts) is read off first. */
export function parseQuery(typedQuery: string): ParsedQuery {
  const frame = readFrame(typedQuery);
  const q = frame.rest;
  const out: ParsedQuery = { words: [], phrases: [], required: [], excluded: [], excludedPhrases: [], either: [], capped: [], typed: frame.typed, framing: frame.framing, text: q };
  const seen = new Map<string, number>();
  const cap = (limit: string) => {
    if (!out.capped.includes(limit)) out.capped.push(limit);
  };
  const addWord = (text: string, norm: string, required: boolean): number | undefined => {
    out.typed++;
    if (isStop(norm)) return undefined;
    let i = seen.get(norm);
    if (i === undefined) {
      if (out.words.length >= MAX_WORDS) {
        cap('words');
        return;
      }
      i = out.words.length;
      out.words.push(queryWord(text, norm));
      seen.set(norm, i);
    }
    if (required && !out.required.includes(i)) out.required.push(i);
    return i;
  };
  let head: { norm: string; word: number } | undefined;
  let part = -1;
  // `A OR B`: the last word of the chunk before the operator, for the first of the chunk it joins.
  let last: number | undefined;
  const join = (a: number, b: number) => {
    if (a === b) return;
    const ga = out.either.find((g) => g.includes(a));
    const gb = out.either.find((g) => g.includes(b));
    if (ga && ga === gb) return;
    if (ga && gb) {
      ga.push(...gb);
      out.either.splice(out.either.indexOf(gb), 1);
    } else if (ga) ga.push(b);
    else if (gb) gb.push(a);
    else out.either.push([a, b]);
  };
  for (const piece of queryPieces(q)) {
    const text = q.slice(piece.start, piece.end);
    const tokens = tokenize(text);
    if (piece.operator) {
      head = undefined;
      continue;
    }
    const after = piece.joined ? last : undefined;
    last = undefined;
    if (piece.phrase) {
      // -"…": the phrase's documents are excluded (its words, as one word's are).
      if (piece.excluded) {
        const words = [...new Map(tokens.filter((t) => !isStop(t.norm)).map((t) => [t.norm, queryWord(text.slice(t.start, t.end), t.norm)])).values()];
        if (words.length === 0) continue;
        if (out.excluded.length + out.excludedPhrases.length >= MAX_EXCLUDED) cap('exclusions');
        else if (words.length === 1) {
          if (!out.excluded.some((e) => e.norm === words[0]!.norm)) out.excluded.push(words[0]!);
        } else out.excludedPhrases.push(words);
        continue;
      }
      // A phrase is checked on the candidates' text word by word, so it is kept only when the
      // word cap leaves room for all its words: a word past the cap would be looked up nowhere
      // and found only by reading text (the best 100 candidates', to find nothing as a rule).
      const fresh = new Set(tokens.map((t) => t.norm).filter((n) => !isStop(n) && !seen.has(n)));
      if (tokens.length > 1 && (out.phrases.length >= MAX_PHRASES || out.words.length + fresh.size > MAX_WORDS)) {
        cap('phrases');
        for (const t of tokens) addWord(text.slice(t.start, t.end), t.norm, false);
        continue;
      }
      const phrase = tokens.map((t): PhraseWord => {
        const word = addWord(text.slice(t.start, t.end), t.norm, true);
        return word === undefined ? { norm: t.norm } : { word };
      });
      if (phrase.length > 1) out.phrases.push(phrase);
      continue;
    }
    // A compound name's first word (عبد), when a chunk ends with it: the next chunk's first word
    // closes the compound (عبد الله), which is also asked for as one word (عبدالله). Not across a quote.
    const opened = piece.part === part ? head : undefined;
    part = piece.part;
    head = undefined;
    tokens.forEach((t, k) => {
      const typed = text.slice(t.start, t.end);
      if (piece.excluded) {
        if (isStop(t.norm) || out.excluded.some((e) => e.norm === t.norm)) return;
        if (out.excluded.length + out.excludedPhrases.length < MAX_EXCLUDED) out.excluded.push(queryWord(typed, t.norm));
        else cap('exclusions');
        return;
      }
      const word = addWord(typed, t.norm, false);
      if (word === undefined) return;
      if (after !== undefined && k === 0) join(after, word);
      last = word;
      const compound = k === 0 && opened && opened.word !== word ? compoundStems(opened.norm, t.norm) : undefined;
      if (compound && !out.words[word]!.compound) out.words[word]!.compound = { head: opened!.word, stems: compound };
      if (k === tokens.length - 1 && compoundHead(t.norm)) head = { norm: t.norm, word };
    });
  }
  return out;
}
