/**
 * Names across scripts: a query word in Latin letters or Arabizi (Putin, Poutine, boutin,
 * 3abd el nasser) read as the archive's own Arabic word. Each Latin word is cut into pieces
 * (letters, digraphs, Arabizi digits: letters.ts) whose Arabic options make its likely
 * spellings; those say which lists of the archive's vocabulary to read (lookups.ts: the typo
 * lexicon, by first letter and length, and the completions by their first two letters); every
 * word of those lists is then scored by how cheaply it writes the Latin (align.ts) and how
 * common it is (readings.ts), and the best reading takes the Latin word's place in the query,
 * which is then searched as if typed in Arabic. Which words are names: spans.ts.
 * No list of names is kept: the archive's vocabulary is the list. A Latin word the archive has
 * as typed (iPhone, FIFA where it writes them so) is searched as typed, unless its reading is
 * far more common; a word a synonym entry names keeps the reading the editor gave it.
 */
import { ALT_MARK, normalize, stems } from '../../analyzer/index';
import type { SynonymTable } from '../../settings/synonyms';
import type { Archive } from '../archive';
import type { SearchOptions } from '../options';
import { parseQuery, type ParsedQuery } from '../query';
import { roomLeft } from '../budget';
import type { ReadStats } from '../source';
import { behindProclitic, copyGroups, type Loaded } from '../terms';
import type { Correction, TermGroups } from '../types';
import { nameLookups } from './lookups';
import { readingsOf, type ReadName, type Reading } from './readings';
import { latinNames } from './spans';

export type { LatinName, NamePart } from './spans';
export type { ReadName, Reading } from './readings';


/** The query with each name read replaced by its Arabic words. */
export function rewriteQuery(q: string, read: ReadName[]): string {
  let out = '';
  let at = 0;
  for (const r of [...read].sort((a, b) => a.name.start - b.name.start)) {
    out += q.slice(at, r.name.start) + r.readings.map((x) => x.word).join(' ');
    at = r.name.end;
  }
  return out + q.slice(at);
}

/** A query with its Latin names read in Arabic. */
export interface NamedQuery {
  /** The query to search. */
  q: string;
  read: ReadName[];
  /** More Latin words than `caps.nameWords`: the rest were searched as typed. */
  capped?: boolean;
}

/**
 * Reads the Latin names of a query (one batch: their own terms, the lexicon lists and the
 * completions their readings may be in). Undefined when the query has none, or none is read.
 */
export async function readNames(index: Archive, q: string, synonyms: SynonymTable, stats: ReadStats, o: SearchOptions): Promise<NamedQuery | undefined> {
  const all = latinNames(q, synonyms);
  if (all.length === 0) return undefined;
  // The budget: the first names in query order whose lists fit in what the query's words leave
  // of the work budget (budget.ts); the others are searched as typed.
  const words = parseQuery(q).words.length; // at most MAX_WORDS
  const room = roomLeft(o.caps.work - words * index.termChars, stats);
  const lookups = nameLookups(all.slice(0, o.caps.nameWords), o, room);
  const names = lookups.kept;
  const capped = names.length < all.length;
  if (names.length === 0) return { q, read: [], capped };
  const [loaded, lexicon, completions] = await Promise.all([
    index.loadTerms(lookups.terms, stats),
    index.lexicon(lookups.lexicon, stats),
    index.suggestionsOf(lookups.prefixes, stats),
  ]);
  const read = readingsOf(names, loaded, lexicon, completions, o);
  if (read.length === 0) return capped ? { q, read, capped } : undefined;
  return capped ? { q: rewriteQuery(q, read), read, capped } : { q: rewriteQuery(q, read), read };
}

/**
 * The names read, as corrections of the query searched: each reading is one of its words,
 * which `didYouMean` then writes as the best results write it (Putin → بوتين).
 */
export function nameCorrections(named: NamedQuery | undefined, words: readonly { norm: string }[]): Correction[] {
  if (!named) return [];
  const out: Correction[] = [];
  for (const r of named.read.filter((x) => x.mode === 'replace')) {
    for (const reading of r.readings) {
      const norm = normalize(reading.word);
      const wi = words.findIndex((w) => w.norm === norm);
      if (wi < 0 || out.some((c) => c.word === wi)) continue;
      out.push({ word: wi, to: norm, readings: [{ word: norm, stem: stems(norm)[0]!, df: reading.df }], mode: 'auto' });
    }
  }
  return out;
}

/**
 * The parsed query searched, with the Latin spelling of each name read in `both` mode as
 * another spelling of its reading (a new query; the input is not changed).
 */
export function withLatinSpellings(query: ParsedQuery, named: NamedQuery): ParsedQuery {
  const both = named.read.filter((r) => r.mode === 'both' || r.keepTyped);
  if (both.length === 0) return query;
  const words = query.words.map((w) => {
    const r = both.find((x) => normalize(x.readings[0]!.word) === w.norm);
    const latin = r && stems(r.name.typed)[0]!;
    return latin && !w.respellings.includes(latin) ? { ...w, respellings: [...w.respellings, latin] } : w;
  });
  return { ...query, words };
}

/** Another reading of a query word: its term and weight. */
export interface OtherReading {
  word: number;
  term: string;
  weight: number;
}

/** The other readings of the names read in `replace` mode, by the query word of their reading. */
export function otherReadings(named: NamedQuery | undefined, words: readonly { norm: string }[], o: SearchOptions): OtherReading[] {
  if (!named) return [];
  const out: OtherReading[] = [];
  for (const r of named.read.filter((x) => x.mode === 'replace')) {
    r.readings.forEach((reading, k) => {
      const wi = words.findIndex((w) => w.norm === normalize(reading.word));
      if (wi < 0) return;
      // Weighted by how much less likely the model finds it.
      const score = (x: Reading) => o.names.dfWeight * Math.log(Math.max(1, x.df)) - x.cost;
      for (const other of r.others[k] ?? []) out.push({ word: wi, term: stems(other.word)[0]!, weight: o.names.otherWeight * Math.exp(score(other) - score(reading)) });
    });
  }
  return out;
}

/** The groups with the other readings added (new groups; the input is not changed). */
export function withOtherReadings(input: TermGroups, others: OtherReading[], loaded: Loaded, o: SearchOptions): TermGroups {
  if (others.length === 0) return input;
  const groups = copyGroups(input);
  for (const r of others) {
    const g = groups[r.word]!;
    if ((loaded.get(r.term)?.df ?? 0) === 0 || g.some((t) => t.term === r.term)) continue;
    g.push({ term: r.term, weight: r.weight, kind: 'alt' });
    if (behindProclitic(r.term, loaded)) g.push({ term: ALT_MARK + r.term, weight: r.weight * o.ranking.altWeight, kind: 'alt' });
  }
  return groups;
}
