/**
 * The editor's files, checked and made into the values `npm run publish -- --synonyms` and
 * `--rules` write: every problem is named with its file and line, and a file with any problem
 * writes nothing. The formats are in docs/editor.md.
 */
import { synonymPhrase } from '../core/settings/synonyms';
import { ARTICLE_ID_PATTERN } from '../core/article';
import { BahthError } from '../core/errors';
import { sealValue } from '../core/format/layout';
import { SETTINGS_FORMAT, SETTINGS_KEYS, type Boost, type Rule, type StoredRules, type StoredSynonyms, type SynonymEntry } from '../core/settings/format';
import { JsonSyntaxError, parseJsonLines } from './json-lines';

/** Lines a synonyms file may have, and rules a rules file (an isolate compiles them every TTL). */
export const MAX_ENTRIES = 10_000;
/** Words of one synonym phrase or rule condition. */
export const MAX_PHRASE_WORDS = 8;
/** Bytes of a stored value. */
export const MAX_VALUE_BYTES = 2 * 1024 * 1024;
/** Members of one group, or of one side of an expansion. */
export const MAX_MEMBERS = 50;
/**
 * Expansions a synonyms file compiles to, over all its entries (a group of n is n × (n − 1), an
 * expansion `a, b => c, d` 2 × 2): every isolate compiles them, in its 128 MB (a group of 6,000
 * members made 36 M of them and 311 MB).
 */
export const MAX_EXPANSIONS = 100_000;

/** A problem of a file, at a line. */
export interface FileProblem {
  line: number;
  message: string;
}

/** The value to write for a settings file. */
export interface SettingsWrite {
  key: string;
  value: string;
  /** Entries or rules it holds. */
  count: number;
}

/** Throws INPUT_INVALID listing every problem as `file:line: message` (the first 20). */
function refuse(file: string, problems: FileProblem[]): never {
  const shown = problems.slice(0, 20).map((p) => `${file}:${p.line}: ${p.message}`);
  if (problems.length > 20) shown.push(`… and ${problems.length - 20} more`);
  throw new BahthError('INPUT_INVALID', `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}; nothing was published:\n${shown.join('\n')}`, { file, problems: problems.slice(0, 100) });
}

function sealed(key: string, json: object, file: string, count: number): SettingsWrite {
  const value = sealValue(JSON.stringify(json));
  if (value.length > MAX_VALUE_BYTES) refuse(file, [{ line: 1, message: `the file makes a value of ${(value.length / 1024 / 1024).toFixed(1)} MB; at most ${MAX_VALUE_BYTES / 1024 / 1024} MB` }]);
  return { key, value, count };
}

const ARROW = /=>|→|⇒/g;
const APART = /!=|≠/g;
const COMMA = /[,،]/;

/**
 * A synonyms file: one entry a line; `a, b, c` (commas, Arabic or Latin) is a group whose
 * members find each other; `a => b` (or →) a one-way expansion, each side possibly a list.
 * `a != b` keeps words apart that the build's house styles would join (docs/editor.md).
 * Blank lines and lines starting with `#` are skipped.
 * @example parseSynonyms('الإمارات، الإمارات العربية المتحدة\nالرئيس الروسي => بوتين', 'synonyms.txt')
 */
