/**
 * A publish as a plan: the articles added or replaced, and the ids removed, become one delta
 * segment (the new articles' postings, lexicon, completions, cards and ids, and the tombstones
 * of the docs they replace or delete), written before a manifest that names it. Nothing already
 * written is written again. When the deltas pass the compaction policy they are folded into one
 * merged segment (compact.ts). Runtime-neutral: the CLI runs it against local or remote KV, the
 * tests inside workerd against a real binding.
 */
import { ANALYZER_VERSION } from '../core/analyzer/version';
import { decodeLexicon } from '../core/format/codec';
import type { Article } from '../core/article';
import { BahthError } from '../core/errors';
import { fixedWidth, FORMAT_VERSION, keys, MANIFEST_KEY, MAX_TITLE_WORDS, sealValue, segmentPrefix, spellingInUseDf } from '../core/format/layout';
import { versionOf, type ArchiveManifest, type SegmentMeta } from '../core/format/manifest';
import { Archive, AttributeCache } from '../core/search/archive';
import { ReadStats, utf8Length, type ValueSource } from '../core/search/source';
import { ValueStore } from '../core/search/store';
import { tagTerms, titleText, toCard } from './doc-fields';
import { compactSegments, splitKey, type Compaction } from './compact';
import { docFootprint, Segment, type Field } from './segment';
import { dayRuns, isLexiconWord, lexiconKeyOf, timeOf, writeSegment } from './segment-writer';
import type { FieldStats } from './merge';
import { Vocabulary } from './vocabulary';

/** When deltas are folded together, and when everything is folded into a new base. */
export interface CompactionPolicy {
  /** Fold the deltas into the merged segment once there are more than this many. */
  maxDeltas: number;
  /** ... or once the deltas' values pass this many bytes. */
  maxDeltaBytes: number;
  /** Fold everything into a new base once the merged segment holds this share of the base's docs. */
  fullRatio: number;
  /** Keys of replaced segments are collected once they have been out of the manifest this long. */
  retireGraceMs: number;
}

/** The defaults: see docs/architecture.md for what they cost. */
export const DEFAULT_POLICY: Readonly<CompactionPolicy> = Object.freeze({
  maxDeltas: 16,
  maxDeltaBytes: 4 * 1024 * 1024,
  fullRatio: 0.25,
  retireGraceMs: 15 * 60_000,
});

export type CompactMode = 'auto' | 'merge' | 'full' | 'none';

export interface PublishOptions {
  /** Where the live archive's values are read from. */
  source: ValueSource;
  /** Articles to add, or to replace when their id is live. */
  add?: Article[];
  /** Ids to remove. */
  remove?: string[];
  /** `auto`: as the policy says; `merge` / `full`: fold now; `none`: never. */
  compact?: CompactMode;
  policy?: Partial<CompactionPolicy>;
  now?: () => Date;
  /** Makes segment ids unique across two publishes of the same generation. */
  nonce?: string;
}

export interface PublishSummary {
  added: number;
  replaced: number;
  removed: number;
  /** Articles sent that are live and identical: nothing to write for them. */
  unchanged: number;
  /** The delta segment written, if any. */
  delta?: SegmentMeta;
  compaction?: Compaction['summary'];
  /** Values to write, their bytes (UTF-8), and how many are articles. */
  keys: number;
  bytes: number;
  articleKeys: number;
}

export interface PublishPlan {
  previous: ArchiveManifest;
  /** The manifest to write last (undefined: nothing changed). */
  manifest?: ArchiveManifest;
  /** Every value but the manifest, in the order to write them. */
  writes: { key: string; value: string }[];
  /** Segments (all keys under `s/<id>/`) and articles no reader can still need: delete after the manifest. */
  collect: { segments: string[]; docs: number[] };
  summary: PublishSummary;
}

/** Reads the live manifest through a source; throws INDEX_UNAVAILABLE when there is none. */
export async function readLiveManifest(source: ValueSource): Promise<ArchiveManifest> {
  const { parseManifest } = await import('../core/search/reader');
  const raw = (await source.getMany(['manifest'])).get('manifest');
  if (!raw) throw new BahthError('INDEX_UNAVAILABLE', 'nothing is published yet: build and load a full index first (npm start, or npm run deploy)');
  return parseManifest(raw);
}

/**
 * A delta's terms are this code's analyzer's, and they must meet the base's: an archive built by
 * another analyzer (one that stems or reads some words otherwise) is rebuilt whole, not patched.
 */
