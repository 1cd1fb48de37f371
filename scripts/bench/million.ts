/**
 * `--million`: the corpus replicated 25 times with distinct ids (≈1,000,000 articles), built on
 * this machine. Cold queries are timed on the values they read held in memory, as the corpus's
 * are (found first in a worker thread: held.ts), and so are the long-lived reader's.
 */
import { existsSync, statfsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ensureBuilt, NoRoom, type BuildRecord } from './build';
import { coldResult, coldRun, decodeCosts, heapRun, openIndex, termKeyPopularity, WARM, warmRun, type ColdResult, type DecodeCost, type HeapRun, type Popularity, type WarmSide } from './core';
import { FRESH_ISOLATES_1M, freshIsolatesOn, STOP_QUERY, twoWordQuery, type FreshIsolateResult } from './fresh-isolate';
import { makeQueries, readTitles } from './queries';
import { heldValues, HeldSource } from './held';
import { BulkFileSource } from './sources';
import { compareRescue, compareTiers, type RescueComparison, type TierComparison } from './tiers';
import { forceGc, log } from './util';

export const MILLION_REPLICATE = 25;
const MIN_FREE_DISK = 30 * 1024 ** 3;
/** The rescue comparison's queries (the long-lived run's first), of which the first RESCUE_WARM fill the caches uncounted. */
const RESCUE_QUERIES = 1_200;
const RESCUE_WARM = 200;

export interface MillionResult {
  date: string;
  build: BuildRecord;
  freeDiskBytes: number;
  scan: { keys: number; seconds: number };
  metaBytes: number;
  cold: ColdResult[];
  decode: DecodeCost[];
  /** One long-lived reader through a stream of distinct queries: heap and KV reads in steady state. */
  stream: HeapRun;
  /** How concentrated term-key reads are over 10,000 title queries. */
  popularity: Popularity;
  /** Default cap, and no cap (everything the queries need stays loaded). */
  warm: WarmSide[];
  /** The 2-word queries with the tier stop on and off (absent in runs before tiers). */
  tiers?: TierComparison;
  /** Two long-lived readers, the word skip's rescue on and off (absent in runs before it). */
  rescue?: RescueComparison;
  /** The first search of fresh isolates (absent in runs before it was measured). */
  fresh?: FreshIsolateResult;
  /**
   * The same over the corpus, its isolates alternating with the 1M archive's in this run: the
   * baseline of what the set-up grows by (absent in runs before it was kept; they took the
   * corpus run's, another run on a machine whose speed varies).
   */
  freshCorpus?: FreshIsolateResult;
  queries: number;
}

export interface MillionOptions {
  corpus: string;
  cacheDir: string;
  rebuild: boolean;
  queries: number;
  seed: number;
}

/** Free bytes on the disk that holds `path`, asked of its nearest existing folder (a fresh clone has no cache yet). */
export function freeDisk(path: string): number {
  let dir = resolve(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Builds (or reuses) the million-article index and measures cold and warm queries on it. */
export async function runMillion(o: MillionOptions): Promise<MillionResult | { notRun: string }> {
  const free = freeDisk(o.cacheDir);
  const outDir = join(o.cacheDir, 'dist-1m');
  log(`million: ${(free / 1024 ** 3).toFixed(0)} GB free on the disk of ${o.cacheDir}`);
  const build = await ensureBuiltIfRoom(outDir, o, free);
  if ('notRun' in build) return build;
  const t0 = performance.now();
  // Articles by id are never read by a search: leave them out of the key table.
  const source = new BulkFileSource(outDir, (k) => !k.includes('/article/'));
  const scan = { keys: source.size, seconds: (performance.now() - t0) / 1000 };
  log(`million: ${scan.keys} keys located in ${scan.seconds.toFixed(0)} s`);
  try {
    const titles = await readTitles(o.corpus);
    const queries = makeQueries(titles, o.queries, o.seed);
    const warmup = makeQueries(titles, 20, o.seed + 1);
    // First, while this process is quiet: later phases leave gigabytes of decoded index and
    // garbage in its heap, whose concurrent marking and sweeping on this 2-core machine slowed
    // the isolates' threads (the 1M archive's, with ten times the manifest, the most), which
    // no Worker isolate pays for a neighbour's heap. The values they read are found by
    // workers too: a query run here on both archives left the cold runs after it 1.5x slower.
    log('million: first search of fresh isolates (worker threads), alternating with the corpus\'s');
    const corpusDir = join(o.cacheDir, 'dist');
    await ensureBuilt({ inputs: [o.corpus], outDir: corpusDir, replicate: 1, rebuild: false });
    const isolateQueries = [STOP_QUERY, twoWordQuery(queries)];
    const isolateValues = [await heldValues(outDir, isolateQueries, true), await heldValues(corpusDir, isolateQueries, true)];
    const [fresh, freshCorpus] = await freshIsolatesOn(isolateValues, FRESH_ISOLATES_1M, twoWordQuery(queries));
    forceGc();
    log('million: the values the cold queries read, found in a worker thread and held in memory');
    const held = new HeldSource(await heldValues(outDir, [...warmup, ...queries].map((q) => q.q)), source);
    const cold: MillionResult['cold'] = [];
    for (const facets of [true, false]) {
      const run = await coldRun(held, queries, warmup, facets);
      cold.push(coldResult(run));
      log(`million: cold (facets ${facets}) median ${(cold[cold.length - 1]!.groups[1]!.bytes.p50 / 1024).toFixed(0)} KB for 2 words`);
      forceGc();
    }
    log('million: tiers against exhaustive scoring, 2-word queries');
    const tiers = await compareTiers(held, queries.filter((q) => q.words === 2));
    log(`million: ${tiers.stopped}/${tiers.queries} answered from tiers A; ${tiers.samePage} pages identical`);
    const metaBytes = cold[0]!.kinds2.find((k) => k.kind === 'meta')?.meanBytes ?? Number.NaN;
    const index = await openIndex(source);
    const decode = await decodeCosts(source);
    const pool = makeQueries(titles, 10_000, o.seed + 2);
    const popularity = termKeyPopularity(index, pool);
    log('million: a long-lived reader through 2,000 queries (their values found in a worker thread and held in memory first)');
    const streamSource = new HeldSource(await heldValues(outDir, pool.slice(0, 2000).map((q) => q.q), true), source);
    const stream = await heapRun(streamSource, pool.slice(0, 2000));
    forceGc();
    log(`million: the word skip's rescue against matching again, two long-lived readers through ${RESCUE_QUERIES} queries`);
    const rescue = await compareRescue(streamSource, pool.slice(0, RESCUE_QUERIES), RESCUE_WARM);
    log(`million: ${rescue.rescued}/${rescue.queries} rescued; ${rescue.samePage} pages identical`);
    const warm = await warmRun([{ name: WARM.capped, index }, { name: WARM.uncapped, index: await openIndex(source, 2 ** 50) }], queries, true);
    return { date: new Date().toISOString(), build, freeDiskBytes: free, scan, metaBytes, cold, decode, stream, popularity, warm, tiers, rescue, fresh, freshCorpus, queries: queries.length };
  } finally {
    source.close();
  }
}

async function ensureBuiltIfRoom(outDir: string, o: MillionOptions, free: number): Promise<BuildRecord | { notRun: string }> {
  try {
    return await ensureBuilt({ inputs: [o.corpus], outDir, replicate: MILLION_REPLICATE, rebuild: o.rebuild, minFreeBytes: MIN_FREE_DISK, freeBytes: free });
  } catch (e) {
    if (e instanceof NoRoom) return { notRun: e.message };
    throw e;
  }
}
