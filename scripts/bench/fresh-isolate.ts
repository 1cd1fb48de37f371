/**
 * The first search of a fresh isolate, measured in one. A worker thread is a new V8 isolate:
 * its own heap, with nothing allocated and none of earlier readers' garbage, and a cold JIT, as
 * a Worker's isolate is when it starts. Measured in the bench's own process instead, a new
 * reader's first search paid for collecting the garbage of the thousands of readers before it
 * (at 1M articles, 32 ms for a stop-word query, where a fresh process spends 0.14 ms allocating
 * the same arrays): that is not what an isolate pays.
 *
 * Each sample is one worker. The main thread first runs the worker's queries on a reader of its
 * own to learn which values they read, and hands the worker exactly those values, in memory, at
 * both scales: KV is remote in production and its fetch is not the isolate's CPU, so no scale
 * may pay for its values' storage (the 1M bulk files would add file reads and JSON decoding the
 * corpus's in-memory values do not). The worker then times, on its one thread, reading the
 * manifest and meta, the first search (JIT cold), and the same query and a 2-word one on fresh
 * readers after it. The main thread waits idle meanwhile, so wall time on the worker is its CPU.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { MemorySource, ReadStats, type ValueSource } from '../../src/core/search/source';
import { paramsFor } from './core';
import type { BenchQuery } from './queries';
import { dist, log, type Dist } from './util';

/** One fresh isolate's timings, ms of wall time on its thread (= its CPU: nothing else runs). */
interface FreshSample {
  /** Manifest and meta read and decoded (`reader.current`), the isolate's first work. */
  openMs: number;
  /** The first search (a stop-word query: manifest, meta and the per-search set-up, nothing else), JIT cold. */
  firstMs: number;
  /** The same, on a new reader in the same isolate (JIT warmed by one search). */
  againMs: number;
  /** A 2-word query on a new reader in the same isolate (manifest and meta included), and its bytes. */
  twoWordsMs: number;
  twoWordsBytes: number;
}

export interface FreshIsolateResult {
  isolates: number;
  stopQuery: string;
  twoWordQuery: string;
  openMs: Dist;
  firstMs: Dist;
  againMs: Dist;
  twoWordsMs: Dist;
  twoWordsBytes: number;
}

/** tsx's API, as a URL the worker can import whatever its folder. */
const TSX_API = import.meta.resolve('tsx/esm/api');

/** Fresh isolates per measurement. */
export const FRESH_ISOLATES = 7;
export const FRESH_ISOLATES_1M = 11;

/** The 2-word query the isolates ask: the run's first 2-word query with two content words. */
export function twoWordQuery(queries: BenchQuery[]): string {
  return (queries.find((q) => q.words === 2 && q.content === 2) ?? queries[0]!).q;
}

/** The stop-word query: it reads nothing but the manifest and meta, so its cost is the set-up. */
export const STOP_QUERY = 'في';

/** Runs `isolates` workers one after another over `source`'s values, `twoWords` as their 2-word query. */
export async function freshIsolates(source: ValueSource, isolates: number, twoWords: string): Promise<FreshIsolateResult> {
  return (await freshIsolatesAlternating([source], isolates, twoWords))[0]!;
}

/**
 * {@link freshIsolates} over several archives at once, their workers alternating (the first
 * archive's, the second's, …, then again), so that a slower minute of this shared machine lands
 * on every archive alike: the difference between archives is then measured, not two runs'.
 */
export async function freshIsolatesAlternating(sources: ValueSource[], isolates: number, twoWords: string): Promise<FreshIsolateResult[]> {
  const values = [];
  for (const source of sources) values.push(await valuesRead(source, twoWords));
  return freshIsolatesOn(values, isolates, twoWords);
}

/**
 * {@link freshIsolatesAlternating} on the values the isolates' queries read, found beforehand
 * (by held.ts's worker, say, so that this process runs no query of its own: its JIT's feedback
 * from two archives would slow the cold runs after it).
 */
export async function freshIsolatesOn(values: Map<string, string>[], isolates: number, twoWords: string): Promise<FreshIsolateResult[]> {
  const samples: FreshSample[][] = values.map(() => []);
  for (let i = 0; i < isolates; i++) {
    for (const [a, held] of values.entries()) {
      const s = await oneIsolate(held, twoWords);
      samples[a]!.push(s);
      log(`  fresh isolate ${i + 1}/${isolates}${values.length > 1 ? ` (archive ${a + 1} of ${values.length})` : ''}: open ${s.openMs.toFixed(1)} ms, first search ${s.firstMs.toFixed(1)} ms`);
    }
  }
  return samples.map((ss) => ({
    isolates, stopQuery: STOP_QUERY, twoWordQuery: twoWords,
    openMs: dist(ss.map((s) => s.openMs)), firstMs: dist(ss.map((s) => s.firstMs)),
    againMs: dist(ss.map((s) => s.againMs)), twoWordsMs: dist(ss.map((s) => s.twoWordsMs)),
    twoWordsBytes: ss[0]?.twoWordsBytes ?? 0,
  }));
}

/** The values the worker's queries read (each from a fresh reader), read here in the main thread. */
async function valuesRead(source: ValueSource, twoWords: string): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const recording: ValueSource = {
    async getMany(keys) {
      const got = await source.getMany(keys);
      for (const [k, v] of got) if (v !== null) values.set(k, v);
      return got;
    },
  };
  for (const q of [STOP_QUERY, twoWords]) await search(await new IndexReader(recording, {}).current(new ReadStats()), paramsFor(q, true), new ReadStats());
  return values;
}

function oneIsolate(values: Map<string, string>, twoWords: string): Promise<FreshSample> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit the process's `--import tsx`: it registers tsx, then loads this file.
    const boot = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const w = new Worker(boot, { eval: true, workerData: { values, twoWords } });
    w.once('message', (m: FreshSample | { error: string }) => ('error' in m ? reject(new Error(m.error)) : resolve(m)));
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`fresh isolate: the worker exited with ${code}`)));
  });
}

async function inWorker(held: Map<string, string>, twoWords: string): Promise<FreshSample> {
  const values = new MemorySource(held);
  const t0 = performance.now();
  const stats = new ReadStats();
  const index = await new IndexReader(values, {}).current(stats);
  const t1 = performance.now();
  await search(index, paramsFor(STOP_QUERY, true), stats);
  const t2 = performance.now();
  const again = await new IndexReader(values, {}).current(new ReadStats());
  await search(again, paramsFor(STOP_QUERY, true), new ReadStats());
  const t4 = performance.now();
  const two = new ReadStats();
  const fresh = await new IndexReader(values, {}).current(two);
  await search(fresh, paramsFor(twoWords, true), two);
  const t5 = performance.now();
  return { openMs: t1 - t0, firstMs: t2 - t0, againMs: t4 - t2, twoWordsMs: t5 - t4, twoWordsBytes: two.bytes };
}

if (!isMainThread && workerData?.values) {
  const { values, twoWords } = workerData as { values: Map<string, string>; twoWords: string };
  inWorker(values, twoWords).then(
    (s) => parentPort!.postMessage(s),
    (e) => parentPort!.postMessage({ error: (e as Error).stack ?? String(e) }),
  );
}
