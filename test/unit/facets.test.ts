/**
 * Facets and source/category filters come from the attribute codes stored with the postings
 * (no per-doc table is read): on a crafted archive with more source × category pairs than one
 * code character holds, every word's facets and filtered totals must equal a count over the
 * articles themselves, also when the reader's cache is too small to keep any shard.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/indexer/build-index';
import { normalize, stems } from '../../src/core/analyzer/index';
import { decodeDays, decodeShard, encodeDays, encodeShard, sealValue, unsealValue } from '../../src/core/format/layout';
import { asFormat6 } from '../format6';
import type { ArchiveManifest } from '../../src/core/format/manifest';
import { listNewest, namesIn } from '../../src/core/search/facets';
import { search, type SearchParams } from '../../src/core/search/search';
import { IndexReader } from '../../src/core/search/reader';
import { MemorySource, ReadStats } from '../../src/core/search/source';

const WORDS = ['البحر', 'الجبل', 'النهر', 'الصحراء', 'الغابة', 'المدينة'];
const SOURCES = ['المصدر الأول', 'المصدر الثاني', 'المصدر الثالث', 'المصدر الرابع', 'المصدر الخامس'];
const CATEGORIES = Array.from({ length: 12 }, (_, i) => `قسم ${i + 1}`);

interface Row { id: string; title: string; body: string; date: string; source?: string; category?: string; words: string[] }

let dir = '';
let values: Map<string, string>;
const rows: Row[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bahth-facets-'));
  let seed = 7;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 400; i++) {
    const words = WORDS.filter(() => next() < 0.35);
    const row: Row = {
      id: `a${i}`,
      title: `تقرير رقم ${i}`,
      body: `نص التقرير ${words.join(' ')} نهاية`,
      date: `${2015 + Math.floor(next() * 8)}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
      words,
    };
    // Some articles lack a source or a category: they count in no bucket of that facet.
    if (next() < 0.9) row.source = SOURCES[Math.floor(next() * SOURCES.length)]!;
    if (next() < 0.9) row.category = CATEGORIES[Math.floor(next() * CATEGORIES.length)]!;
    rows.push(row);
  }
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, rows.map(({ words: _, ...r }) => JSON.stringify(r)).join('\n'));
  await buildIndex({ inputs: [input], outDir: join(dir, 'dist') });
  values = new Map();
  for (const f of readdirSync(join(dir, 'dist', 'kv'))) for (const e of JSON.parse(readFileSync(join(dir, 'dist', 'kv', f), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
  for (const e of JSON.parse(readFileSync(join(dir, 'dist', 'switch.json'), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function expected(word: string, filter: { source?: string; category?: string } = {}) {
  const kept = rows.filter((r) => r.words.includes(word) && (!filter.source || r.source === filter.source) && (!filter.category || r.category === filter.category));
  const count = (key: (r: Row) => string | undefined) => {
    const out: Record<string, number> = {};
    for (const r of kept) {
      const k = key(r);
      if (k !== undefined) out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  };
  return { total: kept.length, source: count((r) => r.source), category: count((r) => r.category), year: count((r) => r.date.slice(0, 4)) };
}

const params = (q: string, more: Partial<SearchParams> = {}): SearchParams => ({ q, limit: 5, offset: 0, sort: 'relevance', facets: true, recency: 0, correct: false, ...more });

describe('facets from the postings', () => {
  it('writes more source × category pairs than one code character holds, each doc\'s code once for listings', () => {
    const meta = JSON.parse(unsealValue(values.get('manifest')!)!) as ArchiveManifest;
    const pairs = new Set(rows.map((r) => `${r.source},${r.category}`));
    expect(pairs.size).toBeGreaterThan(64);
    expect(meta.tables.attributes.length).toBe(pairs.size);
    expect(meta.segments[0]!.attributeWidth).toBe(2);
    expect([...values.keys()].some((k) => k.includes('/attr/'))).toBe(false);
    // Two characters a doc, one key for the 400 (keys.attributes): what /articles reads to filter.
    const column = [...values.keys()].filter((k) => /^s\/[^/]+\/a\/\d+$/.test(k));
    expect(column).toHaveLength(1);
    expect(unsealValue(values.get(column[0]!)!)!).toHaveLength(2 * rows.length);
  });

  it('lists by source and category with the codes of two characters, facets counted over every article listed', async () => {
    const index = await new IndexReader(new MemorySource(values)).current(new ReadStats());
    const filters: { source?: string; category?: string }[] = [{}, { source: SOURCES[1]! }, { category: CATEGORIES[4]! }, { source: SOURCES[0]!, category: CATEGORIES[2]! }];
    for (const filter of filters) {
      const kept = rows.filter((r) => (!filter.source || r.source === filter.source) && (!filter.category || r.category === filter.category));
      const stats = new ReadStats();
      const got = await listNewest(index, { offset: 0, limit: 1000, facets: true, source: filter.source ? [filter.source] : undefined, category: filter.category ? [filter.category] : undefined }, stats);
      const ids = [...(await index.cards(got.docs, stats)).values()].map((c) => c.id);
      expect(new Set(ids), JSON.stringify(filter)).toEqual(new Set(kept.map((r) => r.id)));
      expect(got.total).toBe(kept.length);
      const count = (key: (r: Row) => string | undefined) => {
        const out: Record<string, number> = {};
        for (const r of kept) if (key(r) !== undefined) out[key(r)!] = (out[key(r)!] ?? 0) + 1;
        return out;
      };
      expect(got.facets).toEqual({ source: count((r) => r.source), category: count((r) => r.category), year: count((r) => r.date.slice(0, 4)) });
    }
  });

  for (const cacheBytes of [1 << 30, 1]) {
    it(`counts every word's facets exactly (cache ${cacheBytes === 1 ? 'too small to keep a shard' : 'holding all'})`, async () => {
      const index = await new IndexReader(new MemorySource(values), { cacheBytes }).current(new ReadStats());
      for (const word of WORDS) {
        const want = expected(word);
        const got = await search(index, params(word));
        expect(got.total, word).toBe(want.total);
        expect(got.facets, word).toEqual({ source: want.source, category: want.category, year: want.year });
      }
    });

    it(`filters by source and category (cache ${cacheBytes === 1 ? 'too small to keep a shard' : 'holding all'})`, async () => {
      const index = await new IndexReader(new MemorySource(values), { cacheBytes }).current(new ReadStats());
      for (const word of WORDS.slice(0, 3)) {
        for (const filter of [{ source: SOURCES[1]! }, { category: CATEGORIES[4]! }, { source: SOURCES[0]!, category: CATEGORIES[2]! }]) {
          const want = expected(word, filter);
          const got = await search(index, params(word, { source: filter.source ? [filter.source] : undefined, category: filter.category ? [filter.category] : undefined, limit: 100 }));
          expect(got.total, `${word} ${JSON.stringify(filter)}`).toBe(want.total);
          expect(got.facets!.source, `${word} ${JSON.stringify(filter)}`).toEqual(want.source);
          const ids = new Set(rows.filter((r) => r.words.includes(word) && (!filter.source || r.source === filter.source) && (!filter.category || r.category === filter.category)).map((r) => r.id));
          expect(new Set(got.hits.map((h) => h.id))).toEqual(ids);
        }
      }
    });
  }

  /** A word searched on this archive and on the same in an older format: the same hits, scores, facets and total; each side's reads. */
  async function bothAlike(older: Map<string, string>, word: string): Promise<{ a: Awaited<ReturnType<typeof search>>; now: ReadStats; old: ReadStats }> {
    const now = new ReadStats();
    const old = new ReadStats();
    const a = await search(await new IndexReader(new MemorySource(values)).current(now), params(word, { limit: 20 }), now);
    const b = await search(await new IndexReader(new MemorySource(older)).current(old), params(word, { limit: 20 }), old);
    expect(b.hits.map((h) => [h.id, h.score])).toEqual(a.hits.map((h) => [h.id, h.score]));
    expect(b.facets).toEqual(a.facets);
    expect(b.total).toBe(a.total);
    return { a, now, old };
  }

  it('reads an archive of format 6 (codes not packed, values sealed over UTF-16 code units) alike, bytes counted alike', async () => {
    const old6 = asFormat6(values);
    expect([...values.values()].every((v) => v.charAt(0) === '~' || v.charAt(8) === ';')).toBe(true);
    expect([...old6.values()].every((v) => v.charAt(8) === ':')).toBe(true);
    const packed = [...values].filter(([k]) => k.includes('/t/')).reduce((n, [, v]) => n + v.length, 0);
    const unpacked = [...old6].filter(([k]) => k.includes('/t/')).reduce((n, [, v]) => n + v.length, 0);
    expect(packed).toBeLessThan(unpacked);
    for (const word of WORDS) {
      const { a, now, old } = await bothAlike(old6, word);
      expect(old.bytes).toBeGreaterThan(now.bytes);
      expect(a.total).toBe(expected(word).total);
    }
  });

  it('reads an archive of format 7 (no value deflated) alike, and format 8 reads fewer bytes', async () => {
    // Deflated: the manifest and its copy (big terms' values too, tiers.test.ts, and the shards of
    // a segment at its shard cap); articles, lexicon, these shards and the rest as they are.
    const deflated = [...values].filter(([, v]) => v.charAt(0) === '~').map(([k]) => k).sort();
    expect(deflated).toEqual([...values.keys()].filter((k) => k === 'manifest' || k.startsWith('m/')).sort());
    expect(deflated.length).toBe(2);
    const old7 = new Map([...values].map(([k, v]) => {
      let text = unsealValue(v)!;
      if (k === 'manifest' || k.startsWith('m/')) text = JSON.stringify({ ...(JSON.parse(text) as ArchiveManifest), format: 7 });
      return [k, sealValue(text, false)];
    }));
    for (const word of WORDS) {
      const { now, old } = await bothAlike(old7, word);
      expect(now.bytes).toBeLessThan(old.bytes);
    }
  });

  it('reads the codes only for facets and filters, and calls codes that do not match the postings corrupt', async () => {
    const stem = stems(normalize(WORDS[0]!))[0]!;
    const reader = await new IndexReader(new MemorySource(values)).current(new ReadStats());
    const key = reader.segments[0]!.termKey(stem);
    const shard = decodeShard(unsealValue(values.get(key)!)!);
    shard[stem]![3] = shard[stem]![3].slice(0, -1); // one code short
    const broken = new Map(values).set(key, sealValue(encodeShard(shard)));
    const index = await new IndexReader(new MemorySource(broken)).current(new ReadStats());
    const plain = await search(index, params(WORDS[0]!, { facets: false }));
    expect(plain.total).toBe(expected(WORDS[0]!).total);
    await expect(search(index, params(WORDS[0]!))).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
  });

  it('stores each title posting\'s title word count, and calls counts that do not match the title postings corrupt', async () => {
    const stem = stems(normalize('تقرير'))[0]!;
    const reader = await new IndexReader(new MemorySource(values)).current(new ReadStats());
    const key = reader.segments[0]!.termKey(stem);
    const shard = decodeShard(unsealValue(values.get(key)!)!);
    const entry = shard[stem]!;
    expect(entry[4]).toBe('3'.repeat(rows.length)); // تقرير رقم <n>, in every title
    for (const bad of [entry[4].slice(0, -1), `${entry[4].slice(0, -1)}!`]) {
      const broken = new Map(values).set(key, sealValue(encodeShard({ ...shard, [stem]: [entry[0], entry[1], entry[2], entry[3], bad] })));
      const index = await new IndexReader(new MemorySource(broken)).current(new ReadStats());
      await expect(search(index, params('تقرير', { facets: false }))).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
    }
  });

  it('calls a manifest whose days table is not varint text, or is cut off, corrupt at load, not mid-query', async () => {
    const meta = JSON.parse(unsealValue(values.get('manifest')!)!) as ArchiveManifest;
    const base = meta.segments[0]!;
    for (const days of [`${base.days}!`, `${base.days}W`, base.days.slice(0, 2)]) {
      const broken = new Map(values).set('manifest', sealValue(JSON.stringify({ ...meta, segments: [{ ...base, days }] })));
      await expect(new IndexReader(new MemorySource(broken)).current(new ReadStats())).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
    }
  });

  it('reads the manifest again each TTL: the same value keeps its archive, a new one switches, a corrupt one is refused; its bytes are counted once', async () => {
    const source = new Map(values);
    const reader = new IndexReader(new MemorySource(source), { manifestTtlMs: 0 });
    const size = Buffer.byteLength(values.get('manifest')!, 'utf8');
    const read = async () => {
      const stats = new ReadStats();
      const archive = await reader.current(stats);
      return { archive, bytes: stats.bytes };
    };
    const first = await read();
    expect(first.bytes).toBe(size);
    const again = await read();
    expect(again.archive).toBe(first.archive);
    expect(again.bytes).toBe(size);
    const meta = JSON.parse(unsealValue(values.get('manifest')!)!) as ArchiveManifest;
    source.set('manifest', sealValue(JSON.stringify({ ...meta, generation: meta.generation + 1 })));
    const next = await read();
    expect(next.archive).not.toBe(first.archive);
    expect(next.archive.version).toBe(`${meta.archive}.${meta.generation + 1}`);
    source.set('manifest', `${source.get('manifest')!.slice(0, -2)}}`);
    for (let i = 0; i < 2; i++) expect((await read()).archive).toBe(next.archive);
  });

  it('decodes the day runs only for a query with docs to date, and calls what only decoding finds corrupt then', async () => {
    const meta = JSON.parse(unsealValue(values.get('manifest')!)!) as ArchiveManifest;
    const base = meta.segments[0]!;
    const runs = decodeDays(base.days);
    // Well formed, so the shape check passes: a last run past the segment's docs, a number after the last run.
    for (const days of [encodeDays([...runs, [runs.at(-1)![0] + 1, base.end - base.first + 5]]), `${base.days}0`]) {
      const broken = new Map(values).set('manifest', sealValue(JSON.stringify({ ...meta, segments: [{ ...base, days }] })));
      const index = await new IndexReader(new MemorySource(broken)).current(new ReadStats());
      // A stop-word query with nothing to rank reads no day; a query with hits does.
      await expect(search(index, params('في', { facets: false, recency: 0 }))).resolves.toBeDefined();
      await expect(search(index, params('تقرير', { facets: false, recency: 0.5 }))).rejects.toMatchObject({ code: 'INDEX_CORRUPT' });
    }
  });
});

describe('filter names (namesIn)', () => {
  it('reads a name as written, else every name of the same loose form, and lists the names it cannot read', () => {
    const table = ['CNN Arabic', 'BBC Arabic', 'internationalNews', 'الجزيرة نت', 'cnn arabic'];
    // Written as the table writes it: that name alone, though another shares its loose form.
    expect([...namesIn(['CNN Arabic'], table).codes]).toEqual([0]);
    // Another case, spacing or punctuation, or ة for ه: every name of that form.
    expect([...namesIn(['Cnn  Arabic.'], table).codes].sort()).toEqual([0, 4]);
    expect([...namesIn(['INTERNATIONALNEWS'], table).codes]).toEqual([2]);
    expect([...namesIn(['الجزيره.نت'], table).codes]).toEqual([3]);
    const some = namesIn(['BBC Arabik', 'bbc arabic', ''], table);
    expect([...some.codes]).toEqual([1]);
    expect(some.unknown).toEqual(['BBC Arabik', '']);
  });
});
