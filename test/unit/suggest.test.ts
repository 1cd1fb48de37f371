/**
 * Completions on an archive whose titles hold more words of one beginning (ال) than one key
 * keeps (400): every word is completed from its first letters, after a full compaction too,
 * with its count unchanged (a crowded group's words are in its key and in its split groups').
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { normalize } from '../../src/core/analyzer/index';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { groupPrefix } from '../../src/core/search/archive';
import { ReadStats } from '../../src/core/search/source';
import { suggest } from '../../src/core/search/suggest';
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

  it('narrows the titles by the completion it puts first', async () => {
    const r = await suggest(index, 'وزير الخ', 5, new ReadStats());
    expect(r.titles.length).toBeGreaterThan(0);
    for (const t of r.titles) expect(t.title).toMatch(/^وزير الخارجية/);
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
});
