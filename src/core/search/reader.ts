/**
 * Finds the live archive: reads `manifest` (once per TTL) and hands out the {@link Archive} it
 * describes, over one {@link ValueStore} per isolate, so a publish that keeps the base segment
 * keeps every value loaded. Runtime-neutral: the Worker hands it a KV-backed ValueSource.
 */
import { BahthError } from '../errors';
import { checkSealed, FORMAT_VERSION, keys, MANIFEST_KEY, READABLE_FORMATS } from '../format/layout';
import { manifestProblem, versionOf, type ArchiveManifest } from '../format/manifest';
import { Archive, AttributeCache } from './archive';

export type { Archive, LoadedTerm, TermPart } from './archive';
import { readKeys, utf8Length, type ReadStats, type ValueSource } from './source';
import { ValueStore } from './store';

export interface ReaderOptions {
  /** Memory cap for loaded shards, documents and blocks, in bytes (estimated). Default 32 MiB. */
  cacheBytes?: number;
  /** How long a read of `manifest` is trusted before it is read again. Default 30 s (KV's own cache floor). */
  manifestTtlMs?: number;
  /** Clock, for tests. */
  now?: () => number;
  /** Where faults are reported (the Worker logs them). */
  log?: (message: string) => void;
}

/**
 * Reads a sealed manifest value; throws INDEX_CORRUPT naming what is wrong. `stats`, when given,
 * counts its UTF-8 bytes, found by the checksum's pass over it (a second pass to count them cost
 * a fresh isolate a millisecond or two at 1M articles).
 */
export function parseManifest(raw: string, stats?: ReadStats): ArchiveManifest {
  const sealed = checkSealed(raw);
  if (stats) stats.bytes += sealed?.bytes ?? utf8Length(raw);
  const json = sealed?.json;
  if (json === undefined) {
    // Earlier formats wrote the manifest unsealed: say which format it is.
    const format = (() => { try { return (JSON.parse(raw) as { format?: unknown }).format; } catch { return undefined; } })();
    if (typeof format === 'number') throw new BahthError('INDEX_UNAVAILABLE', `the published index is in format ${format}, not the format ${FORMAT_VERSION} this Worker reads (rebuild and deploy it with this Worker)`);
    throw new BahthError('INDEX_CORRUPT', 'the manifest key fails its checksum');
  }
  let m: unknown;
  try {
    m = JSON.parse(json);
  } catch {
    throw new BahthError('INDEX_CORRUPT', 'the manifest key is not valid JSON');
  }
  const problem = manifestProblem(m);
  if (problem) throw new BahthError('INDEX_CORRUPT', `the manifest key is malformed: ${problem}`);
  return m as ArchiveManifest;
}

/** Keeps the live archive for the isolate's life, switching when `manifest` changes. */
export class IndexReader {
  private archive?: Archive;
  /** The manifest value `archive` was opened from, and its UTF-8 size: read again unchanged, it is not checked and parsed again. */
  private archiveRaw?: { raw: string; bytes: number };
  private fallback?: ArchiveManifest;
  private checkedAt = -Infinity;
  private pending?: Promise<Archive>;
  private store: ValueStore;
  private attributes = new AttributeCache();
  private attributesOf?: string;
  private readonly cacheBytes: number;
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly log: (message: string) => void;

  constructor(private readonly source: ValueSource, options: ReaderOptions = {}) {
    this.log = options.log ?? (() => {});
    this.cacheBytes = options.cacheBytes ?? 32 * 1024 * 1024;
    this.ttl = options.manifestTtlMs ?? 30_000;
    this.now = options.now ?? Date.now;
    this.store = new ValueStore(source, this.cacheBytes);
  }

  /** The live archive; reads `manifest` again once the TTL has passed and switches on a new one. */
  async current(stats: ReadStats): Promise<Archive> {
    if (this.archive && this.now() - this.checkedAt < this.ttl) return this.archive;
    this.pending ??= this.refresh(stats).finally(() => { this.pending = undefined; });
    return this.pending;
  }

  /**
   * After a fault: the next request reads the manifest again and starts with empty caches.
   * The manifest in use is remembered, to fall back on if the new one cannot be read.
   */
  reset(): void {
    if (this.archive) this.fallback = this.archive.manifest;
    this.archive = undefined;
    this.checkedAt = -Infinity;
    this.store = new ValueStore(this.source, this.cacheBytes);
  }

  private open(m: ArchiveManifest): Archive {
    if (this.attributesOf !== m.archive) {
      // Doc numbers are the archive's: another archive's codes mean nothing.
      this.attributes = new AttributeCache();
      this.attributesOf = m.archive;
    }
    return new Archive(m, this.store, this.attributes);
  }

  /**
   * A warm isolate switches to a new manifest only once its new segments are readable (one key
   * of each, in one read): the publisher writes them first, but a manifest written by hand or
   * by an interrupted tool must not take down an isolate that has a working archive.
   */
  private async checkUploaded(m: ArchiveManifest, serving: Archive, stats: ReadStats): Promise<void> {
    const known = new Set(serving.manifest.segments.map((s) => s.id));
    const probes = m.segments.filter((s) => !known.has(s.id)).map((s) => keys.shard(s.id, 0));
    if (probes.length === 0) return;
    const got = await readKeys(this.source, probes, stats);
    const missing = probes.find((k) => !got.get(k));
    if (missing) throw new BahthError('INDEX_UNAVAILABLE', `index ${versionOf(m)} is not fully uploaded yet (no ${missing})`);
  }

  private async refresh(stats: ReadStats): Promise<Archive> {
    // The manifest's bytes are counted by its checksum's pass (parseManifest), not a pass of their own.
    const raw = (await readKeys(this.source, [MANIFEST_KEY], stats, false)).get(MANIFEST_KEY);
    if (!raw) throw new BahthError('INDEX_UNAVAILABLE', 'no index has been published (the manifest key is missing)');
    if (this.archive && this.archiveRaw?.raw === raw) {
      // The same value as the archive's (one native comparison): every isolate reads the
      // manifest again each TTL, and a 40 KB one (1M articles) costs 2-4 ms to check and parse.
      stats.bytes += this.archiveRaw.bytes;
      this.checkedAt = this.now();
      return this.archive;
    }
    const serving = this.archive ?? (this.fallback ? this.open(this.fallback) : undefined);
    try {
      const before = stats.bytes;
      const m = parseManifest(raw, stats);
      const bytes = stats.bytes - before;
      if (!READABLE_FORMATS.includes(m.format)) {
        throw new BahthError('INDEX_UNAVAILABLE', `the published index is in format ${m.format}, not the format ${FORMAT_VERSION} this Worker reads (deploy the Worker built with it)`);
      }
      if (serving && versionOf(m) === serving.version) this.archive = serving;
      else {
        if (serving) await this.checkUploaded(m, serving, stats);
        this.archive = this.open(m);
      }
      this.archiveRaw = { raw, bytes };
    } catch (e) {
      // Between an index switch and the deploy of the Worker that reads it (or after a bad
      // write of the manifest), the archive in use keeps serving.
      if (!serving) throw e;
      this.archive = serving;
      this.log(`serving index ${serving.version}: ${(e as Error).message}`);
    }
    this.checkedAt = this.now();
    return this.archive;
  }
}
