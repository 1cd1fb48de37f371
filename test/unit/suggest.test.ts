/**
 * Completions on an archive whose titles hold more words of one beginning (ال) than one key
 * keeps (400): every word is completed from its first letters, after a full compaction too,
 * with its count unchanged (a crowded group's words are in its key and in its split groups').
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { normalize } from '../../src/core/analyzer/index';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { groupPrefix } from '../../src/core/search/archive';
import { mergeSuggestions } from '../../src/core/search/word-lists';
import { titlesAfter } from '../../src/core/format/layout';
import { ReadStats } from '../../src/core/search/source';
import { countCommon, suggest, titleList } from '../../src/core/search/suggest';
import { search } from '../../src/core/search/search';
import { searchOptions, type PrefixRanking } from '../../src/core/search/options';
import type { LoadedTerm } from '../../src/core/search/segment-terms';
import type { MemoryKv } from '../../src/indexer/publish';
import { Vocabulary } from '../../src/indexer/vocabulary';
import { compileSynonyms } from '../../src/core/settings/synonyms';
import { articlesOf, buildKv, publish } from '../archives';

const LETTERS = 'بتثجحخدذرزسشصضطظعغفقكمنهوي';
/** 1,200 words of ال and four letters, the first of them in 1–3 titles. */
const WORDS = Array.from({ length: 1200 }, (_, i) => 'ال' + [i % 26, Math.floor(i / 26) % 26, Math.floor(i / 676) % 26, (i * 7) % 26].map((k) => LETTERS[k]).join(''));
const titles = WORDS.flatMap((w, i) => Array.from({ length: 1 + (i % 3) }, (_, r) => `${w} خبر ${r}`));
const rows = titles.map((t, i) => JSON.stringify({ id: `w${i}`, title: t, body: `${t} نص`, date: '2024-01-02' }));
const countOf = (i: number) => 1 + (i % 3);

describe('completions of a crowded beginning', () => {
  let kv: MemoryKv;
  const open = async (): Promise<Archive> => new IndexReader(kv, { cacheBytes: 2 ** 30 }).current(new ReadStats());

  beforeAll(async () => {
    kv = await buildKv(rows);
  }, 120_000);

  it('splits a group past 400 words by more letters, and a reader finds the key of any word', () => {
    expect(new Set(WORDS).size).toBe(WORDS.length);
    const v = new Vocabulary();
    for (const t of titles) v.addTitle(t);
    const { groups, split } = v.splitGroups();
    expect(split).toContain('ال');
    const byPrefix = new Map(groups);
    expect(byPrefix.get('ال')).toHaveLength(400);
    for (const w of WORDS) {
      for (let n = 2; n < w.length; n++) {
        const list = byPrefix.get(groupPrefix(split, w.slice(0, n)))!;
        if (n >= 4) expect(list.some((e) => e[0] === w), `${w} from ${w.slice(0, n)}`).toBe(true);
      }
    }
  });

  const completes = async (index: Archive) => {
    let found = 0;
    let counted = 0;
    for (const [i, w] of WORDS.entries()) {
      const r = await suggest(index, w.slice(0, -1), 30);
      const hit = r.completions.find((c) => normalize(c.text) === w);
      if (hit) found++;
      if (hit?.count === countOf(i)) counted++;
    }
    return { found, counted };
  };

  it('completes every one of 1,200 ال words from all its letters but the last, with its count', async () => {
    expect(await completes(await open())).toEqual({ found: WORDS.length, counted: WORDS.length });
  }, 60_000);

  it('completes a word with a typo in the letters its key is split by, from the keys of its first ones', async () => {
    // A word of 3 titles (the most used 400 of ال), its 3rd and 4th letters swapped: the letters
    // typed begin no word, and their key (الX) is not the word's.
    const index = await open();
    const i = WORDS.findIndex((w, k) => countOf(k) === 3 && w[2] !== w[3] && !WORDS.some((x) => x.startsWith(w.slice(0, 2) + w[3] + w[2] + w[4])));
    const w = WORDS[i]!;
    const typed = w.slice(0, 2) + w[3] + w[2] + w[4];
    const r = await suggest(index, typed, 10);
    expect(r.completions.map((c) => c.text)).toContain(w);
    expect((await suggest(index, typed, 10, new ReadStats(), { typos: false })).completions).toEqual([]);
  });

  it('and so after a full compaction: nothing lost, nothing counted twice', async () => {
    await publish(kv, { add: await articlesOf([JSON.stringify({ id: 'late', title: 'خبر جديد', body: 'نص جديد', date: '2024-02-02' })]), compact: 'none' });
    const before = await open();
    expect(before.segments.length).toBe(2);
    await publish(kv, { compact: 'full' });
    expect((await open()).segments.length).toBe(1);
    expect(await completes(await open())).toEqual({ found: WORDS.length, counted: WORDS.length });
  }, 120_000);
});

