/**
 * Compaction folds segments into one, as Lucene merges segments: postings joined in doc order
 * (posting codes kept as written), the dead docs of the merged range purged, document frequencies
 * counted again, lexicon, completions, cards and ids merged. Only index keys are written: an
 * article's key is its doc number, which never changes. `merge` folds the deltas (and the
 * merged segment) into one merged segment; `full` folds everything into a new base.
 */
import { BahthError } from '../core/errors';
import { decodePostings, encodePostings } from '../core/format/codec';
import { shardHash } from '../core/format/hash';
import { decodeDays, decodeShard, encodeFixed, encodeShard, fixedWidth, FORMAT_VERSION, keys, readFixed, sealShard, SPELLING_CODE_LENGTH, spellingInUseDf, type Card, type SuggestEntry, type TermEntry, type TermShard } from '../core/format/layout';
import { decodeInts, decodeLexicon } from '../core/format/codec';
import { attributeCoder, deadDocs, type ArchiveManifest, type SegmentMeta } from '../core/format/manifest';
import type { Article } from '../core/article';
import type { ReadStats } from '../core/search/source';
import { ValueStore } from '../core/search/store';
import { tagTerms } from './doc-fields';
import { ShardSink } from './merge';
import { docFootprint } from './segment';
import { baseSizing, Counter, MAX_SHARD_BITS, shardBitsFor, spellingsOf, writeBigTerm, writeSegmentRest, type KeyIndex } from './segment-writer';
import { Vocabulary } from './vocabulary';

export interface CompactOptions {
  manifest: ArchiveManifest;
  /** Where the segments' values are read from. */
  store: ValueStore;
  stats: ReadStats;
  kind: 'merge' | 'full';
  /** The generation of the manifest that will name the merged segment. */
  generation: number;
  now: Date;
  nonce: string;
  put: (key: string, value: string) => void;
  /** Aim for term shards of about this many bytes (default 16 KiB, as a build). */
  shardTargetBytes?: number;
}

export interface Compaction {
  manifest: ArchiveManifest;
  summary: { kind: 'merge' | 'full'; merged: string[]; segment: string; docs: number; purged: number; keys: number; bytes: number };
}

/** Output shards whose inputs are read in one batch. */
const SHARDS_PER_BATCH = 32;

