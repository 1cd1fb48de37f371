/**
 * MaxScore on query words (Turtle and Flood's idea, on bahth's score): the common words of a
 * query of several words (all but its strongest) are scored only on the docs of the others. A
 * doc holding only skipped words can score at most the sum of their peaks, each read off its
 * best term's postings (its best title posting at its slot's bonus plus its best body posting,
 * times `weight × idf`: what the word adds to a doc, at most), times the largest factors such a
 * doc can have (the recency prior's, and the naming title's when one of its titles is short
 * enough for the skipped words alone to name it; not the title-cover bonus, which needs every
 * word). When the page's last
 * doc scores above that, no skipped doc can enter the page: the hits are exact, and `total` and
 * the facets count the docs of the other words (lower bounds, `partial`). Otherwise the few
 * skipped docs that might pass the page are scored with it ({@link outsiders}), or, when they
 * are too many, the query is matched again, whole. Which words to skip is chosen before reading a posting, by the
 * cheaper ceiling `weight × idf × (titleWeight × (1 + slotBonus) + 1)` (a BM25 tf factor is
 * below 1 in each field).
 */
import { LENGTH_CODES, TF_UNIT } from '../format/codec';
import type { Archive } from './archive';
import type { SearchOptions } from './options';
import type { QueryPlan } from './plan';
import { idf } from './score';
import type { LoadedTerm, TermPart } from './archive';
import type { Loaded } from './terms';
import type { Ranked, TermGroups } from './types';

/** The words skipped (bit i: word i) and the best score a doc holding only them can reach. */
export interface Skipped {
  words: number;
  bound: number;
  /** The largest factor (recency, naming title) such a doc's sum can be scaled by: `bound` is its peaks' sum times it. */
  factor: number;
}

/** The most a word adds to a doc's raw sum (its best term's title and body at their ceilings). */
function wordCeiling(index: Archive, group: TermGroups[number], loaded: Loaded, o: SearchOptions): number {
  const { titleWeight, slotBonus } = o.ranking;
  const perIdf = Math.max(0, titleWeight) * (1 + Math.max(0, slotBonus)) + 1;
  let most = 0;
  for (const wt of group) {
    const t = loaded.get(wt.term);
    if (!t || t.parts.length === 0) continue;
    most = Math.max(most, wt.weight * idf(t.df, index.docCount) * perIdf);
  }
  return most;
}

/**
 * The words to skip (a mask), or 0: the query is by relevance, has two words or more with
 * postings, no required word or phrase and no editor's rule (tiers B may be unread: see steps.ts
 * `select`, which then proves the page against both bounds); every word in at
 * least `caps.skipWordDocs` docs is skipped but the strongest (highest ceiling) of the words
 * with postings, which is always scored.
 */
export function wordToSkip(index: Archive, plan: QueryPlan, groups: TermGroups, loaded: Loaded, o: SearchOptions, ruled: boolean): number {
  const least = o.caps.skipWordDocs;
  if (least <= 0 || ruled || groups.length < 2 || plan.params.sort !== 'relevance') return 0;
  if (plan.query.phrases.length > 0 || plan.query.required.length > 0) return 0;
  let strongest = -1;
  let highest = -1;
  let withPostings = 0;
  let skip = 0;
  groups.forEach((g, w) => {
    const ceiling = wordCeiling(index, g, loaded, o);
    if (ceiling === 0) return;
    withPostings++;
    if (ceiling > highest) {
      highest = ceiling;
      strongest = w;
    }
    let docs = 0;
    for (const wt of g) docs += loaded.get(wt.term)?.df ?? 0;
    if (docs >= least) skip |= 1 << w;
  });
  if (withPostings < 2) return 0;
  return skip & ~(1 << strongest);
}

/** What a field's postings can give, read once per decoded field (see fieldPeak). */
interface FieldPeak {
  /** The tf table it was read with (an archive's: another table reads the codes again). */
  table: Float32Array;
  /** Per slot, its postings' best tf factor (the body: one value for all). */
  perSlot: Float32Array;
  /** The fewest words of a title holding the term (0 when unknown; the body: unused). */
  fewestWords: number;
}