describe('completions weighed by the words typed before', () => {
  // الخليج is in more titles; الخارجية is the one that goes with وزير.
  const rows = [
    ...Array.from({ length: 12 }, (_, i) => ({ id: `g${i}`, title: `أزمة الخليج والنفط ${i}` })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: `f${i}`, title: `وزير الخارجية يزور ${i}` })),
    ...Array.from({ length: 3 }, (_, i) => ({ id: `o${i}`, title: `وزير المالية يعلن ${i}` })),
  ].map((r) => JSON.stringify({ ...r, body: `${r.title} نص الخبر`, date: '2024-01-02' }));
  let index: Archive;
  const first = async (q: string, o = {}) => (await suggest(index, q, 5, new ReadStats(), o)).completions.map((c) => c.text);

  beforeAll(async () => {
    index = await new IndexReader(await buildKv(rows), { cacheBytes: 2 ** 28 }).current(new ReadStats());
  }, 120_000);

  it('puts first the completion that titles hold with them', async () => {
    expect((await first('الخ'))[0]).toBe('الخليج');
    expect((await first('وزير الخ'))[0]).toBe('وزير الخارجية');
    expect((await first('وزير الخ', { contextCandidates: 0 }))[0]).toBe('وزير الخليج');
    // Words that no title holds with any completion leave them by their titles.
    expect((await first('زلزال الخ'))[0]).toBe('زلزال الخليج');
    // A space after the last word: it is finished, nothing is completed.
    expect(await first('وزير الخ ')).toEqual([]);
  });

  it('searches with prefix the likeliest completion, and the others below it', async () => {
    const params = { q: 'وزير الخ', limit: 20, offset: 0, sort: 'relevance' as const, facets: false, recency: 0 };
    const r = await search(index, { ...params, prefix: true }, new ReadStats());
    expect(r.completed).toBe('وزير الخارجية');
    expect(r.query).toBe('وزير الخ');
    expect(r.hits.slice(0, 4).map((h) => h.id).sort()).toEqual(['f0', 'f1', 'f2', 'f3']);
    // الخليج, the other completion, stands in below الخارجية: its titles come after, as
    // the completed query alone would not find them.
    const alone = await search(index, { ...params, q: 'وزير الخارجية' }, new ReadStats());
    expect(alone.hits.some((h) => h.id.startsWith('g'))).toBe(false);
    const others = r.hits.flatMap((h, i) => (h.id.startsWith('g') ? [i] : []));
    expect(others.length).toBeGreaterThan(0);
    expect(Math.min(...others)).toBeGreaterThanOrEqual(4);
    // Without prefix the letters are a word of their own: nothing completed.
    expect((await search(index, params, new ReadStats())).completed).toBeUndefined();
    // Nor an excluded word (by a minus, either minus sign, or NOT), nor an operator.
    for (const q of ['وزير -الخ', 'وزير −الخ', 'وزير NOT الخ', 'وزير OR']) expect((await search(index, { ...params, q, prefix: true }, new ReadStats())).completed, q).toBeUndefined();
    expect((await search(index, { ...params, q: 'وزير OR الخ', prefix: true }, new ReadStats())).completed).toBe('وزير OR الخارجية');
    // Newest first, the other completions' docs would come among the first's: not searched.
    const byDate = await search(index, { ...params, sort: 'date', prefix: true }, new ReadStats());
    expect(byDate.completed).toBe('وزير الخارجية');
    expect(byDate.hits.some((h) => h.id.startsWith('g'))).toBe(false);
  });

  it('narrows the titles by the completion it puts first', async () => {
    const r = await suggest(index, 'وزير الخ', 5, new ReadStats());
    expect(r.titles.length).toBeGreaterThan(0);
    for (const t of r.titles) expect(t.title).toMatch(/^وزير الخارجية/);
  });
});