function checkAnalyzer(live: ArchiveManifest): void {
  if (live.analyzer === ANALYZER_VERSION) return;
  throw new BahthError(
    'PUBLISH_CONFLICT',
    `the live archive was built by analyzer ${live.analyzer} and this code analyzes text as ${ANALYZER_VERSION}: a delta's words would not meet the archive's. Rebuild and load the whole archive with this code first (npm run deploy, or npm start locally); nothing was published`,
    { live: live.analyzer, code: ANALYZER_VERSION },
  );
}

/** Plans a publish against the live archive; writes nothing. */
export async function planPublish(o: PublishOptions): Promise<PublishPlan> {
  const previous = await readLiveManifest(o.source);
  checkAnalyzer(previous);
  const now = (o.now ?? (() => new Date()))();
  const policy: CompactionPolicy = { ...DEFAULT_POLICY, ...o.policy };
  const store = new ValueStore(o.source, 256 * 1024 * 1024);
  const archive = new Archive(previous, store, new AttributeCache());
  const stats = new ReadStats();
  const add = o.add ?? [];
  // An id given twice is deleted once (it was killed twice, its footprint taken off twice).
  const remove = [...new Set(o.remove ?? [])];

  // The docs each id has now.
  const addIds = new Set<string>();
  for (const a of add) {
    if (addIds.has(a.id)) throw new BahthError('INPUT_INVALID', `article ${a.id} is given twice (${a.origin})`, { id: a.id });
    addIds.add(a.id);
  }
  for (const id of remove) if (addIds.has(id)) throw new BahthError('INPUT_INVALID', `article ${id} is both published and deleted in one publish`, { id });
  const liveDoc = new Map<string, number>();
  await Promise.all([...addIds, ...remove].map(async (id) => {
    const doc = await archive.docOfId(id, stats);
    if (doc !== undefined) liveDoc.set(id, doc);
  }));
  const unknown = remove.filter((id) => !liveDoc.has(id));
  if (unknown.length > 0) throw new BahthError('INPUT_INVALID', `cannot delete ${unknown.length === 1 ? 'an article that is not' : `${unknown.length} articles that are not`} in the archive: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ' …' : ''}`, { ids: unknown });

  // Replacements identical to the live article change nothing.
  const replacedDocs = add.filter((a) => liveDoc.has(a.id)).map((a) => liveDoc.get(a.id)!);
  const old = await archive.docs([...new Set([...replacedDocs, ...remove.map((id) => liveDoc.get(id)!)])], stats);
  const fresh: Article[] = [];
  let unchanged = 0;
  for (const a of add) {
    const doc = liveDoc.get(a.id);
    if (doc !== undefined && sameArticle(old.get(doc)!, a)) unchanged++;
    else fresh.push(a);
  }
  const kills = [...fresh.filter((a) => liveDoc.has(a.id)).map((a) => liveDoc.get(a.id)!), ...remove.map((id) => liveDoc.get(id)!)].sort((a, b) => a - b);

  const summary: PublishSummary = { added: fresh.length - (kills.length - remove.length), replaced: kills.length - remove.length, removed: remove.length, unchanged, keys: 0, bytes: 0, articleKeys: 0 };
  const writes: { key: string; value: string }[] = [];
  // What this plan writes, readable by its own compaction before any of it is in KV.
  const pending = new Map<string, string>();
  const put = (key: string, value: string) => {
    writes.push({ key, value });
    pending.set(key, value);
    summary.keys++;
    summary.bytes += utf8Length(value);
  };

  let manifest: ArchiveManifest | undefined;
  const generation = previous.generation + 1;
  const nonce = o.nonce ?? randomNonce();
  if (fresh.length > 0 || kills.length > 0) {
    const removedArticles = kills.map((d) => old.get(d)!);
    const words = new Set<string>();
    for (const a of [...fresh, ...removedArticles]) for (const w of docFootprint({ title: a.title, body: a.body.join('\n') }, []).words) if (isLexiconWord(w)) words.add(w);
    const promoted = await promotions(previous, store, stats, words);
    const built = buildDelta(previous, fresh, removedArticles, kills, promoted, now, nonce, put);
    summary.articleKeys = fresh.length;
    summary.delta = built.segment;
    manifest = built.manifest;
  }

  const base = manifest ?? previous;
  const mode = o.compact ?? 'auto';
  const compaction = mode === 'none' ? undefined : chooseCompaction(base, policy, mode);
  let collect: PublishPlan['collect'] = { segments: [], docs: [] };
  if (compaction) {
    const overlay: ValueSource = {
      getMany: async (list) => {
        const rest = list.filter((k) => !pending.has(k));
        const got = rest.length ? await o.source.getMany(rest) : new Map<string, string | null>();
        return new Map(list.map((k) => [k, pending.get(k) ?? got.get(k) ?? null]));
      },
    };
    const c = await compactSegments({ manifest: base, store: new ValueStore(overlay, 256 * 1024 * 1024), stats, kind: compaction, generation, now, nonce, put });
    summary.compaction = c.summary;
    manifest = c.manifest;
  }
  if (manifest) {
    // Segments replaced long enough ago that no isolate can still read them are collected now.
    const due = (manifest.retired ?? []).filter((r) => now.getTime() - Date.parse(r.at) >= policy.retireGraceMs);
    if (due.length > 0) {
      collect = { segments: due.flatMap((r) => r.segments), docs: due.flatMap((r) => r.docs ?? []) };
      manifest = { ...manifest, retired: (manifest.retired ?? []).filter((r) => !due.includes(r)) };
    }
    manifest = { ...manifest, generation, publishedAt: now.toISOString() };
    put(keys.manifestCopy(manifest.archive, manifest.generation), sealValue(JSON.stringify(manifest), true));
  }
  return { previous, ...(manifest ? { manifest } : {}), writes, collect, summary };
}

