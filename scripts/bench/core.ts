/**
 * Measurements of the search core in this process: cold queries (a fresh reader each time),
 * warm queries (one reader, interleaved with a baseline so CPU contention hits both alike),
 * the heap through many queries, and the baseline of the whole index imported at once.
 */
import { search, type SearchParams } from '../../src/core/search/engine';
import { IndexReader, type LoadedIndex } from '../../src/core/search/reader';
import { ReadStats, type ValueSource } from '../../src/core/search/source';
import { keys, unsealValue, type TermShard } from '../../src/core/format/layout';
import type { BenchQuery } from './queries';
import { CountingSource, KEY_KINDS, type KeyKind, type KindTally } from './sources';
import { dist, forceGc, heapAfterGc, log, timed, type Dist } from './util';

/** The search core's parameters in every measurement (the API's defaults). */
export function paramsFor(q: string, facets: boolean): SearchParams {
  return { q, limit: 10, offset: 0, sort: 'relevance', facets, recency: 0.05 };
}

export interface ColdSample {
  q: string;
  words: number;
  content: number;
  bytes: number;
  reads: number;
  keys: number;
  wallMs: number;
  cpuMs: number;
  /** Wall time of reading manifest + meta (`reader.current`). */
  metaMs: number;
  stages: Record<string, number>;
  kinds: Partial<Record<KeyKind, KindTally>>;
  total: number;
}

/** One query against a fresh reader (empty cache), counted by kind of key. */
async function coldOne(counting: CountingSource, query: BenchQuery, facets: boolean, cacheBytes?: number): Promise<ColdSample> {
  counting.reset();
  const stats = new ReadStats();
  const reader = new IndexReader(counting, cacheBytes ? { cacheBytes } : {});
  let metaMs = 0;
  const t = await timed(async () => {
    const t0 = performance.now();
    const index = await reader.current(stats);
    metaMs = performance.now() - t0;
    return search(index, paramsFor(query.q, facets), stats);
  });
  return {
    q: query.q, words: query.words, content: query.content,
    bytes: stats.bytes, reads: stats.reads, keys: stats.keys,
    wallMs: t.wallMs, cpuMs: t.cpuMs, metaMs, stages: { ...stats.stages },
    kinds: Object.fromEntries(counting.reset()), total: t.value.total,
  };
}

export interface ColdRun {
  facets: boolean;
  /** The very first cold query of the process (JIT not warmed), for reference. */
  first: ColdSample;
  samples: ColdSample[];
}

/** Cold queries: JIT warmed on `warmup` queries first (not recorded), then one fresh reader per query. */
export async function coldRun(source: ValueSource, queries: BenchQuery[], warmup: BenchQuery[], facets: boolean): Promise<ColdRun> {
  const counting = new CountingSource(source);
  const first = await coldOne(counting, warmup[0]!, facets);
  for (const q of warmup.slice(1)) await coldOne(counting, q, facets);
  forceGc();
  const samples: ColdSample[] = [];
  for (const q of queries) {
    samples.push(await coldOne(counting, q, facets));
    if (samples.length % 250 === 0) log(`  cold (facets ${facets}): ${samples.length}/${queries.length}`);
  }
  return { facets, first, samples };
}

export interface ColdSummary {
  group: string;
  n: number;
  bytes: Dist;
  reads: Dist;
  keys: Dist;
  wallMs: Dist;
  cpuMs: Dist;
  overTenMs: number;
}

/** Distributions of a set of cold samples. */
export function summarizeCold(group: string, s: ColdSample[]): ColdSummary {
  return {
    group, n: s.length,
    bytes: dist(s.map((x) => x.bytes)), reads: dist(s.map((x) => x.reads)), keys: dist(s.map((x) => x.keys)),
    wallMs: dist(s.map((x) => x.wallMs)), cpuMs: dist(s.map((x) => x.cpuMs)),
    overTenMs: s.filter((x) => x.cpuMs > 10).length,
  };
}

/** By words as typed (1, 2, 3, all), plus "2 content words" (stop words removed). */
export function coldGroups(s: ColdSample[]): ColdSummary[] {
  return [
    summarizeCold('1 word', s.filter((x) => x.words === 1)),
    summarizeCold('2 words', s.filter((x) => x.words === 2)),
    summarizeCold('3 words', s.filter((x) => x.words === 3)),
    summarizeCold('all', s),
    summarizeCold('2 content words', s.filter((x) => x.content === 2)),
  ];
}