describe('numbers', () => {
  // Years are what news titles number most; one title runs a number into a word (20مليار).
  const rows = [
    ...Array.from({ length: 5 }, (_, i) => ({ id: `cup${i}`, title: `كأس العالم 2018: مباراة ${i + 1}` })),
    ...Array.from({ length: 3 }, (_, i) => ({ id: `vote${i}`, title: `انتخابات ٢٠١٩ في المدينة ${i + 1}` })),
    { id: 'billions', title: 'تمويل 20مليار دولار' },
    ...Array.from({ length: 4 }, (_, i) => ({ id: `sept${i}`, title: `ذكرى 11 سبتمبر ${i + 1}` })),
  ].map((r) => JSON.stringify({ ...r, body: `${r.title} نص الخبر`, date: '2024-01-02' }));
  let index: Archive;
  const first = async (q: string) => (await suggest(index, q, 5, new ReadStats())).completions.map((c) => c.text);

  beforeAll(async () => {
    index = await new IndexReader(await buildKv(rows), { cacheBytes: 2 ** 28 }).current(new ReadStats());
  }, 120_000);

  it('completes a number being typed, in the digits titles write most', async () => {
    expect((await first('كأس العالم 201'))[0]).toBe('كأس العالم 2018');
    expect((await first('مونديال 20'))[0]).toBe('مونديال 2018');
    // Arabic-Indic digits typed complete as the titles write them; a number is no word before another.
    expect((await first('انتخابات ٢٠١'))[0]).toBe('انتخابات ٢٠١٩');
    expect((await first('انتخابات 201'))[0]).toBe('انتخابات ٢٠١٩');
    expect((await first('ذكرى 11 سب'))[0]).toBe('ذكرى 11 سبتمبر');
    const titles = (await suggest(index, 'كأس العالم 201', 5, new ReadStats())).titles.map((t) => t.id);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((id) => id.startsWith('cup'))).toBe(true);
  });

  it('searches with prefix the number completed', async () => {
    const r = await search(index, { q: 'كأس العالم 201', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0, prefix: true }, new ReadStats());
    expect(r.completed).toBe('كأس العالم 2018');
    expect(r.hits.slice(0, 5).map((h) => h.id).sort()).toEqual(['cup0', 'cup1', 'cup2', 'cup3', 'cup4']);
  });
});

describe('the word typed before: titles that put a completion right after it', () => {
  // التونسية is in more titles with وزير; التجارة is the one titles put right after it, in one.
  const rows = [
    ...Array.from({ length: 6 }, (_, i) => ({ id: `t${i}`, title: `وزير يزور الحدود التونسية ${i}` })),
    ...Array.from({ length: 6 }, (_, i) => ({ id: `e${i}`, title: `التعليم العالي ${i}` })),
    { id: 'trade', title: 'وزير التجارة يعلن الأسعار' },
    { id: 'tag', title: 'خبر عن الأسعار', tags: ['وزير', 'التموين'] },
  ].map((r) => JSON.stringify({ ...r, body: `${r.title} نص الخبر`, date: '2024-01-02' }));
  let kv: MemoryKv;
  const first = async (q: string, o = {}) => (await suggest(await new IndexReader(kv, { cacheBytes: 2 ** 28 }).current(new ReadStats()), q, 5, new ReadStats(), o)).completions.map((c) => c.text);

  beforeAll(async () => {
    kv = await buildKv(rows);
  }, 120_000);

  it('counts, for each title word, the content words put right before it, a title and its tags apart', () => {
    const v = new Vocabulary();
    v.addTitle('وزير التجارة في الحكومة التونسية\nوزير\nالتموين');
    v.addTitle('قتلى في غارات على حلب');
    v.removeTitle('وزير التجارة يعلن');
    const entries = new Map([...v.groups(Infinity)].flatMap(([, list]) => list).map((e) => [e[0], e]));
    // Stop words between them skipped; a title removed counted below zero (a delta's net counts).
    expect(entries.get('الحكومه')?.[3]).toBe('تجار 1');
    expect(entries.get('غارات')?.[3]).toBe('قتل 1');
    expect(entries.get('يعلن')?.[3]).toBe('تجار -1');
    expect(titlesAfter(entries.get('يعلن')?.[3], 'تجار')).toBe(-1);
    expect(titlesAfter('تجار 12 وزير 3', 'وزير')).toBe(3);
    expect(titlesAfter('تجار 12 وزير 3', 'وز')).toBe(0);
    // The title's last word is not put before its first tag, nor one tag before another.
    expect(entries.get('وزير')?.[3]).toBeUndefined();
    expect(entries.get('التموين')?.[3]).toBeUndefined();
    // A merge of segments adds them up.
    const merged = new Vocabulary();
    merged.addEntries(entries.values());
    merged.addEntries([['الحكومه', 'الحكومة', 1, 'تجار 2 وزير 1']]);
    expect([...merged.groups(Infinity)].flatMap(([, list]) => list).find((e) => e[0] === 'الحكومه')?.[3]).toBe('تجار 3 وزير 1');
    // A reader sums them over the segments, a delta's removals below zero, and keeps what is left.
    expect(mergeSuggestions('ال', [[['الحكومه', 'الحكومة', 2, 'تجار 2']], [['الحكومه', 'الحكومة', -1, 'تجار -1 وزير 1 دول -1']]])).toEqual([['الحكومه', 'الحكومة', 1, 'تجار 1 وزير 1']]);
  });

  it('puts first the completion titles put right after the word typed before, however rarely used', async () => {
    expect((await first('وزير الت'))[0]).toBe('وزير التجارة');
    // Without the words before: the completion titles hold with وزير most often.
    expect((await first('وزير الت', { contextBefore: 0 }))[0]).toBe('وزير التونسية');
    // A tag's words are no headline's: التموين, after وزير only as a tag, gains nothing.
    expect(await first('وزير التم')).toEqual(['وزير التموين']);
  });

  it('reads them over a base and a delta, and after a full compaction, as a full build would', async () => {
    await publish(kv, { add: await articlesOf([JSON.stringify({ id: 'late', title: 'وزير التخطيط يزور المدارس', body: 'نص', date: '2024-02-02' })]), remove: ['trade'], compact: 'none' });
    expect((await new IndexReader(kv, { cacheBytes: 2 ** 28 }).current(new ReadStats())).segments.length).toBe(2);
    // التخطيط, put after وزير by the delta's title only; التجارة's one title removed.
    const live = await first('وزير الت');
    expect(live[0]).toBe('وزير التخطيط');
    expect(live).not.toContain('وزير التجارة');
    await publish(kv, { compact: 'full' });
    expect(await first('وزير الت')).toEqual(live);
  }, 120_000);
});

