/** Which docs a loaded term is found in: the questions stages ask of postings besides scoring. */
import type { LoadedTerm } from './archive';

/** Calls `f` with each doc a term is found in (title, then body; a doc may come twice). Plain loops: a generator costs several times as much per doc. */
export function forEachDoc(term: LoadedTerm | null | undefined, f: (doc: number) => boolean | void): boolean {
  for (const part of term?.parts ?? []) {
    for (const postings of [part.title, part.body]) {
      for (const slot of postings?.slots ?? []) {
        if (!slot) continue;
        for (let i = 0; i < slot.length; i++) if (f(slot[i]!) === true) return true;
      }
    }
  }
  return false;
}

/** A set of docs asked only whether it holds a doc (Set<number> is one). */
export interface DocSet {
  has(doc: number): boolean;
  readonly size: number;
}

/** A doc set's docs, ascending. */
export function ascending(set: DocSet): number[] {
  if (set instanceof DocBits) return set.docs();
  if (set instanceof Set) return [...(set as Set<number>)].sort((a, b) => a - b);
  if (set.size === 0) return [];
  throw new Error('a doc set that cannot list its docs');
}

/** Docs as one bit each, over doc numbers below `space`: a posting costs a bit set, not a hash insert. */
export class DocBits implements DocSet {
  private readonly bits: Uint32Array;
  size = 0;
  constructor(space: number) {
    this.bits = new Uint32Array(Math.ceil(space / 32));
  }

  add(doc: number): void {
    const w = doc >>> 5;
    const bit = 1 << (doc & 31);
    if ((this.bits[w]! & bit) === 0) {
      this.bits[w] = this.bits[w]! | bit;
      this.size++;
    }
  }

  has(doc: number): boolean {
    return (this.bits[doc >>> 5]! & (1 << (doc & 31))) !== 0;
  }

  docs(): number[] {
    const out: number[] = [];
    const bits = this.bits;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w]!;
      while (word !== 0) {
        const low = word & -word;
        out.push((w << 5) + 31 - Math.clz32(low));
        word ^= low;
      }
    }
    return out;
  }
}

/** No docs. */
export const NO_DOCS: DocSet = { has: () => false, size: 0 };

/** The docs having any of the terms, as bits over doc numbers below `space` (dead docs included: match skips them). */
export function docBitsOf(terms: string[], loaded: Map<string, LoadedTerm | null>, space: number): DocSet {
  if (!terms.some((t) => loaded.get(t))) return NO_DOCS;
  const out = new DocBits(space);
  for (const t of terms) forEachDoc(loaded.get(t), (d) => { out.add(d); });
  return out;
}

/** Whether a term is found in a doc (slots list docs in ascending order). */
export function hasDoc(term: LoadedTerm | null | undefined, doc: number): boolean {
  for (const part of term?.parts ?? []) {
    for (const postings of [part.title, part.body]) {
      for (const slot of postings?.slots ?? []) {
        if (!slot) continue;
        let lo = 0;
        let hi = slot.length - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (slot[mid] === doc) return true;
          if (slot[mid]! < doc) lo = mid + 1;
          else hi = mid - 1;
        }
      }
    }
  }
  return false;
}

/** Whether a term is found in any of `docs` (title or body). */
export function hasAny(term: LoadedTerm | null | undefined, docs: Set<number>): boolean {
  return forEachDoc(term, (d) => docs.has(d));
}
