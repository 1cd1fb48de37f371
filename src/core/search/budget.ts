/**
 * The query's work budget (`caps.work`): characters of index values a query may use, read from
 * KV or found in the isolate's cache alike (`ReadStats.used`), since decoding, checking and
 * scanning a value costs about its length and the answer must not depend on what the isolate
 * happens to hold. The words the query asks for are read whatever they cost (the word cap
 * bounds them); the optional reads (Latin names' lists, the typo lexicon, the context's
 * readings, the texts checked for a quoted phrase) take what is left, in query order, sized by
 * the expected cost of the keys they would read. What did not fit is named in `capped`.
 */
import type { LoadedTerm } from './archive';
import type { ReadStats } from './source';
import type { Loaded } from './terms';
import type { TermGroups } from './types';

/*
 * What a key is expected to cost before it is read: the mean size of the keys of its kind that
 * queries read (the 1,315 dev questions over the corpus; larger lists and shards are read more
 * often than their share, so these are above the plain means of the kinds).
 */
/** One typo-lexicon list (read by queries: 15.2 K on average; the lists' plain mean is 4.4 K). */
export const LEXICON_LIST_CHARS = 15_000;
/** One completions list (read by queries: 2.9 K; plain mean 0.9 K). */
export const COMPLETION_LIST_CHARS = 3_000;
/** One article (read by queries: 1.6 K; plain mean 1.7 K). */
export const ARTICLE_CHARS = 1_600;
/** A query's word sits in a shard this many times the segment's mean (28.9 K read against a 17.5 K mean): common terms make their shards big. */
export const TERM_SHARD_FACTOR = 1.6;

/** What reading lexicon lists is expected to cost, as items for {@link fitItems} (`prefix` keeps them apart from other kinds in one fit). */
export function lexiconCosts<K extends { first: string; length: number }>(keys: K[], prefix = ''): { key: string; chars: number; value: K }[] {
  return keys.map((k) => ({ key: `${prefix}${k.first}/${k.length}`, chars: LEXICON_LIST_CHARS, value: k }));
}

/** Characters of the budget not used yet. */
export function roomLeft(work: number, stats: ReadStats): number {
  return Math.max(0, work - stats.used);
}

/**
 * The longest prefix of `items` (likeliest first) whose new keys fit in `room` characters: an
 * item costs what its keys not already taken are expected to. `taken` grows with the keys kept.
 */
export function fitItems<T, K>(items: T[], keysOf: (item: T) => { key: string; chars: number; value: K }[], room: number, taken = new Map<string, K>()): { kept: T[]; keys: Map<string, K>; cut: boolean } {
  const kept: T[] = [];
  let spent = 0;
  for (const item of items) {
    const fresh = keysOf(item).filter((k) => !taken.has(k.key));
    const cost = fresh.reduce((n, k) => n + k.chars, 0);
    if (spent + cost > room) return { kept, keys: taken, cut: true };
    spent += cost;
    for (const k of fresh) taken.set(k.key, k.value);
    kept.push(item);
  }
  return { kept, keys: taken, cut: false };
}

/** Postings of a term as read (title and body, every part): what scoring it costs. */
export function postingsOf(term: LoadedTerm | null | undefined): number {
  let n = 0;
  for (const part of term?.parts ?? []) n += (part.title?.codes.length ?? 0) + (part.body?.codes.length ?? 0);
  return n;
}

/**
 * The words to score within `cap` postings (`caps.postings`): while the words' postings add up
 * to more, the word with the most is left out (the commonest word tells the fewest documents
 * apart: its idf is the lowest), never a word in `keep` (a mask: phrase and required words) nor
 * the last word scored. Scoring costs about its postings, so this bounds the CPU of a long query
 * of common words; a left-out word counts for nothing, as a stop word does. Returns the groups
 * with the words left out emptied, and their mask.
 */
export function fitPostings(groups: TermGroups, loaded: Loaded, cap: number, keep: number): { groups: TermGroups; cut: number } {
  const counts = groups.map((g) => [...new Set(g.map((t) => t.term))].reduce((n, t) => n + postingsOf(loaded.get(t)), 0));
  let total = counts.reduce((a, b) => a + b, 0);
  if (total <= cap) return { groups, cut: 0 };
  let cut = 0;
  let scored = counts.filter((c) => c > 0).length;
  while (total > cap && scored > 1) {
    let worst = -1;
    for (let i = 0; i < groups.length; i++) if (!((keep | cut) & (1 << i)) && counts[i]! > 0 && (worst < 0 || counts[i]! > counts[worst]!)) worst = i;
    if (worst < 0) break;
    cut |= 1 << worst;
    total -= counts[worst]!;
    scored--;
  }
  return { groups: cut ? groups.map((g, i) => (cut & (1 << i) ? [] : g)) : groups, cut };
}