export function parseSynonyms(text: string, file: string, now = new Date()): SettingsWrite {
  const problems: FileProblem[] = [];
  const entries: SynonymEntry[] = [];
  if (text.includes('\u0000')) refuse(file, [{ line: 1, message: 'this is not a text file' }]);
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (!s || s.startsWith('#')) return;
    const problem = (message: string) => problems.push({ line, message });
    if (entries.length === MAX_ENTRIES) {
      if (!problems.some((p) => p.message.startsWith('more than'))) problem(`more than ${MAX_ENTRIES} entries`);
      return;
    }
    const arrows = s.match(ARROW)?.length ?? 0;
    if (arrows > 1) return problem('more than one "=>": write one expansion a line');
    const aparts = s.match(APART)?.length ?? 0;
    if (aparts > 0 && arrows > 0) return problem('both "=>" and "!=": a line either expands or keeps words apart');
    if (aparts > 1) return problem('more than one "!=": write "a != b" (each side may list words with commas)');
    const side = (part: string, where: string): string[] | undefined => {
      const members = part.split(COMMA).map((m) => m.trim());
      if (members.some((m) => m === '')) {
        problem(members.length === 1 ? `nothing ${where}` : `an empty member between commas ${where}`.trim());
        return undefined;
      }
      if (members.length > MAX_MEMBERS) {
        problem(`${members.length} members${where ? ` ${where}` : ''}; at most ${MAX_MEMBERS} (every member of a group is searched with each other one)`);
        return undefined;
      }

      for (const m of members) {
        const phrase = synonymPhrase(m);
        if (!phrase) {
          problem(`"${m.slice(0, 60)}" has no word to search (only punctuation or words like في, من)`);
          return undefined;
        }
        if (phrase.norms.length > MAX_PHRASE_WORDS) {
          problem(`"${m.slice(0, 60)}…" has ${phrase.norms.length} words; a phrase has at most ${MAX_PHRASE_WORDS}`);
          return undefined;
        }
      }
      return members;
    };
    if (aparts === 1) {
      // Words the build's house styles found as one word's spellings, which the editor knows are not.
      const [left, right] = s.split(APART) as [string, string];
      const a = side(left, 'before "!="');
      const b = side(right, 'after "!="');
      if (a && b) entries.push({ line, kind: 'apart', words: [...a, ...b] });
      return;
    }
    if (arrows === 1) {
      const [left, right] = s.split(ARROW) as [string, string];
      const from = side(left, 'before "=>"');
      const to = side(right, 'after "=>"');
      if (from && to) entries.push({ line, kind: 'oneWay', from, to });
      return;
    }
    const words = side(s, '');
    if (!words) return;
    if (words.length < 2) return problem(`"${s.slice(0, 60)}" is a single word or phrase: a group needs two or more, separated by commas (or "a => b" for a one-way synonym)`);
    // Spellings the analyzer reads alike are one member: a group of one has nothing to find.
    if (new Set(words.map((m) => synonymPhrase(m)!.norms.join(' '))).size < 2) return problem(`"${s.slice(0, 60)}" names one word or phrase ${words.length} times: a group needs two different ones`);
    entries.push({ line, kind: 'group', words });
  });
  const expansions = entries.reduce((n, e) => n + (e.kind === 'group' ? e.words.length * (e.words.length - 1) : e.kind === 'apart' ? 0 : e.from.length * e.to.length), 0);
  if (expansions > MAX_EXPANSIONS) problems.push({ line: 1, message: `the file makes ${expansions.toLocaleString('en')} expansions (a group of n members makes n × (n − 1)); at most ${MAX_EXPANSIONS.toLocaleString('en')}, which every isolate compiles` });
  if (problems.length) refuse(file, problems);
  const stored: StoredSynonyms = { format: SETTINGS_FORMAT, kind: 'synonyms', file: baseName(file), publishedAt: now.toISOString(), entries };
  return sealed(SETTINGS_KEYS.synonyms, stored, file, entries.length);
}

const RULE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const RULE_KEYS = new Set(['id', 'query', 'contains', 'pin', 'hide', 'boost']);
/** Highest position a rule may pin to. */
export const MAX_PIN_POSITION = 100;
/** Largest factor a boost may have (and 1 / it the smallest). */
export const MAX_FACTOR = 100;

/**
 * A rules file: JSON, `{"rules": [...]}` or the array alone. Each rule has an `id`, when it
 * applies (`query`: the whole query; `contains`: a phrase in it; neither: every query) and
 * what it does (`pin`, `hide`, `boost`). See docs/editor.md.
 */
