/**
 * bahth as the eval runs it: the index built once into a cache folder (rebuilt when an input
 * or the indexing code changes), its KV entries loaded into memory, and queries answered by
 * the same search() the Worker calls.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildIndex, type BuildManifest } from '../../src/indexer/build-index';
import { search } from '../../src/core/search/search';
import { DEFAULT_OPTIONS, searchOptions, type OptionOverrides, type SearchOptions } from '../../src/core/search/options';
import type { SearchParams, SearchResult } from '../../src/core/search/types';

/**
 * The options the eval searches with: the defaults, or (a tuning knob) those of BAHTH_RANKING,
 * e.g. BAHTH_RANKING='{"coveragePower":1}' npm run eval -- --quick tries constants without
 * editing options.ts. The report prints the options in force.
 */
export const EVAL_OPTIONS: SearchOptions = process.env.BAHTH_RANKING ? searchOptions({ ranking: JSON.parse(process.env.BAHTH_RANKING) as OptionOverrides['ranking'] }) : DEFAULT_OPTIONS;
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { MemorySource, ReadStats } from '../../src/core/search/source';

/** Code that decides what the index holds: a change here means the cached index is stale. */
const INDEXING_CODE = ['src/indexer', 'src/core/analyzer', 'src/core/format'];

export interface BahthOptions {
  root: string;
  inputs: string[];
  cacheDir: string;
  rebuild: boolean;
  log: (message: string) => void;
  progress?: (message: string) => void;
}

export interface BahthIndex {
  version: string;
  docs: number;
  /** How the index was obtained, for the report ("cached" / "built in 81 s"). */
  origin: string;
  search(q: string, recency: number): Promise<string[]>;
  /** The whole response (corrections and all), with other options if given. */
  searchFull(q: string, recency: number, options?: SearchOptions): Promise<SearchResult>;
  /** The archive itself, for measurements that look inside a search (the spelling model's fit). */
  archive: Archive;
  /** Its KV entries (to open cold readers). */
  entries: Map<string, string>;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  }).sort();
}

/** Hash of the contents of the code under these folders of `root` (relative paths). */
export function codeHash(root: string, dirs: readonly string[]): string {
  const h = createHash('sha256');
  for (const file of dirs.flatMap((d) => filesUnder(join(root, d)))) {
    h.update(`code ${relative(root, file)}\n`);
    h.update(readFileSync(file));
  }
  return h.digest('hex').slice(0, 16);
}

/** Hash of the inputs' size and mtime and of the indexing code's contents. */
export function cacheKey(root: string, inputs: string[]): string {
  const h = createHash('sha256');
  for (const input of inputs) {
    const s = statSync(input);
    h.update(`input ${input} ${s.size} ${s.mtimeMs}\n`);
  }
  h.update(`code ${codeHash(root, INDEXING_CODE)}\n`);
  return h.digest('hex').slice(0, 16);
}

/** Builds the index unless the cache holds one for the same key; says which it did. */
async function ensureBuilt(o: BahthOptions): Promise<{ outDir: string; origin: string }> {
  const outDir = join(o.cacheDir, 'index');
  const keyFile = join(o.cacheDir, 'key.txt');
  const key = cacheKey(o.root, o.inputs);
  const cachedKey = existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : '';
  const haveIndex = existsSync(join(outDir, 'manifest.json'));
  let reason: string | undefined;
  if (o.rebuild) reason = '--rebuild';
  else if (!haveIndex) reason = 'no cached index';
  else if (cachedKey !== key) reason = 'inputs or indexing code changed';
  if (!reason) {
    o.log(`bahth: using the cached index in ${relative(o.root, outDir)} (key ${key})`);
    return { outDir, origin: `cached (key ${key})` };
  }
  o.log(`bahth: building the index (${reason}) into ${relative(o.root, outDir)}; this takes a minute or two`);
  mkdirSync(o.cacheDir, { recursive: true });
  const summary = await buildIndex({
    inputs: o.inputs,
    outDir,
    skipInvalid: false,
    onProgress: (p) => o.progress?.(`bahth build: ${p.phase} ${p.done}${p.total ? `/${p.total}` : ''}`),
  });
  writeFileSync(keyFile, `${key}\n`);
  o.log(`bahth: built ${summary.articles} articles in ${summary.seconds.toFixed(0)} s (peak RSS ${(summary.peakRssBytes / 2 ** 20).toFixed(0)} MB)`);
  return { outDir, origin: `built in ${summary.seconds.toFixed(0)} s (key ${key})` };
}

/** Every KV entry of a built index (bulk parts plus the version switch) as one map. */
function loadEntries(outDir: string): Map<string, string> {
  const map = new Map<string, string>();
  const files = readdirSync(join(outDir, 'kv')).filter((f) => /^part-.*\.json$/.test(f)).sort().map((f) => join(outDir, 'kv', f));
  files.push(join(outDir, 'switch.json'));
  for (const file of files) {
    const entries = JSON.parse(readFileSync(file, 'utf8')) as { key: string; value: string }[];
    for (const e of entries) map.set(e.key, e.value);
  }
  return map;
}

export async function openBahth(o: BahthOptions): Promise<BahthIndex> {
  const { outDir, origin } = await ensureBuilt(o);
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as BuildManifest;
  const entries = loadEntries(outDir);
  const reader = new IndexReader(new MemorySource(entries), { cacheBytes: 2 ** 30 });
  const index: Archive = await reader.current(new ReadStats());
  const searchFull = (q: string, recency: number, options = EVAL_OPTIONS): Promise<SearchResult> => {
    const params: SearchParams = { q, limit: 10, offset: 0, sort: 'relevance', facets: false, recency };
    return search(index, params, new ReadStats(), options);
  };
  return {
    version: index.version,
    docs: manifest.counts.articles,
    origin,
    archive: index,
    entries,
    async search(q: string, recency: number): Promise<string[]> {
      return (await searchFull(q, recency)).hits.map((h) => h.id);
    },
    searchFull,
  };
}
