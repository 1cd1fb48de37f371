/**
 * Per-isolate state: one IndexReader per KV binding, created on the first request (nothing may
 * do I/O at module load in Workers), kept for the isolate's life so loaded shards are reused.
 */
import { IndexReader } from '../core/search/reader';
import { KvSource } from './kv-source';

export interface Bindings {
  INDEX: KVNamespace;
  CORS_ORIGINS?: string;
  CACHE_MIB?: string;
  CACHE_MAX_AGE?: string;
}

const readers = new WeakMap<KVNamespace, IndexReader>();

/** The isolate's reader for this environment's index namespace. */
export function readerFor(env: Bindings): IndexReader {
  let reader = readers.get(env.INDEX);
  if (!reader) {
    const mib = Number(env.CACHE_MIB ?? '32');
    reader = new IndexReader(new KvSource(env.INDEX), {
      cacheBytes: (Number.isFinite(mib) && mib > 0 ? mib : 32) * 1024 * 1024,
      log: (m) => console.warn(`bahth: ${m}`),
    });
    readers.set(env.INDEX, reader);
  }
  return reader;
}

export type AppEnv = { Bindings: Bindings };
