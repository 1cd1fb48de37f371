/**
 * The values a set of queries reads, held in memory, so that cold queries at 1M are timed on
 * values already in memory as the corpus's are (scripts/bench.ts holds every value in a Map):
 * KV fetches are not the isolate's CPU, and the bulk files would add a file read and a
 * JSON.parse of each value's line to every cold query. The values are found in a worker thread
 * (its own isolate, which runs the queries once on fresh readers and records what they read),
 * so the bench process's JIT stays cold for its first query.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { ReadStats, type ValueSource } from '../../src/core/search/source';
import { paramsFor } from './core';
import { BulkFileSource } from './sources';

const TSX_API = import.meta.resolve('tsx/esm/api');

/** The values `queries` read (with facets on and, unless `facetsOnly`, off; each on a fresh reader) from the bulk files of `dist`. */
export function heldValues(dist: string, queries: string[], facetsOnly = false): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const boot = `import(${JSON.stringify(TSX_API)}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const w = new Worker(boot, { eval: true, workerData: { heldFrom: dist, queries, facets: facetsOnly ? [true] : [true, false] } });
    w.once('message', (m: Map<string, string> | { error: string }) => (m instanceof Map ? resolve(m) : reject(new Error(m.error))));
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`held values: the worker exited with ${code}`)));
  });
}

/** Serves held values; a key not held is read from `fallback` and held from then on. */
export class HeldSource implements ValueSource {
  constructor(readonly held: Map<string, string>, private readonly fallback: ValueSource) {}
  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    const missing = keys.filter((k) => !this.held.has(k));
    const got = missing.length ? await this.fallback.getMany(missing) : new Map<string, string | null>();
    for (const [k, v] of got) if (v !== null) this.held.set(k, v);
    return new Map(keys.map((k) => [k, this.held.get(k) ?? null]));
  }
}

async function inWorker(dist: string, queries: string[], facetsAsked: boolean[]): Promise<Map<string, string>> {
  const bulk = new BulkFileSource(dist, (k) => !k.includes('/article/'));
  const source = new HeldSource(new Map(), bulk);
  try {
    for (const facets of facetsAsked) for (const q of queries) {
      const stats = new ReadStats();
      await search(await new IndexReader(source, {}).current(stats), paramsFor(q, facets), stats);
    }
  } finally {
    bulk.close();
  }
  return source.held;
}

if (!isMainThread && workerData?.heldFrom) {
  const { heldFrom, queries, facets } = workerData as { heldFrom: string; queries: string[]; facets: boolean[] };
  inWorker(heldFrom, queries, facets).then(
    (m) => parentPort!.postMessage(m),
    (e) => parentPort!.postMessage({ error: (e as Error).stack ?? String(e) }),
  );
}