describe('the word being typed, after a word it may complete to', () => {
  // الرئيس is in 13 titles, الروماني in 2 (both with الرئيس), الرابع in 1.
  const rows = [
    { id: 'fourth', title: 'الرئيس الرابع للبلاد' },
    ...Array.from({ length: 2 }, (_, i) => ({ id: `ro${i}`, title: `الرئيس الروماني يزور ${i}` })),
    ...Array.from({ length: 10 }, (_, i) => ({ id: `v${i}`, title: `الرئيس يزور روما ${i}` })),
  ].map((r) => JSON.stringify({ ...r, body: `${r.title} نص الخبر`, date: '2024-01-02' }));
  let index: Archive;

  beforeAll(async () => {
    index = await new IndexReader(await buildKv(rows), { cacheBytes: 2 ** 28 }).current(new ReadStats());
  }, 120_000);

  it('does not weigh a completion by its own titles', async () => {
    // الرئيس would be weighed by every title that holds it, as if it went with itself.
    expect((await suggest(index, 'الرئيس الر', 5, new ReadStats())).completions[0]?.text).toBe('الرئيس الروماني');
  });

  it('matches the letters typed against any title word they begin, in the head and its highlighting', async () => {
    const params = { q: 'الرئيس الر', limit: 20, offset: 0, sort: 'relevance' as const, facets: false, recency: 0, prefix: true };
    // One completion searched (الروماني): الرابع, which the letters begin too, is found by
    // الرئيس alone, and is read as the word being typed in its title.
    const r = await search(index, params, new ReadStats(), searchOptions({ ranking: { prefixCompletions: 1 } }));
    expect(r.completed).toBe('الرئيس الروماني');
    expect(r.hits.slice(0, 2).map((h) => h.id).sort()).toEqual(['ro0', 'ro1']);
    expect(r.hits[2]?.id).toBe('fourth');
    expect(r.hits[2]?.titleHtml).toBe('<mark>الرئيس</mark> <mark>الرابع</mark> للبلاد');
    // روما, which the letters do not begin, is not marked.
    expect(r.hits.find((h) => h.id === 'v0')?.titleHtml).toBe('<mark>الرئيس</mark> يزور روما 0');
  });
});

describe('the weights a search as the reader types ranks by', () => {
  // The words in a title, or many times in a body alone.
  const rows = [
    { id: 'title', title: 'الرئيس الروماني يزور روما', body: 'زيارة رسمية' },
    { id: 'body', title: 'زيارة رسمية', body: 'الرئيس الروماني '.repeat(8) },
  ].map((r) => JSON.stringify({ ...r, date: '2024-01-02' }));
  let index: Archive;
  const ids = async (q: string, prefix: PrefixRanking | undefined) => (await search(index, { q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0, prefix: true }, new ReadStats(), searchOptions({ ranking: { prefix } }))).hits.map((h) => h.id);
  // Titles weighed a twentieth of a body, and no head re-ranked (nothing to undo the weights).
  const bodyFirst = { titleWeight: 0.05, rerankDepth: 0 };

  beforeAll(async () => {
    index = await new IndexReader(await buildKv(rows), { cacheBytes: 2 ** 28 }).current(new ReadStats());
  }, 120_000);

  it('ranks a completed query by the prefix weights, a question by the ranking\'s own', async () => {
    expect(await ids('الرئيس الرو', undefined)).toEqual(['title', 'body']);
    expect(await ids('الرئيس الرو', bodyFirst)).toEqual(['body', 'title']);
    // A question typed is ranked as the question would be, whatever the prefix weights.
    expect(await ids('هل الرئيس الرو', undefined)).toEqual(['title', 'body']);
    expect(await ids('هل الرئيس الرو', bodyFirst)).toEqual(['title', 'body']);
  });
});

