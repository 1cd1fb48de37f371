/**
 * The reader's cache counts a term shard by what it holds in memory (its text, its line index,
 * and each entry as a query decodes it), not by a guess per character of its text: a shard is
 * charged once for each entry decoded, eviction keeps the cache under its cap as entries grow,
 * and search answers do not depend on the weights.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildEntries } from '../archives';
import { stems } from '../../src/core/analyzer/index';
import { unsealValue } from '../../src/core/format/layout';
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { SHARD_BYTES, ShardView } from '../../src/core/search/segment-terms';
import { MemorySource, ReadStats } from '../../src/core/search/source';
import { ValueStore } from '../../src/core/search/store';

const WORDS = ['البحر', 'الجبل', 'النهر', 'الصحراء', 'الغابة', 'المدينة', 'القرية', 'السهل'];

let values: Map<string, string>;

beforeAll(async () => {
  let seed = 11;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const rows = Array.from({ length: 300 }, (_, i) => JSON.stringify({
    id: `w${i}`,
    title: `خبر ${WORDS[i % WORDS.length]}`,
    body: `نص ${WORDS.filter(() => next() < 0.4).join(' ')} نهاية`,
    date: `2020-01-${String(1 + (i % 28)).padStart(2, '0')}`,
  }));
  values = new Map((await buildEntries(rows)).map((e) => [e.key, e.value]));
}, 60_000);

describe('the cache weighs term shards by what they hold', () => {
  it('counts a shard by its text and lines, then charges each entry once, as it is decoded', async () => {
    const index = await new IndexReader(new MemorySource(values), { cacheBytes: 1 << 30 }).current(new ReadStats());
    const term = stems('البحر')[0]!;
    const key = index.segments[0]!.termKey(term);
    const text = unsealValue(values.get(key)!)!;
    const lines = text.split('\n').filter((l) => l.length > 0).length;
    const before = index.cachedBytes;
    const loaded = await index.loadTerms([term], new ReadStats());
    const part = loaded.get(term)!.parts[0]!;
    const postings = (part.title?.codes.length ?? 0) + (part.body?.codes.length ?? 0);
    expect(postings).toBeGreaterThan(100);
    const grown = index.cachedBytes - before;
    const held = SHARD_BYTES.perChar * text.length + SHARD_BYTES.perLine * lines;
    // The text and lines, plus the one entry decoded: its postings at 6 bytes and some headers.
    expect(grown).toBeGreaterThanOrEqual(held + SHARD_BYTES.perPosting * postings);
    expect(grown).toBeLessThan(held + SHARD_BYTES.perPosting * postings + 4096);
    // The old guess (8 bytes a character of text) would have counted the whole shard, decoded or not, at several times this.
    expect(grown).toBeLessThan(8 * text.length);
    // A second read finds the entry decoded: nothing more is charged.
    await index.loadTerms([term], new ReadStats());
    expect(index.cachedBytes).toBe(before + grown);
  });

  it('keeps under its cap when decoded entries grow the shards it holds', async () => {
    const source = new MemorySource(values);
    const index = await new IndexReader(source, { cacheBytes: 1 << 30 }).current(new ReadStats());
    const shardKeys = [...values.keys()].filter((k) => /^s\/[^/]+\/t\//.test(k));
    expect(shardKeys.length).toBeGreaterThan(0);
    const meta = index.segments[0]!.meta;
    // A cap that holds the shards' texts but not every entry decoded besides.
    const texts = shardKeys.reduce((n, k) => n + SHARD_BYTES.perChar * unsealValue(values.get(k)!)!.length, 0);
    const cap = Math.ceil(texts * 1.5);
    const store = new ValueStore(source, cap);
    const views = await store.load(shardKeys, new ReadStats(), (k, t) => new ShardView(k, t, meta, (b) => store.charge(k, b)));
    let charged = 0;
    for (const view of views.values()) {
      for (const w of WORDS) {
        const before = store.cachedBytes;
        view.get(stems(w)[0]!);
        charged += Math.max(0, store.cachedBytes - before);
        expect(store.cachedBytes).toBeLessThanOrEqual(cap + 64 * 1024);
      }
    }
    expect(charged).toBeGreaterThan(0);
  });

  it('answers alike whatever the cache holds', async () => {
    const roomy = await new IndexReader(new MemorySource(values), { cacheBytes: 1 << 30 }).current(new ReadStats());
    const tight = await new IndexReader(new MemorySource(values), { cacheBytes: 1 }).current(new ReadStats());
    for (const q of ['البحر', 'الجبل النهر', 'خبر المدينة', 'القرية السهل الغابة']) {
      const p = { q, limit: 10, offset: 0, sort: 'relevance' as const, facets: true, recency: 0.05 };
      const a = await search(roomy, p);
      const b = await search(tight, p);
      expect(a.hits.map((h) => h.id), q).toEqual(b.hits.map((h) => h.id));
      expect(a.total, q).toBe(b.total);
      expect(a.facets, q).toEqual(b.facets);
    }
  });
});
