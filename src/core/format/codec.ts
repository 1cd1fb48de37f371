/**
 * Compact text encoding for posting lists. KV values stay text (wrangler's local bulk put
 * corrupts base64 values), so numbers are written as little-endian base-32 varints over the
 * URL-safe base64 alphabet: one character holds 5 bits and a continuation flag. Doc numbers are
 * delta-coded and posting codes packed around the list's usual field length (format 7), so a
 * posting in a dense list costs about two characters (delta and code) where JSON would spend
 * six to eight.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charCodeAt(i)] = i;

/** Appends varints to a growing string. */
export class VarintWriter {
  private parts: string[] = [];
  private current = '';

  /** Writes a non-negative integer. */
  write(value: number): void {
    let v = value;
    while (v >= 32) {
      this.current += ALPHABET[32 + (v & 31)];
      v = Math.floor(v / 32);
    }
    this.current += ALPHABET[v];
    if (this.current.length > 4096) {
      this.parts.push(this.current);
      this.current = '';
    }
  }

  toString(): string {
    return this.parts.join('') + this.current;
  }
}

/** Reads varints back from a string written by {@link VarintWriter}. */
export class VarintReader {
  pos = 0;
  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  /** Reads one integer; throws on a character outside the alphabet or a cut-off number. */
  read(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const code = this.text.charCodeAt(this.pos++);
      const d = code < 128 ? DIGIT[code]! : -1;
      if (d < 0) throw new RangeError(`bad varint character at ${this.pos - 1}`);
      if (d < 32) return value + d * scale;
      value += (d - 32) * scale;
      scale *= 32;
    }
  }
}

/**
 * The postings of one term in one field, laid out the way FlexSearch keeps them: one list of
 * doc numbers per resolution slot (slot 0 = the term appears earliest in the field), and, in
 * the same order, each posting's {@link postingCode}: the term's frequency in the doc and the
 * field's length. BM25 is computed from these at query time with the archive's live average
 * lengths (as Lucene does with its norms), so a publish that changes the averages changes no
 * stored value, and a delta scores exactly as a full build would.
 */
export interface FieldPostings {
  /**
   * FlexSearch's `map` value for the term: `slots[s]` lists doc numbers, ascending. Decoded
   * lists are views of one Int32Array per field (its elements outside the JS heap: a young
   * collection neither copies them nor counts them as allocation); the indexer builds arrays.
   */
  slots: DocList[];
  /** Posting codes, aligned with the slots flattened in order. */
  codes: Uint16Array;
}

/** One slot's doc numbers, ascending. */
export type DocList = Int32Array | number[];

/** FlexSearch's resolution: a term's position in a field is one of this many slots (0 = earliest). */
export const RESOLUTION = 9;

/** Term frequencies are counted in units of half an occurrence (room for weighted occurrences). */
export const TF_UNIT = 2;
/** ... up to this many units (BM25 saturates long before). */
export const MAX_TF_UNITS = 63;
/** Field lengths are kept as one of this many codes (see {@link lengthCode}). */
export const LENGTH_CODES = 128;
/** Lengths below this are kept exactly; longer ones in steps of about 8 %. */
const EXACT_LENGTHS = 32;
const LENGTH_STEP = Math.log(65_536 / EXACT_LENGTHS) / (LENGTH_CODES - EXACT_LENGTHS);

/** A field length (words) as a code 0..LENGTH_CODES-1: exact to 31, then logarithmic to 65,536. */
export function lengthCode(length: number): number {
  if (length < EXACT_LENGTHS) return Math.max(0, Math.floor(length));
  return Math.min(LENGTH_CODES - 1, EXACT_LENGTHS + Math.round(Math.log(length / EXACT_LENGTHS) / LENGTH_STEP));
}

/** The lengths the codes stand for, worked out once (each fresh archive's BM25 tables read them). */
const LENGTHS = Float64Array.from({ length: LENGTH_CODES }, (_, code) => (code < EXACT_LENGTHS ? code : EXACT_LENGTHS * Math.exp((code - EXACT_LENGTHS) * LENGTH_STEP)));

