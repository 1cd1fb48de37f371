/**
 * The search pipeline's stages, each on values made by hand: no index is built, nothing is read.
 */
import { describe, expect, it } from 'vitest';
import type { LoadedTerm } from '../../src/core/search/archive';
import { DEFAULT_OPTIONS, HAND_SET_RANKING, searchOptions } from '../../src/core/search/options';
import { best, orderOf, topK } from '../../src/core/search/order';
import { planQuery, relaxPhrases } from '../../src/core/search/plan';
import { MAX_EXCLUDED, MAX_PHRASES, MAX_WORDS } from '../../src/core/search/query';
import { activeFeatures, rerank, type RerankQuery, type RerankText } from '../../src/core/search/rerank';
import { correctTypos, lexiconLookups, replaceWords, settleCorrections, typoCandidates, writtenLike } from '../../src/core/search/spell';
import { normalize } from '../../src/core/analyzer/index';
import { groupsOf, wordTerms } from '../../src/core/search/terms';
import type { Candidates, SearchParams } from '../../src/core/search/types';
import { spellingCode } from '../../src/core/format/layout';
import { lexiconKey, mergeLexicon, mergeSuggestions } from '../../src/core/search/word-lists';
import { lexiconList } from '../../src/core/format/codec';

const params = (q: string, more: Partial<SearchParams> = {}): SearchParams => ({ q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0, ...more });
/** A loaded term with `df` docs (postings in one part: docs 0..df-1 in the body). */
const term = (df: number, spellings?: string[], inUse = 0): LoadedTerm => ({
  df,
  parts: [{ body: { slots: [Array.from({ length: df }, (_, i) => i)], codes: new Uint16Array(df) }, attributeWidth: 1 }],
  ...(spellings ? { spellings: spellings.map(spellingCode).join(''), inUse } : {}),
});

describe('plan', () => {
  it('reads every word\'s stems and proclitic-free readings, exclusions and tags, once each', () => {
    const plan = planQuery(params('لبوتين -الصين', { tag: ['سوريا'] }));
    expect(plan.query.words.map((w) => w.norm)).toEqual(['لبوتين']);
    // The plain stem, the readings without ل and without لب, each also as a marked reading; the
    // excluded word's too (behind a proclitic: لصين is left out with it where it is searched so).
    expect(plan.terms).toEqual(['لبوت', '~لبوت', 'بوت', '~بوت', 'وت', '~وت', 'صين', '~صين', '#tag:سوريا']);
    expect(new Set(plan.terms).size).toBe(plan.terms.length);
    expect(plan.excludedTerms).toEqual(['صين']);
  });

  it('knows a word typed alone from a question, and relaxes quoted phrases to words', () => {
    expect(planQuery(params('ماركون')).lone).toBe(true);
    expect(planQuery(params('ما هو ماركون')).lone).toBe(false);
    const quoted = planQuery(params('"شي جين بينغ"'));
    expect(quoted.query.required.length).toBe(3);
    const loose = relaxPhrases(quoted);
    expect(loose.query.required).toEqual([]);
    expect(loose.query.phrases).toEqual([]);
    expect(loose.terms).toEqual(quoted.terms);
  });

  it('keeps a query\'s work within its budget: phrases past the limit become plain words, extra exclusions go, and each cut is named', () => {
    const phrases = ['"شي جين"', '"بوتين ترامب"', '"وزير الخارجية"', '"مجلس الأمن"', '"كأس العالم"', '"البنك الدولي"'];
    const many = planQuery(params(phrases.join(' ')));
    expect(many.query.phrases).toHaveLength(MAX_PHRASES);
    expect(many.query.capped).toEqual(['phrases']);
    // The last phrases' words are still searched, as optional words.
    const words = many.query.words.map((w) => w.norm);
    expect(words).toEqual(expect.arrayContaining(['كاس', 'العالم', 'البنك', 'الدولي']));
    const required = new Set(many.query.required.map((i) => words[i]));
    expect(required.has('كاس') || required.has('البنك')).toBe(false);
    expect(planQuery(params(phrases.slice(0, MAX_PHRASES).join(' '))).query.capped).toEqual([]);

    const excluded = planQuery(params('بوتين -الصين -روسيا -ترامب -سوريا -العراق -ايران -الصين'));
    expect(excluded.query.excluded.map((w) => w.norm)).toEqual(['الصين', 'روسيا', 'ترامب', 'سوريا'].slice(0, MAX_EXCLUDED));
    expect(excluded.query.capped).toEqual(['exclusions']);
    expect(planQuery(params('بوتين -الصين -الصين -روسيا')).query.capped).toEqual([]);
  });

  it('searches a phrase as plain words when the word cap would cut it, and keeps one that fits', () => {
    // Eleven words, then a phrase of two new words and a stop word: one of them is past MAX_WORDS.
    const eleven = 'بوتين ترامب الصين روسيا سوريا العراق ايران مصر تونس المغرب الجزائر';
    expect(eleven.split(' ')).toHaveLength(MAX_WORDS - 1);
    const cut = planQuery(params(`${eleven} "مجلس في الأمن"`)).query;
    expect(cut.phrases).toEqual([]);
    expect(cut.required).toEqual([]);
    expect(cut.capped).toEqual(expect.arrayContaining(['phrases', 'words']));
    expect(cut.words.map((w) => w.norm)).toContain('مجلس');
    // The same phrase fits after ten words (a stop word takes no room; a word already there neither).
    const fits = planQuery(params(`${eleven.split(' ').slice(0, 10).join(' ')} "مجلس في الأمن"`)).query;
    expect(fits.phrases).toHaveLength(1);
    expect(fits.capped).toEqual([]);
    const repeated = planQuery(params(`${eleven} "بوتين في الأمن"`)).query;
    expect(repeated.phrases).toHaveLength(1);
    expect(repeated.required).toHaveLength(2);
  });
});

