/**
 * Loads a built index (dist/) into the local KV that `wrangler dev` reads: the bulk files that
 * dist/manifest.json lists under `parts` first, its switch file last, so a reader never sees a
 * switch to a version whose keys are not all there. Nothing here knows a key name: what the
 * files hold is the index format's business.
 */
import { MANIFEST_KEY } from '../src/core/format/layout';
import { parseManifest } from '../src/core/search/reader';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BuildManifest } from '../src/indexer/build-index';
import type { FromFill, ToFill } from './fill-thread';
import { leftEntry } from '../src/indexer/prune';
import { openLocalKv, type KvEntry, type LocalKv, type PutProgress } from './local-kv';

/** The files of a build, in load order. */
export interface BuiltIndex {
  version: string;
  /** Bulk files with every key of the version. */
  parts: string[];
  /** The bulk file that makes the version live. */
  switchFile: string;
  /** Bytes of all its bulk files (for progress). */
  fileBytes: number;
}

/** How far a load got: keys written, bytes of the bulk files done, seconds. */
export interface LoadProgress {
  keys: number;
  fileBytes: number;
  seconds: number;
}

/** Reads dist/manifest.json; throws if there is no build. */
export function readBuilt(dist: string): BuiltIndex {
  const m = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as BuildManifest;
  const parts = m.parts.map((p) => join(dist, p.file));
  const switchFile = join(dist, m.switch.file);
  const fileBytes = [...parts, switchFile].reduce((n, f) => n + statSync(f).size, 0);
  return { version: m.version, parts, switchFile, fileBytes };
}

/** One bulk file: a JSON array of `{ key, value }` (what `wrangler kv bulk put` reads). */
export function readBulkFile(file: string): KvEntry[] {
  return JSON.parse(readFileSync(file, 'utf8')) as KvEntry[];
}

/** Whether the local KV already serves this build: every key of its switch file holds the build's value. */
export async function isLive(kv: LocalKv, built: BuiltIndex): Promise<boolean> {
  for (const e of readBulkFile(built.switchFile)) {
    const stored = await kv.get(e.key);
    if (stored === e.value) continue;
    // The archive built, carried forward by publishes since (npm run publish -- --local): its
    // articles and segments are all there, and refilling would drop what was published.
    if (e.key !== MANIFEST_KEY || stored === null || !stored) return false;
    try {
      if (parseManifest(stored).archive !== parseManifest(e.value).archive) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * The switch file's entries, with the mark of the archive it takes out of service (prune.ts
 * `leftEntry`), read from the manifest live now.
 */
export async function switchEntries(kv: Pick<LocalKv, 'get'>, entries: KvEntry[]): Promise<KvEntry[]> {
  const archiveOf = (raw: string | null | undefined): string | undefined => {
    try {
      return raw ? parseManifest(raw).archive : undefined;
    } catch {
      return undefined;
    }
  };
  const incoming = archiveOf(entries.find((e) => e.key === MANIFEST_KEY)?.value);
  if (!incoming) return entries;
  return [...leftEntry(archiveOf(await kv.get(MANIFEST_KEY)), incoming), ...entries];
}

/** Writes every part, then the switch; `onProgress` counts over the whole load. */
export async function fillKv(kv: LocalKv, built: BuiltIndex, onProgress?: (p: LoadProgress) => void): Promise<PutProgress> {
  const started = performance.now();
  const done = { keys: 0, bytes: 0, seconds: 0 };
  let filesDone = 0;
  for (const file of [...built.parts, built.switchFile]) {
    const size = statSync(file).size;
    const entries = file === built.switchFile ? await switchEntries(kv, readBulkFile(file)) : readBulkFile(file);
    const base = { keys: done.keys, fileBytes: filesDone };
    const r = await kv.putMany(entries, (p) => onProgress?.({
      keys: base.keys + p.keys,
      fileBytes: base.fileBytes + Math.round((size * p.keys) / entries.length),
      seconds: (performance.now() - started) / 1000,
    }));
    done.keys += r.keys;
    done.bytes += r.bytes;
    filesDone += size;
  }
  done.seconds = (performance.now() - started) / 1000;
  return done;
}

export interface LoadOptions {
  dist: string;
  persistTo: string;
  log?: (m: string) => void;
}

/** Opens the local KV at `persistTo`, fills it with the build in `dist`, closes it. */
export async function loadIntoKv(o: LoadOptions): Promise<BuiltIndex & { loaded: PutProgress }> {
  const log = o.log ?? ((m: string) => console.error(m));
  const built = readBuilt(o.dist);
  const kv = await openLocalKv(o.persistTo, { log });
  try {
    const loaded = await fillKv(kv, built);
    log(`kv: ${loaded.keys} keys, ${(loaded.bytes / 1048576).toFixed(1)} MB in ${loaded.seconds.toFixed(1)} s (${kv.writePath})`);
    return { ...built, loaded };
  } finally {
    await kv.close();
  }
}

/** A fill that runs beside a build, on a thread of its own (fill-thread.ts). */
export interface FillThread {
  /** Hands over a complete bulk file; it is read now, in this call (a build moves its files when it ends). */
  addPart(file: string): void;
  /** Writes the switch file after all `parts` handed over; resolves when everything is in the local KV. */
  finish(switchFile: string, parts: number): Promise<{ keys: number; bytes: number }>;
  /** After a failed build: stops after the batch in hand and closes the local KV. */
  cancel(): Promise<void>;
}

/**
 * Starts a fill thread on the local KV at `persistTo`; `onProgress` gets keys and bytes written.
 *
 * @example
 * const fill = startFillThread('.wrangler/state');
 * await buildIndex({ inputs, outDir, onBulkFile: (f) => fill.addPart(f) });
 * await fill.finish(readBuilt(outDir).switchFile, readBuilt(outDir).parts.length);
 */
export function startFillThread(persistTo: string, onProgress?: (p: { keys: number; bytes: number }) => void, log: (m: string) => void = () => {}): FillThread {
  const worker = new Worker(new URL('./lib/ts-worker.mjs', import.meta.url), {
    workerData: { entry: new URL('./fill-thread.ts', import.meta.url).href, persistTo },
  });
  let failure: Error | undefined;
  let result: { keys: number; bytes: number; parts: number } | undefined;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', (e) => { failure ??= e; });
  worker.on('message', (m: FromFill) => {
    if ('progress' in m) onProgress?.(m.progress);
    else if ('log' in m) log(m.log);
    else if ('error' in m) failure ??= new Error(`KV fill: ${m.error}`);
    else if ('done' in m) result = m.done;
  });
  const send = (m: ToFill, transfer: ArrayBuffer[] = []) => worker.postMessage(m, transfer);
  const read = (file: string): ArrayBuffer => {
    const b = readFileSync(file);
    return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? (b.buffer as ArrayBuffer) : b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  };
  let sent = 0;
  return {
    addPart(file) {
      const buf = read(file);
      send({ part: buf }, [buf]);
      sent++;
    },
    async finish(switchFile, parts) {
      if (parts !== sent) {
        await this.cancel();
        throw new Error(`KV fill: the build made ${parts} bulk files but handed over ${sent}`);
      }
      const buf = read(switchFile);
      send({ switch: buf }, [buf]);
      await exited;
      if (failure) throw failure;
      if (!result) throw new Error('KV fill: the fill thread stopped before it was done');
      return { keys: result.keys, bytes: result.bytes };
    },
    async cancel() {
      send({ cancel: true });
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
      if ((await Promise.race([exited, timeout])) === 'timeout') await worker.terminate();
    },
  };
}

/** Lets wrangler run with loopback only (platform.md). */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
};