describe('Latin names and words no title holds, typed before the last word', () => {
  const rows = [
    ...Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, title: `بوتين يستقبل الوفد ${i}` })),
    ...Array.from({ length: 3 }, (_, i) => ({ id: `q${i}`, title: `بوتين والكرملين ${i}` })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: `r${i}`, title: `أخبار الاقتصاد ${i}` })),
  ].map((r) => JSON.stringify({ ...r, body: `${r.title} نص الخبر`, date: '2024-01-02' }));
  let index: Archive;
  const ids = (r: { titles: { id: string }[] }) => r.titles.map((t) => t.id).sort();

  beforeAll(async () => {
    index = await new IndexReader(await buildKv(rows), { cacheBytes: 2 ** 28 }).current(new ReadStats());
  }, 120_000);

  it('takes the Arabic member of an editor’s synonym for a Latin spelling', async () => {
    const synonyms = compileSynonyms([{ line: 1, kind: 'oneWay', from: ['Vova'], to: ['بوتين'] }]);
    const arabic = await suggest(index, 'بوتين ', 10);
    expect(arabic.titles.length).toBe(9);
    expect(ids(await suggest(index, 'Vova ', 10, new ReadStats(), {}, synonyms))).toEqual(ids(arabic));
    const after = await suggest(index, 'Vova يست', 10, new ReadStats(), {}, synonyms);
    expect(after.completions[0]?.text).toBe('بوتين يستقبل');
    expect(after.query).toBe('Vova يست');
  });

  it('lets a finished word no document holds narrow nothing', async () => {
    const alone = await suggest(index, 'بوتين ', 10);
    expect(ids(await suggest(index, 'بوتين زقزقزق ', 10))).toEqual(ids(alone));
    expect((await suggest(index, 'زقزقزق الاق', 10)).titles.map((t) => t.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^أخبار الاقتصاد/)]));
  });

  it('reads a news reader\'s frame off the words typed, as a search does (titles here hold أخبار too)', async () => {
    const alone = await suggest(index, 'بوتين ', 10);
    expect(ids(await suggest(index, 'آخر أخبار بوتين ', 10))).toEqual(ids(alone));
    expect(ids(await suggest(index, 'بوتين اليوم ', 10))).toEqual(ids(alone));
    expect((await suggest(index, 'أخبار بوتين يست', 10)).completions[0]?.text).toBe('أخبار بوتين يستقبل');
    // Still typing the frame: its words are the reader's, completed as any.
    expect((await suggest(index, 'أخبار الاق', 10)).titles.map((t) => t.title)).toEqual(expect.arrayContaining([expect.stringMatching(/^أخبار الاقتصاد/)]));
  });

  it('leaves out the titles holding a word typed after a minus, as a search leaves out its docs', async () => {
    const kremlin = ['q0', 'q1', 'q2'];
    const others = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
    expect(ids(await suggest(index, 'بوتين ', 10))).toEqual([...others, ...kremlin]);
    // Finished, as a word or a quoted phrase of one word (والكرملين is the same word).
    expect(ids(await suggest(index, 'بوتين -الكرملين ', 10))).toEqual(others);
    expect(ids(await suggest(index, 'بوتين -"الكرملين" ', 10))).toEqual(others);
    expect(ids(await suggest(index, 'بوتين −والكرملين ', 10))).toEqual(others);
    expect(ids(await suggest(index, 'بوتين NOT الكرملين ', 10))).toEqual(others);
    // Nothing asked of the titles: none, as a search finds none.
    expect((await suggest(index, '-الكرملين ', 10)).titles).toEqual([]);
    // Still being typed: completed, and no title left out or asked for yet.
    const typing = await suggest(index, 'بوتين -يستق', 10);
    expect(typing.completions[0]?.text).toBe('بوتين -يستقبل');
    expect(ids(typing)).toEqual([...others, ...kremlin]);
    // A word typed after it is weighed and narrowed by the words asked for, not by the excluded one.
    const after = await suggest(index, 'بوتين -الكرملين يست', 10);
    expect(after.completions[0]?.text).toBe('بوتين -الكرملين يستقبل');
    expect(ids(after)).toEqual(others);
  });

  it('lists the titles holding either of two words joined by OR, the operator no word', async () => {
    const economy = ['r0', 'r1', 'r2', 'r3'];
    const kremlin = ['q0', 'q1', 'q2'];
    expect(ids(await suggest(index, 'والكرملين OR الاقتصاد ', 10))).toEqual([...kremlin, ...economy].sort());
    expect(ids(await suggest(index, 'والكرملين | الاقتصاد ', 10))).toEqual([...kremlin, ...economy].sort());
    // Without it, the titles holding both: none here.
    expect(ids(await suggest(index, 'والكرملين الاقتصاد ', 10))).toEqual([]);
    // The word being typed after it: its completions join the word before.
    const typing = await suggest(index, 'والكرملين OR الاق', 10);
    expect(typing.completions[0]?.text).toBe('والكرملين OR الاقتصاد');
    expect(ids(typing)).toEqual([...kremlin, ...economy].sort());
    // With a third word, each title holds it and either of the two.
    const putin = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
    expect(ids(await suggest(index, 'بوتين والكرملين OR يستقبل ', 10))).toEqual([...putin, ...kremlin].sort());
    // A chain is one word, finished or with its last being typed.
    expect(ids(await suggest(index, 'يستقبل OR والكرملين OR الاقتصاد ', 20))).toEqual([...putin, ...kremlin, ...economy].sort());
    expect(ids(await suggest(index, 'والكرملين OR الاقتصاد OR يستق', 20))).toEqual([...putin, ...kremlin, ...economy].sort());
    // The operator just typed is no word being typed: nothing completed, the titles of the words before.
    const justTyped = await suggest(index, 'والكرملين OR', 10);
    expect(justTyped.completions).toEqual([]);
    expect(ids(justTyped)).toEqual(kremlin);
  });
});

