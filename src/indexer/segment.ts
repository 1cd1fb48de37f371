/**
 * One segment of the index build: a bounded batch of articles indexed by FlexSearch (with the
 * bahth analyzer as its encoder), spilled to disk as per-term postings partitioned by term
 * hash. Segments keep the build's memory bounded whatever the archive's size; the merge step
 * (merge.ts) joins them. Runtime-neutral: a publish indexes its few articles the same way.
 */
import { Index, type Encoder } from 'flexsearch';
import { analyze, READS_TANWEEN, termsOf } from '../core/analyzer/index';
import { encodePostings, MAX_TF_UNITS, RESOLUTION, TF_UNIT } from '../core/format/codec';
import { shardHash } from '../core/format/hash';

/** FlexSearch options of both field indexes; recorded in the index meta. */
export const FLEX_OPTIONS = { tokenize: 'strict', resolution: RESOLUTION, cache: false, fastupdate: false } as const;


export type Field = 'title' | 'body';
export const FIELDS: readonly Field[] = ['title', 'body'];

/** How many words of a field count for BM25 length normalization, and the doc's distinct words. */
export interface FieldLengths {
  title: number;
  body: number;
  /** Distinct plain stems of the title: how many words a query must hold to name the whole title. */
  titleWords: number;
  words: Set<string>;
}

/** FlexSearch encoder that runs the analyzer once per text and remembers its last answer, so the tf count and FlexSearch share one pass. */
class AnalyzerEncoder {
  constructor(private readonly field: Field) {}
  private lastText = '';
  lastTerms: string[] = [];
  lastTf = new Map<string, number>();
  lastLength = 0;
  /** Normalized words (not stems) of the last text: the typo lexicon is made of these. */
  lastWords: string[] = [];
  /** Distinct words (plain stems, not a compound's one-word stem) of the last text. */
  lastDistinct = 0;

  encode = (text: string): string[] => {
    if (text === this.lastText) return this.lastTerms;
    const terms: string[] = [];
    const tf = new Map<string, number>();
    let length = 0;
    const words: string[] = [];
    const analyzed = analyze(text, Infinity, READS_TANWEEN[this.field]);
    const distinct = new Set<string>();
    for (const term of analyzed) {
      length++;
      words.push(term.norm);
      for (const t of termsOf(term)) {
        terms.push(t);
        tf.set(t, (tf.get(t) ?? 0) + TF_UNIT);
      }
      // A compound name written apart counts as its two words (عبد الله): counted as one, a
      // query's عبد matching the عبد of another name would make it name a title it does not.
      distinct.add(term.stems[0]!);
    }
    this.lastDistinct = distinct.size;
    this.lastText = text;
    this.lastTerms = terms;
    this.lastTf = tf;
    this.lastLength = length;
    this.lastWords = words;
    return terms;
  };
}

interface FlexInternals {
  map: Map<string, number[][]>;
}

/** Collects one segment's documents and writes its postings to `partitions` spill files. */
export class Segment {
  private readonly flex: Record<Field, Index>;
  private readonly encoder: Record<Field, AnalyzerEncoder>;
  /** tf units above one plain occurrence, per field, term and doc (most are exactly one). */
  private readonly tf: Record<Field, Map<string, Map<number, number>>>;
  /** Filter terms (tags): term → docs. */
  private readonly filters = new Map<string, number[]>();
  size = 0;

  constructor() {
    this.encoder = { title: new AnalyzerEncoder('title'), body: new AnalyzerEncoder('body') };
    this.flex = {
      // FlexSearch takes any object with an `encode(text): string[]` as its encoder.
      title: new Index({ ...FLEX_OPTIONS, encoder: this.encoder.title as unknown as Encoder }),
      body: new Index({ ...FLEX_OPTIONS, encoder: this.encoder.body as unknown as Encoder }),
    };
    this.tf = { title: new Map(), body: new Map() };
  }

