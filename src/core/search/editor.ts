/**
 * What the editor's settings, and the Latin names read, ask of one query: the synonym entries
 * and rules it triggers and the terms they need read (planned before the one read of the
 * query's terms), then the words' groups as they change them (after the typos are settled).
 */
import { ALT_MARK } from '../analyzer/index';
import type { EditorSettings } from '../settings/reader';
import type { LoadedTerm } from './archive';
import { nameCorrections, otherReadings, withOtherReadings, type NamedQuery, type OtherReading } from './names/index';
import type { SearchOptions } from './options';
import type { QueryPlan } from './plan';
import type { QueryWord } from './query';
import { rulesOf, type RulesPlan } from './rules';
import { expandSynonyms, synonymsOf, type SynonymPlan } from './synonyms';
import type { SynonymTable } from '../settings/synonyms';
import type { Loaded } from './terms';
import type { Correction, TermGroups } from './types';

export interface EditorPlan {
  synonyms: SynonymPlan;
  /** The synonym table the plan's entries came from (the editor's and the house styles), for a plan whose words a correction replaces. */
  table: SynonymTable;
  rules: RulesPlan;
  names: NamedQuery | undefined;
  /** Other readings of the names, searched below their reading. */
  others: OtherReading[];
  /** Terms to read with the query's own. */
  terms: string[];
}

/** The plan of a query (searched as `plan`, typed as `typed`). */
export function editorPlan(plan: QueryPlan, typed: string, names: NamedQuery | undefined, settings: EditorSettings, o: SearchOptions): EditorPlan {
  const synonyms = synonymsOf(plan, settings.synonyms);
  const rules = rulesOf(settings.rules, typed, plan.params.q);
  const others = otherReadings(names, plan.query.words, o);
  return { synonyms, table: settings.synonyms, rules, names, others, terms: [...synonyms.terms, ...rules.terms, ...others.flatMap((r) => [r.term, ALT_MARK + r.term])] };
}

/**
 * The plan for the words as searched after the spelling model replaced some (`replaced`): the
 * synonym entries their readings match, as the words typed right would (بويتن read as بوتين
 * finds the house style بوتن, as بوتين does). The rules stay those of the query as typed.
 */
export function editorPlanFor(editor: EditorPlan, asked: QueryPlan, replaced: QueryPlan): EditorPlan {
  // The entries are matched on the query's text: each replaced word's as its reading is written.
  let q = asked.params.q;
  replaced.query.words.forEach((w, i) => {
    const was = asked.query.words[i];
    if (was && was.text !== w.text) q = q.replace(was.text, w.text);
  });
  const synonyms = synonymsOf({ ...replaced, params: { ...replaced.params, q } }, editor.table);
  return { ...editor, synonyms, terms: [...new Set([...editor.terms, ...synonyms.terms])] };
}

/**
 * The groups with the names' other readings and the synonyms added, the corrections with each
 * name read first (didYouMean shows it; a typo correction of the same word is dropped), and the
 * terms of several words the synonyms made (for the caller to add to the loaded terms).
 */
export function editorGroups(editor: EditorPlan, settled: { groups: TermGroups; corrections: Correction[] }, words: QueryWord[], loaded: Loaded, docCount: number, o: SearchOptions): { groups: TermGroups; corrections: Correction[]; made: Map<string, LoadedTerm> } {
  const named = nameCorrections(editor.names, words);
  const corrections = named.length ? [...named, ...settled.corrections.filter((c) => !named.some((n) => n.word === c.word))] : settled.corrections;
  const { groups, made } = expandSynonyms(withOtherReadings(settled.groups, editor.others, loaded, o), editor.synonyms.matches, loaded, docCount, o);
  return { groups, corrections, made };
}