describe('Arabic typed on the Latin layout, and a Latin name on the Arabic layout', () => {
  const rows = [
    ...Array.from({ length: 6 }, (_, i) => ({ id: `p${i}`, title: `بوتين يستقبل الوفد ${i}` })),
    ...Array.from({ length: 3 }, (_, i) => ({ id: `q${i}`, title: `بوتين والكرملين ${i}` })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: `r${i}`, title: `أخبار الاقتصاد ${i}` })),
    { id: 'tv', title: 'قناة HGTV تعرض برنامجا جديدا' },
  ].map((r) => JSON.stringify({ ...r, body: `${r.title} نص الخبر`, date: '2024-01-02' }));
  let index: Archive;
  const ids = (r: { titles: { id: string }[] }) => r.titles.map((t) => t.id).sort();
  const found = (r: { completions: unknown[]; titles: unknown[] }) => r.completions.length + r.titles.length > 0;

  beforeAll(async () => {
    index = await new IndexReader(await buildKv(rows), { cacheBytes: 2 ** 28 }).current(new ReadStats());
  }, 120_000);

  it('completes the Arabic a word\'s keys type when the keys as typed suggest nothing', async () => {
    // f,jd is بوتي on the Arabic layout; f,j (بوت) is too short to tell from a Latin word begun.
    const r = await suggest(index, 'f,jd', 10);
    expect(r.query).toBe('f,jd');
    expect(r.completions[0]?.text).toBe('بوتين');
    expect(ids(r)).toEqual(ids(await suggest(index, 'بوتي', 10)));
    expect(r.titles.length).toBe(9);
    expect(found(await suggest(index, 'f,j', 10))).toBe(false);
  });

  it('reads the words finished as /search does, and completes the word being typed after them', async () => {
    // f,jdk is بوتين; dsj is يست.
    const r = await suggest(index, 'f,jdk dsj', 10);
    expect(r.completions[0]?.text).toBe('بوتين يستقبل');
    expect(ids(r)).toEqual(ids(await suggest(index, 'بوتين يست', 10)));
    expect(ids(await suggest(index, 'f,jdk ', 10))).toEqual(ids(await suggest(index, 'بوتين ', 10)));
  });

  it('leaves keys that suggest something as typed alone, and keys whose Arabic suggests nothing', async () => {
    // hg would be ال, which begins الكرملين and الاقتصاد; but titles hold HGTV.
    const tv = await suggest(index, 'hg', 10);
    expect(ids(tv)).toEqual(['tv']);
    expect(tv.completions.every((c) => /^hgtv$/i.test(c.text))).toBe(true);
    // xqzx types ءضئء, which begins no word.
    expect(found(await suggest(index, 'xqzx', 10))).toBe(false);
    // A word begun after one that reads as no word the archive writes (Latin, as typed) is not read.
    expect(found(await suggest(index, 'xqzx f,jd', 10))).toBe(false);
    // Keys read through the layout are not also read as a typo: f,dk types بوين, بوتين less a letter
    // (typed in Arabic, it completes to بوتين).
    expect(found(await suggest(index, 'f,dk', 10))).toBe(false);
    expect((await suggest(index, 'بوين', 10)).completions[0]?.text).toBe('بوتين');
  });

  it('reads a finished Latin name whose Arabic suggests nothing, as /search reads it', async () => {
    // حعفهى is what the keys of putin type on the Arabic layout: no word, so nothing as Arabic.
    const r = await suggest(index, 'حعفهى ', 10);
    expect(r.query).toBe('حعفهى ');
    expect(r.titles.length).toBe(9);
    expect(ids(r)).toEqual(ids(await suggest(index, 'putin ', 10)));
    expect(ids(r)).toEqual(ids(await suggest(index, 'بوتين ', 10)));
    // Still being typed, a name is not read (its first letters would read as other words).
    expect(found(await suggest(index, 'حعفه', 10))).toBe(false);
  });

  it('leaves Arabic that suggests something as typed, and Arabic whose Latin reads as no name', async () => {
    // بوتين suggests its titles as typed; سشسش types asas on the Latin layout, no name the archive writes.
    expect(ids(await suggest(index, 'بوتين ', 10)).length).toBe(9);
    expect(found(await suggest(index, 'سشسش ', 10))).toBe(false);
  });
});

