/** What readers look up in one segment of a manifest, and the attribute codes kept across manifests. */
import { shardOf } from '../format/hash';
import { keys } from '../format/layout';
import type { SegmentMeta } from '../format/manifest';

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
