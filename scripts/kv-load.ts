/**
 * Loads a built index (dist/) into the local KV that `wrangler dev` reads: the bulk files that
 * dist/manifest.json lists under `parts` first, its switch file last, so a reader never sees a
 * switch to a version whose keys are not all there. Nothing here knows a key name: what the
 * files hold is the index format's business.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildManifest } from '../src/build/build-index';
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
  for (const e of readBulkFile(built.switchFile)) if ((await kv.get(e.key)) !== e.value) return false;
  return true;
}

/** Writes every part, then the switch; `onProgress` counts over the whole load. */
export async function fillKv(kv: LocalKv, built: BuiltIndex, onProgress?: (p: LoadProgress) => void): Promise<PutProgress> {
  const started = performance.now();
  const done = { keys: 0, bytes: 0, seconds: 0 };
  let filesDone = 0;
  for (const file of [...built.parts, built.switchFile]) {
    const size = statSync(file).size;
    const entries = readBulkFile(file);
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

/** Lets wrangler run with loopback only (platform.md). */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_HIDE_BANNER: 'true',
};