/** Folds segments as `kind` says; returns the manifest that names the result. */
export async function compactSegments(o: CompactOptions): Promise<Compaction> {
  const m = o.manifest;
  const segs = o.kind === 'full' ? m.segments : m.segments.filter((s) => s.level !== 'base');
  if (segs.length === 0) throw new BahthError('BUILD_FAILED', 'nothing to compact');
  const kept = m.segments.filter((s) => !segs.includes(s));
  const first = segs[0]!.first;
  const end = segs[segs.length - 1]!.end;
  const inRange = (d: number) => d >= first && d < end;
  const purged = new Set(deadDocs(m).filter(inRange));
  const holes = new Set(segs.flatMap((s) => (s.holes ? decodeInts(s.holes, true) : [])));
  const outside = [...new Set(segs.flatMap((s) => (s.kills ? decodeInts(s.kills, true) : [])).filter((d) => !inRange(d)))].sort((a, b) => a - b);
  const store = new ValueStore(o.store.source, 64 * 1024 * 1024);
  const load = <T>(list: string[], optional = false) => store.load(list, o.stats, (_k, json) => JSON.parse(json) as T, optional);
  const loadLexicon = (list: string[]) => store.load(list, o.stats, (_k, text) => decodeLexicon(text));

  // What the docs removed outside the range took away (their own segment keeps their postings).
  const removedTerms = new Map<string, number>();
  const gone = await load<Article>(outside.map((d) => keys.doc(m.archive, d)));
  for (const d of outside) {
    const a = gone.get(keys.doc(m.archive, d))!;
    for (const t of docFootprint({ title: a.title, body: a.body.join('\n') }, tagTerms(a.tags)).terms) removedTerms.set(t, (removedTerms.get(t) ?? 0) + 1);
  }

  // Lexicon and completions: the segments' net counts, summed. A full compaction also takes the
  // base's words seen once, unless a later segment counted them already (publish.ts promotes
  // such a word into the first segment that sees it again).
  const wordDf = new Map<string, number>();
  const vocabulary = new Vocabulary();
  let baseSingles: string[] = [];
  for (const s of segs) {
    const index = s.lexicon === 'split' ? (await load<KeyIndex>([keys.keyIndex(s.id)])).get(keys.keyIndex(s.id))! : undefined;
    const lexKeys = index ? index.lexicon.map((k) => keys.lexicon(s.id, ...splitKey(k))) : [keys.lexiconAll(s.id)];
    for (const list of (await loadLexicon(lexKeys)).values()) for (const [w, df] of list) wordDf.set(w, (wordDf.get(w) ?? 0) + df);
    if (s.level === 'base' && index?.singles.length) {
      baseSingles = [...(await load<string[]>(index.singles.map((k) => keys.singles(s.id, ...splitKey(k))))).values()].flat();
    }
    const sugKeys = index ? index.suggest.map((p) => keys.suggest(s.id, p)) : [keys.suggestAll(s.id)];
    // A crowded group's words are in its key and in its split groups' too: each counted once.
    const words = new Map<string, SuggestEntry>();
    for (const list of (await load<SuggestEntry[]>(sugKeys)).values()) for (const e of list) if (!words.has(e[0])) words.set(e[0], e);
    vocabulary.addEntries(words.values());
  }
  if (baseSingles.length) {
    const counted = new Set<string>();
    for (const s of segs) if (s.level !== 'base') for (const list of (await loadLexicon(await lexiconKeysOf(s, load))).values()) for (const [w] of list) counted.add(w);
    for (const w of baseSingles) if (!counted.has(w)) wordDf.set(w, (wordDf.get(w) ?? 0) + 1);
  }
  // A new base keeps true counts only; a merged segment keeps every word it counted, zeros too.
  if (o.kind === 'full') for (const [w, df] of wordDf) if (df <= 0) wordDf.delete(w);

  const counter = new Counter(o.put);
  const id = `${m.archive}.${o.generation}.${o.nonce}.${o.kind === 'full' ? 'b' : 'm'}`;
  const attributeWidth = fixedWidth(m.tables.attributes.length);
  const sizing = baseSizing(o.shardTargetBytes);
  const terms = await mergeTerms({
    segs, store, load, id, first, purged, removedTerms, attributeWidth, counter,
    loadShards: (list) => store.load(list, o.stats, (_k, text) => decodeShard(text)),
    shardBits: shardBitsFor(segs.reduce((n, s) => n + s.termBytes, 0), sizing.shardTargetBytes),
    bigTermBytes: sizing.bigTermBytes,
    spellings: spellingsOf(wordDf, spellingInUseDf(m.stats.docs)),
  });

  // Cards, ids and days over the merged range.
  const count = end - first;
  const cards: (string | null)[] = new Array(count).fill(null);
  const ids: [string, number][] = [];
  const days: [number, number][] = [];
  for (const s of segs) {
    const blocks = Math.ceil((s.end - s.first) / s.cardsBlock);
    const got = await load<(Card | null)[]>(Array.from({ length: blocks }, (_, b) => keys.cards(s.id, b)));
    for (let b = 0; b < blocks; b++) {
      (got.get(keys.cards(s.id, b)) ?? []).forEach((card, i) => {
        const doc = s.first + b * s.cardsBlock + i;
        if (card && !purged.has(doc)) cards[doc - first] = JSON.stringify(card);
      });
    }
    const own: [string, number][] = s.ids ?? Object.entries(Object.assign({}, ...(await load<Record<string, number>>(Array.from({ length: 2 ** s.idBits }, (_, n) => keys.ids(s.id, n)))).values()) as Record<string, number>);
    for (const [docId, local] of own) if (!purged.has(s.first + local)) ids.push([docId, s.first + local - first]);
    for (const [day, local] of decodeDays(s.days)) {
      const at = s.first + local - first;
      if (days.length === 0 || days[days.length - 1]![0] !== day) days.push([day, at]);
    }
  }
  // Each doc's attribute code, from its card (the manifest's tables, which a compaction keeps).
  const codeOf = attributeCoder(m.tables);
  const attributeOf = new Uint32Array(count);
  cards.forEach((json, local) => {
    if (json === null) return;
    const card = JSON.parse(json) as Card;
    const code = codeOf(card);
    if (code === undefined) throw new BahthError('INDEX_CORRUPT', `doc ${first + local} (${card.id}): its source and category are not in the manifest's tables`);
    attributeOf[local] = code;
  });
  // The range's docs without a card: purged now or by an earlier compaction (whose holes a
  // manifest written before 2026-12-07 does not list): every one is recorded, every other counted.
  const gaps = cards.flatMap((c, local) => (c === null ? [first + local] : []));
  const docs = count - gaps.length;
  const meta: SegmentMeta = writeSegmentRest({
    id,
    level: o.kind === 'full' ? 'base' : 'merged',
    first,
    count,
    docs,
    cards,
    ids,
    days,
    wordDf,
    vocabulary,
    kills: outside,
    holes: gaps,
    attributeOf,
    attributeWidth,
    lengths: { title: segs.reduce((n, s) => n + s.lengths.title, 0), body: segs.reduce((n, s) => n + s.lengths.body, 0) },
    lexiconMinDf: o.kind === 'full' ? 2 : 1,
  }, terms, counter);
  const manifest: ArchiveManifest = {
    ...m,
    // Its new values are written in this code's format (a reader of it reads the older lists too).
    format: FORMAT_VERSION,
    generation: o.generation,
    publishedAt: o.now.toISOString(),
    segments: [...kept, meta],
    // The articles of the docs purged now (an earlier compaction's holes had theirs retired then).
    retired: [...(m.retired ?? []), { at: o.now.toISOString(), segments: segs.map((s) => s.id), docs: [...purged].filter((d) => !holes.has(d)).sort((a, b) => a - b) }],
  };
  return { manifest, summary: { kind: o.kind, merged: segs.map((s) => s.id), segment: id, docs, purged: [...purged].filter((d) => !holes.has(d)).length, keys: counter.keys, bytes: counter.bytes } };
}

