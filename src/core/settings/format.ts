/**
 * The editor's settings as stored: synonyms and rules, each one KV value under a fixed key that
 * a publish overwrites (one write), beside the index and independent of it. They survive a full
 * rebuild (they are the newsroom's, not the index's) and are read by every isolate once per
 * manifest TTL. A value is sealed like every index value and holds the entries as the editor
 * wrote them (parsed and checked at publish time); the Worker normalizes them with its own
 * analyzer when it loads them, so the synonyms and the queries always agree.
 */

import { SETTINGS_PREFIX } from '../format/layout';

/** The two keys; both may be absent (no settings). */
export const SETTINGS_KEYS = Object.freeze({ synonyms: `${SETTINGS_PREFIX}synonyms`, rules: `${SETTINGS_PREFIX}rules` });

/** Format of a stored settings value (its `format` member). */
export const SETTINGS_FORMAT = 1;

/**
 * One line of a synonyms file: a group of equivalent words or phrases (each finds the others),
 * or a one-way expansion (`from` finds `to`, not the reverse), or words the build's house styles
 * must keep apart.
 */
export type SynonymEntry =
  | { line: number; kind: 'group'; words: string[] }
  | { line: number; kind: 'oneWay'; from: string[]; to: string[] }
  /** Words the build's house styles must not join (`البالغ != بلاغ`): none finds another through them. */
  | { line: number; kind: 'apart'; words: string[] };

/** A boost (factor > 1) or burial (factor < 1) of the results of a source, category or tag. */
export interface Boost {
  source?: string;
  category?: string;
  tag?: string;
  factor: number;
}

/**
 * One rule of a rules file. It applies to a query that is one of `query` (the whole query, as
 * the analyzer reads it), or that contains one of the phrases of `contains`; with neither, to
 * every query. What it does: pins articles to positions (1 = first), hides articles, and
 * multiplies the score of results by source, category or tag.
 */
export interface Rule {
  id: string;
  /** Line of the rule in its file, for messages. */
  line: number;
  query?: string[];
  contains?: string[];
  pin?: { id: string; position: number }[];
  hide?: string[];
  boost?: Boost[];
}

interface Stored {
  format: number;
  /** The file it was published from, and when. */
  file: string;
  publishedAt: string;
}

export interface StoredSynonyms extends Stored {
  kind: 'synonyms';
  entries: SynonymEntry[];
}

export interface StoredRules extends Stored {
  kind: 'rules';
  rules: Rule[];
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);
const isLine = (v: unknown): boolean => Number.isInteger(v) && (v as number) > 0;

/**
 * Checks the shape of a stored synonyms value (a hand-written or foreign value must not crash
 * a reader); returns a reason, or undefined when it is well formed.
 */
export function synonymsProblem(v: unknown): string | undefined {
  const o = v as Partial<StoredSynonyms> | null;
  if (!o || typeof o !== 'object' || o.kind !== 'synonyms') return 'not a synonyms value';
  if (o.format !== SETTINGS_FORMAT) return `format ${String(o.format)}, not ${SETTINGS_FORMAT}`;
  if (!Array.isArray(o.entries)) return 'no entries';
  for (const e of o.entries) {
    if (!e || typeof e !== 'object' || !isLine(e.line)) return 'an entry has no line';
    if (e.kind === 'group' || e.kind === 'apart' ? !isStrings(e.words) || e.words.length < 2 : e.kind !== 'oneWay' || !isStrings(e.from) || !isStrings(e.to) || !e.from.length || !e.to.length) return `the entry of line ${e.line} is malformed`;
  }
  return undefined;
}

/** Checks the shape of a stored rules value; returns a reason, or undefined when it is well formed. */
export function rulesProblem(v: unknown): string | undefined {
  const o = v as Partial<StoredRules> | null;
  if (!o || typeof o !== 'object' || o.kind !== 'rules') return 'not a rules value';
  if (o.format !== SETTINGS_FORMAT) return `format ${String(o.format)}, not ${SETTINGS_FORMAT}`;
  if (!Array.isArray(o.rules)) return 'no rules';
  for (const r of o.rules) {
    if (!r || typeof r !== 'object' || typeof r.id !== 'string' || !isLine(r.line)) return 'a rule has no id or line';
    const bad = (r.query !== undefined && !isStrings(r.query)) || (r.contains !== undefined && !isStrings(r.contains)) || (r.hide !== undefined && !isStrings(r.hide))
      || (r.pin !== undefined && !(Array.isArray(r.pin) && r.pin.every((p) => p && typeof p.id === 'string' && Number.isInteger(p.position) && p.position >= 1)))
      || (r.boost !== undefined && !(Array.isArray(r.boost) && r.boost.every((b) => b && typeof b.factor === 'number' && b.factor > 0 && [b.source, b.category, b.tag].filter((x) => typeof x === 'string').length === 1)));
    if (bad) return `rule ${r.id} is malformed`;
  }
  return undefined;
}
