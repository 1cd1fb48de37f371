/**
 * Per-isolate state: one IndexReader and one SettingsReader per KV binding, created on the
 * first request (nothing may do I/O at module load in Workers), kept for the isolate's life so
 * loaded shards are reused and the editor's settings are compiled once per change.
 */
import { IndexReader } from '../core/search/reader';
import { SettingsReader } from '../core/settings/reader';
import { KvSource } from './kv-source';

export interface Bindings {
  INDEX: KVNamespace;
  RATE_LIMITER?: RateLimit;
  /** Search analytics (docs/analytics.md); absent: none recorded. */
  SEARCH_EVENTS?: AnalyticsEngineDataset;
  /** Limits the hits-opened beacons per client. */
  CLICK_LIMITER?: RateLimit;
  /** `on` (default), `off`, or `log` (also printed: `wrangler dev` keeps no data points). */
  ANALYTICS?: string;
  CORS_ORIGINS?: string;
  CACHE_MIB?: string;
  CACHE_MAX_AGE?: string;
  KV_TIMEOUT_MS?: string;
  KV_CACHE_TTL?: string;
  RATE_LIMIT?: string;
  MANIFEST_TTL_MS?: string;
}

const readers = new WeakMap<KVNamespace, IndexReader>();

/** The isolate's reader for this environment's index namespace. */
export function readerFor(env: Bindings): IndexReader {
  let reader = readers.get(env.INDEX);
  if (!reader) {
    const mib = Number(env.CACHE_MIB ?? '32');
    const timeout = Number(env.KV_TIMEOUT_MS ?? '5000');
    const ttl = Number(env.KV_CACHE_TTL ?? '86400');
    const source = new KvSource(env.INDEX, Number.isFinite(timeout) && timeout > 0 ? timeout : 5000, Number.isFinite(ttl) ? ttl : 86400);
    reader = new IndexReader(source, {
      cacheBytes: (Number.isFinite(mib) && mib > 0 ? mib : 32) * 1024 * 1024,
      manifestTtlMs: Number(env.MANIFEST_TTL_MS ?? '30000'),
      log: (m) => console.warn(`bahth: ${m}`),
    });
    readers.set(env.INDEX, reader);
  }
  return reader;
}

const settingsReaders = new WeakMap<KVNamespace, SettingsReader>();

/** The isolate's reader of the editor's settings (synonyms, rules), read again as often as the manifest. */
export function settingsFor(env: Bindings): SettingsReader {
  let reader = settingsReaders.get(env.INDEX);
  if (!reader) {
    const timeout = Number(env.KV_TIMEOUT_MS ?? '5000');
    reader = new SettingsReader(new KvSource(env.INDEX, Number.isFinite(timeout) && timeout > 0 ? timeout : 5000), {
      ttlMs: Number(env.MANIFEST_TTL_MS ?? '30000'),
      log: (m) => console.warn(`bahth: ${m}`),
    });
    settingsReaders.set(env.INDEX, reader);
  }
  return reader;
}

export type AppEnv = { Bindings: Bindings };
