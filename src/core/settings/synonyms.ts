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
  /** Line of its entry in the synonyms file (negative: the house-style pair of that number). */
  line: number;
  from: SynonymPhrase;
  to: SynonymPhrase[];
  /** A pair of the archive's house styles (weighted by `houseStyleWeight`), not the editor's. */
  house?: boolean;
}

/** Synonym rules by the stem of their first word. */
export interface SynonymTable {
  readonly size: number;
  readonly byFirst: ReadonlyMap<string, readonly SynonymRule[]>;
  /** Pairs of stems (`apartKey`) the editor keeps apart: no house style joins them. */
  readonly apart?: ReadonlySet<string>;
}

export const NO_SYNONYMS: SynonymTable = Object.freeze({ size: 0, byFirst: new Map() });

/** The key of two one-word phrases' stems, whichever comes first. */
function apartKey(a: SynonymPhrase, b: SynonymPhrase): string {
  const x = a.stems.join(' ');
  const y = b.stems.join(' ');
  return x < y ? `${x}\u0001${y}` : `${y}\u0001${x}`;
}

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
export function compileSynonyms(entries: readonly SynonymEntry[], house = false): SynonymTable {
  const byFirst = new Map<string, SynonymRule[]>();
  const apart = new Set<string>();
  let size = 0;
  const add = (line: number, from: SynonymPhrase, to: SynonymPhrase[]) => {
    const others = to.filter((p) => p.stems.join(' ') !== from.stems.join(' '));
    if (others.length === 0) return;
    const key = from.stems[0]!;
    const list = byFirst.get(key);
    const rule: SynonymRule = house ? { line, from, to: others, house } : { line, from, to: others };
    if (list) list.push(rule);
    else byFirst.set(key, [rule]);
    size++;
  };
  for (const e of entries) {
    const phrases = (list: string[]) => list.map(synonymPhrase).filter((p): p is SynonymPhrase => p !== undefined);
    if (e.kind === 'apart') {
      const members = phrases(e.words);
      for (const a of members) for (const b of members) if (a !== b) apart.add(apartKey(a, b));
    } else if (e.kind === 'group') {
      const members = phrases(e.words);
      for (const m of members) add(e.line, m, members);
    } else {
      const to = phrases(e.to);
      for (const f of phrases(e.from)) add(e.line, f, to);
    }
  }
  return apart.size ? { size, byFirst, apart } : { size, byFirst };
}

/**
 * The table of an archive's house-style pairs (manifest.houseStyles), each a group of two
 * (rule lines -1, -2, …: the pair's number).
 */
export function houseStyleTable(pairs: readonly (readonly [string, string])[] | undefined): SynonymTable {
  if (!pairs?.length) return NO_SYNONYMS;
  return compileSynonyms(pairs.map(([a, b], i) => ({ line: -(i + 1), kind: 'group', words: [a, b] })), true);
}

/**
 * The editor's table with the house styles' rules added, less the pairs the editor keeps apart
 * (`البالغ != بلاغ`). The editor's own entries come first.
 */
export function withHouseStyles(editor: SynonymTable, house: SynonymTable): SynonymTable {
  if (house.size === 0) return editor;
  const byFirst = new Map<string, SynonymRule[]>([...editor.byFirst].map(([k, v]) => [k, [...v]]));
  let size = editor.size;
  for (const [key, rules] of house.byFirst) {
    for (const rule of rules) {
      const to = editor.apart ? rule.to.filter((p) => !editor.apart!.has(apartKey(rule.from, p))) : rule.to;
      if (to.length === 0) continue;
      const list = byFirst.get(key);
      const kept = to === rule.to ? rule : { ...rule, to };
      if (list) list.push(kept);
      else byFirst.set(key, [kept]);
      size++;
    }
  }
  return editor.apart ? { size, byFirst, apart: editor.apart } : { size, byFirst };
}