/** The length a {@link lengthCode} stands for. */
export function lengthOfCode(code: number): number {
  return code >= 0 && code < LENGTH_CODES ? LENGTHS[code]! : EXACT_LENGTHS * Math.exp((code - EXACT_LENGTHS) * LENGTH_STEP);
}

/**
 * A posting's code: its tf units (1..MAX_TF_UNITS) and its field's length code. The frequent
 * case, one occurrence in a field of any length, takes two varint characters.
 */
export function postingCode(tfUnits: number, length: number): number {
  return Math.max(1, Math.min(MAX_TF_UNITS, Math.round(tfUnits))) * LENGTH_CODES + lengthCode(length);
}

/**
 * A list written since format 7 opens with its slot count plus this (a list of format 6 opens
 * with the count itself, never above {@link RESOLUTION}): the decoder tells the two apart.
 */
const PACKED = 16;
/**
 * A packed code's values below this are one occurrence ({@link TF_UNIT}), the zigzag of the
 * length code's distance from the list's base; above, `ONE × (1 + tf index) + zigzag`.
 */
const ONE = 2 * LENGTH_CODES;

/**
 * A posting code as written in a packed list: one occurrence (the commonest posting by far) at a
 * field length near `base` (the list's commonest) is a small number, one varint character within
 * 16 length codes of it (a factor of about 2.6 in body length); any other tf after them all.
 */
function packCode(code: number, base: number): number {
  const t = Math.floor(code / LENGTH_CODES);
  const d = (code % LENGTH_CODES) - base;
  const z = d >= 0 ? 2 * d : -2 * d - 1;
  return t === TF_UNIT ? z : ONE + (t < TF_UNIT ? t : t - 1) * ONE + z;
}

/**
 * Per base, the code of one occurrence by packed value below {@link ONE}, or 0 where the length
 * would fall outside the codes (no code is 0): made once per base, shared by every list.
 */
const ONE_CODES: (Uint16Array | undefined)[] = new Array(LENGTH_CODES).fill(undefined);

function oneCodes(base: number): Uint16Array {
  let table = ONE_CODES[base];
  if (!table) {
    table = new Uint16Array(ONE);
    for (let z = 0; z < ONE; z++) {
      const length = base + (z & 1 ? -((z + 1) >> 1) : z >> 1);
      if (length >= 0 && length < LENGTH_CODES) table[z] = TF_UNIT * LENGTH_CODES + length;
    }
    ONE_CODES[base] = table;
  }
  return table;
}

/** The code a {@link packCode} value stands for, its length read off the base's table (shifts, not divisions: ONE is a power of two). */
function unpackCode(v: number, ones: Uint16Array, base: number): number {
  const one = ones[v & (ONE - 1)]!;
  if (one === 0) throw new RangeError(`a posting's length code is out of range (list base ${base}, value ${v})`);
  const ti = (v >> 8) - 1;
  if (ti < 0) return one;
  if (ti >= MAX_TF_UNITS) throw new RangeError(`a posting's tf is out of range (value ${v})`);
  return (ti < TF_UNIT ? ti : ti + 1) * LENGTH_CODES + (one - TF_UNIT * LENGTH_CODES);
}

/** The list's base: the median length code of its one-occurrence postings (of all, if none). */
function baseOf(codes: Uint16Array): number {
  const counts = new Uint32Array(LENGTH_CODES);
  let ones = 0;
  for (const c of codes) if (Math.floor(c / LENGTH_CODES) === TF_UNIT) { counts[c % LENGTH_CODES]!++; ones++; }
  if (ones === 0) for (const c of codes) { counts[c % LENGTH_CODES]!++; ones++; }
  let seen = 0;
  for (let l = 0; l < LENGTH_CODES; l++) if ((seen += counts[l]!) * 2 >= ones) return l;
  return 0;
}

