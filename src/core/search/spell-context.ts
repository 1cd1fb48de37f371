/**
 * A typo that makes another real word (الجزار for الجزائر, انفجر for انفجار) is in the archive
 * as typed, so the lexicon is not asked for it. It shows in context instead: no document holds
 * every word of the query, but some hold all the others (the near misses, found by matching).
 * Such a word's known readings within its edits are read, and those found in the documents
 * holding the other words become corrections: they rank as typo matches, below what the words
 * as typed find together. A reading no such document has is not added, so a query whose words
 * simply do not meet keeps its results. Three steps, around two reads: which lists to read,
 * which readings to read, which readings fit.
 */
import type { SearchOptions } from './options';
import { hasAny } from './postings';
import type { QueryWord } from './query';
import { dfAsTyped, typoCandidates, typoLookups, type LexiconKey, type Lexicon, type TypoCandidate } from './spell';
import { copyGroups, type Loaded } from './terms';
import type { Correction, NearMisses, TermGroups } from './types';

/** The words a context correction may read (near-missed, not corrected yet) and their lexicon lists. */
export function contextLookups(words: QueryWord[], nearMisses: NearMisses, done: Correction[], o: SearchOptions): { suspects: number[]; lookups: LexiconKey[] } {
  const suspects = [...nearMisses.keys()].filter((wi) => !done.some((c) => c.word === wi) && typoLookups([words[wi]!], o.spelling).length > 0);
  return { suspects, lookups: suspects.length ? typoLookups(suspects.map((wi) => words[wi]!), o.spelling) : [] };
}

/** Readings of the suspects, more common than the word as typed, likeliest first, one per stem. */
export interface ContextReadings {
  readings: Map<number, TypoCandidate[]>;
  /** Each suspect's documents as typed. */
  typedDfs: Map<number, number>;
  /** The readings' terms to read. */
  terms: string[];
  capped: boolean;
}

export function contextReadings(words: QueryWord[], groups: TermGroups, loaded: Loaded, lexicon: Lexicon, suspects: number[], o: SearchOptions): ContextReadings {
  const budget = { scanned: 0 };
  const readings = new Map<number, TypoCandidate[]>();
  const typedDfs = new Map(suspects.map((wi) => [wi, dfAsTyped(words[wi]!, lexicon, loaded, o.spelling)]));
  for (const wi of suspects) {
    const own = new Set(groups[wi]!.map((t) => t.term));
    const typed = typedDfs.get(wi)!;
    const stemsSeen = new Set<string>();
    const cands = typoCandidates(words, wi, lexicon, Math.max(o.spelling.maxDf, typed + 1), budget, o).filter((c) => !own.has(c.stem) && !stemsSeen.has(c.stem) && stemsSeen.add(c.stem));
    if (cands.length > 0) readings.set(wi, cands.slice(0, o.spelling.contextReadings));
  }
  const terms = [...readings.values()].flat().map((c) => c.stem).filter((t) => !loaded.has(t));
  return { readings, typedDfs, terms, capped: budget.scanned > o.caps.typoScan };
}

/**
 * The readings some near-missed documents have, as corrections (weighted as other typo
 * readings), and the groups with them added.
 */
export function contextCorrections(input: TermGroups, loaded: Loaded, nearMisses: NearMisses, found: ContextReadings, o: SearchOptions): { groups: TermGroups; corrections: Correction[] } {
  const groups = copyGroups(input);
  const out: Correction[] = [];
  for (const [wi, cands] of found.readings) {
    const context = new Set(nearMisses.get(wi));
    const fits = cands.filter((c) => hasAny(loaded.get(c.stem), context)).slice(0, o.spelling.candidates);
    if (fits.length === 0) continue;
    for (const c of fits) {
      const weight = o.ranking.typoWeight * (c.d === 1 ? 1 : 0.75) * Math.min(1, Math.sqrt(c.df / fits[0]!.df));
      groups[wi]!.push({ term: c.stem, weight, kind: 'typo' });
    }
    // Offered only as a rare word's correction would be: far more common than the word as typed.
    out.push({ word: wi, to: fits[0]!.word, readings: fits, mode: 'suggest', context: { offerDf: o.spelling.contextOffer * found.typedDfs.get(wi)! } });
  }
  return { groups, corrections: out };
}