/** Which compaction the policy calls for now, if any. */
function chooseCompaction(m: ArchiveManifest, policy: CompactionPolicy, mode: CompactMode): 'merge' | 'full' | undefined {
  const deltas = m.segments.filter((s) => s.level === 'delta');
  const merged = m.segments.filter((s) => s.level === 'merged');
  const baseDocs = m.segments.filter((s) => s.level === 'base').reduce((n, s) => n + s.docs, 0);
  if (mode === 'full') return m.segments.length > 1 || m.segments[0]!.kills !== '' ? 'full' : undefined;
  if (mode === 'merge') return deltas.length > 0 ? 'merge' : undefined;
  const deltaBytes = deltas.reduce((n, s) => n + s.bytes, 0);
  if (deltas.length <= policy.maxDeltas && deltaBytes <= policy.maxDeltaBytes) return undefined;
  const mergedDocs = [...deltas, ...merged].reduce((n, s) => n + s.docs, 0);
  return mergedDocs > policy.fullRatio * baseDocs ? 'full' : 'merge';
}

/** Two versions of an article are the same when everything but where they were read from is. */
function sameArticle(a: Article, b: Article): boolean {
  const { origin: _a, ...x } = a;
  const { origin: _b, ...y } = b;
  return JSON.stringify(x) === JSON.stringify(y);
}

/**
 * Indexes the new articles as one delta segment (doc numbers from `nextDoc` on, oldest first),
 * subtracting the removed docs' footprint, and returns the manifest that names it.
 */