/**
 * Encodes one field's postings: the slot count (plus {@link PACKED}), the number of slots holding
 * docs, the list's base length code, then for each slot holding docs the gap from the previous
 * one, its length and its (doc delta, packed code) pairs. Most terms of a field sit in one late
 * slot: sparse, that is 7 characters, not 6 + the slot number. A posting of one occurrence in a
 * field of about the list's usual length takes two characters (delta and code) in a dense list,
 * not three as in format 6 (at 1M articles a cold 2-word query's big-term values are 261 KB at
 * the median, not 301: there a posting also has its attribute code).
 */
export function encodePostings(p: FieldPostings): string {
  const w = new VarintWriter();
  w.write(PACKED + p.slots.length);
  let filled = 0;
  for (const slot of p.slots) if (slot && slot.length > 0) filled++;
  w.write(filled);
  const base = baseOf(p.codes);
  w.write(base);
  let k = 0;
  let last = -1;
  p.slots.forEach((slot, s) => {
    if (!slot || slot.length === 0) return;
    w.write(s - last - 1);
    last = s;
    w.write(slot.length);
    let prev = -1;
    for (const doc of slot) {
      w.write(doc - prev - 1);
      w.write(packCode(p.codes[k++]!, base));
      prev = doc;
    }
  });
  return w.toString();
}

/** The slot of a list that has none of its docs there (shared: it cannot change). */
const NO_DOCS = new Int32Array(0);
/**
 * A list's characters as bytes (written by the platform's `TextEncoder`), grown to the longest
 * list decoded. Read by index, a byte costs two thirds of what `charCodeAt` does on the text:
 * the 1M archive's big-term and shard lists of its 2-word queries decode in 0.82–0.85× the
 * time, copying included (measured against the `charCodeAt` reader interleaved in one
 * process, docs/architecture.md), and decoding postings is the largest single cost of a
 * long-lived reader.
 */
let listBytes = new Uint8Array(4096);
const UTF8 = new TextEncoder();
/**
 * Reads varints from a list's bytes: {@link VarintReader}'s reading, over the text copied into
 * {@link listBytes} (one byte a character: the alphabet is ASCII), a zero byte after its end.
 */
class ByteVarints {
  pos = 0;
  private readonly bytes: Uint8Array;
  private readonly length: number;

  constructor(text: string) {
    const length = text.length;
    if (listBytes.length <= length) listBytes = new Uint8Array(Math.max(length + 1, 2 * listBytes.length));
    const copied = UTF8.encodeInto(text, listBytes);
    // A character outside ASCII takes more than one byte: not of the alphabet either.
    if (copied.read !== length || copied.written !== length) throw new RangeError('bad varint character: postings are ASCII');
    // No digit is 0: a number cut off at the end stops there, as on a character outside the alphabet.
    listBytes[length] = 0;
    this.bytes = listBytes;
    this.length = length;
  }

  get done(): boolean {
    return this.pos >= this.length;
  }

  read(): number {
    const bytes = this.bytes;
    let value = 0;
    let scale = 1;
    for (;;) {
      // Every byte is below 128 (checked when copied): the text reader's table serves.
      const d = DIGIT[bytes[this.pos++]!]!;
      if (d < 0) throw new RangeError(`bad varint character at ${this.pos - 1}`);
      if (d < 32) return value + d * scale;
      value += (d - 32) * scale;
      scale *= 32;
    }
  }
}

/** Decoding buffers, grown to the longest list decoded. */
let scratchDocs = new Int32Array(4096);
let scratchCodes = new Uint16Array(4096);

/**
 * Decodes what {@link encodePostings} wrote (or format 6's lists, codes as they are), adding
 * `offset` to every doc number (a segment's first doc). Codes come back as {@link postingCode}s.
 */
