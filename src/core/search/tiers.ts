/**
 * Reading a big term's tier B only when it can change the page (MaxScore's idea, on bahth's
 * score). Tier A of a big term holds every title posting and its strong body postings; tier B,
 * body postings of one occurrence in long bodies, each worth at most a known ceiling. After
 * matching on what was read, the page's docs are final when no doc could pass the last of them
 * with every unread posting it might have at its ceiling: then the page is completed from its
 * articles' text (read anyway for snippets) and tier B is never read. Otherwise it is read, and
 * the query matched again. The hits are then the same as an exhaustive search's; `total` and the
 * facets count the postings read (lower bounds: the response says so in `partial`).
 */
import { analyze, READS_TANWEEN, termsOf } from '../analyzer/index';
import type { Article } from '../article';
import { LENGTH_CODES, MAX_TF_UNITS, postingCode, TF_UNIT, type FieldPostings } from '../format/codec';
import type { Archive, TermPart } from './archive';
import type { Matched } from './match';
import { idf } from './score';
import type { Loaded } from './terms';
import type { Ranked, TermGroups } from './types';

/** Whether some loaded term has a tier B not read. */
export function hasRest(loaded: Loaded): boolean {
  for (const t of loaded.values()) if (t?.rest?.length) return true;
  return false;
}

/** What unread postings can add to a doc's score, word by word. */
export interface RestBounds {
  /**
   * Per query word, the most any of its terms' tier B postings scores (a body posting: `weight ×
   * idf × the tf factor of one occurrence in a body of the tier's shortest length`); 0 for a
   * word with nothing unread.
   */
  ceilings: number[];
  /**
   * Bit i set: word i has one term with an unread tier B. A doc that term's tier A holds in the
   * body, or in the title when its tiers B are `titled` (`parts.restBody`), has no posting of it
   * in tier B: the word can add nothing to it.
   */
  single: number;
  /**
   * Bit i set: every unread tier B of word i is `titled`. A doc that holds the word already
   * (by another of its terms) holds none of these terms in tier A: each is then worth to it only
   * its tier B posting, at most the ceiling, and a word scores its best term, so reading them
   * raises the word's score to the ceiling at most, not by it (`parts.restScore` keeps the
   * word's score so far).
   */
  titled: number;
}

export function restBounds(index: Archive, groups: TermGroups, loaded: Loaded): RestBounds {
  const body = index.bm25.body;
  let single = 0;
  let titled = 0;
  const ceilings = groups.map((g, w) => {
    let most = 0;
    let terms = 0;
    let allTitled = true;
    for (const wt of g) {
      const t = loaded.get(wt.term);
      if (!t?.rest?.length) continue;
      terms++;
      allTitled &&= t.rest.every((r) => r.titled);
      const shortest = Math.min(...t.rest.map((r) => r.length));
      most = Math.max(most, wt.weight * idf(t.df, index.docCount) * body[TF_UNIT * LENGTH_CODES + shortest]!);
    }
    if (terms === 1) single |= 1 << w;
    if (terms > 0 && allTitled) titled |= 1 << w;
    return most;
  });
  return { ceilings, single, titled };
}

/**
 * Whether the best `k` candidates (in this order) are the best `k` of all docs, unread postings
 * counted at their ceilings: every other candidate, and any doc not seen at all, scores below the
 * k-th even with them. Needs `matched.parts`.
 */
export function topIsFinal(matched: Matched, top: Ranked[], k: number, bounds: RestBounds, recency: number): boolean {
  const { cands, parts, coverage } = matched;
  if (!parts || top.length < k) return false;
  // A doc found only through a typo reading ranks below any exact match: an unseen exact match
  // would pass it whatever its score.
  if (top.some((r) => r.exact === 0)) return false;
  const last = top[k - 1]!.score;
  const { ceilings, single } = bounds;
  let words = 0;
  ceilings.forEach((c, w) => {
    if (c > 0) words |= 1 << w;
  });
  const unreadFor = (without: number): number => {
    let sum = 0;
    for (let m = words & ~without, w = 0; m !== 0; m >>>= 1, w++) if (m & 1) sum += ceilings[w]!;
    return sum;
  };
  // A doc not seen: only unread body postings, no title bonus, the largest recency factor.
  if (unreadFor(0) * coverage(words) * (1 + recency) >= last) return false;
  const inTop = new Set(top.map((r) => r.doc));
  const { titled } = bounds;
  for (let i = 0; i < cands.count; i++) {
    if (inTop.has(cands.doc[i]!)) continue;
    const done = parts.restBody[i]! & single;
    const open = words & ~done;
    // Nothing unread can add to it: its score is final, and it was ranked below the top as it
    // is (ties included); the top's scores can only rise.
    if (open === 0) continue;
    const mask = parts.mask[i]!;
    let rise = 0;
    for (let m = open, w = 0; m !== 0; m >>>= 1, w++) {
      if ((m & 1) === 0) continue;
      const bit = 1 << w;
      // A word the doc holds already, all of whose unread tiers are titled: its score becomes
      // the best of what it has and the tiers' postings (see RestBounds.titled).
      if ((mask & titled & bit) !== 0) rise += Math.max(0, ceilings[w]! - parts.restScore[w]![i]!);
      else rise += ceilings[w]!;
    }
    if (rise === 0) continue;
    if ((parts.total[i]! + rise) * coverage(mask | open) * parts.factor[i]! >= last) return false;
  }
  return true;
}