function buildDelta(previous: ArchiveManifest, fresh: Article[], removed: Article[], kills: number[], promoted: Set<string>, now: Date, nonce: string, put: (key: string, value: string) => void): { segment: SegmentMeta; manifest: ArchiveManifest } {
  const generation = previous.generation + 1;
  const first = previous.nextDoc;
  const order = fresh.map((a, i) => ({ a, i, t: timeOf(a.date) })).sort((x, y) => x.t - y.t || y.i - x.i);
  const n = order.length;
  const segment = new Segment();
  const lengths = { title: new Uint32Array(n), body: new Uint32Array(n) };
  const titleWordsOf = new Uint8Array(n);
  const cards: string[] = [];
  const ids: string[] = [];
  const wordDf = new Map<string, number>();
  const vocabulary = new Vocabulary();
  const sources = [...previous.tables.sources];
  const categories = [...previous.tables.categories];
  const attributes = [...previous.tables.attributes];
  const pairCode = new Map(attributes.map(([s, c], i) => [`${s},${c}`, i]));
  const attributeOf = new Uint32Array(n);
  const indexOf = (table: string[], v: string | undefined) => {
    if (v === undefined) return -1;
    const at = table.indexOf(v);
    return at >= 0 ? at : table.push(v) - 1;
  };
  order.forEach(({ a }, local) => {
    const l = segment.add(local, { title: a.title, body: a.body.join('\n') }, tagTerms(a.tags));
    lengths.title[local] = l.title;
    lengths.body[local] = l.body;
    titleWordsOf[local] = Math.min(l.titleWords, MAX_TITLE_WORDS);
    for (const w of l.words) if (isLexiconWord(w)) wordDf.set(w, (wordDf.get(w) ?? 0) + 1);
    vocabulary.addTitle(titleText(a));
    cards.push(JSON.stringify(toCard(a)));
    ids.push(a.id);
    const pair = `${indexOf(sources, a.sources[0])},${indexOf(categories, a.category)}`;
    let code = pairCode.get(pair);
    if (code === undefined) {
      code = attributes.push(pair.split(',').map(Number) as [number, number]) - 1;
      pairCode.set(pair, code);
    }
    attributeOf[local] = code;
    put(keys.doc(previous.archive, first + local), sealValue(JSON.stringify(a)));
  });

  // What the removed docs took with them.
  const removedTerms = new Map<string, number>();
  const removedLengths = { title: 0, body: 0 };
  for (const a of removed) {
    const f = docFootprint({ title: a.title, body: a.body.join('\n') }, tagTerms(a.tags));
    for (const t of f.terms) removedTerms.set(t, (removedTerms.get(t) ?? 0) + 1);
    for (const w of f.words) if (isLexiconWord(w)) wordDf.set(w, (wordDf.get(w) ?? 0) - 1);
    removedLengths.title += f.lengths.title;
    removedLengths.body += f.lengths.body;
    vocabulary.removeTitle(titleText(a));
  }

  for (const w of promoted) wordDf.set(w, (wordDf.get(w) ?? 0) + 1);

  const docs = previous.stats.docs + n - removed.length;
  const titleLength = previous.stats.titleLength + sum(lengths.title) - removedLengths.title;
  const bodyLength = previous.stats.bodyLength + sum(lengths.body) - removedLengths.body;
  const stats: Record<Field, FieldStats> = {
    title: { lengths: lengths.title, average: docs > 0 ? titleLength / docs : 0, b: previous.bm25.b.title },
    body: { lengths: lengths.body, average: docs > 0 ? bodyLength / docs : 0, b: previous.bm25.b.body },
  };
  const spill = new Map<number, string[]>();
  if (n > 0) segment.spill((p, lines) => { const l = spill.get(p); if (l) l.push(lines); else spill.set(p, [lines]); }, 0);
  const text = spill.get(0)?.join('') ?? '';
  const meta = writeSegment({
    id: `${previous.archive}.${generation}.${nonce}`,
    level: 'delta',
    first,
    count: n,
    docs: n,
    partitionBits: 0,
    readPartition: () => text,
    spilledBytes: text.length + removedTerms.size * 16,
    shardTargetBytes: DELTA_SHARD_BYTES,
    stats,
    k1: previous.bm25.k1,
    titleWordsOf,
    attributeOf,
    attributeWidth: fixedWidth(attributes.length),
    cards,
    ids: ids.map((id, local): [string, number] => [id, local]),
    days: dayRuns(order.map((x) => x.t)),
    wordDf,
    vocabulary,
    kills,
    removedTerms,
    inUseDf: spellingInUseDf(docs),
    lengths: { title: sum(lengths.title), body: sum(lengths.body) },
    lexiconMinDf: 1,
  }, put);
  const manifest: ArchiveManifest = {
    ...previous,
    generation,
    // Its new values are written in this code's format (a reader of it reads the older lists too).
    format: FORMAT_VERSION,
    publishedAt: now.toISOString(),
    nextDoc: first + n,
    stats: { docs, titleLength, bodyLength },
    tables: { sources, categories, attributes },
    segments: [...previous.segments, meta],
  };
  return { segment: meta, manifest };
}

/**
 * Words the base has in exactly one doc that no later segment has counted yet, among `words`:
 * the base's lexicon lists leave such words out (a query never needs them), so the first segment
 * that counts one again counts the base's doc too, and the lexicon sums stay the archive's own.
 */
async function promotions(m: ArchiveManifest, store: ValueStore, stats: ReadStats, words: Set<string>): Promise<Set<string>> {
  const base = m.segments[0]!;
  if (base.level !== 'base' || base.lexicon === 'one' || words.size === 0) return new Set();
  const byKey = new Map<string, string[]>();
  for (const w of words) {
    const k = lexiconKeyOf(w);
    const list = byKey.get(k);
    if (list) list.push(w);
    else byKey.set(k, [w]);
  }
  const load = <T>(list: string[]) => store.load(list, stats, (_k, json) => JSON.parse(json) as T, true);
  const singles = new Set([...(await load<string[]>([...byKey.keys()].map((k) => keys.singles(base.id, ...splitKey(k))))).values()].flat());
  const candidates = [...words].filter((w) => singles.has(w));
  if (candidates.length === 0) return new Set();
  const wanted = new Set(candidates.map(lexiconKeyOf));
  const lists: string[] = [];
  for (const s of m.segments.slice(1)) {
    if (s.lexicon === 'one') lists.push(keys.lexiconAll(s.id));
    else for (const k of wanted) lists.push(keys.lexicon(s.id, ...splitKey(k)));
  }
  const counted = new Set<string>();
  for (const list of (await store.load(lists, stats, (_k, text) => decodeLexicon(text), true)).values()) for (const [w] of list) counted.add(w);
  return new Set(candidates.filter((w) => !counted.has(w)));
}

