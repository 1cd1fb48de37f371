/**
 * The query's work budget (`caps.work`): characters of index values a query may use, read from
 * KV or found in the isolate's cache alike (`ReadStats.used`), since decoding, checking and
 * scanning a value costs about its length and the answer must not depend on what the isolate
 * happens to hold. The words the query asks for are read whatever they cost (the word cap
 * bounds them); the optional reads (Latin names' lists, the typo lexicon, the context's
 * readings, the texts checked for a quoted phrase) take what is left, in query order, sized by
 * the expected cost of the keys they would read. What did not fit is named in `capped`.
 */
import type { ReadStats } from './source';

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
