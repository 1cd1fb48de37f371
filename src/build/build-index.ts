/**
 * The index build: articles in, a versioned KV bulk asset out (dist/kv/*.json plus
 * dist/manifest.json). Two streaming passes keep memory bounded: the first reads and validates
 * the input, spills it and fixes doc numbers (newest first) and the content-derived version;
 * the second indexes segment by segment; a merge then writes the term shards.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync, readdirSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import type { Article } from '../core/article';
import { bareWord, normalize, stems } from '../core/analyzer/index';
import { ANALYZER_VERSION } from '../core/analyzer/version';
import {
  dayOf, encodeDays, filterTerm, fixedWidth, FORMAT_VERSION, keys, MANIFEST_KEY, MAX_TITLE_WORDS, sealValue, spellingCode, SPELLING_CODE_LENGTH, spellingInUseDf,
  type Card, type IndexMeta, type LiveManifest, type TermShard,
} from '../core/format/layout';
import { BulkWriter, type BulkPart } from './bulk-writer';
import { readArticles } from './ingest/index';
import { mergeSpills, type FieldStats } from './merge';
import { FLEX_OPTIONS, Segment, type Field } from './segment';
import { Vocabulary } from './vocabulary';
import type { BahthError } from '../core/errors';

export interface BuildOptions {
  inputs: string[];
  outDir: string;
  skipInvalid?: boolean;
  /** Repeat the input this many times with distinct ids (archive-scale benchmarks). */
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
}

export interface BuildProgress {
  phase: 'read' | 'index' | 'merge' | 'write';
  done: number;
  total?: number;
}

export interface BuildSummary {
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
  version: string;
  builtAt: string;
  flexsearch: IndexMeta['flexsearch'];
  analyzer: string;
  counts: IndexMeta['counts'] & { skipped: number; bigTerms: number };
  largestValue: { key: string; bytes: number };
  /** Bulk files with everything under `v/<version>/`; upload these first. */
  parts: BulkPart[];
  /** The bulk file that switches the live version; upload it last. */
  switch: { file: string; key: string; value: LiveManifest };
  inputs: string[];
}

/** Bump whenever the builder writes something different for the same input: it is part of the version. */
const BUILD_REVISION = 1;
const CARDS_BLOCK = 50;
/**
 * BM25 parameters. Bodies are normalized for length fully (b 1; Lucene's default is 0.75): news
 * bodies run from a two-line brief to a long feature that repeats its subject's words, and a
 * long body is more often verbose than about more. Saturation is slower than Lucene's (k1 2
 * against 1.2): a word said again and again in a short text says what the text is about.
 * `npm run eval` (docs/relevance.md), measured with a first, flat form of RANKING.bodyAfterTitle
 * (half the body for a word the title has): QA MRR@10 0.791 at k1 1.2, b 0.9; 0.799 / 0.801 /
 * 0.802 at k1 1.5 / 2 / 2.6, b 1; 0.783 at k1 2, b 0.75. Known-item first-four @1 96.3 → 96.0,
 * @10 99.7 → 99.3 (seed 42); a higher k1 or title b gains QA further and loses known-item @1.
 * With the final ranking: QA 0.799.
 */
export const BM25 = { k1: 2, b: { title: 0.4, body: 1 } };
const LEAD_CHARS = 220;
export const FLEXSEARCH_VERSION = '0.8.212';
/** What the version owes to the builder rather than to the input: a cached build by another builder is stale. */
export const BUILDER_ID = `bahth format ${FORMAT_VERSION} build ${BUILD_REVISION} analyzer ${ANALYZER_VERSION} flexsearch ${FLEXSEARCH_VERSION} ${JSON.stringify(BM25)}`;