/**
 * Fields' peaks by their codes array: a long-lived reader keeps a big term's decoded postings,
 * and its skipped common word's peak was a pass over every one of them on every query.
 */
const fieldPeaks = new WeakMap<Uint16Array, FieldPeak>();

function fieldPeak(field: NonNullable<TermPart['title']>, table: Float32Array, wordsOf?: Uint8Array, isTitle = false): FieldPeak {
  const known = fieldPeaks.get(field.codes);
  if (known && known.table === table) return known;
  const slots = field.slots;
  const perSlot = new Float32Array(isTitle ? slots.length : 1);
  let fewestWords = Infinity;
  let k = 0;
  for (let s = 0; s < slots.length; s++) {
    const n = slots[s]?.length ?? 0;
    const at = isTitle ? s : 0;
    let best = perSlot[at]!;
    for (let j = 0; j < n; j++, k++) {
      const v = table[field.codes[k]!]!;
      if (v > best) best = v;
      if (isTitle) {
        const words = wordsOf?.[k] ?? 0;
        if (words < fewestWords) fewestWords = words;
      }
    }
    perSlot[at] = best;
  }
  const peak = { table, perSlot, fewestWords };
  fieldPeaks.set(field.codes, peak);
  return peak;
}

/**
 * The most one term adds to a doc's raw sum, read off its postings: the best title posting (at
 * its slot's bonus) and the best body posting (apart: `title + body` is the sum's ceiling), and
 * whether some title it is in has so few words that the query could name it (the naming bonus
 * then scales the doc's whole score).
 */
function termPeak(index: Archive, t: LoadedTerm, o: SearchOptions, nameable: number): { title: number; body: number; short: boolean } {
  const { title: titleTf, body: bodyTf } = index.bm25;
  const { titleWeight, slotBonus } = o.ranking;
  const last = lastTitleSlot(t);
  let title = 0;
  let body = 0;
  let short = false;
  for (const p of t.parts) {
    if (p.title) {
      const peak = fieldPeak(p.title, titleTf, p.titleWords, true);
      // The slot's factor is positive: the best posting at it is the best tf factor times it.
      for (let s = 0; s < peak.perSlot.length; s++) {
        const v = titleWeight * slotFactor(slotBonus, last, s) * peak.perSlot[s]!;
        if (v > title) title = v;
      }
      if (peak.fewestWords <= nameable) short = true;
    }
    if (p.body) body = Math.max(body, fieldPeak(p.body, bodyTf).perSlot[0]!);
  }
  // A tier B not read (tiers.ts): its postings are worth at most one occurrence in its shortest body.
  for (const r of t.rest ?? []) body = Math.max(body, bodyTf[TF_UNIT * LENGTH_CODES + r.length]!);
  return { title, body, short };
}

/** A term's last title slot over its parts (score.ts `lastSlot`): the early-title bonus fades to it. */
function lastTitleSlot(t: LoadedTerm): number {
  let last = 1;
  for (const p of t.parts) if (p.title && p.title.slots.length - 1 > last) last = p.title.slots.length - 1;
  return last;
}

/** The early-title bonus of slot `s` (score.ts `addPostings`). */
function slotFactor(slotBonus: number, last: number, s: number): number {
  return 1 + (slotBonus * (last - s)) / last;
}

/**
 * What a doc holding only the skipped words can score, at most: each word at its best term's
 * peak, times the recency prior at its largest and, when a title the words are in is short
 * enough to be named, the naming bonus (the title-cover bonus needs every word).
 */
export function skippedBound(index: Archive, groups: TermGroups, loaded: Loaded, words: number, o: SearchOptions, recency: number, prior: Float32Array | undefined, joined: number): { bound: number; factor: number } {
  // A query names a title when its words in the title count as many as the title's words (a
  // joined word, عبدالفتاح, counting two): a doc holding only skipped words has at most these.
  const nameable = popcount(words) + popcount(words & joined);
  let sum = 0;
  let short = false;
  groups.forEach((g, w) => {
    if ((words & (1 << w)) === 0) return;
    let most = 0;
    for (const wt of g) {
      const t = loaded.get(wt.term);
      if (!t || t.parts.length === 0) continue;
      const peak = termPeak(index, t, o, nameable);
      most = Math.max(most, wt.weight * idf(t.df, index.docCount) * (peak.title + peak.body));
      short ||= peak.short;
    }
    sum += most;
  });
  let best = 0;
  if (prior) for (let i = 0; i < prior.length; i++) if (prior[i]! > best) best = prior[i]!;
  const recencyFactor = prior ? 1 + Math.max(0, recency) * best : 1;
  const factor = recencyFactor * (short ? Math.max(1, 1 + o.ranking.titleNamedBonus) : 1);
  return { bound: sum * factor, factor };
}

