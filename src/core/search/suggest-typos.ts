/**
 * Typos in search as you type, read by the one spelling model (spell-model.ts) that /search
 * reads them by, among the words titles use (a completion key's list, most used first, with
 * their titles): the word being typed completes to words whose first letters are an edit or so
 * from what was typed (بويت: بوتين), and a finished word no document holds is read as the word
 * it likeliest stands for (ماكرن: ماكرون). Each reading is priced by the model's channel and
 * weighed by its titles against the word as typed, as the model weighs a word; its verdicts
 * (`replace`, `offer`, `keep`) place it. No parameter of its own.
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
 * typo, among `entries`. A word's cost is the cheapest of its first letters, one fewer than
 * typed to one more, typed as `typed`; the prefix stands as the word as typed with the titles
 * of its own completions (`exactTitles`). `replace` places a reading before the prefix's own
 * completions, `offer` after them. Likeliest first in each.
 */
export function typoCompletions(typed: string, entries: readonly SuggestEntry[], exactTitles: number, docCount: number, m: SpellModel, minLength: number, groups: readonly string[] = [typed.slice(0, 2)]): TypoCompletions {
  if (typed.length < minLength) return NONE;
  const prefixCost = (norm: string) => {
    let cost = Infinity;
    for (let n = typed.length - 1; n <= Math.min(norm.length, typed.length + 1); n++) cost = Math.min(cost, channelCost(typed, norm.slice(0, n), m.cost));
    return cost;
  };
  const out: TypoCompletions = { before: [], after: [] };
  for (const r of readings(typed, entries, groups, exactTitles, docCount, m, prefixCost, (norm) => norm.startsWith(typed))) (r.verdict === 'replace' ? out.before : out.after).push(r.entry);
  return out;
}

/**
 * The word a finished word (normalized, `minLength` letters or more) that no document holds
 * likeliest stands for, among `entries` (the completion key of its first letters), when its
 * margin passes `offer`: the word as typed has no title, so it stands at the model's floor for
 * a word the archive lacks (`unseen`). Undefined when none passes.
 */
export function finishedTypo(typed: string, entries: readonly SuggestEntry[], docCount: number, m: SpellModel, minLength: number, groups: readonly string[] = [typed.slice(0, 2)]): SuggestEntry | undefined {
  if (typed.length < minLength) return undefined;
  return readings(typed, entries, groups, 0, docCount, m, (norm) => channelCost(typed, norm, m.cost), (norm) => norm === typed)[0]?.entry;
}

/**
 * The words of `entries` whose margin over `typed` passes `offer`, likeliest first: margin =
 * `prior × log(titles) − cost(word) − typedPrior`, the word as typed weighing its `typedTitles`.
 * `entries` is a completion key's list (words sharing its first two letters or more, so a typo
 * in those is another key's, not read), or several keys' as one list, most used first; only the
 * words of `groups` (first two letters) are read, so a small archive's one list, which holds
 * every group, each most used first, is read as those groups' keys. `skip`: words that are no
 * reading (the typed word itself, or its own completions).
 */
function readings(typed: string, entries: readonly SuggestEntry[], groups: readonly string[], typedTitles: number, docCount: number, m: SpellModel, cost: (norm: string) => number, skip: (norm: string) => boolean): { entry: SuggestEntry; margin: number; verdict: 'replace' | 'offer' }[] {
  if (m.prior <= 0) return [];
  const prior = typedPrior({ norm: typed, df: typedTitles, stemDf: 0, behindDf: 0, docCount }, m);
  // No reading is cheaper than the cheapest edit: the scan of a group stops where even that
  // could not pass `offer`.
  const cheapest = Math.min(...Object.values(m.cost));
  const out: { entry: SuggestEntry; margin: number; verdict: 'replace' | 'offer' }[] = [];
  for (const e of entries) {
    const [norm, , titles] = e;
    if (titles <= 0 || !groups.some((g) => norm.startsWith(g))) continue;
    if (m.prior * Math.log(titles) - cheapest - prior <= m.offer) break;
    if (skip(norm)) continue;
    const margin = m.prior * Math.log(titles) - cost(norm) - prior;
    const v = verdict(margin, m);
    if (v !== 'keep') out.push({ entry: e, margin, verdict: v });
  }
  return out.sort((a, b) => b.margin - a.margin || b.entry[2] - a.entry[2]);
}

/**
 * What a word's first two letters were, if a swap is in them: the two-letter groups whose keys
 * hold its readings. A swap of the second and third letters (مكار for ماكر) puts the word in the
 * key of its first and third: the slip inside a word the model prices cheapest (fitted.ts), and
 * one key more to read. The other slips in the second letter (a neighbouring key, a letter left
 * out) would each be several keys.
 */
export function slipGroups(typed: string): string[] {
  const own = typed.slice(0, 2);
  return typed.length >= 3 && typed[1] !== typed[2] ? [own, typed[0]! + typed[2]!] : [own];
}

/** The words whose keys a typed word's readings are in: the word, and its second and third letters swapped. */
export function slipWords(typed: string): string[] {
  return slipGroups(typed).map((g) => (g === typed.slice(0, 2) ? typed : g + typed[1]! + typed.slice(3)));
}
