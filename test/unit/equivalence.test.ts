/**
 * The sharded index must answer exactly like the same index loaded whole: lazily imported
 * shards (under a tight memory cap, so shards are evicted and read again) against every shard
 * imported up front, for a few hundred queries over a sample of the ANT corpus.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusLines } from '../corpus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/build/build-index';
import { tokenize } from '../../src/core/analyzer/index';
import { decodeShard, keys, unsealValue } from '../../src/core/format/layout';
import { search, type SearchParams } from '../../src/core/search/search';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { MemorySource, ReadStats } from '../../src/core/search/source';

let dir = '';
let values = new Map<string, string>();
let titles: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bahth-eq-'));
  const lines = await corpusLines(50, 800);
  writeFileSync(join(dir, 'sample.jsonl'), lines.join('\n'));
  titles = lines.map((l) => (JSON.parse(l) as { title: string }).title);
  // Small shards, two segments: many keys, and terms merged across segments.
  await buildIndex({ inputs: [join(dir, 'sample.jsonl')], outDir: join(dir, 'dist'), shardTargetBytes: 1024, segmentSize: 300 });
  values = new Map();
  for (const f of readdirSync(join(dir, 'dist', 'kv'))) for (const e of JSON.parse(readFileSync(join(dir, 'dist', 'kv', f), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
  for (const e of JSON.parse(readFileSync(join(dir, 'dist', 'switch.json'), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every term of every shard: what "the whole index" holds. */
function allTerms(index: Archive): string[] {
  const out: string[] = [];
  const base = index.segments[0]!.meta;
  for (let n = 0; n < 2 ** base.shardBits; n++) {
    const json = unsealValue(values.get(keys.shard(base.id, n))!)!;
    out.push(...Object.keys(decodeShard(json)));
  }
  for (const t of base.big) out.push(t);
  return out;
}

/** 300 queries of 1–3 consecutive title words, from a fixed seed. */
function queries(): string[] {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const out: string[] = [];
  while (out.length < 300) {
    const words = tokenize(titles[Math.floor(rand() * titles.length)]!).map((t) => t.norm);
    if (words.length === 0) continue;
    const n = 1 + Math.floor(rand() * 3);
    const at = Math.floor(rand() * Math.max(1, words.length - n));
    out.push(words.slice(at, at + n).join(' '));
  }
  return out;
}

describe('sharded index = whole index', () => {
  it('returns the same hits, scores, totals and facets for 300 queries', async () => {
    const lazy = await new IndexReader(new MemorySource(values), { cacheBytes: 96 * 1024 }).current(new ReadStats());
    const whole = await new IndexReader(new MemorySource(values), { cacheBytes: 1 << 30 }).current(new ReadStats());
    expect(2 ** lazy.segments[0]!.meta.shardBits).toBeGreaterThan(64);
    await whole.loadTerms(allTerms(whole), new ReadStats());
    let compared = 0;
    let readsLazy = 0;
    for (const q of queries()) {
      const params: SearchParams = { q, limit: 20, offset: 0, sort: 'relevance', facets: true, recency: 0.05 };
      const s = new ReadStats();
      const a = await search(lazy, params, s);
      const b = await search(whole, params, new ReadStats());
      readsLazy += s.reads;
      expect(a.hits.map((h) => [h.id, h.score])).toEqual(b.hits.map((h) => [h.id, h.score]));
      expect(a.total).toBe(b.total);
      expect(a.facets).toEqual(b.facets);
      compared++;
    }
    expect(compared).toBe(300);
    expect(readsLazy).toBeGreaterThan(300); // the lazy side really did read shards as it went
    expect(lazy.cachedBytes).toBeLessThanOrEqual(96 * 1024 + 64 * 1024);
  }, 120_000);

});
