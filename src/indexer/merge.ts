/**
 * Joins the segments' spilled postings into the final term shards: per term, the slots of all
 * segments merged, tf and each document's field length turned into posting codes (BM25 is
 * computed from them at query time), and terms grouped into shards by hash. Works one hash partition at a time, so its
 * memory is a fraction of the postings whatever the archive's size.
 */
import { shardHash } from '../core/format/hash';
import { decodePostings, encodePostings, postingCode, type FieldPostings } from '../core/format/codec';
import { encodeFixed, type TermEntry, type TermShard } from '../core/format/layout';
import type { Field } from './segment';

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

/**
 * Groups terms, given in ascending hash order, into `2 ** shardBits` shards (hash ranges),
 * sending a term whose postings pass `bigTermBytes` to a key of its own.
 */
export class ShardSink {
  terms = 0;
  private shardNo = -1;
  private shard: TermShard = {};
  constructor(
    readonly shardBits: number,
    private readonly bigTermBytes: number,
    private readonly onShard: (shard: number, terms: TermShard) => void,
    private readonly onBigTerm: (term: string, entry: TermEntry) => void,
  ) {}

  add(term: string, hash: number, entry: TermEntry): void {
    this.terms++;
    this.flush(this.shardBits === 0 ? 0 : hash >>> (32 - this.shardBits));
    if (entry[1].length + entry[2].length > this.bigTermBytes) this.onBigTerm(term, entry);
    else this.shard[term] = entry;
  }

  /** Writes the last shards (empty ones too, so a lookup never misses a key). */
  finish(): void {
    this.flush(2 ** this.shardBits);
  }

  // Shards are hash ranges and terms come in hash order: every shard is complete when the next
  // one starts.
  private flush(next: number): void {
    while (this.shardNo < next) {
      if (this.shardNo >= 0) this.onShard(this.shardNo, this.shard);
      this.shardNo++;
      this.shard = {};
    }
  }
}

/** Runs the merge; returns the number of distinct terms. */
export function mergeSpills(o: MergeOptions): number {
  const partitions = 2 ** o.partitionBits;
  const sink = new ShardSink(o.shardBits, o.bigTermBytes, o.onShard, o.onBigTerm);
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
      const title = mergeField(g.title, o.stats.title);
      const body = term.startsWith('#') ? mergeField(g.body, null) : mergeField(g.body, o.stats.body);
      const df = countDocs(title, body) - g.removed;
      const entry: TermEntry = [df, title ? encodePostings(title) : '', body ? encodePostings(body) : '', postingValues([title, body], o.attributeOf, o.attributeWidth), postingValues([title], o.titleWordsOf, 1)];
      const spellings = o.spellings?.get(term);
      if (spellings) {
        entry.push(spellings);
        const inUse = o.spellingsInUse?.get(term);
        if (inUse) entry.push(inUse);
      }
      o.onTerm?.(term, df);
      sink.add(term, g.hash, entry);
    }
    o.onPartition?.(p + 1, partitions);
  }
  sink.finish();
  return sink.terms;
}

/** A per-doc value (attribute code, title words) for each of some postings, in posting order (see TermEntry). */
export function postingValues(fields: (FieldPostings | undefined)[], valueOf: ArrayLike<number>, width: number): string {
  const values: number[] = [];
  for (const f of fields) for (const slot of f?.slots ?? []) for (const doc of slot ?? []) values.push(valueOf[doc]!);
  return encodeFixed(values, width);
}

/**
 * Merges one field's postings from several segments and turns tf units into posting codes
 * (tf and the field's length; filter terms, never scored, keep their tf alone).
 */
function mergeField(encoded: string[], stats: FieldStats | null): FieldPostings | undefined {
  if (encoded.length === 0) return undefined;
  const parts = encoded.map((e) => decodePostings(e));
  const slotCount = Math.max(...parts.map((p) => p.slots.length));
  const slots: number[][] = [];
  const codes: number[] = [];
  for (let s = 0; s < slotCount; s++) {
    const pairs: [number, number][] = [];
    for (const part of parts) {
      let k = 0;
      for (let t = 0; t < s; t++) k += part.slots[t]?.length ?? 0;
      for (const doc of part.slots[s] ?? []) pairs.push([doc, part.codes[k++]!]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    slots.push(pairs.map((p) => p[0]));
    for (const [doc, units] of pairs) codes.push(postingCode(units, stats ? stats.lengths[doc]! : 0));
  }
  return { slots, codes: Uint16Array.from(codes) };
}

function countDocs(a: FieldPostings | undefined, b: FieldPostings | undefined): number {
  const seen = new Set<number>();
  for (const p of [a, b]) for (const slot of p?.slots ?? []) for (const d of slot) seen.add(d);
  return seen.size;
}
