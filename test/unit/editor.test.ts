/**
 * The editor's controls stage by stage, on values made by hand: the files and their problems
 * (file:line), synonyms matched and expanded, rules triggered, and the names model (Latin and
 * Arabizi pieces, their alignment with Arabic words, the readings chosen from lists).
 */
import { lexiconList } from '../../src/core/format/codec';
import { describe, expect, it } from 'vitest';
import { parseJsonLines } from '../../src/indexer/json-lines';
import { parseRules, parseSynonyms, planSettings } from '../../src/indexer/settings-files';
import { BahthError } from '../../src/core/errors';
import { unsealValue } from '../../src/core/format/layout';
import type { LoadedTerm } from '../../src/core/search/archive';
import { readingCost } from '../../src/core/search/names/align';
import { rewriteQuery, withLatinSpellings } from '../../src/core/search/names/index';
import { partReadings, readingsOf } from '../../src/core/search/names/readings';
import { latinNames } from '../../src/core/search/names/spans';
import { piecesOf, readable } from '../../src/core/search/names/letters';
import { DEFAULT_OPTIONS, searchOptions } from '../../src/core/search/options';
import { planQuery } from '../../src/core/search/plan';
import { parseQuery } from '../../src/core/search/query';
import { allOf, expandSynonyms, synonymsOf } from '../../src/core/search/synonyms';
import { groupsOf } from '../../src/core/search/terms';
import type { SearchParams } from '../../src/core/search/types';
import type { StoredRules } from '../../src/core/settings/format';
import { queryTokens } from '../../src/core/settings/match';
import { settingsOf } from '../../src/core/settings/reader';
import { compileRules, triggeredRules } from '../../src/core/settings/rules';
import { compileSynonyms, NO_SYNONYMS } from '../../src/core/settings/synonyms';

const params = (q: string): SearchParams => ({ q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 });
/** A loaded term found in the bodies of `docs` (attribute codes one digit each: the doc number mod 10). */
const term = (docs: number[]): LoadedTerm => ({
  df: docs.length,
  parts: [{ body: { slots: [docs], codes: Uint16Array.from(docs, (d) => d + 1) }, attributeWidth: 1, attributes: docs.map((d) => String(d % 10)).join('') }],
});
const problemsOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BahthError);
    expect((e as BahthError).code).toBe('INPUT_INVALID');
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('the synonyms file', () => {
  it('reads groups (Arabic or Latin commas) and one-way expansions, skipping comments', () => {
    const w = parseSynonyms('# places\nالإمارات، الامارات العربية المتحدة, الإمارات العربية\n\nالرئيس الروسي => بوتين\nPutin → بوتين\n', 'synonyms.txt');
    const stored = JSON.parse(unsealValue(w.value)!) as { entries: unknown[] };
    expect(w.key).toBe('settings/synonyms');
    expect(stored.entries).toEqual([
      { line: 2, kind: 'group', words: ['الإمارات', 'الامارات العربية المتحدة', 'الإمارات العربية'] },
      { line: 4, kind: 'oneWay', from: ['الرئيس الروسي'], to: ['بوتين'] },
      { line: 5, kind: 'oneWay', from: ['Putin'], to: ['بوتين'] },
    ]);
  });

  it('names every bad line with file and line, and makes no value', () => {
    const message = problemsOf(() => parseSynonyms('بوتين، الكرملين\nبوتين\n=> بوتين\nأ => ب => ج\nفي، من\nبوتين،، روسيا\n', 'syn.txt'));
    expect(message).toContain('5 problems; nothing was published');
    expect(message).toMatch(/syn\.txt:2: "بوتين" is a single word/);
    expect(message).toMatch(/syn\.txt:3: nothing before "=>"/);
    expect(message).toMatch(/syn\.txt:4: more than one "=>"/);
    expect(message).toMatch(/syn\.txt:5: "في" has no word to search/);
    expect(message).toMatch(/syn\.txt:6: an empty member between commas/);
    expect(message).not.toMatch(/syn\.txt:1:/);
  });

  it('refuses what every isolate could not compile: a long group, too many expansions; and a group of one word', () => {
    const names = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `اسم${from + i}`).join('، ');
    expect(problemsOf(() => parseSynonyms(`بوتين، روسيا\n${names(51)}`, 'syn.txt'))).toMatch(/syn\.txt:2: 51 members; at most 50 \(every member/);
    expect(problemsOf(() => parseSynonyms(`${names(5)} => ${names(51)}`, 'syn.txt'))).toMatch(/syn\.txt:1: 51 members after "=>"; at most 50/);
    // 50 groups of 50: 122,500 expansions, past the budget, though each line is within bounds.
    const big = Array.from({ length: 50 }, (_, g) => names(50, g * 50)).join('\n');
    expect(problemsOf(() => parseSynonyms(big, 'syn.txt'))).toMatch(/syn\.txt:1: the file makes 122,500 expansions .* at most 100,000/);
    expect(parseSynonyms(big.split('\n').slice(0, 40).join('\n'), 'syn.txt').count).toBe(40);
    expect(problemsOf(() => parseSynonyms('ترامب، ترامب', 'syn.txt'))).toMatch(/syn\.txt:1: "ترامب، ترامب" names one word or phrase 2 times/);
    expect(problemsOf(() => parseSynonyms('الإمارات، الامارات', 'syn.txt'))).toMatch(/names one word or phrase 2 times/);
  });
});

