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
import { forEachDoc, hasAny, hasDoc } from './postings';
import type { QueryWord } from './query';
import { minReadingDf, readingTerms, typedWord, typoCandidates, typoLookups, type LexiconKey, type Lexicon, type TypoCandidate } from './spell';
import { rankReadings, verdict, type TypedWord } from './spell-model';
import { copyGroups, type Loaded } from './terms';
import type { LoadedTerm } from './archive';
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

/**
 * Pseudo-count of the smoothing of a reading's co-occurrence with the other words: the lift is
 * `log((hits + a) / (expected + a))`, hits against what the archive's rate would give its
 * documents, so a reading too rare to be expected to meet them (a long question's words) is
 * neither lifted nor lowered by not meeting them.
 */
const COOCCUR_PSEUDO_HITS = 1;

/** A word's documents, asked one at a time (its postings searched: nothing allocated per query). */
class WordDocs {
  readonly df: number;
  constructor(readonly terms: LoadedTerm[]) {
    this.df = terms.reduce((n, t) => n + t.df, 0);
  }

  has(doc: number): boolean {
    for (const t of this.terms) if (hasDoc(t, doc)) return true;
    return false;
  }
}

/**
 * Of the terms' documents (each counted once, the first `cap` of them), how many hold every one
 * of `words`, and how many were looked at; `stopped` when the cap cut the count short.
 */
function holdingAll(terms: (LoadedTerm | null | undefined)[], words: WordDocs[], cap: number): { hits: number; seen: number; stopped: boolean } {
  const seen = new Set<number>();
  let hits = 0;
  for (const t of terms) {
    const stopped = forEachDoc(t, (doc) => {
      if (seen.has(doc)) return false;
      seen.add(doc);
      if (words.every((w) => w.has(doc))) hits++;
      return seen.size >= cap;
    });
    if (stopped) return { hits, seen: seen.size, stopped: true };
  }
  return { hits, seen: seen.size, stopped: false };
}

/**
 * How many documents hold every one of the words (rarest first): counted over the rarest's, or
 * over its first `cap` and scaled to its documents (at a million articles a common word's run
 * to the end would cost more than the rest of the weighing).
 */
function docsTogether(words: WordDocs[], cap: number): number {
  const c = holdingAll(words[0]!.terms, words.slice(1), cap);
  return c.stopped ? (c.hits * words[0]!.df) / c.seen : c.hits;
}

/**
 * The corrections with their reserve readings cut to what the work budget holds, first words
 * first, each a term read at the archive's expected cost: like the context's readings, they
 * are optional reads (budget.ts).
 */
export function fitReserves(corrections: Correction[], loaded: Loaded, termChars: number, room: number): { corrections: Correction[]; cut: boolean } {
  const items = corrections.flatMap((c) => c.reserve ?? []);
  if (items.length === 0) return { corrections, cut: false };
  const fit = fitItems(items, (r) => (loaded.has(r.stem) ? [] : [{ key: r.stem, chars: termChars, value: r.stem }]), room);
  if (!fit.cut) return { corrections, cut: false };
  const kept = new Set(fit.kept);
  return { corrections: corrections.map((c) => (c.reserve ? { ...c, reserve: c.reserve.filter((r) => kept.has(r)) } : c)), cut: true };
}

/**
 * A corrected word's readings weighed by the query's other words (the model's `cooccur`):
 * التوجعات beside الجوية الأيام القادمة is التوقعات (forecasts) sooner than التوجهات
 * (trends), which its neighbouring key alone prefers. Each reading, those in reserve too, gains
 * `cooccur` times its lift, at most `context` nats (what the other words lend a real word's
 * reading in the context step). The lift is `log P(others | reading) − log P(others)`: how
 * many of the reading's documents hold every other word, against how many would at the
 * archive's rate (smoothed by {@link COOCCUR_PSEUDO_HITS}). Those then past `offer` are the readings, likeliest
 * first, weighted by their new odds; the verdict (replace, offer) stays the one the word's own
 * evidence gave. Reads nothing: the readings' postings are read.
 */
export function weighReadings(input: TermGroups, corrections: Correction[], loaded: Loaded, docCount: number, o: SearchOptions): { groups: TermGroups; corrections: Correction[]; moved: Set<number> } {
  const m = o.spelling.model;
  const moved = new Set<number>();
  const settled = corrections.map(({ reserve: _, ...c }) => c);
  const weighable = (c: Correction) => c.readings.length + (c.reserve?.length ?? 0) >= 2 && [...c.readings, ...(c.reserve ?? [])].every((r) => r.margin !== undefined);
  if (m.cooccur <= 0 || input.length < 2 || !corrections.some(weighable)) return { groups: input, corrections: settled, moved };
  // Each word's terms: its own and its readings'.
  const termsOf = input.map((g, wi) => {
    const terms = new Set(g.filter((t) => t.kind === 'plain').map((t) => t.term));
    for (const c of corrections) if (c.word === wi) for (const r of c.readings) terms.add(r.stem);
    return [...terms].map((t) => loaded.get(t)).filter((t): t is LoadedTerm => !!t && t.df > 0);
  });
  const groups = [...input];
  const out = corrections.map((c, i) => {
    if (!weighable(c)) return settled[i]!;
    // The other words, rarest first: a doc most often fails the first.
    const others = termsOf.filter((ts, wj) => wj !== c.word && ts.length > 0).map((ts) => new WordDocs(ts)).sort((x, y) => x.df - y.df);
    if (others.length === 0) return settled[i]!;
    const together = docsTogether(others, o.caps.cooccurTogether);
    // No doc holds them all: no reading meets them, and none is expected to (every lift is 0).
    if (together === 0) return settled[i]!;
    const all = [...c.readings, ...(c.reserve ?? [])].map((r) => ({ ...r, margin: r.margin! + Math.min(m.context, m.cooccur * lift(loaded.get(r.stem), others, together, docCount, o.caps.cooccurDocs)) }));
    all.sort((a, b) => b.margin - a.margin || b.df - a.df);
    const past = all.filter((r) => r.margin > m.offer).slice(0, o.spelling.candidates);
    const next: Correction = { ...settled[i]!, to: (past[0] ?? c.readings[0]!).word, readings: past.length > 0 ? past : [c.readings[0]!] };
    if (next.to !== c.to) moved.add(c.word);
    groups[c.word] = [...input[c.word]!.filter((t) => t.kind !== 'typo'), ...readingTerms(next, o)];
    return next;
  });
  return { groups, corrections: out, moved };
}

/**
 * A reading's lift from the other words (nats), over its first `cap` documents: how many hold
 * every other word against how many would at the archive's rate, smoothed by {@link COOCCUR_PSEUDO_HITS}.
 */
function lift(term: LoadedTerm | null | undefined, others: WordDocs[], together: number, docCount: number, cap: number): number {
  const { hits, seen } = holdingAll([term], others, cap);
  const expected = (seen * together) / docCount;
  return Math.log((hits + COOCCUR_PSEUDO_HITS) / (expected + COOCCUR_PSEUDO_HITS));
}