export function parseRules(text: string, file: string, now = new Date()): SettingsWrite {
  // An empty file removes every rule (docs/editor.md), as an empty synonyms file does.
  if (text.replace(/^\uFEFF/, '').trim() === '') text = '[]';
  let doc;
  try {
    doc = parseJsonLines(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) refuse(file, [{ line: e.line, message: `not valid JSON (column ${e.column}): ${e.message}` }]);
    throw e;
  }
  const problems: FileProblem[] = [];
  const root = doc.value;
  const list = Array.isArray(root) ? root : root && typeof root === 'object' && Array.isArray((root as { rules?: unknown }).rules) ? (root as { rules: unknown[] }).rules : undefined;
  if (!list) refuse(file, [{ line: 1, message: 'expected {"rules": [...]} or an array of rules' }]);
  if (root && typeof root === 'object' && !Array.isArray(root)) {
    for (const k of Object.keys(root)) if (k !== 'rules') problems.push({ line: doc.memberLine(root, k), message: `unknown member "${k}" (the file holds "rules")` });
  }
  if (list!.length > MAX_ENTRIES) problems.push({ line: doc.lineOf(list!), message: `${list!.length} rules; at most ${MAX_ENTRIES}` });
  const rules: Rule[] = [];
  const ids = new Map<string, number>();
  for (const [index, item] of list!.entries()) {
    const at = doc.elementLine(list!, index);
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ line: at, message: `a rule must be an object, not ${item === null ? 'null' : Array.isArray(item) ? 'a list' : `a ${typeof item}`}` });
      continue;
    }
    const r = item as Record<string, unknown>;
    const lineOf = (k: string) => doc.memberLine(r, k);
    const problem = (line: number, message: string) => problems.push({ line, message: `${typeof r.id === 'string' ? `rule "${r.id}": ` : ''}${message}` });
    for (const k of Object.keys(r)) if (!RULE_KEYS.has(k)) problem(lineOf(k), `unknown member "${k}" (a rule has ${[...RULE_KEYS].join(', ')})`);
    if (typeof r.id !== 'string' || !RULE_ID.test(r.id)) {
      problem(r.id === undefined ? at : lineOf('id'), `"id" must be a name of 1–64 letters, digits and . _ : - (it is what /search reports in "rules")`);
      continue;
    }
    if (ids.has(r.id)) problem(lineOf('id'), `the id is already used by the rule of line ${ids.get(r.id)}`);
    ids.set(r.id, at);
    const rule: Rule = { id: r.id, line: at };
    const phrases = (k: 'query' | 'contains') => {
      const v = r[k];
      if (v === undefined) return;
      const arr = typeof v === 'string' ? [v] : v;
      if (!Array.isArray(arr) || arr.length === 0 || !arr.every((x) => typeof x === 'string')) return problem(lineOf(k), `"${k}" must be a text or a list of texts`);
      for (const x of arr as string[]) {
        const phrase = synonymPhrase(x);
        if (!x.trim() || !phrase) return problem(lineOf(k), `"${k}" has "${x.slice(0, 60)}", which has no word to search`);
        if (phrase.norms.length > 2 * MAX_PHRASE_WORDS) return problem(lineOf(k), `"${k}" has a text of ${phrase.norms.length} words; at most ${2 * MAX_PHRASE_WORDS}`);
      }
      rule[k] = arr as string[];
    };
    phrases('query');
    phrases('contains');
    if (r.hide !== undefined) {
      if (!Array.isArray(r.hide) || r.hide.length === 0) problem(lineOf('hide'), '"hide" must be a list of article ids');
      else {
        const bad = r.hide.find((id) => typeof id !== 'string' || !ARTICLE_ID_PATTERN.test(id));
        if (bad !== undefined) problem(lineOf('hide'), `"hide" has ${JSON.stringify(bad).slice(0, 80)}, which is not an article id`);
        else rule.hide = r.hide as string[];
      }
    }
    if (r.pin !== undefined) {
      const pins = Array.isArray(r.pin) ? r.pin : undefined;
      if (!pins || pins.length === 0) problem(lineOf('pin'), '"pin" must be a list of {"id": article id, "position": 1 or more}');
      else {
        const out: { id: string; position: number }[] = [];
        for (const p of pins) {
          const line = p && typeof p === 'object' ? doc.lineOf(p) : lineOf('pin');
          const pin = p as { id?: unknown; position?: unknown };
          const extra = p && typeof p === 'object' ? Object.keys(p).filter((k) => k !== 'id' && k !== 'position') : [];
          if (!p || typeof p !== 'object' || typeof pin.id !== 'string' || !ARTICLE_ID_PATTERN.test(pin.id)) problem(line, 'a pin needs "id": an article id');
          else if (!Number.isInteger(pin.position) || (pin.position as number) < 1 || (pin.position as number) > MAX_PIN_POSITION) problem(line, `the pin of ${pin.id} needs "position": a whole number from 1 (the first result) to ${MAX_PIN_POSITION}`);
          else if (extra.length) problem(line, `unknown member "${extra[0]}" in a pin (it has id and position)`);
          else if (out.some((x) => x.id === pin.id)) problem(line, `${pin.id} is pinned twice by this rule`);
          else out.push({ id: pin.id, position: pin.position as number });
        }
        rule.pin = out;
      }
    }
    if (r.boost !== undefined) {
      const boosts = Array.isArray(r.boost) ? r.boost : undefined;
      if (!boosts || boosts.length === 0) problem(lineOf('boost'), '"boost" must be a list of {"source" | "category" | "tag": name, "factor": number}');
      else {
        const out: Boost[] = [];
        for (const b of boosts) {
          const line = b && typeof b === 'object' ? doc.lineOf(b) : lineOf('boost');
          const o = (b ?? {}) as Record<string, unknown>;
          const what = ['source', 'category', 'tag'].filter((k) => o[k] !== undefined);
          const extra = Object.keys(o).filter((k) => !['source', 'category', 'tag', 'factor'].includes(k));
          if (!b || typeof b !== 'object' || what.length !== 1 || typeof o[what[0]!] !== 'string' || !(o[what[0]!] as string).trim()) problem(line, 'a boost names one "source", "category" or "tag"');
          else if (typeof o.factor !== 'number' || !(o.factor > 0) || o.factor > MAX_FACTOR || o.factor < 1 / MAX_FACTOR) problem(line, `"factor" must be a number from ${1 / MAX_FACTOR} to ${MAX_FACTOR}: above 1 raises the results, below 1 buries them`);
          else if (extra.length) problem(line, `unknown member "${extra[0]}" in a boost`);
          else out.push({ [what[0]!]: (o[what[0]!] as string).trim(), factor: o.factor } as Boost);
        }
        rule.boost = out;
      }
    }
    if (!rule.pin && !rule.hide && !rule.boost && r.pin === undefined && r.hide === undefined && r.boost === undefined) problem(at, 'does nothing: give "pin", "hide" or "boost"');
    if ((rule.pin || rule.hide) && !rule.query && !rule.contains && r.query === undefined && r.contains === undefined) problem(at, 'pins or hides for every query: give "query" or "contains" (a hide for every query is a deletion: npm run publish -- --delete)');
    rules.push(rule);
  }
  if (problems.length) refuse(file, problems.sort((a, b) => a.line - b.line));
  const stored: StoredRules = { format: SETTINGS_FORMAT, kind: 'rules', file: baseName(file), publishedAt: now.toISOString(), rules };
  return sealed(SETTINGS_KEYS.rules, stored, file, rules.length);
}

