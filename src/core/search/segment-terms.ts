/**
 * A segment's term entries as the reader decodes them, and one term over all the segments:
 * document frequencies summed, postings kept as parts in doc order, spellings joined.
 */
import { BahthError } from '../errors';
import { decodePostings, type FieldPostings } from '../format/codec';
import { decodeShard, keys, readFixed, shardTerm, SPELLING_CODE_LENGTH, type TermEntry } from '../format/layout';
import type { SegmentMeta } from '../format/manifest';

/** A term's postings in one segment (doc numbers global). */
export interface TermPart {
  title?: FieldPostings;
  /** For each title posting in order, how many distinct words the doc's title has (see TermEntry). */
  titleWords?: Uint8Array;
  body?: FieldPostings;
  /** Its docs' attribute codes (see TermEntry), until {@link Archive.learnAttributes} reads them. */
  attributes?: string;
  attributeWidth: number;
  /**
   * Where its postings were read: the value's key and the term (a segment's values never change),
   * so that codes learnt once are not learnt again when the value is read anew after the cache
   * let it go. Undefined for parts made at query time (synonyms, a page's own articles).
   */
  origin?: string;
}

/** A term as the ranker reads it: its df over the archive and its parts, in doc order. */
export interface LoadedTerm {
  df: number;
  /** Codes of the words in the archive that stem to this term, those in use first (see TermEntry). */
  spellings?: string;
  /** How many of `spellings` are in use. */
  inUse?: number;
  parts: TermPart[];
  /** Tiers B not read yet (big terms; see build/tiers.ts): their postings are not in `parts`. */
  rest?: RestRef[];
}

/** A big term's tier B in one segment, and what bounds its postings' scores. */
export interface RestRef {
  key: string;
  segment: SegmentMeta;
  /** Body postings it holds. */
  postings: number;
  /** Each is one occurrence in a body of at least this length code. */
  length: number;
  /** None is of a doc whose title has the term (TierRest.titled). */
  titled: boolean;
}

/** One segment's entry for a term, decoded. */
export interface SegmentTerm {
  df: number;
  spellings?: string;
  inUse?: number;
  part?: TermPart;
  rest?: RestRef;
}

/**
 * What the isolate's memory holds for a shard, in bytes, as {@link ShardView} counts it: its text
 * at two bytes a character (a shard's Arabic terms make V8 keep it as a two-byte string; a big
 * term's value, ASCII, takes one byte a character, and the second is margin), each
 * line's entry in the view's index (the term and a map slot), and each entry decoded: its doc
 * numbers (4 bytes a posting), codes (2) and title word counts (1), and the arrays' and objects'
 * own headers. Measured against the heap's growth in `npm run bench` (the memory tables).
 */
export const SHARD_BYTES = { perChar: 2, perLine: 96, perPosting: 6, perTitlePosting: 1, perArray: 112, perEntry: 256 } as const;

/** Bytes an entry decoded adds to its view (see {@link SHARD_BYTES}). */
function entryBytes(e: SegmentTerm): number {
  const b = SHARD_BYTES;
  let bytes = b.perEntry;
  const part = e.part;
  if (!part) return bytes;
  for (const f of [part.title, part.body]) if (f) bytes += b.perPosting * f.codes.length + b.perArray * (f.slots.length + 2);
  if (part.titleWords) bytes += b.perTitlePosting * part.titleWords.length + b.perArray;
  return bytes;
}

/**
 * One segment's term shard, decoded term by term as queries ask (a cold query needs two or three
 * of a shard's few hundred entries): loading only indexes where each term's line is. It weighs
 * itself (`heapBytes`, read by the value store's cache when it is stored) and reports what each
 * entry decoded adds through `grew` (the store charges it to the shard's key), so the cache's
 * cap counts the memory its shards hold, not a guess per character of their text.
 */
export class ShardView {
  private readonly lines = new Map<string, number>();
  private readonly decoded = new Map<string, SegmentTerm>();
  /** Bytes held as loaded (text and line index), before any entry is decoded. */
  readonly heapBytes: number;

