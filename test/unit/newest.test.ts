/**
 * Listing the archive newest first (`GET /articles`), within a date range: against every live
 * article's card sorted by hand, across a base and a delta with deleted and replaced articles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { dayRange } from '../../src/core/search/days';
import { ReadStats } from '../../src/core/search/source';
import { MemoryKv } from '../../src/indexer/publish';
import { MANIFEST_KEY, sealValue, unsealValue } from '../../src/core/format/layout';
import type { ArchiveManifest } from '../../src/core/format/manifest';
import { decodeInts } from '../../src/core/format/codec';
import { listNewest } from '../../src/core/search/facets';
import { DocBits } from '../../src/core/search/postings';
import type { Card } from '../../src/core/format/layout';
import { articlesOf, buildKv, publish } from '../archives';
import { corpusLines } from '../corpus';

describe('Archive.newest and liveWithin with a date range', () => {
  let kv: MemoryKv;
  let index: Archive;
  /** Every live doc, newest first (by day, then doc number), with its day (-1 undated). */
  let all: { doc: number; day: number }[];

  beforeAll(async () => {
    const rows = await corpusLines(29, 300);
    kv = await buildKv(rows);
    const ids = rows.map((r) => (JSON.parse(r) as { id: string }).id);
    // A delta: 5 articles deleted, 3 replaced (their old docs die), one undated added.
    const replaced = rows.slice(10, 13).map((r) => JSON.stringify({ ...JSON.parse(r), title: `${(JSON.parse(r) as { title: string }).title} (محدث)` }));
    const undated = JSON.stringify({ id: 'undated-1', title: 'خبر بلا تاريخ', body: 'نص خبر بلا تاريخ' });
    await publish(kv, { add: await articlesOf([...replaced, undated]), remove: ids.slice(0, 5), compact: 'none' });
    index = await new IndexReader(kv, { cacheBytes: 2 ** 30 }).current(new ReadStats());
    const docs = index.newest(0, 10_000);
    const cards = await index.cards(docs, new ReadStats());
    all = docs.map((doc) => {
      const date = cards.get(doc)!.date;
      return { doc, day: date ? Math.floor(Date.parse(date) / 86_400_000) : -1 };
    });
  }, 120_000);

  it('lists every live doc once without a range, dead ones left out', () => {
    expect(all).toHaveLength(index.liveWithin());
    expect(index.liveWithin()).toBe(300 - 5 + 1);
    expect(new Set(all.map((x) => x.doc)).size).toBe(all.length);
  });

  it('lists exactly the live docs of the range, newest first, and counts them', () => {
    const days = all.map((x) => x.day).filter((d) => d >= 0).sort((a, b) => a - b);
    const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
    const cases: [string | undefined, string | undefined][] = [
      [iso(days[Math.floor(days.length / 4)]!), iso(days[Math.floor((3 * days.length) / 4)]!)],
      [iso(days[Math.floor(days.length / 2)]!), undefined],
      [undefined, iso(days[Math.floor(days.length / 3)]!)],
      [iso(days[10]!), iso(days[10]!)], // one day
      ['1990-01-01', '1990-12-31'], // none
    ];
    for (const [from, to] of cases) {
      const range = dayRange(from, to)!;
      const want = all.filter((x) => x.day >= 0 && x.day >= range.from && x.day <= range.to).map((x) => x.doc);
      expect(index.liveWithin(range), `${from}..${to}`).toBe(want.length);
      expect(index.newest(0, 10_000, range), `${from}..${to}`).toEqual(want);
      // Paged: the pages join into the whole list.
      const paged = [0, 7, 14, 21].flatMap((offset) => index.newest(offset, 7, range));
      expect(paged, `${from}..${to} paged`).toEqual(want.slice(0, 28));
    }
    // The undated article is in no range, and an open range still leaves it out.
    const undatedDoc = all.find((x) => x.day < 0)!.doc;
    expect(index.newest(0, 10_000, dayRange('1900-01-01', undefined))).not.toContain(undatedDoc);
    expect(index.liveWithin(dayRange('1900-01-01', undefined))).toBe(index.liveWithin() - 1);
  });
});

