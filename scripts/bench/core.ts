/**
 * Measurements of the search core in this process: cold queries (a fresh reader each time),
 * warm queries (one reader, interleaved with a baseline so CPU contention hits both alike),
 * the heap through many queries, and the baseline of the whole index imported at once.
 */
import { search, type SearchParams } from '../../src/core/search/search';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { Archive as ArchiveView, AttributeCache } from '../../src/core/search/archive';
import { ValueStore } from '../../src/core/search/store';
import { BLOCK, Scratch } from '../../src/core/search/score';
import { ReadStats, type ValueSource } from '../../src/core/search/source';
import { decodeShard, keys, unsealValue } from '../../src/core/format/layout';
import { ALT_MARK } from '../../src/core/analyzer/index';
import { parseQuery } from '../../src/core/search/query';
import type { BenchQuery } from './queries';
import { CountingSource, KEY_KINDS, type KeyKind, type KindTally } from './sources';
import { arrayBuffersAfterGc, dist, forceGc, heapAfterGc, log, mulberry32, pausesIn, pick, timed, watchGc, type Dist } from './util';

/** Names of the warm measurements' sides. */
export const WARM = {
  capped: 'bahth, default 32 MB cap',
  uncapped: 'bahth, no cap (all loaded)',
  baseline: 'baseline (whole index)',
  alone: 'bahth, no cap, alone in the process',
} as const;

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
  /** Per query, the sample of the pass with its median CPU (see `COLD_PASSES`). */
  samples: ColdSample[];
  /** Per query, the first pass alone: what a single pass over the set would report. */
  onePass: ColdSample[];
}

/**
 * Passes over the cold queries. Each query's figure is the sample of its median-CPU pass: the
 * same query measured 2 ms in one pass and 14 ms in another (a collection of earlier readers'
 * garbage, which a new isolate does not have, or another job's burst lands on one pass), so one
 * pass's tail is mostly the machine's. Each pass runs in its own seeded order after a full
 * collection and 20 unrecorded queries, as the adversarial run does.
 */
export const COLD_PASSES = 3;