/** Builds the index; throws a BahthError for bad input, leaving any previous output intact. */
export async function buildIndex(o: BuildOptions): Promise<BuildSummary> {
  const started = performance.now();
  let peakRss = process.memoryUsage.rss();
  const sampleRss = () => { peakRss = Math.max(peakRss, process.memoryUsage.rss()); };
  const log = o.log ?? (() => {});
  const out = new BulkWriter(o.outDir, o.onBulkFile);
  const spill = join(dirname(o.outDir), `.${basename(o.outDir)}.spill-${process.pid}`);
  rmSync(spill, { recursive: true, force: true });
  mkdirSync(join(spill, 'terms'), { recursive: true });
  try {
    // Pass 1: read, validate, spill; learn dates and the content hash.
    const first = await readPass(o, join(spill, 'articles.jsonl'), sampleRss);
    const n = first.count;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => first.times[b]! - first.times[a]! || a - b);
    const docOf = new Uint32Array(n);
    order.forEach((input, doc) => { docOf[input] = doc; });
    const version = first.hash.digest('hex').slice(0, 12);
    log(`read ${n} articles${first.skipped ? ` (${first.skipped} skipped)` : ''}; version ${version}`);

    // Pass 2: index segment by segment; write the articles themselves.
    const segmentSize = o.segmentSize ?? 10_000;
    const partitionBits = n > 200_000 ? 8 : n > 20_000 ? 6 : 2;
    const lengths = { title: new Uint32Array(n), body: new Uint32Array(n) };
    const titleWordsOf = new Uint8Array(n);
    const cards: string[] = new Array(n);
    const sourceOf = new Int32Array(n).fill(-1);
    const categoryOf = new Int32Array(n).fill(-1);
    const sources = new Table();
    const categories = new Table();
    const vocabulary = new Vocabulary();
    const wordDf = new Map<string, number>();
    let segment = new Segment();
    let segments = 0;
    let indexed = 0;
    for await (const { input, article } of readSpill(join(spill, 'articles.jsonl'))) {
      const doc = docOf[input]!;
      const tags = article.tags.map((t) => filterTerm.tag(normalize(t))).filter((t) => t.length > 5);
      const l = segment.add(doc, { title: article.title, body: article.body.join('\n') }, tags);
      lengths.title[doc] = l.title;
      lengths.body[doc] = l.body;
      titleWordsOf[doc] = Math.min(l.titleWords, MAX_TITLE_WORDS);
      for (const w of l.words) if (isLexiconWord(w)) wordDf.set(w, (wordDf.get(w) ?? 0) + 1);
      const json = JSON.stringify(article);
      const sealed = sealValue(json);
      out.put(keys.doc(version, doc), sealed);
      out.put(keys.article(version, article.id), sealed);
      cards[doc] = JSON.stringify(toCard(article));
      vocabulary.addTitle([article.title, ...article.tags].join('\n'));
      if (article.sources[0]) sourceOf[doc] = sources.id(article.sources[0]);
      if (article.category) categoryOf[doc] = categories.id(article.category);
      if (segment.size >= segmentSize) {
        segment.spill(join(spill, 'terms'), segments++, partitionBits);
        segment = new Segment();
        sampleRss();
      }
      o.onProgress?.({ phase: 'index', done: ++indexed, total: n });
    }
    if (segment.size > 0) segment.spill(join(spill, 'terms'), segments++, partitionBits);
    sampleRss();

    // Merge: shards sized from what was spilled.
    const spilled = readdirSync(join(spill, 'terms')).reduce((sum, f) => sum + statSync(join(spill, 'terms', f)).size, 0);
    const target = o.shardTargetBytes ?? 16 * 1024;
    const shardBits = Math.max(0, Math.min(16, Math.ceil(Math.log2(Math.max(1, spilled / target)))));
    const stats: Record<Field, FieldStats> = {
      title: fieldStats(lengths.title, BM25.b.title),
      body: fieldStats(lengths.body, BM25.b.body),
    };
    const bigTerms: string[] = [];
    // Per stem, the codes of the spellings in use first, then the rare ones (see TermEntry).
    // Two passes, so that no second map of every stem is held (it cost 0.4 GB at 1M articles).
    const inUseDf = spellingInUseDf(n);
    const spellings = new Map<string, string>();
    for (const [word, df] of wordDf) {
      if (df < inUseDf) continue;
      const stem = stems(word)[0]!;
      spellings.set(stem, (spellings.get(stem) ?? '') + spellingCode(word));
    }
    const spellingsInUse = new Map<string, number>();
    for (const [stem, codes] of spellings) spellingsInUse.set(stem, codes.length / SPELLING_CODE_LENGTH);
    for (const [word, df] of wordDf) {
      if (df >= inUseDf) continue;
      const stem = stems(word)[0]!;
      spellings.set(stem, (spellings.get(stem) ?? '') + spellingCode(word));
    }
    const { attributes, attributeOf } = attributeCodes(sourceOf, categoryOf);
    const attributeWidth = fixedWidth(attributes.length);
    const terms = mergeSpills({
      spillDir: join(spill, 'terms'),
      partitionBits,
      shardBits,
      bigTermBytes: target * 4,
      spellings,
      spellingsInUse,
      attributeOf,
      attributeWidth,
      titleWordsOf,
      k1: BM25.k1,
      stats,
      onShard: (s, shard: TermShard) => out.put(keys.shard(version, s), sealValue(JSON.stringify(shard))),
      onBigTerm: (term, entry) => {
        bigTerms.push(term);
        out.put(keys.bigTerm(version, term), sealValue(JSON.stringify({ [term]: entry })));
      },
      onPartition: (done, total) => { sampleRss(); o.onProgress?.({ phase: 'merge', done, total }); },
    });

    // Cards (newest first), lexicon, meta.
    for (let b = 0; b * CARDS_BLOCK < n; b++) {
      out.put(keys.cards(version, b), sealValue(`[${cards.slice(b * CARDS_BLOCK, (b + 1) * CARDS_BLOCK).join(',')}]`));
    }
    spellings.clear();
    spellingsInUse.clear();
    const lexicon = groupLexicon(wordDf);
    wordDf.clear();
    for (const [k, list] of lexicon) {
      const [first, len] = k.split('/') as [string, string];
      list.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      out.put(keys.lexicon(version, first, Number(len)), sealValue(JSON.stringify(list)));
    }
    const suggest: string[] = [];
    for (const [prefix, entries] of vocabulary.groups()) {
      suggest.push(prefix);
      out.put(keys.suggest(version, prefix), sealValue(JSON.stringify(entries)));
    }
    const days = dayTable(order.map((i) => first.times[i]!));
    const counts = { articles: n, terms, shards: 2 ** shardBits, keys: out.entries + 2, bytes: 0 };
    const meta: IndexMeta = {
      format: FORMAT_VERSION,
      version,
      builtAt: new Date().toISOString(),
      flexsearch: { version: FLEXSEARCH_VERSION, options: { ...FLEX_OPTIONS, encoder: 'bahth analyzer' } },
      analyzer: ANALYZER_VERSION,
      bm25: { k1: BM25.k1, b: BM25.b.body },
      counts,
      shardBits,
      bigTerms,
      days: encodeDays(days),
      sources: sources.values,
      categories: categories.values,
      attributes,
      attributeWidth,
      cardsBlockSize: CARDS_BLOCK,
      lexicon: [...lexicon.keys()].sort(),
      suggest: suggest.sort(),
      checksum: 'fnv1a32',
    };
    counts.bytes = out.bytes; // every value but meta and the switch, which are small
    out.put(keys.meta(version), sealValue(JSON.stringify(meta)));
    const live: LiveManifest = { format: FORMAT_VERSION, version, publishedAt: meta.builtAt };
    const parts = [...out.parts];
    out.file('switch.json', JSON.stringify([{ key: MANIFEST_KEY, value: JSON.stringify(live) }], null, 1));
    sampleRss();
    const seconds = (performance.now() - started) / 1000;
    const summary: BuildSummary = {
      version, articles: n, skipped: first.skipped, terms, shards: 2 ** shardBits, bigTerms: bigTerms.length,
      keys: out.entries + 1, bytes: out.bytes, largestValue: out.largestValue, parts, seconds, peakRssBytes: peakRss, outDir: o.outDir,
    };
    const manifest: BuildManifest = {
      format: FORMAT_VERSION, version, builtAt: meta.builtAt, flexsearch: meta.flexsearch, analyzer: ANALYZER_VERSION,
      counts: { ...counts, keys: summary.keys, bytes: summary.bytes, skipped: first.skipped, bigTerms: bigTerms.length },
      largestValue: out.largestValue,
      parts: out.parts,
      switch: { file: 'switch.json', key: MANIFEST_KEY, value: live },
      inputs: o.inputs,
    };
    out.file('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
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
}

async function readPass(o: BuildOptions, file: string, sampleRss: () => void): Promise<ReadPassResult> {
  const stream = createWriteStream(file);
  const hash = createHash('sha256');
  hash.update(`${BUILDER_ID}\n`);
  const times: number[] = [];
  let skipped = 0;
  const replicate = Math.max(1, o.replicate ?? 1);
  const onSkip = (e: BahthError) => { skipped++; o.onSkip?.(e); };
  try {
    for await (const article of readArticles(o.inputs, { skipInvalid: o.skipInvalid ?? false, onSkip })) {
      for (let r = 0; r < replicate; r++) {
        const copy = r === 0 ? article : { ...article, id: `${article.id}~${r}` };
        const line = JSON.stringify(copy);
        hash.update(line);
        await write(stream, `${line}\n`);
        const t = copy.date ? Date.parse(copy.date) : Number.NaN;
        times.push(Number.isNaN(t) ? -8.64e15 : t);
        if (times.length % 5000 === 0) {
          sampleRss();
          o.onProgress?.({ phase: 'read', done: times.length });
        }
      }
    }
  } finally {
    stream.end();
    await once(stream, 'close');
  }
  if (times.length === 0) {
    const { BahthError } = await import('../core/errors');
    throw new BahthError('INPUT_INVALID', `no articles in ${o.inputs.join(', ')}`);
  }
  o.onProgress?.({ phase: 'read', done: times.length });
  return { count: times.length, skipped, times, hash };
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
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
function attributeCodes(sourceOf: Int32Array, categoryOf: Int32Array): { attributes: [number, number][]; attributeOf: Uint32Array } {
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

function fieldStats(lengths: Uint32Array, b: number): FieldStats {
  let sum = 0;
  for (const l of lengths) sum += l;
  return { lengths, average: lengths.length ? sum / lengths.length : 0, b };
}

function toCard(a: Article): Card {
  const text = a.body.join(' ');
  let lead = text.slice(0, LEAD_CHARS);
  if (text.length > LEAD_CHARS) lead = `${lead.slice(0, Math.max(lead.lastIndexOf(' '), LEAD_CHARS / 2))}…`;
  return { id: a.id, title: a.title, ...(a.date ? { date: a.date } : {}), sources: a.sources, ...(a.category ? { category: a.category } : {}), lead };
}

/**
 * Words worth a typo lexicon entry: Arabic, up to 24 letters once a leading ال is set aside, and
 * the readings a typo of 4+ letters may stand for: 4+ letters without the article, 5+ with it
 * (السلة, الشيخ: what السة and الشيف were typed for).
 */
function isLexiconWord(w: string): boolean {
  const bare = bareWord(w);
  return (bare.length >= 4 || bare !== w) && bare.length <= 24 && bare.charCodeAt(0) >= 0x0600 && bare.charCodeAt(0) <= 0x06ff;
}

/**
 * The typo lexicon: words (normalized, not stemmed: a misspelt name must be compared with the
 * name, not with a stem its misspelling happens to share) seen in at least 2 documents, keyed
 * by the first letter and length of the word without a leading ال.
 */
function groupLexicon(wordDf: Map<string, number>): Map<string, [string, number][]> {
  const lexicon = new Map<string, [string, number][]>();
  for (const [word, df] of wordDf) {
    if (df < 2) continue;
    const bare = bareWord(word);
    const key = `${bare[0]}/${bare.length}`;
    const list = lexicon.get(key);
    if (list) list.push([word, df]);
    else lexicon.set(key, [[word, df]]);
  }
  return lexicon;
}

/** Run-length table of publication days over doc numbers (newest first). */
function dayTable(timesByDoc: number[]): [number, number][] {
  const out: [number, number][] = [];
  timesByDoc.forEach((t, doc) => {
    const day = t < -8e15 ? -1 : Math.floor(t / 86_400_000);
    if (out.length === 0 || out[out.length - 1]![0] !== day) out.push([day, doc]);
  });
  return out;
}

export { dayOf };