describe('the rules file', () => {
  const file = (rules: unknown[]) => JSON.stringify({ rules }, null, 2);

  it('keeps each rule with its line', () => {
    const w = parseRules(file([
      { id: 'pin', query: 'الانتخابات', pin: [{ id: 'a-1', position: 1 }] },
      { id: 'sport', contains: ['كرة القدم'], boost: [{ category: 'sport', factor: 2 }], hide: ['b-2'] },
      { id: 'less', boost: [{ source: 'X', factor: 0.5 }] },
    ]), 'rules.json');
    const stored = JSON.parse(unsealValue(w.value)!) as StoredRules;
    expect(stored.rules.map((r) => [r.id, r.line])).toEqual([['pin', 3], ['sport', 13], ['less', 28]]);
    expect(stored.rules[1]).toMatchObject({ contains: ['كرة القدم'], hide: ['b-2'], boost: [{ category: 'sport', factor: 2 }] });
  });

  it('names each problem at its line', () => {
    const text = '{"rules": [\n  {"id": "a", "query": "x", "pin": [{"id": "d-1", "position": 0}]},\n  {"id": "a", "query": "y", "hide": ["d-1"]},\n  {"id": "b", "boots": []},\n  {"id": "c", "hide": ["d-2"]},\n  {"query": "x", "boost": [{"source": "S", "factor": 500}]}\n]}';
    const message = problemsOf(() => parseRules(text, 'rules.json'));
    expect(message).toMatch(/rules\.json:2: rule "a": the pin of d-1 needs "position"/);
    expect(message).toMatch(/rules\.json:3: rule "a": the id is already used by the rule of line 2/);
    expect(message).toMatch(/rules\.json:4: rule "b": unknown member "boots"/);
    expect(message).toMatch(/rules\.json:5: rule "c": pins or hides for every query/);
    expect(message).toMatch(/rules\.json:6: "id" must be/);
    expect(problemsOf(() => parseRules('{"rules": [\n  {"id": "a",}\n]}', 'r.json'))).toMatch(/r\.json:2: not valid JSON/);
    // An item that is not an object is named at its own line, not its list's.
    const items = problemsOf(() => parseRules('{"rules": [\n  {"id": "a", "query": "x", "hide": ["d-1"]},\n  "b",\n\n  [1],\n  null\n]}', 'r.json'));
    expect(items).toMatch(/r\.json:3: a rule must be an object, not a string/);
    expect(items).toMatch(/r\.json:5: a rule must be an object, not a list/);
    expect(items).toMatch(/r\.json:6: a rule must be an object, not null/);
  });

  it('an empty file removes every rule, as docs/editor.md says', () => {
    for (const text of ['', '\n  \n', '\uFEFF']) {
      const stored = JSON.parse(unsealValue(parseRules(text, 'rules.json').value)!) as StoredRules;
      expect(stored.rules).toEqual([]);
    }
  });

  it('writes neither file when one has a problem', () => {
    expect(() => planSettings({ synonyms: { file: 's.txt', text: 'أ، ب' }, rules: { file: 'r.json', text: '[' } })).toThrow(/r\.json:1/);
    expect(planSettings({ synonyms: { file: 's.txt', text: 'أبوظبي، أبو ظبي' } }).map((w) => w.key)).toEqual(['settings/synonyms']);
  });

  it('reads JSON with the line of every member', () => {
    const doc = parseJsonLines('{\n  "a": [\n    {"b": 1}\n  ],\n  "c": "\\u0628"\n}');
    const root = doc.value as { a: object[]; c: string };
    expect([doc.memberLine(root, 'a'), doc.lineOf(root.a), doc.lineOf(root.a[0]!), doc.memberLine(root, 'c')]).toEqual([2, 2, 3, 5]);
    expect(root.c).toBe('ب');
  });
});

