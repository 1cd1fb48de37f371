/**
 * Joins the segments' spilled postings into the final term shards: per term, the slots of all
 * segments merged, tf turned into quantized BM25 impacts now that every document's length is
 * known, and terms grouped into shards by hash. Works one hash partition at a time, so its
 * memory is a fraction of the postings whatever the archive's size.
 */
import { shardHash } from '../core/format/hash';
import { decodePostings, encodePostings, IMPACT_LEVELS, type FieldPostings } from '../core/format/codec';
import { encodeFixed, type TermEntry, type TermShard } from '../core/format/layout';
import { TF_UNIT, type Field } from './segment';

export interface FieldStats {
  /** Length (words) of each doc's field, by doc number. */
  lengths: Uint32Array;
  average: number;
  /** BM25 length normalization for the field. */
  b: number;
}

export interface MergeOptions {
  /** The spilled lines of one hash partition (see Segment.spill), or undefined when it has none. */
  readPartition: (partition: number) => string | undefined;
  partitionBits: number;
  /**
   * Per term, how many docs of older segments that have it this segment removes (a publish's
   * deletes and replacements): subtracted from its df, so that df summed over the segments is
   * the live archive's. A term only removed gets an entry with no postings and a negative df.
   */
  removed?: Map<string, number>;
  shardBits: number;
  /** A term whose encoded postings are larger goes to a key of its own. */
  bigTermBytes: number;
  k1: number;
  stats: Record<Field, FieldStats>;
  onShard: (shard: number, terms: TermShard) => void;
  onBigTerm: (term: string, entry: TermEntry) => void;
  onTerm?: (term: string, df: number) => void;
  /** Each doc's attribute code (IndexMeta.attributes), written for each of its postings. */
  attributeOf: ArrayLike<number>;
  /** Digits of one code (IndexMeta.attributeWidth). */
  attributeWidth: number;
  /** Each doc's title word count (capped at MAX_TITLE_WORDS), written for each of its title postings. */
  titleWordsOf: ArrayLike<number>;
  /** Known spellings (codes) per plain stem; see TermEntry. */
  spellings?: Map<string, string>;
  /** How many of a stem's spellings (the first ones) are in use; see TermEntry. */
  spellingsInUse?: Map<string, number>;
  onPartition?: (done: number, total: number) => void;
}

/** Runs the merge; returns the number of distinct terms. */
export function mergeSpills(o: MergeOptions): number {
  const partitions = 2 ** o.partitionBits;
  let terms = 0;
  let shardNo = -1;
  let shard: TermShard = {};
  const flush = (next: number) => {
    // Shards are hash ranges and partitions are read in hash order: every shard is complete
    // when the next one starts. Empty shards are written too, so a lookup never misses a key.
    while (shardNo < next) {
      if (shardNo >= 0) o.onShard(shardNo, shard);
      shardNo++;
      shard = {};
    }
  };
  const removedIn = new Map<number, [string, number][]>();
  for (const [term, n] of o.removed ?? []) {
    const p = o.partitionBits === 0 ? 0 : shardHash(term) >>> (32 - o.partitionBits);
    const list = removedIn.get(p);
    if (list) list.push([term, n]);
    else removedIn.set(p, [[term, n]]);
  }
  for (let p = 0; p < partitions; p++) {
    const grouped = new Map<string, { hash: number; title: string[]; body: string[]; removed: number }>();
    for (const line of o.readPartition(p)?.split('\n') ?? []) {
      if (!line) continue;
      const [hash, term, title, body] = line.split('\t') as [string, string, string, string];
      let g = grouped.get(term);
      if (!g) grouped.set(term, (g = { hash: Number(hash), title: [], body: [], removed: 0 }));
      if (title) g.title.push(title);
      if (body) g.body.push(body);
    }
    for (const [term, n] of removedIn.get(p) ?? []) {
      const g = grouped.get(term);
      if (g) g.removed += n;
      else grouped.set(term, { hash: shardHash(term), title: [], body: [], removed: n });
    }
    const ordered = [...grouped.entries()].sort((a, b) => a[1].hash - b[1].hash || (a[0] < b[0] ? -1 : 1));
    for (const [term, g] of ordered) {
      const title = mergeField(g.title, o.stats.title, o.k1);
      const body = term.startsWith('#') ? mergeField(g.body, null, o.k1) : mergeField(g.body, o.stats.body, o.k1);
      const df = countDocs(title, body) - g.removed;
      const entry: TermEntry = [df, title ? encodePostings(title) : '', body ? encodePostings(body) : '', postingValues([title, body], o.attributeOf, o.attributeWidth), postingValues([title], o.titleWordsOf, 1)];
      const spellings = o.spellings?.get(term);
      if (spellings) {
        entry.push(spellings);
        const inUse = o.spellingsInUse?.get(term);
        if (inUse) entry.push(inUse);
      }
      terms++;
      o.onTerm?.(term, df);
      const target = o.shardBits === 0 ? 0 : g.hash >>> (32 - o.shardBits);
      flush(target);
      if (entry[1].length + entry[2].length > o.bigTermBytes) o.onBigTerm(term, entry);
      else shard[term] = entry;
    }
    o.onPartition?.(p + 1, partitions);
  }
  flush(2 ** o.shardBits);
  return terms;
}

/** A per-doc value (attribute code, title words) for each of some postings, in posting order (see TermEntry). */
function postingValues(fields: (FieldPostings | undefined)[], valueOf: ArrayLike<number>, width: number): string {
  const values: number[] = [];
  for (const f of fields) for (const slot of f?.slots ?? []) for (const doc of slot ?? []) values.push(valueOf[doc]!);
  return encodeFixed(values, width);
}

/** Merges one field's postings from several segments and turns tf units into impacts. */
function mergeField(encoded: string[], stats: FieldStats | null, k1: number): FieldPostings | undefined {
  if (encoded.length === 0) return undefined;
  const parts = encoded.map((e) => decodePostings(e));
  const slotCount = Math.max(...parts.map((p) => p.slots.length));
  const slots: number[][] = [];
  const impacts: number[] = [];
  for (let s = 0; s < slotCount; s++) {
    const pairs: [number, number][] = [];
    for (const part of parts) {
      let k = 0;
      for (let t = 0; t < s; t++) k += part.slots[t]?.length ?? 0;
      for (const doc of part.slots[s] ?? []) pairs.push([doc, part.impacts[k++]!]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    slots.push(pairs.map((p) => p[0]));
    for (const [doc, units] of pairs) impacts.push(stats ? impact(units / TF_UNIT, stats.lengths[doc]!, stats, k1) : IMPACT_LEVELS);
  }
  return { slots, impacts: Uint8Array.from(impacts) };
}

/** BM25's term-frequency factor, scaled to 0..1 and quantized to 1..IMPACT_LEVELS. */
export function impact(tf: number, length: number, stats: FieldStats, k1: number): number {
  const norm = k1 * (1 - stats.b + (stats.b * length) / (stats.average || 1));
  const x = tf / (tf + norm);
  return Math.max(1, Math.min(IMPACT_LEVELS, Math.round(x * IMPACT_LEVELS)));
}

function countDocs(a: FieldPostings | undefined, b: FieldPostings | undefined): number {
  const seen = new Set<number>();
  for (const p of [a, b]) for (const slot of p?.slots ?? []) for (const d of slot) seen.add(d);
  return seen.size;
}