/**
 * Whether the best `k` (in order) are the best of all docs, skipped ones included: there are k
 * of them, all exact matches (a skipped doc holding its word as typed would pass one found only
 * through a typo reading), and the last scores above what a skipped doc can (ties go by doc
 * number, so a tie is not enough).
 */
export function skipIsFinal(top: Ranked[], k: number, bound: number): boolean {
  if (k <= 0) return true;
  if (top.length < k) return false;
  if (top.some((r) => r.exact === 0)) return false;
  return top[k - 1]!.score > bound;
}

function popcount(x: number): number {
  let n = 0;
  for (let m = x; m !== 0; m &= m - 1) n++;
  return n;
}

/**
 * When a page found with words skipped fails its proof ({@link skipIsFinal}), the docs outside
 * the gate (holding only skipped words) that might still pass it. `need` is the raw sum such a
 * doc must pass (the page's last score, the largest factor divided out); each skipped word must
 * give what the other skipped words leave at their most (`own`). A term gives a doc
 * `max(title + bodyAfterTitle × body, body)` when its title has it (score.ts `addPostings`) and
 * `body` when not, so a doc can give `own` only with a body posting worth more than `own` or a
 * title posting worth more than `own − bodyAfterTitle × (the term's best body posting)`: those
 * docs are returned (repeated, and some of the gate's, which score again the same). Undefined
 * when a word's `own` is not above 0 (any doc may pass), a term's tier B is unread, or more than
 * `limit` postings qualify: the query is then matched again, whole.
 */
export function outsiders(index: Archive, groups: TermGroups, loaded: Loaded, words: number, need: number, o: SearchOptions, limit: number): number[] | undefined {
  const { title: titleTf, body: bodyTf } = index.bm25;
  const { titleWeight, slotBonus, bodyAfterTitle } = o.ranking;
  type Peaked = { t: LoadedTerm; f: number; title: number; body: number };
  const terms: Peaked[][] = [];
  let sum = 0;
  for (let w = 0; w < groups.length; w++) {
    if ((words & (1 << w)) === 0) continue;
    const list: Peaked[] = [];
    let most = 0;
    for (const wt of groups[w]!) {
      const t = loaded.get(wt.term);
      if (!t || t.parts.length === 0) continue;
      if (t.rest?.length) return undefined;
      const f = wt.weight * idf(t.df, index.docCount);
      const peak = termPeak(index, t, o, 0);
      list.push({ t, f, title: f * peak.title, body: f * peak.body });
      most = Math.max(most, f * (peak.title + peak.body));
    }
    terms.push(list);
    sum += most;
  }
  const out: number[] = [];
  for (const list of terms) {
    const most = list.reduce((a, x) => Math.max(a, x.title + x.body), 0);
    const own = need - (sum - most);
    if (own <= 0) return undefined;
    for (const x of list) {
      const titleNeed = own - Math.max(0, bodyAfterTitle) * x.body;
      const last = lastTitleSlot(x.t);
      for (const p of x.t.parts) {
        if (p.title) {
          let k = 0;
          p.title.slots.forEach((slot, s) => {
            const g = x.f * titleWeight * slotFactor(slotBonus, last, s);
            for (let j = 0; j < slot.length; j++, k++) if (g * titleTf[p.title!.codes[k]!]! > titleNeed) out.push(slot[j]!);
          });
        }
        if (p.body && x.body > own) {
          let k = 0;
          for (const slot of p.body.slots) for (let j = 0; j < slot.length; j++, k++) if (x.f * bodyTf[p.body.codes[k]!]! > own) out.push(slot[j]!);
        }
        if (out.length > limit) return undefined;
      }
    }
  }
  return out;
}
