/**
 * The index build: articles in, a versioned KV bulk asset out (dist/kv/*.json plus
 * dist/manifest.json). Two streaming passes keep memory bounded: the first reads and validates
 * the input, spills it and fixes doc numbers (newest first) and the content-derived version;
 * the second indexes segment by segment; a merge then writes the term shards.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, readdirSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { Article } from '../core/article';
import { ANALYZER_VERSION } from '../core/analyzer/version';
import { dayOf, fixedWidth, FORMAT_VERSION, keys, MANIFEST_KEY, MAX_TITLE_WORDS, sealValue, spellingInUseDf } from '../core/format/layout';
import { versionOf, type ArchiveManifest, type Bm25Params } from '../core/format/manifest';
import { BulkWriter, checkOutDir, sweepStaleScratch, type BulkPart } from './bulk-writer';
import { FutureDates, IgnoredFields, readArticles } from './ingest/index';
import type { FieldStats } from './merge';
import { tagTerms, titleText, toCard } from './doc-fields';
import { FLEX_OPTIONS, Segment } from './segment';
import { baseSizing, dayRuns, isLexiconWord, timeOf, writeSegment } from './segment-writer';
import { replicaOf } from './replicas';
import { Vocabulary } from './vocabulary';
import { HouseStyleFinder } from './house-styles';
import { BahthError } from '../core/errors';

export interface BuildOptions {
  inputs: string[];
  outDir: string;
  skipInvalid?: boolean;
  /** Repeat the input this many times, copies with distinct ids, dates and bodies (archive-scale benchmarks; replicas.ts). */
  replicate?: number;
  /** Documents per FlexSearch segment (memory bound of the indexing pass). */
  segmentSize?: number;
  /** Aim for term shards of about this many bytes. */
  shardTargetBytes?: number;
  onProgress?: (p: BuildProgress) => void;
  /**
   * Called with the path of each bulk file (`kv/part-*.json`) as soon as it is complete, while
   * the build goes on, so that a loader can start early. Read it within the call: it is in a
   * scratch folder that the end of the build renames. dist/manifest.json lists the same files.
   */
  onBulkFile?: (file: string) => void;
  onSkip?: (e: BahthError) => void;
  log?: (message: string) => void;
  /**
   * Find the outlets' own spellings of one word (ترامب, ترمب) and keep them in the manifest,
   * where searches read them as synonyms (house-styles.ts). Default true.
   */
  houseStyles?: boolean;
}

export interface BuildProgress {
  phase: 'read' | 'index' | 'styles' | 'merge' | 'write';
  done: number;
  total?: number;
}

export interface BuildSummary {
  /** The archive's version (its id, generation 0). */
  version: string;
  articles: number;
  skipped: number;
  terms: number;
  shards: number;
  bigTerms: number;
  keys: number;
  bytes: number;
  largestValue: { key: string; bytes: number };
  parts: BulkPart[];
  seconds: number;
  peakRssBytes: number;
  outDir: string;
}

/** What dist/manifest.json holds: the build's description and the files to upload, in order. */
export interface BuildManifest {
  format: number;
  /** The archive id, which is also its first version. */
  version: string;
  builtAt: string;
  flexsearch: ArchiveManifest['flexsearch'];
  analyzer: string;
  counts: { articles: number; terms: number; shards: number; keys: number; bytes: number; skipped: number; bigTerms: number };
  largestValue: { key: string; bytes: number };
  /** Bulk files with every article and the base segment's keys; upload these first. */
  parts: BulkPart[];
  /** The bulk file that makes the archive live (the `manifest` key); upload it last. */
  switch: { file: string; key: string; value: ArchiveManifest };
  inputs: string[];
}

/** Bump whenever the builder writes something different for the same input: it is part of the version. */
const BUILD_REVISION = 20;
/**
 * BM25 parameters. Bodies are normalized for length fully (b 1; Lucene's default is 0.75): news
 * bodies run from a two-line brief to a long feature that repeats its subject's words, and a
 * long body is more often verbose than about more. Saturation is slower than Lucene's (k1 2
 * against 1.2): a word said again and again in a short text says what the text is about.
 * `npm run eval` (docs/relevance.md), measured with a first, flat form of RankingOptions.bodyAfterTitle
 * (half the body for a word the title has): QA MRR@10 0.791 at k1 1.2, b 0.9; 0.799 / 0.801 /
 * 0.802 at k1 1.5 / 2 / 2.6, b 1; 0.783 at k1 2, b 0.75. Known-item first-four @1 96.3 → 96.0,
 * @10 99.7 → 99.3 (seed 42); a higher k1 or title b gains QA further and loses known-item @1.
 * With the final ranking: QA 0.799.
 */
