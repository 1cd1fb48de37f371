/**
 * The editor's rules at query time, after ranking: the articles a rule hides leave the matches
 * (and their counts); a boost or burial multiplies the score of every match of a source,
 * category or tag, so it moves through the whole ranking, not only the page; the articles a
 * rule pins take their positions last, matched or not. The response names the rules applied
 * (`rules`): a pin placed, a hide or a boost that met a match. Boosts and pins shape the relevance order; a hidden article is
 * hidden in either order.
 */
import { normalize } from '../analyzer/index';
import { filterTerm } from '../format/layout';
import { queryTokens } from '../settings/match';
import { triggeredRules, type RuleSet, type TriggeredRules } from '../settings/rules';
import type { Archive } from './archive';
import { docBitsOf, type DocSet } from './postings';
import type { ReadStats } from './source';
import type { Loaded } from './terms';
import type { Candidates, Ranked, SearchParams, SortOrder, TermGroups } from './types';

/** The rules a query triggers, and what to read for them. */
export interface RulesPlan {
  triggered: TriggeredRules;
  /** Article ids to look up (pinned and hidden). */
  ids: string[];
  /** Tag filter terms of the boosts, read with the query's terms. */
  terms: string[];
}

const tagTerm = (tag: string) => filterTerm.tag(normalize(tag));

/** The rules the query (as typed, or as searched) triggers. */
export function rulesOf(set: RuleSet, typed: string, searched: string): RulesPlan {
  if (set.size === 0) return { triggered: triggeredRules(set, []), ids: [], terms: [] };
  const queries = typed === searched ? [queryTokens(typed)] : [queryTokens(typed), queryTokens(searched)];
  const triggered = triggeredRules(set, queries);
  return {
    triggered,
    ids: [...new Set([...triggered.pins.map((p) => p.id), ...triggered.hides.map((h) => h.id)])],
    terms: [...new Set(triggered.boosts.flatMap((b) => (b.tag ? [tagTerm(b.tag)] : [])))],
  };
}

/** The live doc of each id asked for (unknown and deleted ids are left out). */
export async function docsOfIds(index: Archive, ids: string[], stats: ReadStats): Promise<Map<string, number>> {
  const docs = await Promise.all(ids.map((id) => index.docOfId(id, stats)));
  return new Map(ids.flatMap((id, i) => (docs[i] === undefined ? [] : [[id, docs[i]!] as [string, number]])));
}

/**
 * The candidates without the hidden docs and with the boosts applied (a new set when any
 * applies), and the rules that met a match.
 */
export function hideAndBoost(index: Archive, input: Candidates, groups: TermGroups, loaded: Loaded, plan: RulesPlan, docs: Map<string, number>, sort: SortOrder): { cands: Candidates; applied: Set<string> } {
  const applied = new Set<string>();
  const { hides, boosts } = plan.triggered;
  const hidden = new Map<number, string>();
  for (const h of hides) if (docs.has(h.id)) hidden.set(docs.get(h.id)!, h.rule);
  const boosting = sort === 'relevance' && boosts.length > 0;
  if (hidden.size === 0 && !boosting) return { cands: input, applied };

  // Per attribute code (a source × category pair), the product of the boosts that fit it.
  let byCode: Float64Array | undefined;
  const tagged: { docs: DocSet; factor: number; rule: string }[] = [];
  if (boosting) {
    const { sources, categories, attributes } = index.tables;
    byCode = new Float64Array(attributes.length).fill(1);
    let any = false;
    for (const b of boosts) {
      if (b.tag !== undefined) tagged.push({ docs: docBitsOf([tagTerm(b.tag)], loaded, index.docSpace), factor: b.factor, rule: b.rule });
      else {
        attributes.forEach(([s, c], code) => {
          if ((b.source !== undefined && sources[s] === b.source) || (b.category !== undefined && categories[c] === b.category)) {
            byCode![code]! *= b.factor;
            any = true;
          }
        });
      }
    }
    // Every candidate comes from one of the groups' terms: their codes are all it needs.
    if (any) index.learnAttributes(groups.flatMap((g) => g.map((t) => loaded.get(t.term))));
    else byCode = undefined;
  }

  const out: Candidates = { doc: new Int32Array(input.count), score: new Float64Array(input.count), exact: new Uint8Array(input.count), day: new Int32Array(input.count), count: 0 };
  const attributeOf = byCode ? index.attributeOf : undefined;
  const { sources, categories, attributes } = index.tables;
  for (let i = 0; i < input.count; i++) {
    const doc = input.doc[i]!;
    const rule = hidden.get(doc);
    if (rule !== undefined) {
      applied.add(rule);
      continue;
    }
    let factor = 1;
    if (byCode) {
      const f = byCode[attributeOf![doc]!]!;
      if (f !== 1) {
        factor *= f;
        const [s, c] = attributes[attributeOf![doc]!]!;
        for (const b of boosts) if ((b.source !== undefined && sources[s] === b.source) || (b.category !== undefined && categories[c] === b.category)) applied.add(b.rule);
      }
    }
    for (const t of tagged) {
      if (t.docs.has(doc)) {
        factor *= t.factor;
        applied.add(t.rule);
      }
    }
    const k = out.count++;
    out.doc[k] = doc;
    out.score[k] = input.score[i]! * factor;
    out.exact[k] = input.exact[i]!;
    out.day[k] = input.day[i]!;
  }
  return { cands: out, applied };
}

/**
 * The ranking with the pinned docs at their positions (1 = first; past the end, last), each
 * once; with filters, only those that pass them (are among `cands`). `ranked` must hold `pins`
 * more docs than the page needs. Returns the new ranking, how many pinned docs were not matches
 * (for the total), and the rules applied.
 */
export function pinResults(ranked: Ranked[], plan: RulesPlan, docs: Map<string, number>, cands: Candidates, params: SearchParams): { ranked: Ranked[]; added: number; applied: Set<string> } {
  const applied = new Set<string>();
  if (plan.triggered.pins.length === 0) return { ranked, added: 0, applied };
  const scores = new Map<number, number>();
  for (let i = 0; i < cands.count; i++) scores.set(cands.doc[i]!, cands.score[i]!);
  const scoreOf = (doc: number) => scores.get(doc);
  // A reader who filters (by source, category, tag or date) sees a pinned article only if it passes.
  const filtered = !!(params.source?.length || params.category?.length || params.tag?.length || params.from || params.to);
  const pins = params.sort === 'relevance' ? plan.triggered.pins.filter((p) => docs.has(p.id) && (!filtered || scoreOf(docs.get(p.id)!) !== undefined)).sort((a, b) => a.position - b.position) : [];
  if (pins.length === 0) return { ranked, added: 0, applied };
  const pinned = new Set(pins.map((p) => docs.get(p.id)!));
  const out = ranked.filter((r) => !pinned.has(r.doc));
  let added = 0;
  for (const p of pins) {
    const doc = docs.get(p.id)!;
    const own = scoreOf(doc);
    if (own === undefined) added++;
    const at = Math.min(p.position - 1, out.length);
    // A pinned doc that did not match shows the score of the doc it displaces.
    out.splice(at, 0, { doc, score: own ?? out[at]?.score ?? out[at - 1]?.score ?? 0, exact: 1 });
    applied.add(p.rule);
  }
  return { ranked: out, added, applied };
}
