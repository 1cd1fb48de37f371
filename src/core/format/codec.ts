/**
 * Compact text encoding for posting lists. KV values stay text (wrangler's local bulk put
 * corrupts base64 values), so numbers are written as little-endian base-32 varints over the
 * URL-safe base64 alphabet: one character holds 5 bits and a continuation flag. Doc numbers are
 * delta-coded, so a posting in a dense list costs about two characters (delta and impact)
 * where JSON would spend six to eight.
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
 * the same order, the term's quantized BM25 impact in each doc.
 */
export interface FieldPostings {
  /** FlexSearch's `map` value for the term: `slots[s]` lists doc numbers, ascending. */
  slots: number[][];
  /** Impacts 1..IMPACT_LEVELS, aligned with the slots flattened in order. */
  impacts: Uint8Array;
}

/** Impacts are quantized to this many levels (5 bits: one varint character). */
export const IMPACT_LEVELS = 31;

/** Encodes one field's postings: slot count, then per slot its length and (delta, impact) pairs. */
export function encodePostings(p: FieldPostings): string {
  const w = new VarintWriter();
  w.write(p.slots.length);
  let k = 0;
  for (const slot of p.slots) {
    const docs = slot ?? [];
    w.write(docs.length);
    let prev = -1;
    for (const doc of docs) {
      w.write(doc - prev - 1);
      w.write(p.impacts[k++]!);
      prev = doc;
    }
  }
  return w.toString();
}

/** Decodes what {@link encodePostings} wrote, adding `offset` to every doc number (a segment's first doc). */
export function decodePostings(text: string, offset = 0): FieldPostings {
  const r = new VarintReader(text);
  const slotCount = r.read();
  const slots: number[][] = new Array(slotCount);
  const impacts: number[] = [];
  for (let s = 0; s < slotCount; s++) {
    const n = r.read();
    const docs = new Array<number>(n);
    let prev = offset - 1;
    for (let i = 0; i < n; i++) {
      prev = prev + 1 + r.read();
      docs[i] = prev;
      impacts.push(r.read());
    }
    slots[s] = docs;
  }
  if (!r.done) throw new RangeError('trailing characters after postings');
  return { slots, impacts: Uint8Array.from(impacts) };
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