/** Every live doc's card, newest first, as `/articles` lists them unfiltered. */
async function cardsNewest(index: Archive): Promise<{ doc: number; card: Card }[]> {
  const docs = index.newest(0, 100_000);
  const cards = await index.cards(docs, new ReadStats());
  return docs.map((doc) => ({ doc, card: cards.get(doc)! }));
}

/** The facets of some cards, counted by hand (most first, then by name, as the answer orders them). */
function facetsOf(cards: Card[]) {
  const count = (key: (c: Card) => string | undefined) => {
    const out = new Map<string, number>();
    for (const c of cards) {
      const k = key(c);
      if (k) out.set(k, (out.get(k) ?? 0) + 1);
    }
    return Object.fromEntries([...out].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  };
  const year = count((c) => c.date?.slice(0, 4));
  return { source: count((c) => c.sources[0]), category: count((c) => c.category), year: Object.fromEntries(Object.entries(year).sort((a, b) => Number(a[0]) - Number(b[0]))) };
}

describe('listNewest: /articles by source and category, with facets', () => {
  /** Checks every source's and category's listing (and pairs of them, and a date range) against the cards filtered by hand. */
  async function checkListings(index: Archive, tagsOf: Map<string, string[]>): Promise<void> {
    const all = await cardsNewest(index);
    // Every live doc once (a compaction's purged docs are none: SegmentMeta.holes).
    expect(all).toHaveLength(index.docCount);
    const range = dayRange('1900-01-01', '2100-01-01');
    expect(index.liveWithin(range)).toBe(all.filter((x) => x.card.date).length);
    const sources = [...new Set(all.map((x) => x.card.sources[0]).filter((s): s is string => !!s))];
    const categories = [...new Set(all.map((x) => x.card.category).filter((c): c is string => !!c))];
    expect(sources.length).toBeGreaterThan(1);
    expect(categories.length).toBeGreaterThan(1);
    const dated = all.filter((x) => x.card.date).map((x) => x.card.date!.slice(0, 10)).sort();
    const mid = { from: dated[Math.floor(dated.length / 3)]!, to: dated[Math.floor((2 * dated.length) / 3)]! };
    // Docs left out (a query's exclusions), and a dead one, which changes nothing: many (every
    // second live doc: listed by a pass) and few (every tenth: taken back from the runs' counts).
    const leftOut = { many: new DocBits(index.docSpace), few: new DocBits(index.docSpace) };
    all.forEach((x, i) => {
      if (i % 2 === 1) leftOut.many.add(x.doc);
      if (i % 10 === 3) leftOut.few.add(x.doc);
    });
    const dead = Array.from({ length: index.docSpace }, (_, d) => d).find((d) => index.isDead(d));
    if (dead !== undefined) for (const set of Object.values(leftOut)) set.add(dead);
    const cases: { source?: string[]; category?: string[]; range?: { from: string; to: string }; tag?: string[]; without?: 'many' | 'few' }[] = [
      {},
      ...sources.map((s) => ({ source: [s] })),
      ...categories.map((c) => ({ category: [c] })),
      { source: sources.slice(0, 2), category: categories.slice(0, 2) },
      { source: [sources[0]!], range: mid },
      { category: [categories[0]!], range: mid },
      { tag: ['وسم أ'] },
      { tag: ['وسم أ', 'وسم ب'] },
      { tag: ['وسم ب'], category: [categories[0]!] },
      { tag: ['وسم أ'], range: mid, without: 'few' },
      ...(['many', 'few'] as const).flatMap((w) => [{ without: w }, { without: w, source: [sources[0]!] }, { without: w, range: mid }]),
    ];
    for (const c of cases) {
      const days = c.range ? dayRange(c.range.from, c.range.to) : undefined;
      const want = all.filter(({ doc, card }) => {
        if (c.source && !c.source.includes(card.sources[0]!)) return false;
        if (c.category && !c.category.includes(card.category!)) return false;
        if (c.range && !(card.date && card.date.slice(0, 10) >= c.range.from && card.date.slice(0, 10) <= c.range.to)) return false;
        if (c.tag && !c.tag.some((t) => tagsOf.get(card.id)?.includes(t))) return false;
        if (c.without && leftOut[c.without].has(doc)) return false;
        return true;
      });
      const label = JSON.stringify(c);
      const asked = { days, source: c.source, category: c.category, tag: c.tag, ...(c.without ? { without: leftOut[c.without] } : {}) };
      const whole = await listNewest(index, { offset: 0, limit: 100_000, ...asked, facets: true }, new ReadStats());
      expect(whole.docs, label).toEqual(want.map((x) => x.doc));
      expect(whole.total, label).toBe(want.length);
      expect(whole.facets, label).toEqual(facetsOf(want.map((x) => x.card)));
      // Paged, without facets: the same docs.
      const pages = await Promise.all([0, 9, 18].map((offset) => listNewest(index, { offset, limit: 9, ...asked, facets: false }, new ReadStats())));
      expect(pages.flatMap((p) => p.docs), label).toEqual(want.slice(0, 27).map((x) => x.doc));
      for (const p of pages) expect(p.total, label).toBe(want.length);
    }
    expect(all.filter((x) => tagsOf.get(x.card.id)?.includes('وسم ب')).length).toBeGreaterThan(20);
    // Names as a reader types them: another case and spacing are the same source.
    const loose = sources[0]!.toUpperCase().replace(' ', '  ');
    expect((await listNewest(index, { offset: 0, limit: 5, source: [loose], facets: false }, new ReadStats())).total).toBe(all.filter((x) => x.card.sources[0] === sources[0]).length);
    expect((await listNewest(index, { offset: 0, limit: 5, source: ['No Such Source'], facets: true }, new ReadStats())).total).toBe(0);
  }

  it('lists a base and a delta (deleted, replaced and undated articles) exactly, then the same after a full compaction', async () => {
    // Two tags on some articles (every third, every fourth): topic pages.
    const rows = (await corpusLines(31, 400)).map((r, i) => {
      const tags = [...(i % 3 === 0 ? ['وسم أ'] : []), ...(i % 4 === 0 ? ['وسم ب'] : [])];
      return tags.length ? JSON.stringify({ ...JSON.parse(r), tags }) : r;
    });
    const tagsOf = new Map(rows.map((r) => [(JSON.parse(r) as { id: string }).id, (JSON.parse(r) as { tags?: string[] }).tags ?? []]));
    const kv = await buildKv(rows);
    const ids = rows.map((r) => (JSON.parse(r) as { id: string }).id);
    const moved = rows.slice(20, 26).map((r) => {
      const a = JSON.parse(r) as { title: string; category?: string };
      return JSON.stringify({ ...a, title: `${a.title} (محدث)`, category: 'تصنيف جديد' });
    });
    const undated = JSON.stringify({ id: 'undated-2', title: 'خبر بلا تاريخ', body: 'نص خبر بلا تاريخ', source: 'مصدر جديد' });
    await publish(kv, { add: await articlesOf([...moved, undated]), remove: ids.slice(0, 7), compact: 'none' });
    const reader = new IndexReader(kv, { cacheBytes: 2 ** 30 });
    const delta = await reader.current(new ReadStats());
    expect(delta.segments.map((s) => [s.meta.level, !!s.meta.attributeBlock])).toEqual([['base', true], ['delta', true]]);
    await checkListings(delta, tagsOf);
    await publish(kv, { add: [], remove: [ids[30]!], compact: 'full' });
    const folded = await new IndexReader(kv, { cacheBytes: 2 ** 30 }).current(new ReadStats());
    expect(folded.segments.map((s) => s.meta.level)).toEqual(['base']);
    expect(folded.segments[0]!.meta.docs).toBe(folded.docCount);
    await checkListings(folded, tagsOf);
    // A base folded before its holes were recorded (the manifest of before 2026-12-07): the next
    // fold finds them by their missing cards and records them.
    const m = JSON.parse(unsealValue(kv.values.get(MANIFEST_KEY)!)!) as ArchiveManifest;
    expect(decodeInts(m.segments[0]!.holes!, true).length).toBe(folded.segments[0]!.meta.end - folded.docCount);
    kv.values.set(MANIFEST_KEY, sealValue(JSON.stringify({ ...m, segments: m.segments.map(({ holes: _, ...s }) => s) }), true));
    await publish(kv, { add: [], remove: [ids[40]!], compact: 'full' });
    const again = await new IndexReader(kv, { cacheBytes: 2 ** 30 }).current(new ReadStats());
    expect(again.segments[0]!.meta.docs).toBe(again.docCount);
    await checkListings(again, tagsOf);
  }, 120_000);

  it('reads an older segment (no attribute keys) from its cards when small, and refuses a large one by name', async () => {
    const rows = await corpusLines(33, 120);
    const kv = await buildKv(rows);
    const current = await new IndexReader(kv, { cacheBytes: 2 ** 30 }).current(new ReadStats());
    const category = [(await cardsNewest(current))[0]!.card.category!];
    const want = await listNewest(current, { offset: 0, limit: 1000, facets: true, category }, new ReadStats());
    expect(want.total).toBeGreaterThan(0);
    // The same archive as written before the attribute keys: its manifest without attributeBlock, the keys gone.
    const older = new MemoryKv(new Map([...kv.values].filter(([k]) => !/^s\/[^/]+\/a\/\d+$/.test(k))));
    const m = JSON.parse(unsealValue(older.values.get(MANIFEST_KEY)!)!) as ArchiveManifest;
    older.values.set(MANIFEST_KEY, sealValue(JSON.stringify({ ...m, segments: m.segments.map(({ attributeBlock: _, ...s }) => s) }), true));
    expect(older.values.size).toBe(kv.values.size - 1);
    const old = await new IndexReader(older, { cacheBytes: 2 ** 30 }).current(new ReadStats());
    const stats = new ReadStats();
    expect(await listNewest(old, { offset: 0, limit: 1000, facets: true, category }, stats)).toEqual(want);
    expect(stats.keys).toBeGreaterThanOrEqual(Math.ceil(120 / 50));
    await expect(old.learnRanges(old.runRanges(), new ReadStats(), 100)).rejects.toMatchObject({ code: 'INDEX_UNAVAILABLE', message: expect.stringContaining(`segment ${m.segments[0]!.id} (120 articles) predates them`) });
  }, 60_000);
});

describe('a compaction\'s purged docs (SegmentMeta.holes)', () => {
  it('are listed nowhere after a full fold, and a fold of a base that did not record them records them', async () => {
    const rows = await corpusLines(37, 200);
    const kv = await buildKv(rows);
    const ids = rows.map((r) => (JSON.parse(r) as { id: string }).id);
    await publish(kv, { add: [], remove: ids.slice(0, 9), compact: 'none' });
    await publish(kv, { add: [], remove: [ids[50]!], compact: 'full' });
    const check = async () => {
      const index = await new IndexReader(kv, { cacheBytes: 2 ** 30 }).current(new ReadStats());
      const base = index.segments[0]!.meta;
      expect(index.segments).toHaveLength(1);
      expect(index.docCount).toBe(190);
      expect(base.docs).toBe(190);
      // Every listed doc has its card; the range counts what it lists.
      const docs = index.newest(0, 10_000);
      expect(docs).toHaveLength(190);
      expect((await index.cards(docs, new ReadStats())).size).toBe(190);
      const range = dayRange('1900-01-01', '2100-01-01');
      expect(index.liveWithin(range)).toBe(index.newest(0, 10_000, range).length);
      expect(index.newest(0, 10_000, range)).toHaveLength(190);
      return base;
    };
    expect(decodeInts((await check()).holes!, true)).toHaveLength(10);
    // The manifest as a fold before 2026-12-07 wrote it (no holes): the next fold finds them by their missing cards.
    const m = JSON.parse(unsealValue(kv.values.get(MANIFEST_KEY)!)!) as ArchiveManifest;
    kv.values.set(MANIFEST_KEY, sealValue(JSON.stringify({ ...m, segments: m.segments.map(({ holes: _, ...s }) => s) }), true));
    await publish(kv, { add: await articlesOf([JSON.stringify({ id: 'late-1', title: 'خبر متأخر', body: 'نص', date: '2018-01-01' })]), remove: [], compact: 'none' });
    await publish(kv, { add: [], remove: ['late-1'], compact: 'full' });
    expect(decodeInts((await check()).holes!, true)).toHaveLength(11);
  }, 60_000);
});