describe('terms', () => {
  it('searches a proclitic-free reading only where it is the commoner one', () => {
    const plan = planQuery(params('لبوتين'));
    const w = plan.query.words[0]!;
    const where = (plainDf: number, altDf: number) => wordTerms(w, new Map([['لبوت', term(plainDf)], ['بوت', term(altDf)]]), 1000, DEFAULT_OPTIONS.ranking).map((t) => t.term);
    expect(where(1, 50)).toContain('بوت'); // ل + بوتين, as the archive writes it far more often
    expect(where(50, 1)).not.toContain('بوت');
  });

  it('gives a house spelling the idf of the commoner one, and returns new groups', () => {
    const plan = planQuery(params('مسئول'));
    const loaded = new Map([['مسيول', term(5)], ['مسوول', term(500)]]);
    const groups = groupsOf(plan, loaded, 10_000, DEFAULT_OPTIONS.ranking);
    const [typed, other] = groups[0]!;
    expect(typed!.term).toBe('مسيول');
    expect(other!.term).toBe('مسوول');
    expect(typed!.weight).toBeLessThan(1); // its rarity does not make it a rarer word
    expect(groupsOf(plan, loaded, 10_000, DEFAULT_OPTIONS.ranking)).not.toBe(groups);
  });
});

describe('spell', () => {
  const lexicon = [lexiconList([['ترامب', 900], ['ترام', 3]])];

  it('finds readings within one edit, likeliest first, never another word of the query', () => {
    const plan = planQuery(params('ترانب'));
    const found = typoCandidates(plan.query.words, 0, lexicon, 1, { scanned: 0 }, DEFAULT_OPTIONS);
    expect(found.map((c) => [c.word, c.d])).toEqual([['ترامب', 1]]);
    const both = planQuery(params('ترانب ترامب'));
    expect(typoCandidates(both.query.words, 0, lexicon, 1, { scanned: 0 }, DEFAULT_OPTIONS)).toEqual([]);
  });

  it('asks the lexicon only for words the archive lacks as typed, and none with correct=false', () => {
    const loaded = new Map([['ترانب', null], ['ترامب', term(900, ['ترامب'], 1)], ['صين', term(400, ['الصين'], 1)]]);
    expect(lexiconLookups(planQuery(params('ترانب')), loaded, DEFAULT_OPTIONS.spelling).keys.length).toBeGreaterThan(0);
    expect(lexiconLookups(planQuery(params('ترامب الصين')), loaded, DEFAULT_OPTIONS.spelling).keys).toEqual([]);
    expect(lexiconLookups(planQuery(params('ترانب', { correct: false })), loaded, DEFAULT_OPTIONS.spelling).keys).toEqual([]);
  });

  it('reads the lexicon for at most the budget of words, the first in query order, and says so', () => {
    const loaded = new Map<string, LoadedTerm | null>([['ترانب', null], ['فلاديمر', null], ['بوتيين', null]]);
    const plan = planQuery(params('ترانب فلاديمر بوتيين'));
    const all = lexiconLookups(plan, loaded, DEFAULT_OPTIONS.spelling);
    expect(all.capped).toBe(false);
    expect(new Set(all.keys.map((k) => k.first))).toEqual(new Set(['ت', 'ف', 'ب']));
    const two = lexiconLookups(plan, loaded, DEFAULT_OPTIONS.spelling, 2);
    expect(two.capped).toBe(true);
    expect(new Set(two.keys.map((k) => k.first))).toEqual(new Set(['ت', 'ف']));
  });

  it('reads an unknown word as its correction, and leaves its input groups alone', () => {
    const plan = planQuery(params('ترانب'));
    const loaded = new Map<string, LoadedTerm | null>([['ترانب', null], ['ترامب', term(900, ['ترامب'], 1)]]);
    const groups = groupsOf(plan, loaded, 10_000, DEFAULT_OPTIONS.ranking);
    const before = JSON.stringify(groups);
    const spelled = correctTypos(plan, groups, loaded, lexicon, 10_000, DEFAULT_OPTIONS);
    expect(JSON.stringify(groups)).toBe(before);
    expect(spelled.corrections).toMatchObject([{ word: 0, to: 'ترامب', mode: 'auto' }]);
    // Replaced: the reading takes the word's place in the plan, searched as typed right.
    const replaced = replaceWords(plan, spelled.corrections);
    expect(replaced.query.words.map((w) => w.norm)).toEqual(['ترامب']);
    expect(replaced.terms).toContain('ترامب');
    expect(replaced.terms).not.toContain('ترانب');
    expect(plan.query.words.map((w) => w.norm)).toEqual(['ترانب']); // the plan asked is left alone
    // Settled: the reading behind a proclitic stays only where the archive has it so.
    const settled = settleCorrections(groupsOf(replaced, loaded, 10_000, DEFAULT_OPTIONS.ranking), loaded, spelled.corrections);
    expect(settled.groups[0]!.map((t) => t.term)).toEqual(['ترامب']);
  });

  it('writes a replaced word as the reader wrote the letters it keeps', () => {
    const typed = (text: string, reading: string) => writtenLike(text, normalize(text), reading);
    expect(typed('وثاائقية', 'وثايقيه')).toBe('وثائقية'); // a letter doubled: hamza seat and ة kept
    expect(typed('لتأسيسا', 'لتاسيسها')).toBe('لتأسيسها'); // a letter left out: the reading's own
    expect(typed('بالءراء', 'بالاراء')).toBe('بالاراء'); // the letter changed is the reading's
    expect(typed('مُسْتَشفى', 'مستشفي')).toBe('مستشفى'); // harakat aside
    expect(typed('ترانب', 'ترامب')).toBe('ترامب');
  });

  it('reads a word opening on a bare hamza in the lists of alef as well', () => {
    const plan = planQuery(params('ءسعارها'));
    const loaded = new Map<string, LoadedTerm | null>([['ءسعارها', null]]);
    const keys = lexiconLookups(plan, loaded, DEFAULT_OPTIONS.spelling).keys;
    expect(new Set(keys.map((k) => k.first))).toEqual(new Set(['ء', 'ا']));
    const spelled = correctTypos(plan, groupsOf(plan, loaded, 10_000, DEFAULT_OPTIONS.ranking), loaded, [lexiconList([['اسعارها', 400]])], 10_000, DEFAULT_OPTIONS);
    expect(spelled.corrections).toMatchObject([{ word: 0, to: 'اسعارها' }]);
  });

  it('stops scanning the lexicon at its cap and says so', () => {
    const plan = planQuery(params('ترانب'));
    const loaded = new Map<string, LoadedTerm | null>([['ترانب', null]]);
    const big = [lexiconList(Array.from({ length: 50 }, (_, i): [string, number] => [`تر${'ا'.repeat(1)}م${i}`, 1000 - i]))];
    const spelled = correctTypos(plan, groupsOf(plan, loaded, 100, DEFAULT_OPTIONS.ranking), loaded, big, 100, searchOptions({ caps: { typoScan: 10 } }));
    expect(spelled.capped).toBe(true);
  });
});

