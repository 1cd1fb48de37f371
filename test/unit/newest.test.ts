/**
 * Listing the archive newest first (`GET /articles`), within a date range: against every live
 * article's card sorted by hand, across a base and a delta with deleted and replaced articles.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { dayRange } from '../../src/core/search/days';
import { ReadStats } from '../../src/core/search/source';
import type { MemoryKv } from '../../src/indexer/publish';
import { MANIFEST_KEY, sealValue, unsealValue } from '../../src/core/format/layout';
import type { ArchiveManifest } from '../../src/core/format/manifest';
import { decodeInts } from '../../src/core/format/codec';
import { articlesOf, buildKv, publish } from '../archives';
import { corpusLines } from '../corpus';

describe('Archive.newest and liveWithin with a date range', () => {
  let index: Archive;
  /** Every live doc, newest first (by day, then doc number), with its day (-1 undated). */
  let all: { doc: number; day: number }[];

  beforeAll(async () => {
    const rows = await corpusLines(29, 300);
    const kv: MemoryKv = await buildKv(rows);
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
