/**
 * The terms each query word is searched under, weighted: its plain stem, its other house
 * spellings, its proclitic-free readings where the archive's frequencies favour them, and a
 * compound name's one-word stem. Decided from the document frequencies of the terms read.
 */
import { ALT_MARK } from '../analyzer/index';
import type { LoadedTerm } from './archive';
import type { RankingOptions } from './options';
import type { QueryPlan } from './plan';
import type { QueryWord } from './query';
import { idf } from './score';
import type { TermGroups, WeightedTerm } from './types';

export type Loaded = Map<string, LoadedTerm | null>;

/** The weighted terms of every query word of the plan (a new array; the plan is not changed). */
export function groupsOf(plan: QueryPlan, loaded: Loaded, docCount: number, ranking: Readonly<RankingOptions>): TermGroups {
  const words = plan.query.words;
  const groups = words.map((w) => wordTerms(w, loaded, docCount, ranking));
  // A compound name written apart (عبد الله) is found written as one (عبدالله): that word
  // counts for both of its parts.
  words.forEach((w, i) => {
    if (!w.compound) return;
    w.compound.stems.forEach((term, k) => {
      if ((loaded.get(term)?.df ?? 0) === 0) return;
      const weight = k === 0 ? 1 : ranking.altWeight;
      for (const g of [groups[w.compound!.head]!, groups[i]!]) if (!g.some((t) => t.term === term)) g.push({ term, weight, kind: k === 0 ? 'plain' : 'alt' });
    });
  });
  return groups;
}

/**
 * The terms a query word is looked up under. Its plain stem always; a reading without a
 * proclitic (لبوتين → بوت) only where that reading is the more frequent one, and the index's
 * marked readings (وبوتين indexed as ~بوت) only where they do not swamp the plain stem. The
 * frequencies decide between "ل + بوتين" and "ب + وتين" as a reader would.
 */
export function wordTerms(word: QueryWord, loaded: Loaded, docCount: number, ranking: Readonly<RankingOptions>): WeightedTerm[] {
  const df = (t: string) => loaded.get(t)?.df ?? 0;
  const plain = word.stems[0]!;
  const out: WeightedTerm[] = [{ term: plain, weight: 1, kind: 'plain' }];
  const respelt = word.respellings.filter((r) => df(r) > 0);
  if (respelt.length > 0) {
    // One word in several spellings: each scores with the idf of the commonest, so the rarer
    // house style is not taken for a rarer word.
    const common = idf(Math.max(df(plain), ...respelt.map(df)), docCount);
    out[0]!.weight = common / idf(df(plain), docCount);
    for (const r of respelt) out.push({ term: r, weight: common / idf(df(r), docCount), kind: 'plain' });
  }
  if (behindProclitic(plain, loaded)) out.push({ term: ALT_MARK + plain, weight: ranking.altWeight, kind: 'alt' });
  for (const alt of commonerReadings(word, loaded)) {
    out.push({ term: alt, weight: ranking.altWeight, kind: 'alt' });
    if (df(ALT_MARK + alt) > 0) out.push({ term: ALT_MARK + alt, weight: ranking.altWeight ** 2, kind: 'alt' });
  }
  return out;
}

/** A word's proclitic-free readings searched beside its plain stem: those the archive writes more often (لترامب: ترامب). */
export function commonerReadings(word: QueryWord, loaded: Loaded): string[] {
  const df = (t: string) => loaded.get(t)?.df ?? 0;
  return word.stems.slice(1).filter((alt) => df(alt) > df(word.stems[0]!));
}

/**
 * Whether a stem is searched behind a proclitic too (لترامب for ترامب): when the archive has it
 * so, and not far more often than bare, as a short stem is (بسل, وسل for سل), where the marked
 * term would find other words.
 */
export function behindProclitic(stem: string, loaded: Loaded): boolean {
  const marked = loaded.get(ALT_MARK + stem)?.df ?? 0;
  return marked > 0 && marked <= 2 * (loaded.get(stem)?.df ?? 0) + 2;
}

/** A copy of the groups, each term a new object (stages change copies, never their input). */
export function copyGroups(groups: TermGroups): TermGroups {
  return groups.map((g) => g.map((t) => ({ ...t })));
}