export interface KindShare {
  kind: KeyKind;
  meanKeys: number;
  meanBytes: number;
  medianBytes: number;
  share: number;
}

/** Mean and median bytes per kind of key over a set of cold samples, and each kind's share. */
export function kindShares(s: ColdSample[]): KindShare[] {
  const all = s.reduce((sum, x) => sum + x.bytes, 0);
  return KEY_KINDS.map((kind) => {
    const bytes = s.map((x) => x.kinds[kind]?.bytes ?? 0);
    const sum = bytes.reduce((a, b) => a + b, 0);
    return {
      kind,
      meanKeys: s.reduce((a, x) => a + (x.kinds[kind]?.keys ?? 0), 0) / Math.max(1, s.length),
      meanBytes: sum / Math.max(1, s.length),
      medianBytes: dist(bytes).p50,
      share: all ? sum / all : 0,
    };
  }).filter((k) => k.meanKeys > 0);
}

/** Median ms of each stage (and of manifest + meta) over a set of cold or warm samples. */
export function stageMedians(s: { stages: Record<string, number>; metaMs?: number }[]): Record<string, number> {
  const names = [...new Set(s.flatMap((x) => Object.keys(x.stages)))];
  const out: Record<string, number> = {};
  if (s.some((x) => x.metaMs !== undefined)) out['manifest+meta'] = dist(s.map((x) => x.metaMs ?? 0)).p50;
  for (const n of names) out[n] = dist(s.map((x) => x.stages[n] ?? 0)).p50;
  return out;
}

export interface WarmSide {
  name: string;
  wallMs: Dist;
  cpuMs: Dist;
  /** Queries of the timed pass that still read KV (evicted by the cache cap). */
  readingQueries: number;
  stages: Record<string, number>;
}

/**
 * Warm query time: every index answers all queries once (warming), then each query is timed on
 * each index in turn, so a burst of contention from other processes hits all of them alike.
 */
export async function warmRun(sides: { name: string; index: LoadedIndex }[], queries: BenchQuery[], facets: boolean): Promise<WarmSide[]> {
  for (const side of sides) for (const q of queries) await search(side.index, paramsFor(q.q, facets), new ReadStats());
  forceGc();
  const wall = sides.map(() => [] as number[]);
  const cpu = sides.map(() => [] as number[]);
  const reading = sides.map(() => 0);
  const stages = sides.map(() => [] as { stages: Record<string, number> }[]);
  for (const q of queries) {
    for (let i = 0; i < sides.length; i++) {
      const stats = new ReadStats();
      const t = await timed(() => search(sides[i]!.index, paramsFor(q.q, facets), stats));
      wall[i]!.push(t.wallMs);
      cpu[i]!.push(t.cpuMs);
      if (stats.reads > 0) reading[i]!++;
      stages[i]!.push({ stages: { ...stats.stages } });
    }
  }
  return sides.map((s, i) => ({ name: s.name, wallMs: dist(wall[i]!), cpuMs: dist(cpu[i]!), readingQueries: reading[i]!, stages: stageMedians(stages[i]!) }));
}

/** A warm reader's index with the default cache cap. */
export async function openIndex(source: ValueSource, cacheBytes?: number): Promise<LoadedIndex> {
  return new IndexReader(source, cacheBytes ? { cacheBytes } : {}).current(new ReadStats());
}

export interface HeapRun {
  queries: number;
  capBytes: number;
  /** Heap after a full GC before the reader existed, and after the queries (reader alive). */
  baseHeap: number;
  afterHeap: number;
  delta: number;
  /** The reader's own estimate of its cache, at the end and at its highest. */
  cachedBytes: number;
  maxCachedBytes: number;
  /** Highest heapUsed − base seen between queries (garbage included, no forced GC). */
  peakDeltaNoGc: number;
  /** Heap delta sampled (after GC) every 1,000 queries. */
  trail: number[];
  wallMs: Dist;
}

