/**
 * Per-isolate state: one IndexReader and one SettingsReader per KV binding, created on the
 * first request (nothing may do I/O at module load in Workers), kept for the isolate's life so
 * loaded shards are reused and the editor's settings are compiled once per change.
 */
import { BahthError } from '../core/errors';
import { IndexReader } from '../core/search/reader';
import { SettingsReader } from '../core/settings/reader';
import { configOf, type Vars } from './config';
import { KvSource } from './kv-source';

/** What the Worker is bound to, and its variables (config.ts parses them). */
export interface Bindings extends Vars {
  INDEX: KVNamespace;
  RATE_LIMITER?: RateLimit;
  /** Search analytics (docs/analytics.md); absent: none recorded. */
  SEARCH_EVENTS?: AnalyticsEngineDataset;
  /** Limits the hits-opened beacons per client. */
  CLICK_LIMITER?: RateLimit;
  /** The Worker's version, new with each deploy (http-cache.ts answerVersion); absent: none named. */
  CF_VERSION_METADATA?: WorkerVersionMetadata;
}

const readers = new WeakMap<KVNamespace, IndexReader>();

/** The isolate's reader for this environment's index namespace. */
export function readerFor(env: Bindings): IndexReader {
  if (!env.INDEX) throw new BahthError('INDEX_UNAVAILABLE', 'the Worker has no INDEX KV binding ([[kv_namespaces]] binding = "INDEX" in wrangler.toml)');
  let reader = readers.get(env.INDEX);
  if (!reader) {
    const config = configOf(env);
    reader = new IndexReader(new KvSource(env.INDEX, config.kvTimeoutMs, config.kvCacheTtl), {
      cacheBytes: config.cacheBytes,
      manifestTtlMs: config.manifestTtlMs,
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
    const config = configOf(env);
    reader = new SettingsReader(new KvSource(env.INDEX, config.kvTimeoutMs), {
      ttlMs: config.manifestTtlMs,
      log: (m) => console.warn(`bahth: ${m}`),
    });
    settingsReaders.set(env.INDEX, reader);
  }
  return reader;
}

export type AppEnv = { Bindings: Bindings };