export const BM25: Bm25Params = { k1: 2, b: { title: 0.4, body: 1 } };
export const FLEXSEARCH_VERSION = '0.8.212';
/** What the version owes to the builder rather than to the input: a cached build by another builder is stale. */
export const BUILDER_ID = `bahth format ${FORMAT_VERSION} build ${BUILD_REVISION} analyzer ${ANALYZER_VERSION} flexsearch ${FLEXSEARCH_VERSION} ${JSON.stringify(BM25)}`;

/** Builds the index; throws a BahthError for bad input, leaving any previous output intact. */
export async function buildIndex(o: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  let peakRss = process.memoryUsage.rss();
  const sampleRss = () => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); };
  const log = o.log ?? (() => {});
  checkOutDir(o.outDir, o.inputs);
  for (const folder of sweepStaleScratch(o.outDir)) log(`removed ${folder}, left by a build that was stopped`);
  const spill = join(dirname(o.outDir), `.${basename(o.outDir)}.spill-${process.pid}`);
  let out: BulkWriter | undefined;
  try {
    out = new BulkWriter(o.outDir, o.onBulkFile);
    rmSync(spill, { recursive: true, force: true });
    mkdirSync(join(spill, 'terms'), { recursive: true });
  } catch (e) {
    out?.abort();
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EACCES' || err.code === 'EPERM' ? 'no permission to write there' : err.code === 'ENOTDIR' ? 'a part of the path is a file' : err.code === 'ENOSPC' ? 'the disk is full' : err.code === 'EROFS' ? 'the file system is read-only' : (err.message ?? String(e));
    throw new BahthError('INPUT_INVALID', `cannot write the output folder ${o.outDir}: ${why} (the build writes beside it, in ${dirname(resolve(o.outDir))}); choose another --out`);
  }
  try {
    // Pass 1: read, validate, spill; learn dates and the content hash.
    const first = await readPass(o, join(spill, 'articles.jsonl'), sampleRss);
    const n = first.count;
    // Docs are numbered oldest first: a publish appends the newest after them (ties: the order
    // read, last first, as the newest-first numbering of earlier formats had them).
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => first.times[a]! - first.times[b]! || b - a);
    const docOf = new Uint32Array(n);
    order.forEach((input, doc) => { docOf[input] = doc; });
    const archive = first.hash.digest('hex').slice(0, 12);
    log(`read ${n} articles${first.skipped ? ` (${first.skipped} skipped)` : ''}; version ${archive}`);
    const future = first.future.message();
    if (future) log(future);
    const ignored = first.ignored.message();
    if (ignored) log(ignored);

    // Pass 2: index segment by segment; write the articles themselves.
    const segmentSize = o.segmentSize ?? 10_000;
    const partitionBits = n > 200_000 ? 8 : n > 20_000 ? 6 : 2;
    const lengths = { title: new Uint32Array(n), body: new Uint32Array(n) };
    const titleWordsOf = new Uint8Array(n);
    const cards: string[] = new Array(n);
    const ids: string[] = new Array(n);
    const sourceOf = new Int32Array(n).fill(-1);
    const categoryOf = new Int32Array(n).fill(-1);
    const sources = new Table();
    const categories = new Table();
    const vocabulary = new Vocabulary();
    const wordDf = new Map<string, number>();
    const termsDir = join(spill, 'terms');
    const sink = (p: number, lines: string) => appendFileSync(join(termsDir, `part-${p}.tsv`), lines);
    let segment = new Segment();
    let indexed = 0;
    const styles = o.houseStyles === false ? undefined : new HouseStyleFinder();
    for await (const { input, article } of readSpill(join(spill, 'articles.jsonl'))) {
      const doc = docOf[input]!;
      const l = segment.add(doc, { title: article.title, body: article.body.join('\n') }, tagTerms(article.tags));
      lengths.title[doc] = l.title;
      lengths.body[doc] = l.body;
      titleWordsOf[doc] = Math.min(l.titleWords, MAX_TITLE_WORDS);
      for (const w of l.words) if (isLexiconWord(w)) wordDf.set(w, (wordDf.get(w) ?? 0) + 1);
      styles?.count(l.words, article.sources[0] ?? '');
      out.put(keys.doc(archive, doc), sealValue(JSON.stringify(article)));
      cards[doc] = JSON.stringify(toCard(article));
      ids[doc] = article.id;
      vocabulary.addTitle(titleText(article));
      if (article.sources[0]) sourceOf[doc] = sources.id(article.sources[0]);
      if (article.category) categoryOf[doc] = categories.id(article.category);
      if (segment.size >= segmentSize) {
        segment.spill(sink, partitionBits);
        segment = new Segment();
        sampleRss();
      }
      o.onProgress?.({ phase: 'index', done: ++indexed, total: n });
    }
    if (segment.size > 0) segment.spill(sink, partitionBits);
    sampleRss();
    const houseStyles = styles ? await findHouseStyles(styles, join(spill, 'articles.jsonl'), n, o) : undefined;
    sampleRss();

    // Merge the spills into the base segment's shards, sized from what was spilled.
    const spilled = readdirSync(termsDir).reduce((sum, f) => sum + statSync(join(termsDir, f)).size, 0);
    const stats: Record<'title' | 'body', FieldStats> = {
      title: fieldStats(lengths.title, BM25.b.title),
      body: fieldStats(lengths.body, BM25.b.body),
    };
    const { attributes, attributeOf } = attributeCodes(sourceOf, categoryOf);
    const base = writeSegment({
      id: archive,
      level: 'base',
      first: 0,
      count: n,
      docs: n,
      partitionBits,
      readPartition: (p) => {
        const file = join(termsDir, `part-${p}.tsv`);
        return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
      },
      spilledBytes: spilled,
      ...baseSizing(o.shardTargetBytes),
      stats,
      k1: BM25.k1,
      titleWordsOf,
      attributeOf,
      attributeWidth: fixedWidth(attributes.length),
      cards,
      ids: ids.map((id, local): [string, number] => [id, local]),
      days: dayRuns(order.map((i) => first.times[i]!)),
      wordDf,
      vocabulary,
      kills: [],
      inUseDf: spellingInUseDf(n),
      lengths: { title: sum(lengths.title), body: sum(lengths.body) },
      lexiconMinDf: 2,
      onPartition: (done, total) => { sampleRss(); o.onProgress?.({ phase: 'merge', done, total }); },
    }, (key, value) => out.put(key, value));
    wordDf.clear();

    const builtAt = new Date().toISOString();
    const manifest: ArchiveManifest = {
      format: FORMAT_VERSION,
      archive,
      generation: 0,
      publishedAt: builtAt,
      builtAt,
      analyzer: ANALYZER_VERSION,
      flexsearch: { version: FLEXSEARCH_VERSION, options: { ...FLEX_OPTIONS, encoder: 'bahth analyzer' } },
      bm25: BM25,
      nextDoc: n,
      stats: { docs: n, titleLength: base.lengths.title, bodyLength: base.lengths.body },
      tables: { sources: sources.values, categories: categories.values, attributes },
      segments: [base],
      checksum: 'utf8-words32',
      ...(houseStyles ? { houseStyles } : {}),
    };
    const sealed = sealValue(JSON.stringify(manifest), true);
    out.put(keys.manifestCopy(archive, 0), sealed);
    const parts = [...out.parts];
    out.file('switch.json', JSON.stringify([{ key: MANIFEST_KEY, value: sealed }], null, 1));
    sampleRss();
    const seconds = (performance.now() - started) / 1000;
    const summary: BuildSummary = {
      version: versionOf(manifest), articles: n, skipped: first.skipped, terms: base.terms, shards: 2 ** base.shardBits, bigTerms: base.big.length,
      keys: out.entries + 1, bytes: out.bytes, largestValue: out.largestValue, parts, seconds, peakRssBytes: peakRss, outDir: o.outDir,
    };
    const built: BuildManifest = {
      format: FORMAT_VERSION, version: summary.version, builtAt, flexsearch: manifest.flexsearch, analyzer: ANALYZER_VERSION,
      counts: { articles: n, terms: base.terms, shards: 2 ** base.shardBits, keys: summary.keys, bytes: summary.bytes, skipped: first.skipped, bigTerms: base.big.length },
      largestValue: out.largestValue,
      parts: out.parts,
      switch: { file: 'switch.json', key: MANIFEST_KEY, value: manifest },
      inputs: o.inputs,
    };
    out.file('manifest.json', JSON.stringify(built, null, 2) + '\n');
    out.commit();
    return summary;
  } catch (e) {
    out.abort();
    throw e;
  } finally {
    rmSync(spill, { recursive: true, force: true });
  }
}