/** Cold queries: JIT warmed on `warmup` queries first (not recorded), then one fresh reader per query, `COLD_PASSES` times. */
export async function coldRun(source: ValueSource, queries: BenchQuery[], warmup: BenchQuery[], facets: boolean, seed = 20171030): Promise<ColdRun> {
  const counting = new CountingSource(source);
  const first = await coldOne(counting, warmup[0]!, facets);
  for (const q of warmup.slice(1)) await coldOne(counting, q, facets);
  const passes = queries.map(() => [] as ColdSample[]);
  for (let pass = 0; pass < COLD_PASSES; pass++) {
    forceGc();
    for (const q of warmup.slice(0, 20)) await coldOne(counting, q, facets);
    const rng = mulberry32(seed + pass);
    const order = queries.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) { const j = pick(rng, i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
    for (const i of order) passes[i]!.push(await coldOne(counting, queries[i]!, facets));
    log(`  cold (facets ${facets}): pass ${pass + 1}/${COLD_PASSES}, ${queries.length} queries`);
  }
  const samples = passes.map((ps) => [...ps].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(ps.length / 2)]!);
  return { facets, first, samples, onePass: passes.map((ps) => ps[0]!) };
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

/** What the report keeps of a cold run: distributions, the byte breakdown and stage times. */
export interface ColdResult {
  facets: boolean;
  groups: ColdSummary[];
  /** By kind of key, over 2-word queries. */
  kinds2: KindShare[];
  stages: Record<string, number>;
  stages2: Record<string, number>;
  first: { cpuMs: number; bytes: number };
  /** The same groups from the first pass alone (absent in runs before the median of passes). */
  onePass?: ColdSummary[];
}

export function coldResult(run: ColdRun): ColdResult {
  const two = run.samples.filter((s) => s.words === 2);
  return {
    facets: run.facets, groups: coldGroups(run.samples), kinds2: kindShares(two),
    stages: stageMedians(run.samples), stages2: stageMedians(two), first: { cpuMs: run.first.cpuMs, bytes: run.first.bytes },
    onePass: coldGroups(run.onePass),
  };
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
export async function warmRun(sides: { name: string; index: Archive }[], queries: BenchQuery[], facets: boolean): Promise<WarmSide[]> {
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
export async function openIndex(source: ValueSource, cacheBytes?: number): Promise<Archive> {
  return new IndexReader(source, cacheBytes ? { cacheBytes } : {}).current(new ReadStats());
}

export interface HeapRun {
  queries: number;
  capBytes: number;
  /** Memory (JS heap + ArrayBuffers) after a full GC before the reader existed, and after the queries (reader alive). */
  baseHeap: number;
  afterHeap: number;
  delta: number;
  /** Of `delta`, what ArrayBuffers (typed arrays: scratch arrays, postings' impacts) hold. */
  arrayBuffersDelta?: number;
  /** The reader's own estimate of its cache, at the end and at its highest. */
  cachedBytes: number;
  maxCachedBytes: number;
  /** Highest heapUsed − base seen between queries (garbage included, no forced GC). */
  peakDeltaNoGc: number;
  /** Heap delta sampled (after GC) every 1,000 queries. */
  trail: number[];
  wallMs: Dist;
  cpuMs: Dist;
  /** Per query over the second half of the run (a long-lived isolate in steady state): means. */
  steady: { queries: number; reads: number; keys: number; bytes: number; readingShare: number };
  /**
   * The collector's pauses on the main thread inside the queries (the forced collections between
   * them left out): how many queries had a full or a young one inside and those pauses' sum, and
   * query CPU over the queries with no full one. Absent in runs before it was kept.
   */
  gc?: { full: number; fullMs: number; young: number; youngMs: number; cpuWithoutFull: Dist };
  /** Query CPU by the query's word count (the 1M goals are set for 2-word queries). Absent in runs before it was kept. */
  cpuByWords?: { words: number; cpuMs: Dist }[];
}

/** Runs many queries through one reader with the default cap and watches the heap. */
export async function heapRun(source: ValueSource, pool: BenchQuery[]): Promise<HeapRun> {
  const capBytes = 32 * 1024 * 1024;
  const baseBuffers = arrayBuffersAfterGc();
  const baseHeap = heapAfterGc();
  const reader = new IndexReader(source);
  let maxCached = 0;
  let peak = 0;
  let index: Archive | undefined;
  const trail: number[] = [];
  const wall: number[] = [];
  const cpu: number[] = [];
  const steady = { queries: 0, reads: 0, keys: 0, bytes: 0, readingShare: 0 };
  const spans: { start: number; end: number }[] = [];
  const stopGc = watchGc();
  for (let i = 0; i < pool.length; i++) {
    const stats = new ReadStats();
    const start = performance.now();
    const t = await timed(async () => {
      index = await reader.current(stats);
      return search(index, paramsFor(pool[i]!.q, true), stats);
    });
    spans.push({ start, end: performance.now() });
    wall.push(t.wallMs);
    cpu.push(t.cpuMs);
    if (i >= pool.length / 2) {
      steady.queries++;
      steady.reads += stats.reads;
      steady.keys += stats.keys;
      steady.bytes += stats.bytes;
      if (stats.reads > 0) steady.readingShare++;
    }
    maxCached = Math.max(maxCached, index!.cachedBytes);
    const mem = process.memoryUsage();
    peak = Math.max(peak, mem.heapUsed + mem.arrayBuffers - baseHeap);
    if ((i + 1) % 1000 === 0) {
      trail.push(heapAfterGc() - baseHeap);
      if ((i + 1) % 2000 === 0) log(`  heap: ${i + 1}/${pool.length}, delta ${(trail[trail.length - 1]! / 1048576).toFixed(1)} MB`);
    }
  }
  const pauses = (await stopGc()).sort((a, b) => a.start - b.start);
  const full = pausesIn(spans, pauses.filter((p) => !p.minor));
  const young = pausesIn(spans, pauses.filter((p) => p.minor));
  const count = (xs: number[]) => xs.filter((x) => x > 0).length;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const gc = {
    full: count(full), fullMs: sum(full), young: count(young), youngMs: sum(young),
    cpuWithoutFull: dist(cpu.filter((_, i) => full[i] === 0)),
  };
  const afterHeap = heapAfterGc();
  const arrayBuffersDelta = arrayBuffersAfterGc() - baseBuffers;
  const wordCounts = [...new Set(pool.map((q) => q.words))].sort((a, b) => a - b);
  const cpuByWords = wordCounts.map((words) => ({ words, cpuMs: dist(cpu.filter((_, i) => pool[i]!.words === words)) }));
  return {
    queries: pool.length, capBytes, baseHeap, afterHeap, delta: afterHeap - baseHeap, arrayBuffersDelta,
    cachedBytes: index?.cachedBytes ?? 0, maxCachedBytes: maxCached, peakDeltaNoGc: peak, trail, wallMs: dist(wall), cpuMs: dist(cpu),
    steady: {
      queries: steady.queries, reads: steady.reads / steady.queries, keys: steady.keys / steady.queries,
      bytes: steady.bytes / steady.queries, readingShare: steady.readingShare / steady.queries,
    },
    gc,
    cpuByWords,
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
  /** The first query right after the import (cold docs). */
  firstQueryMs: number;
}

/** Every term of the index, from its term shards and big-term keys (read outside any timing). */
export async function allTerms(source: ValueSource, index: Archive): Promise<string[]> {
  const list = index.segments.flatMap((s) => [
    ...Array.from({ length: 2 ** s.meta.shardBits }, (_, n) => keys.shard(s.meta.id, n)),
    ...s.meta.big.map((t) => keys.bigTerm(s.meta.id, t)),
  ]);
  const terms: string[] = [];
  for (let i = 0; i < list.length; i += 100) {
    for (const raw of (await source.getMany(list.slice(i, i + 100))).values()) {
      const json = raw === null ? undefined : unsealValue(raw);
      if (json !== undefined) terms.push(...Object.keys(decodeShard(json)));
    }
  }
  return terms;
}

/** One term from each of `n` term shards spread over the hash range (for the decode costs). */
export async function sampleTerms(source: ValueSource, index: Archive, n: number): Promise<string[]> {
  const base = index.segments[0]!.meta;
  const shards = 2 ** base.shardBits;
  const list = Array.from({ length: Math.min(n, shards) }, (_, i) => keys.shard(base.id, Math.floor((i * shards) / Math.min(n, shards))));
  const out: string[] = [];
  for (const raw of (await source.getMany(list)).values()) {
    const json = raw === null ? undefined : unsealValue(raw);
    const first = json === undefined ? undefined : Object.keys(decodeShard(json))[0];
    if (first !== undefined) out.push(first);
  }
  return out;
}

/** One import of the whole term index into a fresh reader (meta included). */
async function importOnce(source: ValueSource, terms: string[], measureHeap: boolean) {
  const base = measureHeap ? heapAfterGc() : 0;
  const stats = new ReadStats();
  const reader = new IndexReader(source, { cacheBytes: 2 ** 50 });
  const t = await timed(async () => {
    const idx = await reader.current(stats);
    await idx.loadTerms(terms, stats);
    return idx;
  });
  const heapBytes = measureHeap ? heapAfterGc() - base : Number.NaN;
  return { index: t.value, wallMs: t.wallMs, cpuMs: t.cpuMs, heapBytes, bytes: stats.bytes, reads: stats.reads };
}

/**
 * The baseline: a cold isolate that imports the whole term index at once (every shard into
 * FlexSearch), timed `runs` times (heap measured on the first, when no other import is alive);
 * returns the last import's index for the warm comparison.
 */
export async function baselineImport(source: ValueSource, terms: string[], firstQuery: BenchQuery, runs = 3): Promise<{ result: BaselineImport; index: Archive }> {
  const first = await importOnce(source, terms, true);
  const q = await timed(() => search(first.index, paramsFor(firstQuery.q, true), new ReadStats()));
  log(`  baseline import 1/${runs}: ${first.wallMs.toFixed(0)} ms, heap +${(first.heapBytes / 1048576).toFixed(0)} MB`);
  const wall = [first.wallMs];
  const cpu = [first.cpuMs];
  let last = first;
  for (let r = 1; r < runs; r++) {
    last = await importOnce(source, terms, false);
    wall.push(last.wallMs);
    cpu.push(last.cpuMs);
    log(`  baseline import ${r + 1}/${runs}: ${last.wallMs.toFixed(0)} ms`);
  }
  const index = last.index;
  return {
    result: {
      terms: terms.length, termKeys: termKeyCount(index), bytes: first.bytes, reads: first.reads,
      wallMs: dist(wall).p50, cpuMs: dist(cpu).p50, runsWallMs: wall, heapBytes: first.heapBytes, cachedBytes: index.cachedBytes, firstQueryMs: q.wallMs,
    },
    index,
  };
}

export interface Popularity {
  queries: number;
  /** Term keys (shards and big terms) the queries touch, counting each key once per query. */
  touches: number;
  distinctKeys: number;
  totalKeys: number;
  /** Share of all touches that land on the N most touched keys. */
  top: { keys: number; share: number }[];
}

/**
 * How concentrated term-key reads are: which shard or big-term key each query's terms live
 * under (as the engine looks them up: each stem and its marked reading), counted over a pool.
 */
export function termKeyPopularity(index: Archive, queries: BenchQuery[]): Popularity {
  const counts = new Map<string, number>();
  let touches = 0;
  for (const q of queries) {
    const keysOfQuery = new Set(parseQuery(q.q).words.flatMap((w) => w.stems.flatMap((st) => [st, ALT_MARK + st])).flatMap((t) => index.segments.map((s) => s.termKey(t))));
    for (const k of keysOfQuery) counts.set(k, (counts.get(k) ?? 0) + 1);
    touches += keysOfQuery.size;
  }
  const sorted = [...counts.values()].sort((a, b) => b - a);
  const share = (n: number) => sorted.slice(0, n).reduce((a, b) => a + b, 0) / Math.max(1, touches);
  const totalKeys = termKeyCount(index);
  return {
    queries: queries.length, touches, distinctKeys: counts.size, totalKeys,
    top: [10, 100, 1000, Math.round(totalKeys * 0.1)].map((keys) => ({ keys, share: share(keys) })),
  };
}

/** Term keys (shards and big terms) over the segments. */
function termKeyCount(index: Archive): number {
  return index.segments.reduce((n, s) => n + 2 ** s.meta.shardBits + s.meta.big.length, 0);
}

export interface DecodeCost {
  what: string;
  n: number;
  bytes: number;
  cpuMs: Dist;
}

/**
 * What one value of each kind costs a cold reader to read and decode (CPU, median of `n`): each
 * load goes through a fresh Archive, so nothing is cached.
 */
export async function decodeCosts(source: ValueSource, n = 40): Promise<DecodeCost[]> {
  const opened = await openIndex(source);
  const manifest = opened.manifest;
  const terms = await sampleTerms(source, opened, n + 5);
  const fresh = () => new ArchiveView(manifest, new ValueStore(source, 32 * 1024 * 1024), new AttributeCache());
  // Lexicon keys (first letter / length) sampled from the terms' letters: Arabic stems only (not
  // filters or marked readings), a stem being a letter or two shorter than its words.
  const arabic = terms.map((t) => t.replace(/^~/, '')).filter((t) => /^[\u0621-\u064a]/.test(t));
  const lex = [...new Set(arabic.map((t) => `${t[0]}/${Math.max(5, Math.min(8, t.length + 2))}`))].slice(0, n);
  const docs = opened.docSpace;
  const docStep = Math.max(10, Math.floor(docs / n));
  const cases: [string, (i: number) => (stats: ReadStats) => Promise<unknown>][] = [
    ['manifest (JSON.parse, segment tables)', () => (stats) => new IndexReader(source).current(stats)],
    ['one term shard (decode postings)', (i) => (stats) => fresh().loadTerms([terms[i % terms.length]!], stats)],
    ['10 docs (JSON.parse), as for one page of snippets', (i) => (stats) => fresh().docs(Array.from({ length: 10 }, (_, k) => (i * docStep + k) % docs), stats)],
    ['first search of a fresh index, a stop-word query (no postings to score: no scoring scratch made)', () => (stats) => search(fresh(), paramsFor('في', false), stats)],
    [`the scoring scratch: one block's accumulators (${BLOCK.toLocaleString('en')} docs whatever the archive's ${docs.toLocaleString('en')}; made by an isolate's first query with postings; in this process, amid earlier readers' garbage)`, () => async () => new Scratch()],
    ['one lexicon key (typo candidates)', (i) => (stats) => {
      const [first, len] = (lex[i % lex.length] ?? 'ا/5').split('/') as [string, string];
      return fresh().lexicon([{ first, length: Number(len) }], stats);
    }],
  ];
  const out: DecodeCost[] = [];
  for (const [what, make] of cases) {
    const cpu: number[] = [];
    const bytes: number[] = [];
    for (let i = 0; i < n + 5; i++) {
      const stats = new ReadStats();
      const run = make(i);
      const t = await timed(() => run(stats));
      if (i >= 5) { cpu.push(t.cpuMs); bytes.push(stats.bytes); } // the first 5 warm the JIT
    }
    out.push({ what, n, bytes: dist(bytes).p50, cpuMs: dist(cpu) });
  }
  return out;
}