describe('synonyms at query time', () => {
  const table = compileSynonyms([
    { line: 1, kind: 'group', words: ['المونديال', 'كأس العالم'] },
    { line: 2, kind: 'oneWay', from: ['الرئيس الروسي'], to: ['بوتين'] },
  ]);

  it('matches by stem, as the index does (والمونديال finds the group), and one way only', () => {
    expect(synonymsOf(planQuery(params('والمونديال')), table).matches.map((m) => m.rule.to.map((p) => p.text))).toEqual([['كأس العالم']]);
    expect(synonymsOf(planQuery(params('بوتين')), table).matches).toEqual([]);
    const plan = planQuery(params('تصريحات الرئيس الروسي'));
    const s = synonymsOf(plan, table);
    expect(s.matches.map((m) => m.words)).toEqual([[1, 2]]);
    expect(s.terms).toEqual(['بوت', '~بوت']);
  });

  it('shares an expansion\'s weight among the words it stands for, below the words typed', () => {
    const plan = planQuery(params('الرئيس الروسي'));
    const loaded = new Map([['رييس', term([1, 2, 3])], ['روس', term([2, 3])], ['بوت', term([4, 5])]]);
    const groups = groupsOf(plan, loaded, 100, DEFAULT_OPTIONS.ranking);
    const { groups: expanded } = expandSynonyms(groups, synonymsOf(plan, table).matches, loaded, 100, DEFAULT_OPTIONS);
    expect(expanded.map((g) => g.map((t) => [t.term, t.weight]))).toEqual([[['رييس', 1], ['بوت', 0.4]], [['روس', 1], ['بوت', 0.4]]]);
    expect(groups[0]!.length).toBe(1);
    // Nothing matched: the very same groups.
    expect(expandSynonyms(groups, [], loaded, 100, DEFAULT_OPTIONS).groups).toBe(groups);
  });

  it('weighs a rarer expansion down to the word typed: it never outscores it', () => {
    const one = compileSynonyms([{ line: 1, kind: 'group', words: ['ترامب', 'ترمب'] }]);
    const plan = planQuery(params('ترامب'));
    const loaded = new Map([['ترامب', term(Array.from({ length: 40 }, (_, i) => i))], ['ترمب', term([50, 51])]]);
    const { groups } = expandSynonyms(groupsOf(plan, loaded, 100, DEFAULT_OPTIONS.ranking), synonymsOf(plan, one).matches, loaded, 100, DEFAULT_OPTIONS);
    const [typed, synonym] = groups[0]!;
    expect(synonym!.term).toBe('ترمب');
    const idf = (df: number) => Math.log(1 + (100 - df + 0.5) / (df + 0.5));
    expect(synonym!.weight * idf(2)).toBeCloseTo(0.8 * typed!.weight * idf(40));
  });

  it('searches an expansion of several words as the docs having all of them, scored as the rarest', () => {
    const all = allOf([term([1, 2, 3, 4, 5]), term([2, 4, 6])])!;
    expect(all.df).toBe(2);
    expect(all.parts[0]!.body!.slots).toEqual([[2, 4]]);
    expect([...all.parts[0]!.body!.codes]).toEqual([3, 5]);
    expect(all.parts[0]!.attributes).toBe('24');
    expect(allOf([term([1]), term([2])])).toBeNull();
  });
});