describe('order', () => {
  const cands: Candidates = {
    doc: Int32Array.from([3, 7, 9, 12]), score: Float64Array.from([1, 5, 5, 2]), exact: Uint8Array.from([1, 1, 1, 0]), day: Int32Array.from([100, 90, 120, 130]), count: 4,
  };

  it('puts exact matches first, then score, then the newer doc; by date the newest day', () => {
    expect(best(cands, 4, orderOf(cands, 'relevance')).map((r) => r.doc)).toEqual([9, 7, 3, 12]);
    expect(best(cands, 4, orderOf(cands, 'date')).map((r) => r.doc)).toEqual([12, 9, 3, 7]);
  });

  it('keeps the k best of many with a bounded heap, as a full sort would', () => {
    const values = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1009);
    const better = (a: number, b: number) => values[b]! - values[a]! || a - b;
    expect(topK(500, 10, better)).toEqual(Array.from({ length: 500 }, (_, i) => i).sort(better).slice(0, 10));
  });
});

describe('rerank', () => {
  const text = (title: [number, number][], body: [number, number][]): RerankText => ({
    title: { text: '', count: 20, hits: title.map(([token, word]) => ({ token, word, start: 0, end: 0 })), window: { first: 0, last: 0, from: 0, to: 0 }, truncated: false },
    body: { text: '', count: 200, hits: body.map(([token, word]) => ({ token, word, start: 0, end: 0 })), window: { first: 0, last: 0, from: 0, to: 0 }, truncated: false },
  });
  const q: RerankQuery = { words: 2, weights: [1, 1], window: 12, surfaces: [undefined, undefined], forms: [] };

  it('lifts the result whose text holds the words together, and applies only what weighs something', () => {
    const texts = new Map([[1, text([], [[0, 0], [90, 1]])], [2, text([], [[40, 0], [41, 1]])]]);
    // Fixed weights (the hand-set ones, whatever the fit ships), form off: closeness and adjacency weigh.
    const ranking = searchOptions({ ranking: { ...HAND_SET_RANKING, formBonus: 0 } }).ranking;
    const features = activeFeatures(q, ranking);
    expect(features.map((f) => f.name)).toEqual(['closeness', 'adjacency']);
    const out = rerank([{ doc: 1, score: 1.2, exact: 1 }, { doc: 2, score: 1, exact: 1 }], (d) => texts.get(d)!, q, features, ranking);
    expect(out.map((r) => r.doc)).toEqual([2, 1]);
    expect(activeFeatures({ ...q, words: 1 }, ranking)).toEqual([]);
    // A weight of 0 leaves its feature out.
    expect(activeFeatures(q, searchOptions({ ranking: { ...ranking, proximity: 0 } }).ranking).map((f) => f.name)).toEqual(['adjacency']);
  });
});

describe('word lists over segments', () => {
  it('adds a word’s df over segments, keeps the keys asked, drops words in one doc', () => {
    const key = lexiconKey('الجزائر');
    expect(key).toBe('ج/5');
    const a: [string, number][] = [['الجزائر', 5], ['جزائري', 1], ['الجزاير', 1]];
    const b: [string, number][] = [['الجزاير', 1], ['الجزائر', 2], ['بيروت', 9]];
    expect(mergeLexicon([key], [lexiconList(a), lexiconList(b)])).toEqual([lexiconList([['الجزائر', 7], ['الجزاير', 2]])]);
    expect(mergeLexicon(['ب/5', key], [lexiconList(b)])).toEqual([lexiconList([['بيروت', 9]]), lexiconList([['الجزائر', 2]])]);
  });

  it('adds completion counts; the display of the biggest count wins; other prefixes stay out', () => {
    const out = mergeSuggestions('با', [
      [['باريس', 'باريس', 3], ['بغداد', 'بغداد', 9]],
      [['باريس', 'بآريس', 5], ['باكو', 'باكو', 1]],
    ]);
    expect(out).toEqual([['باريس', 'بآريس', 8], ['باكو', 'باكو', 1]]);
  });
});
