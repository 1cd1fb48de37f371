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
import { fitItems, lexiconCosts } from './budget';
import type { SearchOptions } from './options';
import { hasAny } from './postings';
import type { QueryWord } from './query';
import { minReadingDf, typedWord, typoCandidates, typoLookups, type LexiconKey, type Lexicon, type TypoCandidate } from './spell';
import { rankReadings, verdict, type TypedWord } from './spell-model';
import { copyGroups, type Loaded } from './terms';
import type { Correction, NearMisses, TermGroups } from './types';

/** The words a context correction may read (near-missed, not corrected yet) and their lexicon lists. */
export function contextLookups(words: QueryWord[], nearMisses: NearMisses, done: Correction[], o: SearchOptions, room = Infinity): { suspects: number[]; lookups: LexiconKey[]; cut: boolean } {
  const all = [...nearMisses.keys()].filter((wi) => !done.some((c) => c.word === wi) && typoLookups([words[wi]!], o.spelling).length > 0);
  // The budget: the first suspects in query order whose lists fit.
  const fit = fitItems(all, (wi) => lexiconCosts(typoLookups([words[wi]!], o.spelling)), room);
  return { suspects: fit.kept, lookups: [...fit.keys.values()], cut: fit.cut };
}

/** Readings of the suspects the model could prefer to the word as typed, likeliest first, one per stem. */
export interface ContextReadings {
  readings: Map<number, TypoCandidate[]>;
  /** Each suspect as typed, for the model. */
  typed: Map<number, TypedWord>;
  /** The readings' terms to read. */
  terms: string[];
  capped: boolean;
}

export function contextReadings(words: QueryWord[], groups: TermGroups, loaded: Loaded, lexicon: Lexicon, suspects: number[], docCount: number, o: SearchOptions): ContextReadings {
  const m = o.spelling.model;
  const budget = { scanned: 0 };
  const readings = new Map<number, TypoCandidate[]>();
  const typed = new Map(suspects.map((wi) => [wi, typedWord(words[wi]!, loaded, lexicon, o.spelling, docCount)]));
  for (const wi of suspects) {
    const own = new Set(groups[wi]!.map((t) => t.term));
    const w = typed.get(wi)!;
    const stemsSeen = new Set<string>();
    // Found in context, a reading gains the model's `context`: it may then be rarer.
    const minDf = minReadingDf(w, { ...m, offer: m.offer - m.context });
    const cands = typoCandidates(words, wi, lexicon, minDf, budget, o).filter((c) => !own.has(c.stem) && !stemsSeen.has(c.stem) && stemsSeen.add(c.stem));
    if (cands.length > 0) readings.set(wi, cands.slice(0, o.spelling.contextReadings));
  }
  const terms = [...readings.values()].flat().map((c) => c.stem).filter((t) => !loaded.has(t));
  return { readings, typed, terms, capped: budget.scanned > o.caps.typoScan };
}

/**
 * The readings that documents with the query's other words hold and that the model, with the
 * context's evidence, prefers past `offer`: corrections that count below the words as typed.
 */
export function contextCorrections(input: TermGroups, loaded: Loaded, nearMisses: NearMisses, found: ContextReadings, o: SearchOptions): { groups: TermGroups; corrections: Correction[] } {
  const m = o.spelling.model;
  const groups = copyGroups(input);
  const out: Correction[] = [];
  for (const [wi, cands] of found.readings) {
    const context = new Set(nearMisses.get(wi));
    const inContext = cands.filter((c) => hasAny(loaded.get(c.stem), context)).map((c) => ({ ...c, inContext: true }));
    const fits = rankReadings(found.typed.get(wi)!, inContext, m).filter((c) => verdict(c.margin, m) !== 'keep').slice(0, o.spelling.candidates);
    if (fits.length === 0) continue;
    for (const c of fits) groups[wi]!.push({ term: c.stem, weight: o.ranking.typoWeight * Math.exp(c.margin - fits[0]!.margin), kind: 'typo' });
    out.push({ word: wi, to: fits[0]!.word, readings: fits, mode: 'suggest', context: true });
  }
  return { groups, corrections: out };
}