interface MergeTermsOptions {
  segs: SegmentMeta[];
  store: ValueStore;
  load: <T>(list: string[], optional?: boolean) => Promise<Map<string, T>>;
  loadShards: (list: string[]) => Promise<Map<string, TermShard>>;
  id: string;
  first: number;
  purged: Set<number>;
  removedTerms: Map<string, number>;
  attributeWidth: number;
  counter: Counter;
  shardBits: number;
  bigTermBytes: number;
  spellings: { spellings: Map<string, string>; inUse: Map<string, number> };
}

/** One posting on its way into the merged segment. */
interface Moved {
  doc: number;
  code: number;
  attribute: number;
  titleWords: number;
}

/** Merges the segments' term entries, output shard by output shard (hash ranges), into `counter`. */
async function mergeTerms(o: MergeTermsOptions): Promise<{ terms: number; shardBits: number; big: string[]; bytes: number }> {
  const big: string[] = [];
  const before = o.counter.bytes;
  const sink = new ShardSink(o.shardBits, o.bigTermBytes,
    (s, shard) => o.counter.put(keys.shard(o.id, s), sealShard(encodeShard(shard), o.shardBits === MAX_SHARD_BITS)),
    (term, entry) => {
      big.push(term);
      writeBigTerm(o.id, term, entry, o.attributeWidth, o.counter.put);
    });
  const outShards = 2 ** o.shardBits;
  const span = (j: number) => [j * 2 ** (32 - o.shardBits), (j + 1) * 2 ** (32 - o.shardBits)] as const;
  const bigTerms = o.segs.map((s) => new Map(s.big.map((t) => [t, shardHash(t)])));
  for (let j0 = 0; j0 < outShards; j0 += SHARDS_PER_BATCH) {
    const j1 = Math.min(outShards, j0 + SHARDS_PER_BATCH);
    const [lo] = span(j0);
    const [, hi] = span(j1 - 1);
    // The input shards (and big terms) whose hash ranges meet [lo, hi).
    const wanted: string[] = [];
    o.segs.forEach((s, i) => {
      const size = 2 ** (32 - s.shardBits);
      for (let n = Math.floor(lo / size); n * size < hi && n < 2 ** s.shardBits; n++) wanted.push(keys.shard(s.id, n));
      for (const [t, h] of bigTerms[i]!) if (h >= lo && h < hi) wanted.push(keys.bigTerm(s.id, t));
    });
    const got = await o.loadShards(wanted);
    // A big term's tier B, read beside its head: a merge joins them again (and splits anew).
    const rests = new Map<string, string>();
    o.segs.forEach((s, i) => {
      for (const [t, h] of bigTerms[i]!) if (h >= lo && h < hi && got.get(keys.bigTerm(s.id, t))?.[t]?.[7]) rests.set(keys.bigRest(s.id, t), keys.bigTerm(s.id, t));
    });
    if (rests.size) for (const [k, v] of await o.loadShards([...rests.keys()])) got.set(`${rests.get(k)}#rest`, v);
    const byTerm = new Map<string, { hash: number; entries: [SegmentMeta, TermEntry][] }>();
    o.segs.forEach((s, i) => {
      const size = 2 ** (32 - s.shardBits);
      const bigKeys = [...bigTerms[i]!].filter(([, h]) => h >= lo && h < hi).map(([t]) => keys.bigTerm(s.id, t));
      const own = [...Array.from({ length: 2 ** s.shardBits }, (_, n) => n).filter((n) => n * size < hi && (n + 1) * size > lo).map((n) => keys.shard(s.id, n)), ...bigKeys, ...bigKeys.map((k) => `${k}#rest`)];
      for (const key of own) {
        for (const [term, entry] of Object.entries(got.get(key) ?? {})) {
          const hash = shardHash(term);
          if (hash < lo || hash >= hi) continue;
          let g = byTerm.get(term);
          if (!g) byTerm.set(term, (g = { hash, entries: [] }));
          g.entries.push([s, entry]);
        }
      }
    });
    for (const term of o.removedTerms.keys()) {
      const hash = shardHash(term);
      if (hash >= lo && hash < hi && !byTerm.has(term)) byTerm.set(term, { hash, entries: [] });
    }
    const ordered = [...byTerm].sort((a, b) => a[1].hash - b[1].hash || (a[0] < b[0] ? -1 : 1));
    for (const [term, g] of ordered) {
      const entry = mergeEntry(term, g.entries, o);
      if (entry) sink.add(term, g.hash, entry);
    }
  }
  sink.finish();
  return { terms: sink.terms, shardBits: o.shardBits, big, bytes: o.counter.bytes - before };
}