describe('rules at query time', () => {
  const set = compileRules([
    { id: 'exact', line: 1, query: ['الانتخابات'], pin: [{ id: 'p', position: 1 }] },
    { id: 'phrase', line: 2, contains: ['كرة القدم'], hide: ['p'], boost: [{ tag: 'رياضة', factor: 2 }] },
    { id: 'all', line: 3, boost: [{ source: 'S', factor: 0.5 }] },
  ]);
  const fired = (q: string) => triggeredRules(set, [queryTokens(q)]);

  it('applies a query rule to that query (as the analyzer reads it) and a phrase rule to queries holding it', () => {
    expect(fired('الإنتخابات').rules.map((r) => r.rule.id)).toEqual(['exact', 'all']);
    expect(fired('الانتخابات الرئاسية').rules.map((r) => r.rule.id)).toEqual(['all']);
    expect(fired('نتائج كرة القدم اليوم').rules.map((r) => r.rule.id)).toEqual(['phrase', 'all']);
    expect(fired('كرة السلة').rules.map((r) => r.rule.id)).toEqual(['all']);
  });

  it('reads the query as the parser does: words excluded or operators trigger nothing, OR joins none away', () => {
    for (const q of ['أخبار -"كرة القدم"', 'أخبار NOT "كرة القدم"', 'أخبار -كرة -القدم', 'أخبار NOT كرة NOT القدم']) expect(fired(q).rules.map((r) => r.rule.id), q).toEqual(['all']);
    // A query rule: the words the parser searches, the operator no word of them.
    expect(fired('الانتخابات OR').rules.map((r) => r.rule.id)).toEqual(['exact', 'all']);
    expect(fired('الانتخابات NOT كرة').rules.map((r) => r.rule.id)).toEqual(['exact', 'all']);
    expect(fired('كرة OR القدم').rules.map((r) => r.rule.id)).toEqual(['all']);
  });

  it('hides an article a rule both pins and hides', () => {
    const both = triggeredRules(set, [queryTokens('الانتخابات'), queryTokens('كرة القدم')]);
    expect(both.pins).toEqual([]);
    expect(both.hides).toEqual([{ id: 'p', rule: 'phrase' }]);
  });

  it('compiles stored values, and refuses a malformed one', () => {
    const rules = parseRules(JSON.stringify([{ id: 'x', query: 'أ', hide: ['a'] }]), 'r.json').value;
    expect(settingsOf(null, rules).rules.size).toBe(1);
    expect(settingsOf(null, null).version).toBe('');
    expect(() => settingsOf('00000000:{}', null)).toThrow(/checksum/);
  });
});