function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** The editor's files of one publish, as read. */
export interface SettingsFiles {
  synonyms?: { file: string; text: string };
  rules?: { file: string; text: string };
}

/**
 * The values a publish of settings files writes: both files checked before anything is
 * written, so a problem in either writes neither (the error lists the problems of both).
 */
export function planSettings(files: SettingsFiles, now = new Date()): SettingsWrite[] {
  const out: SettingsWrite[] = [];
  const errors: string[] = [];
  const details: unknown[] = [];
  for (const [kind, parse] of [['synonyms', parseSynonyms], ['rules', parseRules]] as const) {
    const f = files[kind];
    if (!f) continue;
    try {
      out.push(parse(f.text, f.file, now));
    } catch (e) {
      if (!(e instanceof BahthError)) throw e;
      errors.push(e.message.replace(/^bahth: /, ''));
      details.push(e.details);
    }
  }
  if (errors.length) throw new BahthError('INPUT_INVALID', errors.join('\n'), details.length === 1 ? (details[0] as Record<string, unknown>) : { files: details });
  return out;
}

/** Writes the values of {@link planSettings}: one KV write each, live at every isolate's next read. */
export async function publishSettings(store: { putMany(entries: { key: string; value: string }[]): Promise<void> }, writes: SettingsWrite[]): Promise<void> {
  if (writes.length) await store.putMany(writes.map(({ key, value }) => ({ key, value })));
}
