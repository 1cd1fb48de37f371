/** What readers look up in one segment of a manifest, and the attribute codes kept across manifests. */
import { shardOf } from '../format/hash';
import { keys } from '../format/layout';
import type { SegmentMeta } from '../format/manifest';

/** Postings a part must have for its origin to be noted as learnt (see {@link AttributeCache.learned}). */
export const LEARNED_FROM = 1024;
/** Origins noted at most: some 16,000 strings of 60–100 characters, about 2 MB at worst. */
export const LEARNED_MAX = 16_384;

/** A segment of the manifest, with what readers look up in it. */
export class SegmentView {
  readonly big: Set<string>;
  private inlineIds?: Map<string, number>;
  constructor(readonly meta: SegmentMeta) {
    this.big = new Set(meta.big);
  }

  termKey(term: string): string {
    return this.big.has(term) ? keys.bigTerm(this.meta.id, term) : keys.shard(this.meta.id, shardOf(term, this.meta.shardBits));
  }

  /** The local doc of an id when the ids are inline (small segments); undefined otherwise or unknown. */
  inlineDoc(id: string): number | undefined {
    if (!this.meta.ids) return undefined;
    this.inlineIds ??= new Map(this.meta.ids);
    return this.inlineIds.get(id);
  }
}

/**
 * Doc-attribute codes learnt from postings (see {@link Archive.learnAttributes}): one array per
 * archive lineage, kept by the reader across manifests (a doc's attributes never change).
 */
export class AttributeCache {
  codes: Uint8Array | Uint16Array | Uint32Array = new Uint8Array(0);
  /**
   * The origins ({@link TermPart.origin}) of the parts whose codes are in {@link codes}: read
   * anew after the value cache let them go, they need not be learnt again. Only parts of
   * {@link LEARNED_FROM} postings or more are noted (a short part's codes cost little to learn
   * again), and at most {@link LEARNED_MAX} (the set is emptied when full).
   */
  readonly learned = new Set<string>();
  /** An array able to hold `docs` codes below `kinds`, keeping what was learnt. */
  ensure(docs: number, kinds: number): Uint8Array | Uint16Array | Uint32Array {
    const wide = kinds <= 2 ** 8 ? 1 : kinds <= 2 ** 16 ? 2 : 4;
    if (this.codes.length >= docs && this.codes.BYTES_PER_ELEMENT >= wide) return this.codes;
    const size = Math.max(docs, Math.ceil(this.codes.length * 1.25));
    const next = wide === 1 ? new Uint8Array(size) : wide === 2 ? new Uint16Array(size) : new Uint32Array(size);
    next.set(this.codes);
    return (this.codes = next);
  }
}