describe('names across scripts: the letter model', () => {
  const cost = (latin: string, arabic: string, article = false) => readingCost(piecesOf(latin), arabic, { typed: article, cost: 0.9 }, 99);

  it('reads Latin letters, digraphs and Arabizi digits', () => {
    expect(cost('putin', 'بوتين')).toBeLessThan(cost('putin', 'بتن'));
    expect(cost('khashoggi', 'خاشقجي')).toBeLessThan(5);
    expect(cost('sh', 'ش')).toBe(0);
    expect(cost('3abd', 'عبد')).toBeLessThan(cost('abd', 'عبد'));
    expect(cost('7amas', 'حماس')).toBeLessThan(cost('7amas', 'هماس'));
    // The article: free when typed (al-Sisi), at its cost when not (Sisi), and the reverse.
    expect(cost('sisi', 'السيسي') - cost('sisi', 'سيسي')).toBeCloseTo(0.9);
    expect(cost('sisi', 'السيسي', true)).toBe(cost('sisi', 'سيسي'));
    expect(cost('sisi', 'سيسي', true)).toBeCloseTo(cost('sisi', 'سيسي') + 0.9);
    expect(cost('putin', 'كرملين')).toBe(Infinity);
  });

  it('reads only words of Latin letters (and Arabizi digits among them)', () => {
    expect(['Putin', 'Erdoğan', '3abd', 'iPhone'].map(readable)).toEqual([true, true, true, true]);
    expect(['2018', 'G20', '5G', 'بوتين', 'x'].map(readable)).toEqual([false, false, false, false, false]);
  });

  it('finds the names of a query: the article with its word, عبد and الله glued, Arabic left alone', () => {
    const names = latinNames('al-Sisi و Abdelaziz Nasrallah the', NO_SYNONYMS);
    expect(names.map((n) => [n.text, n.variants.map((v) => v.map((p) => `${p.article ? 'ال+' : ''}${p.letters}`))])).toEqual([
      ['al-Sisi', [['ال+sisi']]],
      ['Abdelaziz', [['abd', 'ال+aziz']]],
      ['Nasrallah', [['nasrallah'], ['nasr', 'ال+lah']]],
    ]);
    // A word a synonym entry covers keeps the editor's reading.
    expect(latinNames('Putin', compileSynonyms([{ line: 1, kind: 'oneWay', from: ['Putin'], to: ['بوتين'] }]))).toEqual([]);
    // The operator OR is no name (it read as آر); OR alone, or first, is a word and read as one.
    expect(latinNames('الصين OR روسيا', NO_SYNONYMS)).toEqual([]);
    expect(latinNames('Putin OR Trump', NO_SYNONYMS).map((n) => n.text)).toEqual(['Putin', 'Trump']);
    expect(latinNames('OR', NO_SYNONYMS).map((n) => n.text)).toEqual(['OR']);
  });

  it('picks the reading that writes the name cheapest and is common, from the lists read', () => {
    const [putin] = latinNames('Poutine', NO_SYNONYMS);
    const lexicon = [lexiconList([['بوتين', 900], ['بوتن', 300], ['بيتون', 5]])];
    const readings = partReadings(putin!.variants[0]![0]!, lexicon, new Map(), DEFAULT_OPTIONS);
    expect(readings.map((r) => r.word)).toEqual(['بوتين', 'بوتن']);
    // Words of 2–3 letters come from the completions (the lexicon leaves them out).
    const [abd] = latinNames('3abd', NO_SYNONYMS);
    expect(partReadings(abd!.variants[0]![0]!, [], new Map([['عب', [['عبد', 'عبد', 40], ['عبر', 'عبر', 90]]]]), DEFAULT_OPTIONS)[0]!.word).toBe('عبد');
  });

  it('reads a part again from the same lists without aligning anew, and anew from other lists', () => {
    const [putin] = latinNames('Poutine', NO_SYNONYMS);
    const part = putin!.variants[0]![0]!;
    const lexicon = [lexiconList([['بوتين', 900], ['بوتن', 300], ['بيتون', 5]])];
    const first = partReadings(part, lexicon, new Map(), DEFAULT_OPTIONS);
    // The same decoded list (a warm isolate's): the readings worked out before, not mutable.
    expect(partReadings(part, lexicon, new Map(), DEFAULT_OPTIONS)).toBe(first);
    expect(Object.isFrozen(first) && first.every((r) => Object.isFrozen(r))).toBe(true);
    // Another list of the same key (a new version's, or the list read again): read from it.
    const other = [lexiconList([['بوتن', 950], ['بوتين', 10]])];
    const fresh = partReadings(part, other, new Map(), DEFAULT_OPTIONS);
    expect(fresh).not.toBe(first);
    expect(fresh[0]!.word).toBe('بوتن');
    // Other options: read anew too.
    expect(partReadings(part, lexicon, new Map(), searchOptions({ names: { maxOthers: 0 } }))).toEqual([first[0]]);
  });

  it('replaces a Latin word the archive lacks; searches one it has beside its commoner reading', () => {
    const names = latinNames('Putin FIFA', NO_SYNONYMS);
    const lexicon = [lexiconList([['بوتين', 900]]), lexiconList([['فيفا', 400]])];
    const loaded = new Map([['fifa', { df: 12, parts: [] }]]);
    const read = readingsOf(names, loaded, lexicon, new Map(), DEFAULT_OPTIONS);
    expect(read.map((r) => [r.readings[0]!.word, r.mode])).toEqual([['بوتين', 'replace'], ['فيفا', 'both']]);
    const q = rewriteQuery('Putin FIFA', read);
    expect(q).toBe('بوتين فيفا');
    const query = withLatinSpellings(parseQuery(q), { q, read });
    expect(query.words.map((w) => w.respellings)).toEqual([[], ['fifa']]);
  });

  it('replaces a Latin word the archive has in an article or two, and searches it too: its articles are not lost', () => {
    // TUMAS, an acronym one article writes in Latin, reads as توماس (200 articles): the reading
    // is searched in its place, and the Latin spelling beside it, as another spelling of it.
    const names = latinNames('Putin Tumas', NO_SYNONYMS);
    const lexicon = [lexiconList([['بوتين', 900]]), lexiconList([['توماس', 200]])];
    const loaded = new Map([['tumas', { df: 1, parts: [] }]]);
    const read = readingsOf(names, loaded, lexicon, new Map(), DEFAULT_OPTIONS);
    expect(read.map((r) => [r.readings[0]!.word, r.mode, r.keepTyped ?? false])).toEqual([['بوتين', 'replace', false], ['توماس', 'replace', true]]);
    const q = rewriteQuery('Putin Tumas', read);
    expect(q).toBe('بوتين توماس');
    expect(withLatinSpellings(parseQuery(q), { q, read }).words.map((w) => w.respellings)).toEqual([[], ['tumas']]);
  });
});