/**
 * The loaded terms restricted to some docs, with the postings their tiers B hold for them taken
 * from the articles' text: what the index holds of these docs, whole (a doc's postings of a term
 * are all in tier A or all in tier B; the text gives tf and length exactly as the build counted).
 */
export function wholeFor(loaded: Loaded, docs: number[], articles: Map<number, Article>): Loaded {
  const sorted = [...new Set(docs)].sort((x, y) => x - y);
  const analyzed = new Map<number, { tf: Map<string, number>; length: number }>();
  const bodyOf = (doc: number) => {
    let a = analyzed.get(doc);
    if (!a) {
      const tf = new Map<string, number>();
      const terms = analyze(articles.get(doc)!.body.join('\n'), Infinity, READS_TANWEEN.body);
      for (const term of terms) for (const t of termsOf(term)) tf.set(t, (tf.get(t) ?? 0) + TF_UNIT);
      analyzed.set(doc, (a = { tf, length: terms.length }));
    }
    return a;
  };
  const out: Loaded = new Map();
  for (const [term, t] of loaded) {
    if (!t) {
      out.set(term, t);
      continue;
    }
    const parts = t.parts.map((p): TermPart => {
      const title = only(p.title, sorted, p.titleWords);
      return { title: title?.field, titleWords: title?.values, body: only(p.body, sorted)?.field, attributeWidth: p.attributeWidth };
    });
    if (t.rest?.length) {
      const inBody = new Set<number>();
      for (const p of parts) for (const slot of p.body?.slots ?? []) for (const d of slot) inBody.add(d);
      const found: number[] = [];
      const codes: number[] = [];
      for (const d of sorted) {
        if (inBody.has(d)) continue;
        const b = bodyOf(d);
        const units = b.tf.get(term);
        if (!units) continue;
        found.push(d);
        codes.push(postingCode(Math.min(units, MAX_TF_UNITS), b.length));
      }
      if (found.length) parts.push({ body: { slots: [found], codes: Uint16Array.from(codes) }, attributeWidth: 1 });
    }
    out.set(term, { df: t.df, parts, ...(t.spellings ? { spellings: t.spellings, inUse: t.inUse } : {}) });
  }
  return out;
}

/**
 * A field's postings of some docs only (`docs` ascending), slot positions kept, with a
 * per-posting array (title words) alike. Each doc is looked up in each slot by bisection (slots
 * list docs in ascending order): a page's few docs cost a few steps a slot, not a pass over a
 * big term's every posting.
 */
function only(field: FieldPostings | undefined, docs: number[], perPosting?: Uint8Array): { field: FieldPostings; values?: Uint8Array } | undefined {
  if (!field) return undefined;
  const slots: number[][] = [];
  const codes: number[] = [];
  const values: number[] = [];
  let k = 0;
  for (const slot of field.slots) {
    const kept: number[] = [];
    let lo = 0;
    for (const d of docs) {
      let hi = slot.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (slot[mid]! < d) lo = mid + 1;
        else hi = mid;
      }
      if (lo < slot.length && slot[lo] === d) {
        kept.push(d);
        codes.push(field.codes[k + lo]!);
        if (perPosting) values.push(perPosting[k + lo]!);
      }
    }
    k += slot.length;
    slots.push(kept);
  }
  return { field: { slots, codes: Uint16Array.from(codes) }, ...(perPosting ? { values: Uint8Array.from(values) } : {}) };
}
