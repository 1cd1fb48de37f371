/**
 * The rules of a settings value, as the search reads them: each rule's queries and phrases
 * stemmed once, when the value is loaded, and which rules a query triggers.
 */
import type { Boost, Rule } from './format';
import { containsPhrase, isPhrase, phraseStems, type QueryToken } from './match';

/** A rule with its conditions as the matcher reads them. */
export interface CompiledRule {
  rule: Rule;
  /** Stems of each whole query it applies to. */
  queries: string[][];
  /** Stems of each phrase a query it applies to contains. */
  phrases: string[][];
  /** No condition: every query. */
  always: boolean;
}

export interface RuleSet {
  readonly size: number;
  readonly rules: readonly CompiledRule[];
}

export const NO_RULES: RuleSet = Object.freeze({ size: 0, rules: [] });

/** The rule set of a file's rules (a condition with no word is left out: it could never match). */
export function compileRules(rules: readonly Rule[]): RuleSet {
  const out = rules.map((rule): CompiledRule => {
    const queries = (rule.query ?? []).map(phraseStems).filter((p) => p.length > 0);
    const phrases = (rule.contains ?? []).map(phraseStems).filter((p) => p.length > 0);
    return { rule, queries, phrases, always: rule.query === undefined && rule.contains === undefined };
  });
  return { size: out.length, rules: out };
}

/** What the rules a query triggers ask for, in file order. */
export interface TriggeredRules {
  rules: CompiledRule[];
  pins: { id: string; position: number; rule: string }[];
  hides: { id: string; rule: string }[];
  boosts: (Boost & { rule: string })[];
}

/**
 * The rules the query triggers (its words as typed, or as searched: a Latin name read in Arabic
 * triggers the Arabic rules). An article pinned twice keeps the first rule's position; an
 * article both pinned and hidden is hidden.
 */
export function triggeredRules(set: RuleSet, queries: readonly (readonly QueryToken[])[]): TriggeredRules {
  const out: TriggeredRules = { rules: [], pins: [], hides: [], boosts: [] };
  if (set.size === 0) return out;
  for (const r of set.rules) {
    const hit = r.always || queries.some((tokens) => r.queries.some((p) => isPhrase(tokens, p)) || r.phrases.some((p) => containsPhrase(tokens, p)));
    if (!hit) continue;
    out.rules.push(r);
    const id = r.rule.id;
    for (const h of r.rule.hide ?? []) out.hides.push({ id: h, rule: id });
    for (const p of r.rule.pin ?? []) {
      if (!out.pins.some((x) => x.id === p.id)) out.pins.push({ id: p.id, position: p.position, rule: id });
    }
    for (const b of r.rule.boost ?? []) out.boosts.push({ ...b, rule: id });
  }
  // Hiding wins over pinning, whichever rule comes first.
  out.pins = out.pins.filter((p) => !out.hides.some((h) => h.id === p.id));
  return out;
}
