/**
 * The synonyms of a settings value, as the search reads them: every side of every entry
 * normalized and stemmed by the analyzer the queries go through, and indexed by the stem of
 * its first word, so a query is matched against only the entries that can start at each of its
 * words.
 */
import { isStop, stems, tokenize } from '../analyzer/index';
import type { SynonymEntry } from './format';

/** Words of a synonym phrase, and what it is searched under when it is the expansion. */
export interface SynonymPhrase {
  /** As the editor wrote it. */
  text: string;
  /** Its words, normalized (stop words included: they are matched in a query too). */
  norms: string[];
  /** The plain stem of each word, for matching. */
  stems: string[];
  /** The plain stems of its words that are not stop words, for searching. */
  words: string[];
}

/** A phrase that, found in a query, brings in other phrases. */
export interface SynonymRule {
  /** Line of its entry in the synonyms file. */
  line: number;
  from: SynonymPhrase;
  to: SynonymPhrase[];
}

/** Synonym rules by the stem of their first word. */
export interface SynonymTable {
  readonly size: number;
  readonly byFirst: ReadonlyMap<string, readonly SynonymRule[]>;
}

export const NO_SYNONYMS: SynonymTable = Object.freeze({ size: 0, byFirst: new Map() });

/** A phrase of a synonyms file as the analyzer reads it; undefined when it has no word to search. */
export function synonymPhrase(text: string): SynonymPhrase | undefined {
  const norms = tokenize(text).map((t) => t.norm);
  const words = norms.filter((n) => !isStop(n)).map((n) => stems(n)[0]!);
  if (words.length === 0) return undefined;
  return { text, norms, stems: norms.map((n) => stems(n)[0]!), words };
}

/**
 * The table of a file's entries: a group's every member finds every other; a one-way entry's
 * every `from` finds every `to`. Sides with no searchable word are left out (a publish refuses
 * them, so they only come from a value written by hand).
 */
export function compileSynonyms(entries: readonly SynonymEntry[]): SynonymTable {
  const byFirst = new Map<string, SynonymRule[]>();
  let size = 0;
  const add = (line: number, from: SynonymPhrase, to: SynonymPhrase[]) => {
    const others = to.filter((p) => p.stems.join(' ') !== from.stems.join(' '));
    if (others.length === 0) return;
    const key = from.stems[0]!;
    const list = byFirst.get(key);
    const rule = { line, from, to: others };
    if (list) list.push(rule);
    else byFirst.set(key, [rule]);
    size++;
  };
  for (const e of entries) {
    const phrases = (list: string[]) => list.map(synonymPhrase).filter((p): p is SynonymPhrase => p !== undefined);
    if (e.kind === 'group') {
      const members = phrases(e.words);
      for (const m of members) add(e.line, m, members);
    } else {
      const to = phrases(e.to);
      for (const f of phrases(e.from)) add(e.line, f, to);
    }
  }
  return { size, byFirst };
}