export function decodePostings(text: string, offset = 0): FieldPostings {
  const r = new ByteVarints(text);
  let slotCount = r.read();
  const packed = slotCount >= PACKED;
  if (packed) slotCount -= PACKED;
  const slots: Int32Array[] = new Array<Int32Array>(slotCount).fill(NO_DOCS);
  const filled = r.read();
  const base = packed ? r.read() : 0;
  if (base >= LENGTH_CODES) throw new RangeError(`a list's base length code ${base} is out of range`);
  const ones = oneCodes(base);
  // A posting takes at least two characters (its gap and its code): room for all of them, in
  // buffers kept between lists, whose postings are then copied out at their exact size.
  const room = text.length >> 1;
  if (scratchDocs.length < room) {
    const size = Math.max(room, 2 * scratchDocs.length);
    scratchDocs = new Int32Array(size);
    scratchCodes = new Uint16Array(size);
  }
  const docs = scratchDocs;
  const codes = scratchCodes;
  // Where each slot's docs end, in the order they were read.
  const ends = new Int32Array(filled);
  const read = new Int32Array(filled);
  let k = 0;
  let s = -1;
  for (let f = 0; f < filled; f++) {
    s += 1 + r.read();
    if (s >= slotCount) throw new RangeError(`postings name slot ${s} of ${slotCount}`);
    const n = r.read();
    if (k + n > room) throw new RangeError('more postings than the text can hold');
    let prev = offset - 1;
    if (packed) {
      for (let i = 0; i < n; i++) {
        prev = prev + 1 + r.read();
        docs[k] = prev;
        codes[k++] = unpackCode(r.read(), ones, base);
      }
    } else {
      for (let i = 0; i < n; i++) {
        prev = prev + 1 + r.read();
        docs[k] = prev;
        codes[k++] = r.read();
      }
    }
    read[f] = s;
    ends[f] = k;
  }
  if (!r.done) throw new RangeError('trailing characters after postings');
  const all = docs.slice(0, k);
  for (let f = 0, from = 0; f < filled; from = ends[f++]!) slots[read[f]!] = all.subarray(from, ends[f]!);
  return { slots, codes: codes.slice(0, k) };
}

/** Encodes a list of non-negative integers (ascending lists delta-coded when `ascending`). */
export function encodeInts(values: ArrayLike<number>, ascending = false): string {
  const w = new VarintWriter();
  w.write(values.length);
  let prev = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    w.write(ascending ? v - prev : v);
    prev = v;
  }
  return w.toString();
}

/** Decodes what {@link encodeInts} wrote. */
export function decodeInts(text: string, ascending = false): number[] {
  const r = new VarintReader(text);
  const n = r.read();
  const out = new Array<number>(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const v = r.read();
    prev = ascending ? prev + v : v;
    out[i] = prev;
  }
  if (!r.done) throw new RangeError('trailing characters after integers');
  return out;
}

/**
 * A typo-lexicon list (`[word, df]`, most used first) as two space-separated lines: the words,
 * then their counts. A third smaller than JSON pairs, and three times quicker to decode, which
 * is what a cold query with typos spends its CPU on. Words never hold a space or a newline
 * (they are the analyzer's tokens); counts may be zero or negative (a delta's net counts).
 */
export function encodeLexicon(list: readonly (readonly [string, number])[]): string {
  return `${list.map((e) => e[0]).join(' ')}\n${list.map((e) => e[1]).join(' ')}`;
}

/**
 * A typo-lexicon list as a query reads it: the text of its words, most used first, where each
 * word starts in it, and their document counts, all as columns. No word is made into a string
 * until a scan keeps it (a typo's candidates, a name's readings): a hostile query reads twenty
 * lists of up to 3,500 words, and as strings they were more than half of what its search kept
 * alive on the JS heap (heap snapshots of five mixture queries: 58,598 word strings, 2.0 of
 * 3.7 MB), which every young collection during it copied.
 */
export class LexiconList {
  readonly length: number;

  /**
   * @param text the words, separated by single spaces, from 0 to `starts[length] - 1`
   * @param starts where each word starts, and one past the last word's end plus one
   */
  constructor(readonly text: string, readonly starts: Int32Array, readonly df: Int32Array) {
    this.length = df.length;
  }