interface ReadPassResult {
  count: number;
  skipped: number;
  times: number[];
  hash: ReturnType<typeof createHash>;
  /** Articles dated after tomorrow (see FutureDates). */
  future: FutureDates;
  /** Fields of the input rows that bahth does not read (see IgnoredFields). */
  ignored: IgnoredFields;
}

async function readPass(o: BuildOptions, file: string, sampleRss: () => void): Promise<ReadPassResult> {
  const stream = createWriteStream(file);
  const hash = createHash('sha256');
  hash.update(`${BUILDER_ID}\n`);
  const times: number[] = [];
  let skipped = 0;
  const replicate = Math.max(1, o.replicate ?? 1);
  const future = new FutureDates();
  const ignored = new IgnoredFields();
  const onSkip = (e: BahthError) => { skipped++; o.onSkip?.(e); };
  const notRead: string[] = [];
  let listedNothing = true;
  const onIgnoredFile = (path: string, why: string) => { if (!why.startsWith('hidden')) notRead.push(`${path} (${why})`); };
  // Once, when the folders are listed (or when they gave nothing): what they hold that is not read.
  const sayNotRead = () => {
    if (notRead.length) (o.log ?? (() => {}))(`not read in the input folders: ${notRead.length} file(s): ${notRead.slice(0, 5).join(', ')}${notRead.length > 5 ? ` and ${notRead.length - 5} more` : ''}`);
    notRead.length = 0;
  };
  try {
    for await (const article of readArticles(o.inputs, { skipInvalid: o.skipInvalid ?? false, onSkip, onIgnored: ignored.add, onIgnoredFile, onFile: () => { listedNothing = false; } })) {
      sayNotRead();
      future.add(article);
      for (let r = 0; r < replicate; r++) {
        const copy = replicaOf(article, r);
        const line = JSON.stringify(copy);
        hash.update(line);
        await write(stream, `${line}\n`);
        times.push(timeOf(copy.date));
        if (times.length % 5000 === 0) {
          sampleRss();
          o.onProgress?.({ phase: 'read', done: times.length });
        }
      }
    }
  } finally {
    sayNotRead();
    stream.end();
    await once(stream, 'close');
  }
  if (times.length === 0) throw new BahthError('INPUT_INVALID', `no articles in ${o.inputs.join(', ')}${listedNothing ? ` (no ${['.txt', '.jsonl', '.jsonl.gz'].join(', ')} file in it)` : ''}`);
  o.onProgress?.({ phase: 'read', done: times.length });
  return { count: times.length, skipped, times, hash, future, ignored };
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** The second pass of the house styles over the spilled articles, when the first found pairs that outlets split. */
async function findHouseStyles(finder: HouseStyleFinder, file: string, n: number, o: BuildOptions): Promise<[string, string][]> {
  const started = performance.now();
  const second = finder.needsSecondPass;
  if (second) {
    let done = 0;
    for await (const { article } of readSpill(file)) {
      finder.see(article);
      o.onProgress?.({ phase: 'styles', done: ++done, total: n });
    }
  }
  const pairs = finder.pairs().map((p) => p.forms);
  const took = `${((performance.now() - started) / 1000).toFixed(1)} s${second ? ', the articles read again' : ''}`;
  o.log?.(pairs.length ? `house styles, searched as one another (${took}): ${pairs.map((p) => p.join('/')).join(', ')}` : `house styles: no word that outlets spell apart (${took})`);
  return pairs;
}

async function* readSpill(file: string): AsyncGenerator<{ input: number; article: Article }> {
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let input = 0;
  for await (const line of lines) {
    if (line) yield { input: input++, article: JSON.parse(line) as Article };
  }
}

/** Interns strings as small integers. */
class Table {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

/**
 * Each doc's source and category as one code, the commonest pairs first: the table for the
 * meta, and the code by doc.
 */
export function attributeCodes(sourceOf: Int32Array, categoryOf: Int32Array): { attributes: [number, number][]; attributeOf: Uint32Array } {
  const pairs = new Map<string, { pair: [number, number]; docs: number }>();
  for (let d = 0; d < sourceOf.length; d++) {
    const key = `${sourceOf[d]},${categoryOf[d]}`;
    const p = pairs.get(key);
    if (p) p.docs++;
    else pairs.set(key, { pair: [sourceOf[d]!, categoryOf[d]!], docs: 1 });
  }
  const ordered = [...pairs.values()].sort((a, b) => b.docs - a.docs || a.pair[0] - b.pair[0] || a.pair[1] - b.pair[1]);
  const codeOf = new Map(ordered.map((p, code) => [`${p.pair[0]},${p.pair[1]}`, code]));
  const attributeOf = new Uint32Array(sourceOf.length);
  for (let d = 0; d < sourceOf.length; d++) attributeOf[d] = codeOf.get(`${sourceOf[d]},${categoryOf[d]}`)!;
  return { attributes: ordered.map((p) => p.pair), attributeOf };
}

export function fieldStats(lengths: Uint32Array, b: number): FieldStats {
  let sum = 0;
  for (const l of lengths) sum += l;
  return { lengths, average: lengths.length ? sum / lengths.length : 0, b };
}

function sum(values: Uint32Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

export { dayOf };