describe('the titles matching what is typed', () => {
  it('merges a word\'s title runs as a map of doc to best score would, the dead left out', () => {
    // A small random archive's worth of title runs (each slot ascending, a doc in several slots
    // and several terms), checked against the map the merge replaced.
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    const tf = Float32Array.from({ length: 64 }, (_, i) => 0.1 + i / 10);
    for (let trial = 0; trial < 200; trial++) {
      const dead = new Set(Array.from({ length: rand(20) }, () => rand(500)));
      const index = { bm25: { title: tf }, docCount: 500, isDead: (d: number) => dead.has(d) } as unknown as Archive;
      const loaded = new Map<string, LoadedTerm | null>();
      const terms = Array.from({ length: 1 + rand(3) }, (_, t) => `t${t}`);
      for (const term of terms) {
        const parts = Array.from({ length: 1 + rand(2) }, () => {
          const slots = Array.from({ length: 1 + rand(6) }, () => Int32Array.from([...new Set(Array.from({ length: rand(60) }, () => rand(500)))].sort((a, b) => a - b)));
          const n = slots.reduce((a, s) => a + s.length, 0);
          return { title: { slots, codes: Uint16Array.from({ length: n }, () => rand(64)) }, attributeWidth: 1 };
        });
        loaded.set(term, { df: 1 + rand(400), parts });
      }
      if (rand(4) === 0) loaded.set(terms[0]!, null);
      const want = new Map<number, number>();
      for (const term of terms) {
        const lt = loaded.get(term);
        if (!lt) continue;
        const f = Math.log(1 + (500 - lt.df + 0.5) / (lt.df + 0.5));
        for (const part of lt.parts) {
          let k = 0;
          for (const slot of part.title!.slots) for (const d of slot) {
            const s = f * tf[part.title!.codes[k++]!]!;
            if (!dead.has(d)) want.set(d, Math.max(want.get(d) ?? 0, s));
          }
        }
      }
      const got = titleList(index, loaded, terms);
      const sorted = [...want].sort((a, b) => a[0] - b[0]);
      expect([...got.docs], `trial ${trial}`).toEqual(sorted.map(([d]) => d));
      expect([...got.score], `trial ${trial}`).toEqual(sorted.map(([, s]) => s));
    }
  });

  it('counts the docs two ascending lists share by seeking, as a set would', () => {
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    const list = (n: number, space: number) => Int32Array.from([...new Set(Array.from({ length: n }, () => rand(space)))].sort((a, b) => a - b));
    let shared = 0;
    for (let trial = 0; trial < 300; trial++) {
      const space = 1 + rand(5000);
      const few = list(rand(40), space);
      const run = list(rand(3000), space);
      const inRun = new Set(run);
      const want = [...few].filter((d) => inRun.has(d)).length;
      shared += want;
      expect(countCommon(few, run), `trial ${trial}`).toBe(want);
      expect(countCommon(run, few), `trial ${trial}, reversed`).toBe(want);
    }
    // The lists met often enough for the count to mean something.
    expect(shared).toBeGreaterThan(300);
  });
});

