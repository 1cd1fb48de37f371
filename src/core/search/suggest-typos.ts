/**
 * Typos in search as you type, read by the one spelling model (spell-model.ts) that /search
 * reads them by: the word being typed completes to words whose first letters are an edit or
 * so from what was typed (بويت: بوتين), priced by the model's channel and weighed by how many
 * titles use them, against the typed letters' own completions.
 */
import type { SuggestEntry } from '../format/layout';
import { channelCost, typedPrior, verdict, type SpellModel } from './spell-model';

/** Completions of a typed prefix read as a typo: those placed before its own, and after. */
export interface TypoCompletions {
  /** Readings whose margin passes the model's `replace`: likelier than what was typed. */
  before: SuggestEntry[];
  /** Readings whose margin passes `offer` only: shown after the typed letters' own completions. */
  after: SuggestEntry[];
}

const NONE: TypoCompletions = { before: [], after: [] };

/**
 * The completions of `typed` (a normalized prefix of `minLength` letters or more) read as a
 * typo, among `entries` (a completion key's list: words sharing its first two letters or more,
 * so a typo in those is another key's, not read; a small archive's one list is read as its
 * two-letter groups alike). A word is a reading when its first letters, one fewer
 * than typed to one more, cost the least to type as `typed` under the channel; its margin over
 * what was typed is `prior × log(its titles) − that cost − typedPrior`, the prefix standing as
 * the typed word with the titles of its own completions (`exactTitles`), as spell-model.ts
 * weighs a word as typed. The model's verdicts place it: `replace` before the prefix's own
 * completions, `offer` after them, `keep` not at all. Likeliest first in each.
 */
export function typoCompletions(typed: string, entries: readonly SuggestEntry[], exactTitles: number, docCount: number, m: SpellModel, minLength: number): TypoCompletions {
  if (typed.length < minLength || m.prior <= 0) return NONE;
  const prior = typedPrior({ norm: typed, df: exactTitles, stemDf: 0, behindDf: 0, docCount }, m);
  // No reading is cheaper than the cheapest edit: lists are most used first, so the scan stops
  // where even that could not pass `offer`.
  const cheapest = Math.min(...Object.values(m.cost));
  const scored: { entry: SuggestEntry; margin: number }[] = [];
  const group = typed.slice(0, 2);
  for (const e of entries) {
    const [norm, , titles] = e;
    // A small archive's one list holds every group, each most used first.
    if (titles <= 0 || !norm.startsWith(group)) continue;
    const most = m.prior * Math.log(titles) - cheapest - prior;
    if (most <= m.offer) break;
    if (norm.startsWith(typed)) continue;
    let cost = Infinity;
    for (let n = typed.length - 1; n <= Math.min(norm.length, typed.length + 1); n++) cost = Math.min(cost, channelCost(typed, norm.slice(0, n), m.cost));
    const margin = m.prior * Math.log(titles) - cost - prior;
    if (verdict(margin, m) !== 'keep') scored.push({ entry: e, margin });
  }
  scored.sort((a, b) => b.margin - a.margin || b.entry[2] - a.entry[2]);
  const out: TypoCompletions = { before: [], after: [] };
  for (const s of scored) (verdict(s.margin, m) === 'replace' ? out.before : out.after).push(s.entry);
  return out;
}