/**
 * Term shards of a delta aim at this size: small, because a cold query reads one or two shards
 * of every live delta (see docs/architecture.md for the measured trade-off against keys written).
 */
export const DELTA_SHARD_BYTES = 4 * 1024;

function sum(values: Uint32Array): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

function randomNonce(): string {
  return Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, '0');
}

export { versionOf };

/** What a publish writes to: KV, local or remote, or memory in tests. */
export interface KvStore extends ValueSource {
  /** Writes values; resolves once all are stored. */
  putMany(entries: { key: string; value: string }[]): Promise<void>;
  deleteMany(keys: string[]): Promise<void>;
  /** Every key with a prefix. */
  list(prefix: string): Promise<string[]>;
}

/** A KvStore over a Map (tests, benchmarks). */
export class MemoryKv implements KvStore {
  constructor(readonly values = new Map<string, string>()) {}
  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    return new Map(keys.map((k) => [k, this.values.get(k) ?? null]));
  }
  async putMany(entries: { key: string; value: string }[]): Promise<void> {
    for (const e of entries) this.values.set(e.key, e.value);
  }
  async deleteMany(keys: string[]): Promise<void> {
    for (const k of keys) this.values.delete(k);
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.values.keys()].filter((k) => k.startsWith(prefix)).sort();
  }
}

export interface ExecuteOptions {
  /** Values per write batch (a KV bulk write takes up to 10,000). */
  batch?: number;
  /** Called after each batch with the keys written so far. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Called between the last value and the manifest (tests interrupt a publish here, or race a
   * second one in).
   */
  beforeSwitch?: () => Promise<void>;
}

export interface ExecuteResult {
  /** Keys deleted by the collection of retired segments. */
  collected: number;
}

/**
 * Carries a plan out: the segment's values, then its articles, then (if the live manifest is
 * still the one the plan was made from) the manifest, then the collection of retired keys. The
 * live manifest is checked before anything is written and again before the articles: their
 * keys are numbered from the plan's `nextDoc`, which a publish planned from the same manifest
 * shares, so a publish that finds another one landed writes no article and says so (what it
 * wrote is unreferenced; a later `--gc` removes it). Two publishes writing at the very same
 * time from two machines can still overwrite each other's new articles: the lock
 * (scripts/publish.ts) serializes publishes from one machine; publish from one place.
 */
export async function executePlan(store: KvStore, plan: PublishPlan, o: ExecuteOptions = {}): Promise<ExecuteResult> {
  if (!plan.manifest) return { collected: 0 };
  const batch = o.batch ?? 1000;
  const stillLive = async () => {
    const live = await readLiveManifest(store);
    if (live.archive !== plan.previous.archive || live.generation !== plan.previous.generation) {
      throw new BahthError('PUBLISH_CONFLICT', `another publish made version ${versionOf(live)} live while this one ran (it started from ${versionOf(plan.previous)}); nothing was switched: publish again`);
    }
  };
  const articlePrefix = keys.docPrefix(plan.previous.archive);
  const isArticle = (key: string) => key.startsWith(articlePrefix);
  const ordered = [...plan.writes.filter((w) => !isArticle(w.key)), ...plan.writes.filter((w) => isArticle(w.key))];
  const firstArticle = ordered.findIndex((w) => isArticle(w.key));
  await stillLive();
  for (let i = 0; i < ordered.length; ) {
    if (i === firstArticle) await stillLive();
    const end = Math.min(ordered.length, i + batch, firstArticle > i ? firstArticle : ordered.length);
    await store.putMany(ordered.slice(i, end));
    o.onProgress?.(end, ordered.length);
    i = end;
  }
  await o.beforeSwitch?.();
  await stillLive();
  await store.putMany([{ key: MANIFEST_KEY, value: sealValue(JSON.stringify(plan.manifest), true) }]);
  let collected = 0;
  if (plan.collect.segments.length || plan.collect.docs.length) {
    const doomed = plan.collect.docs.map((d) => keys.doc(plan.manifest!.archive, d));
    for (const id of plan.collect.segments) doomed.push(...(await store.list(segmentPrefix(id))));
    for (let i = 0; i < doomed.length; i += batch) await store.deleteMany(doomed.slice(i, i + batch));
    collected = doomed.length;
  }
  return { collected };
}