  /** Indexes one document under its doc number and returns its field lengths. */
  add(doc: number, text: Record<Field, string>, filterTerms: string[]): FieldLengths {
    const lengths: FieldLengths = { title: 0, body: 0, titleWords: 0, words: new Set() };
    for (const field of FIELDS) {
      const encoder = this.encoder[field];
      encoder.encode(text[field]);
      this.flex[field].add(doc, text[field]);
      lengths[field] = encoder.lastLength;
      if (field === 'title') lengths.titleWords = encoder.lastDistinct;
      for (const w of encoder.lastWords) lengths.words.add(w);
      const extra = this.tf[field];
      for (const [term, units] of encoder.lastTf) {
        if (units === TF_UNIT) continue;
        let docs = extra.get(term);
        if (!docs) extra.set(term, (docs = new Map()));
        docs.set(doc, Math.min(units, MAX_TF_UNITS));
      }
    }
    for (const term of new Set(filterTerms)) {
      const docs = this.filters.get(term);
      if (docs) docs.push(doc);
      else this.filters.set(term, [doc]);
    }
    this.size++;
    return lengths;
  }

  /**
   * Writes the segment's postings, one line per term: `hash \t term \t title \t body`, each
   * field in the codec of codec.ts with tf units in place of impacts, to `sink` by the term's
   * hash partition (a spill file in the build, memory in a publish). Returns the number of terms.
   */
  spill(sink: (partition: number, lines: string) => void, partitionBits: number): number {
    const lines = new Map<number, string[]>();
    const terms = new Set<string>();
    const maps: Record<Field, Map<string, number[][]>> = {
      title: (this.flex.title as unknown as FlexInternals).map,
      body: (this.flex.body as unknown as FlexInternals).map,
    };
    for (const field of FIELDS) {
      if (!(maps[field] instanceof Map)) throw new Error(`flexsearch ${field} index has no term map: version mismatch`);
      for (const term of maps[field].keys()) terms.add(term);
    }
    for (const term of this.filters.keys()) terms.add(term);
    for (const term of terms) {
      const hash = shardHash(term);
      const filterDocs = this.filters.get(term);
      const title = this.encodeField('title', term, maps.title.get(term));
      const body = filterDocs ? encodeSlots([filterDocs], () => TF_UNIT) : this.encodeField('body', term, maps.body.get(term));
      const p = partitionBits === 0 ? 0 : hash >>> (32 - partitionBits);
      let bucket = lines.get(p);
      if (!bucket) lines.set(p, (bucket = []));
      bucket.push(`${hash}\t${term}\t${title}\t${body}\n`);
    }
    for (const [p, bucket] of lines) sink(p, bucket.join(''));
    return terms.size;
  }

  private encodeField(field: Field, term: string, slots: number[][] | undefined): string {
    if (!slots) return '';
    const extra = this.tf[field].get(term);
    return encodeSlots(slots, (doc) => extra?.get(doc) ?? TF_UNIT);
  }
}

/** Encodes FlexSearch slots (docs sorted ascending inside each slot) with a value per posting. */
export function encodeSlots(slots: (number[] | undefined)[], valueOf: (doc: number) => number): string {
  // FlexSearch's slot arrays have holes where no doc has the term at that position
  const sorted = Array.from({ length: slots.length }, (_, i) => [...(slots[i] ?? [])].sort((a, b) => a - b));
  const values: number[] = [];
  for (const slot of sorted) for (const doc of slot) values.push(valueOf(doc));
  return encodePostings({ slots: sorted, codes: Uint16Array.from(values) });
}

/** What one doc puts in the index: its distinct terms, its words and its fields' lengths. */
export interface DocFootprint {
  terms: Set<string>;
  words: Set<string>;
  lengths: Record<Field, number>;
}

/**
 * The footprint of a doc as {@link Segment.add} indexes it (the same analyzer pass): what a
 * publish subtracts from the archive's counts when it removes the doc.
 */
export function docFootprint(text: Record<Field, string>, filterTerms: string[]): DocFootprint {
  const out: DocFootprint = { terms: new Set(filterTerms), words: new Set(), lengths: { title: 0, body: 0 } };
  for (const field of FIELDS) {
    const analyzed = analyze(text[field], Infinity, READS_TANWEEN[field]);
    out.lengths[field] = analyzed.length;
    for (const term of analyzed) {
      out.words.add(term.norm);
      for (const t of termsOf(term)) out.terms.add(t);
    }
  }
  return out;
}