describe('a typo in the word being typed', () => {
  // بوتين and ترامب are in many titles; بويتر, in one, begins with what a reader typing بوتين
  // with two letters swapped types (بويت).
  const rows = [
    ...Array.from({ length: 40 }, (_, i) => ({ id: `p${i}`, title: `بوتين يستقبل الوفد ${i}` })),
    ...Array.from({ length: 40 }, (_, i) => ({ id: `t${i}`, title: `ترامب يغادر القمة ${i}` })),
    { id: 'rare', title: 'شركة بويتر تعلن نتائجها' },
  ].map((r) => JSON.stringify({ ...r, body: `${r.title} نص الخبر`, date: '2024-01-02' }));
  let kv: MemoryKv;
  const open = async (): Promise<Archive> => new IndexReader(kv, { cacheBytes: 2 ** 28 }).current(new ReadStats());
  const texts = (r: { completions: { text: string }[] }) => r.completions.map((c) => c.text);

  beforeAll(async () => {
    kv = await buildKv(rows);
  }, 120_000);

  it('completes the word a typo after its first two letters stands for, first when nothing else begins so', async () => {
    const index = await open();
    // ترما: ترام with its last two letters swapped; no word begins ترما.
    const r = await suggest(index, 'ترما', 5);
    expect(texts(r)[0]).toBe('ترامب');
    expect(r.titles).toHaveLength(5);
    for (const t of r.titles) expect(t.title).toMatch(/^ترامب/);
    expect(texts(await suggest(index, 'ترما', 5, new ReadStats(), { typos: false }))).toEqual([]);
  });

  it('reads a swap of the second and third letters in the key of the first and third', async () => {
    const index = await open();
    // تارم: ترام with its second and third letters swapped, so in the key تا, where no word is.
    expect(texts(await suggest(index, 'تارم', 5))[0]).toBe('ترامب');
    const r = await suggest(index, 'تارمب ', 5);
    expect(r.titles).toHaveLength(5);
    for (const t of r.titles) expect(t.title).toMatch(/^ترامب/);
  });

  it('puts the typed letters\' own completions first when the model only offers the reading', async () => {
    const index = await open();
    // بويت begins بويتر (1 title) and is بوتي with a swap (بوتين, 40): offered, after.
    expect(texts(await suggest(index, 'بويت', 5))).toEqual(['بويتر', 'بوتين']);
    // Typed right, nothing changes; three letters are too few to read as a typo.
    expect(texts(await suggest(index, 'بوتي', 5))).toEqual(['بوتين']);
    expect(texts(await suggest(index, 'تما', 5))).toEqual([]);
  });

  it('reads a finished word no document holds as a search reads it, and writes the reading', async () => {
    const index = await open();
    // ترماب: ترامب with two letters swapped, finished (a space after it).
    const r = await suggest(index, 'ترماب ', 10);
    expect(r.query).toBe('ترماب ');
    expect(r.didYouMean).toBe('ترامب');
    expect((await suggest(index, 'ترماب يغ', 5)).didYouMean).toBe('ترامب يغ');
    expect((await suggest(index, 'ترامب يغ', 5)).didYouMean).toBeUndefined();
    expect(r.titles).toHaveLength(10);
    for (const t of r.titles) expect(t.title).toMatch(/^ترامب/);
    expect((await search(index, { q: 'ترماب', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0 })).didYouMean).toBe('ترامب');
    // The completions of the word typed after it write the reading.
    expect(texts(await suggest(index, 'ترماب يغ', 5))[0]).toBe('ترامب يغادر');
    // Without the model, the word narrows nothing, as before.
    const off = await suggest(index, 'ترماب يغ', 5, new ReadStats(), { typos: false });
    expect(texts(off)[0]).toBe('ترماب يغادر');
    // A word no reading comes near is still left to narrow nothing.
    expect((await suggest(index, 'زقزقزق ', 10)).titles).toEqual([]);
  });

  it('counts a reading over a published delta as over one segment', async () => {
    await publish(kv, { add: await articlesOf([JSON.stringify({ id: 'late', title: 'ترامب في القمة', body: 'نص', date: '2024-02-02' })]), compact: 'none' });
    const index = await open();
    expect(index.segments.length).toBe(2);
    const r = await suggest(index, 'ترما', 5);
    expect(r.completions[0]).toMatchObject({ text: 'ترامب', count: 41 });
  });
});

describe('a reading no result shown writes', () => {
  // الذهبية is written in the medal stories' titles; the gold-price stories (another category)
  // hold its stem only (الذهب).
  const rows = [
    ...Array.from({ length: 3 }, (_, i) => ({ id: `medal${i}`, title: `الميدالية الذهبية للبطل ${i + 1}`, category: 'sport' })),
    ...Array.from({ length: 3 }, (_, i) => ({ id: `gold${i}`, title: `أسعار الذهب ترتفع ${i + 1}`, category: 'economy' })),
  ].map((r) => JSON.stringify({ ...r, body: `${r.title} نص الخبر`, date: '2024-01-02' }));
  let index: Archive;

  beforeAll(async () => {
    index = await new IndexReader(await buildKv(rows), { cacheBytes: 2 ** 28 }).current(new ReadStats());
  }, 120_000);

  it('is offered as the titles write it, not as the lexicon holds it', async () => {
    const ask = (category?: string) => search(index, { q: 'الذهيبة', limit: 10, offset: 0, sort: 'relevance', facets: false, recency: 0, ...(category ? { category: [category] } : {}) }, new ReadStats());
    // Shown among the medal stories, written as they write it.
    expect((await ask()).didYouMean).toBe('الذهبية');
    // Only the gold-price stories shown (by the reading's stem): none writes it, the titles do.
    const economy = await ask('economy');
    expect(economy.hits.length).toBeGreaterThan(0);
    expect(economy.hits.every((h) => h.id.startsWith('gold'))).toBe(true);
    expect(economy.didYouMean).toBe('الذهبية');
  });
});