  constructor(readonly key: string, private readonly text: string, private readonly segment: SegmentMeta, private readonly grew?: (bytes: number) => void) {
    let at = 0;
    while (at < text.length) {
      const tab = text.indexOf('\t', at);
      const end = text.indexOf('\n', at);
      if (tab < 0 || (end >= 0 && tab > end)) throw new RangeError('a shard line has no fields');
      this.lines.set(shardTerm(text.slice(at, tab)), at);
      at = end < 0 ? text.length : end + 1;
    }
    this.heapBytes = SHARD_BYTES.perChar * text.length + SHARD_BYTES.perLine * this.lines.size;
  }

  get(term: string): SegmentTerm | undefined {
    const known = this.decoded.get(term);
    if (known) return known;
    const at = this.lines.get(term);
    if (at === undefined) return undefined;
    let end = this.text.indexOf('\n', at);
    if (end < 0) end = this.text.length;
    let e: SegmentTerm;
    try {
      e = decodeEntry(term, decodeShard(this.text.slice(at, end))[term]!, this.segment, this.key);
    } catch (err) {
      throw new BahthError('INDEX_CORRUPT', `index value ${this.key} cannot be decoded: ${(err as Error).message}`, { key: this.key }, err);
    }
    this.decoded.set(term, e);
    this.grew?.(entryBytes(e));
    return e;
  }
}

/** One segment's entry for a term, its postings moved to global doc numbers. */
export function decodeEntry(term: string, entry: TermEntry, segment: SegmentMeta, key?: string): SegmentTerm {
  const [df, t, b, attributes, titleWords, spellings, inUse, rest] = entry;
  const e: SegmentTerm = spellings ? { df, spellings, inUse: inUse ?? 0 } : { df };
  if (rest) e.rest = { key: keys.bigRest(segment.id, term), segment, postings: rest.postings, length: rest.length, titled: rest.titled === true };
  if (t || b) {
    const part: TermPart = { attributes, attributeWidth: segment.attributeWidth };
    if (key !== undefined) part.origin = `${key}\t${term}`;
    if (t) {
      part.title = decodePostings(t, segment.first);
      part.titleWords = decodeTitleWords(term, titleWords, part.title.codes.length);
    }
    if (b) part.body = decodePostings(b, segment.first);
    e.part = part;
  }
  return e;
}

/** A term over the segments: df summed, parts in segment order, spellings in use first. */
export function mergeTerm(found: SegmentTerm[]): LoadedTerm | null {
  if (found.length === 0) return null;
  if (found.length === 1) {
    const e = found[0]!;
    if (e.df <= 0 && !e.part) return null;
    const t: LoadedTerm = { df: e.df, parts: e.part ? [e.part] : [] };
    if (e.rest) t.rest = [e.rest];
    if (e.spellings) {
      t.spellings = e.spellings;
      t.inUse = e.inUse ?? 0;
    }
    return t;
  }
  let df = 0;
  const parts: TermPart[] = [];
  const rests: RestRef[] = [];
  const inUse: string[] = [];
  const rare: string[] = [];
  for (const e of found) {
    df += e.df;
    if (e.part) parts.push(e.part);
    if (e.rest) rests.push(e.rest);
    if (e.spellings) {
      const cut = (e.inUse ?? 0) * SPELLING_CODE_LENGTH;
      for (let i = 0; i < e.spellings.length; i += SPELLING_CODE_LENGTH) (i < cut ? inUse : rare).push(e.spellings.slice(i, i + SPELLING_CODE_LENGTH));
    }
  }
  if (df <= 0 && parts.length === 0) return null;
  const t: LoadedTerm = { df: Math.max(0, df), parts };
  if (rests.length) t.rest = rests;
  if (inUse.length || rare.length) {
    const used = [...new Set(inUse)];
    const seen = new Set(used);
    t.spellings = [...used, ...[...new Set(rare)].filter((c) => !seen.has(c))].join('');
    t.inUse = used.length;
  }
  return t;
}

/** Reads a term's title word counts (one digit per title posting), or throws naming the term. */
function decodeTitleWords(term: string, text: string | undefined, postings: number): Uint8Array {
  if (typeof text !== 'string' || text.length !== postings) throw new RangeError(`term ${term} has ${text?.length ?? 'no'} title word counts for ${postings} title postings`);
  const out = new Uint8Array(postings);
  for (let i = 0; i < postings; i++) {
    const v = readFixed(text, i, 1);
    if (v < 0) throw new RangeError(`term ${term} has a title word count that is not a digit`);
    out[i] = v;
  }
  return out;
}