/** One term's entries of several segments as one, purged and renumbered; undefined when nothing is left. */
function mergeEntry(term: string, entries: [SegmentMeta, TermEntry][], o: MergeTermsOptions): TermEntry | undefined {
  const title: Moved[][] = [];
  const body: Moved[][] = [];
  const codes: string[] = [];
  for (const [s, [, t, b, attributes, titleWords, spellings]] of entries) {
    let k = 0;
    let w = 0;
    for (const [field, into] of [[t, title], [b, body]] as const) {
      if (!field) continue;
      const p = decodePostings(field, s.first);
      let at = 0;
      p.slots.forEach((slot, si) => {
        for (const doc of slot) {
          const moved: Moved = { doc, code: p.codes[at++]!, attribute: readFixed(attributes, k++, s.attributeWidth), titleWords: into === title ? readFixed(titleWords, w++, 1) : 0 };
          if (moved.attribute < 0 || moved.titleWords < 0) throw new BahthError('INDEX_CORRUPT', `segment ${s.id}: term ${term} has codes that do not match its postings`);
          if (o.purged.has(doc)) continue;
          (into[si] ??= []).push(moved);
        }
      });
    }
    if (spellings) for (let i = 0; i < spellings.length; i += SPELLING_CODE_LENGTH) codes.push(spellings.slice(i, i + SPELLING_CODE_LENGTH));
  }
  // A big term's two tiers come as two entries of one segment: each slot back in doc order.
  for (const slots of [title, body]) for (const slot of slots) slot?.sort((x, y) => x.doc - y.doc);
  const live = new Set<number>();
  for (const slots of [title, body]) for (const slot of slots) for (const p of slot ?? []) live.add(p.doc);
  const df = live.size - (o.removedTerms.get(term) ?? 0);
  if (live.size === 0 && df === 0) return undefined;
  const encode = (slots: Moved[][]) => slots.length === 0 ? '' : encodePostings({
    slots: Array.from({ length: slots.length }, (_, s) => (slots[s] ?? []).map((p) => p.doc - o.first)),
    codes: Uint16Array.from(slots.flatMap((slot) => (slot ?? []).map((p) => p.code))),
  });
  const all = [...title, ...body].flatMap((slot) => slot ?? []);
  const entry: TermEntry = [df, encode(title), encode(body), encodeFixed(all.map((p) => p.attribute), o.attributeWidth), encodeFixed(title.flatMap((slot) => (slot ?? []).map((p) => p.titleWords)), 1)];
  const own = o.spellings.spellings.get(term) ?? '';
  if (own || codes.length) {
    const inUse = o.spellings.inUse.get(term) ?? 0;
    const head = own.slice(0, inUse * SPELLING_CODE_LENGTH);
    const seen = new Set<string>();
    for (let i = 0; i < head.length; i += SPELLING_CODE_LENGTH) seen.add(head.slice(i, i + SPELLING_CODE_LENGTH));
    let tail = '';
    for (let i = inUse * SPELLING_CODE_LENGTH; i < own.length; i += SPELLING_CODE_LENGTH) codes.push(own.slice(i, i + SPELLING_CODE_LENGTH));
    for (const c of codes) if (!seen.has(c)) { seen.add(c); tail += c; }
    entry.push(head + tail);
    if (inUse) entry.push(inUse);
  }
  return entry;
}

/** A lexicon key `first/length` as arguments for keys.lexicon. */
export function splitKey(k: string): [string, number] {
  const at = k.indexOf('/');
  return [k.slice(0, at), Number(k.slice(at + 1))];
}

/** Every lexicon key of a segment (one key, or its key index's list). */
export async function lexiconKeysOf(s: SegmentMeta, load: <T>(list: string[], optional?: boolean) => Promise<Map<string, T>>): Promise<string[]> {
  if (s.lexicon === 'one') return [keys.lexiconAll(s.id)];
  const index = (await load<KeyIndex>([keys.keyIndex(s.id)])).get(keys.keyIndex(s.id))!;
  return index.lexicon.map((k) => keys.lexicon(s.id, ...splitKey(k)));
}