/** Runs many queries through one reader with the default cap and watches the heap. */
export async function heapRun(source: ValueSource, pool: BenchQuery[]): Promise<HeapRun> {
  const capBytes = 32 * 1024 * 1024;
  const baseHeap = heapAfterGc();
  const reader = new IndexReader(source);
  let maxCached = 0;
  let peak = 0;
  let index: LoadedIndex | undefined;
  const trail: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < pool.length; i++) {
    const t0 = performance.now();
    const stats = new ReadStats();
    index = await reader.current(stats);
    await search(index, paramsFor(pool[i]!.q, true), stats);
    wall.push(performance.now() - t0);
    maxCached = Math.max(maxCached, index.cachedBytes);
    peak = Math.max(peak, process.memoryUsage().heapUsed - baseHeap);
    if ((i + 1) % 1000 === 0) {
      trail.push(heapAfterGc() - baseHeap);
      if ((i + 1) % 5000 === 0) log(`  heap: ${i + 1}/${pool.length}, delta ${(trail[trail.length - 1]! / 1048576).toFixed(1)} MB`);
    }
  }
  const afterHeap = heapAfterGc();
  return {
    queries: pool.length, capBytes, baseHeap, afterHeap, delta: afterHeap - baseHeap,
    cachedBytes: index?.cachedBytes ?? 0, maxCachedBytes: maxCached, peakDeltaNoGc: peak, trail, wallMs: dist(wall),
  };
}

export interface BaselineImport {
  terms: number;
  termKeys: number;
  bytes: number;
  reads: number;
  /** Median of the repetitions, for a cold isolate: read + import every term shard (meta included). */
  wallMs: number;
  cpuMs: number;
  runsWallMs: number[];
  heapBytes: number;
  cachedBytes: number;
  /** The first query right after the import (cold docs and attribute blocks). */
  firstQueryMs: number;
}

/** Every term of the index, from its term shards and big-term keys (read outside any timing). */
export async function allTerms(source: ValueSource, index: LoadedIndex): Promise<string[]> {
  const v = index.version;
  const list = [
    ...Array.from({ length: index.meta.counts.shards }, (_, n) => keys.shard(v, n)),
    ...index.meta.bigTerms.map((t) => keys.bigTerm(v, t)),
  ];
  const terms: string[] = [];
  for (let i = 0; i < list.length; i += 100) {
    for (const raw of (await source.getMany(list.slice(i, i + 100))).values()) {
      const json = raw === null ? undefined : unsealValue(raw);
      if (json !== undefined) terms.push(...Object.keys(JSON.parse(json) as TermShard));
    }
  }
  return terms;
}

/**
 * The baseline: a cold isolate that imports the whole term index at once (every shard into
 * FlexSearch), measured `runs` times; returns the last import's index for the warm comparison.
 */
export async function baselineImport(source: ValueSource, terms: string[], firstQuery: BenchQuery, runs = 3): Promise<{ result: BaselineImport; index: LoadedIndex }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let index: LoadedIndex | undefined;
  let stats = new ReadStats();
  let heapBytes = 0;
  let firstQueryMs = 0;
  for (let r = 0; r < runs; r++) {
    index = undefined;
    const base = heapAfterGc();
    stats = new ReadStats();
    const reader = new IndexReader(source, { cacheBytes: 2 ** 50 });
    const t = await timed(async () => {
      const idx = await reader.current(stats);
      await idx.loadTerms(terms, stats);
      return idx;
    });
    index = t.value;
    wall.push(t.wallMs);
    cpu.push(t.cpuMs);
    heapBytes = heapAfterGc() - base;
    const q = await timed(() => search(t.value, paramsFor(firstQuery.q, true), new ReadStats()));
    firstQueryMs = q.wallMs;
    log(`  baseline import ${r + 1}/${runs}: ${t.wallMs.toFixed(0)} ms, heap +${(heapBytes / 1048576).toFixed(0)} MB`);
  }
  const keyCount = index!.meta.counts.shards + index!.meta.bigTerms.length;
  return {
    result: {
      terms: terms.length, termKeys: keyCount, bytes: stats.bytes, reads: stats.reads,
      wallMs: dist(wall).p50, cpuMs: dist(cpu).p50, runsWallMs: wall, heapBytes, cachedBytes: index!.cachedBytes, firstQueryMs,
    },
    index: index!,
  };
}