  /** The `i`-th word. */
  word(i: number): string {
    return this.text.slice(this.starts[i]!, this.starts[i + 1]! - 1);
  }

  /** Where a word is in the list, or -1: looked for in the text, no word made. */
  indexOf(word: string): number {
    const { text, starts } = this;
    const end = starts[this.length]! - 1;
    if (word.length === 0 || word.indexOf(' ') >= 0) return -1;
    for (let at = text.indexOf(word); at >= 0 && at + word.length <= end; at = text.indexOf(word, at + 1)) {
      if (at > 0 && text.charCodeAt(at - 1) !== 32) continue;
      if (at + word.length < end && text.charCodeAt(at + word.length) !== 32) continue;
      // The word that starts there: a binary search of the starts.
      let lo = 0;
      let hi = this.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    }
    return -1;
  }
}

/** A {@link LexiconList} of `[word, df]` pairs (words hold no space). */
export function lexiconList(pairs: readonly (readonly [string, number])[]): LexiconList {
  const starts = new Int32Array(pairs.length + 1);
  let at = 0;
  for (let i = 0; i < pairs.length; i++) {
    starts[i] = at;
    at += pairs[i]![0].length + 1;
  }
  starts[pairs.length] = at;
  return new LexiconList(pairs.map((p) => p[0]).join(' '), starts, Int32Array.from(pairs, (p) => p[1]));
}

/**
 * Reads a list written by {@link encodeLexicon} (or the JSON pairs of archives built before it)
 * as columns: the counts, then where each word starts (a pass over each line, no string made).
 */
export function readLexiconList(text: string): LexiconList {
  if (text.startsWith('[')) return lexiconList(decodeLexicon(text));
  const nl = text.indexOf('\n');
  if (nl <= 0) return lexiconList([]);
  // The counts first: how many there are says how many words to find.
  let counts = 1;
  for (let i = nl + 1; i < text.length; i++) if (text.charCodeAt(i) === 32) counts++;
  const df = new Int32Array(counts);
  let k = 0;
  let value = 0;
  let digits = 0;
  let negative = false;
  for (let i = nl + 1; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
    } else if (c === 45 && digits === 0 && !negative) negative = true;
    else if (c === 32 && digits > 0) {
      df[k++] = negative ? -value : value;
      value = 0;
      digits = 0;
      negative = false;
    } else {
      throw new Error(`lexicon list: count ${k + 1} is not an integer`);
    }
  }
  const starts = new Int32Array(counts + 1);
  let words = 1;
  for (let i = 0; i < nl; i++) {
    if (text.charCodeAt(i) !== 32) continue;
    if (words === counts) {
      let all = words + 1;
      for (let j = i + 1; j < nl; j++) if (text.charCodeAt(j) === 32) all++;
      throw new Error(`lexicon list: ${all} words but ${counts} counts`);
    }
    starts[words++] = i + 1;
  }
  if (words !== counts) throw new Error(`lexicon list: ${words} words but ${counts} counts`);
  starts[counts] = nl + 1;
  return new LexiconList(text, starts, df);
}

/** Reads a list written by {@link encodeLexicon}, or the JSON pairs of archives built before it. */
export function decodeLexicon(text: string): [string, number][] {
  if (text.startsWith('[')) return JSON.parse(text) as [string, number][];
  const nl = text.indexOf('\n');
  if (nl <= 0) return [];
  const words = text.slice(0, nl).split(' ');
  const counts = text.slice(nl + 1).split(' ');
  if (counts.length !== words.length) throw new Error(`lexicon list: ${words.length} words but ${counts.length} counts`);
  const out: [string, number][] = new Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const df = +counts[i]!;
    if (!Number.isInteger(df)) throw new Error(`lexicon list: count "${counts[i]}" of "${words[i]}" is not an integer`);
    out[i] = [words[i]!, df];
  }
  return out;
}
