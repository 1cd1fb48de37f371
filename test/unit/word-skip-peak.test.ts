/**
 * The skipped words' bound (word-skip.ts `skippedBound`) reads each field's best postings once
 * and keeps them with the decoded field: the bound must stay what a pass over every posting
 * gives, for each archive's tf tables (a field read under one archive's tables and then another's).
 */
import { describe, expect, it } from 'vitest';
import { LENGTH_CODES } from '../../src/core/format/codec';
import type { Archive, LoadedTerm } from '../../src/core/search/archive';
import { searchOptions } from '../../src/core/search/options';
import { idf } from '../../src/core/search/score';
import { skippedBound } from '../../src/core/search/word-skip';
import type { TermGroups } from '../../src/core/search/types';

let seed = 9;
const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
const codes = (n: number) => Uint16Array.from({ length: n }, () => Math.floor(next() * 4 * LENGTH_CODES));
const table = () => Float32Array.from({ length: 8 * LENGTH_CODES }, () => next());

/** Docs ascending from `from`, `n` of them. */
const docs = (from: number, n: number) => Int32Array.from({ length: n }, (_, i) => from + 3 * i);

function term(): LoadedTerm {
  const titleSlots = [docs(0, 4), docs(100, 0), docs(200, 7), docs(300, 2)];
  const bodySlots = [docs(1, 30), docs(500, 12)];
  const titleCount = titleSlots.reduce((n, s) => n + s.length, 0);
  return {
    df: 60,
    parts: [{
      title: { slots: titleSlots, codes: codes(titleCount) },
      titleWords: Uint8Array.from({ length: titleCount }, () => 2 + Math.floor(next() * 6)),
      body: { slots: bodySlots, codes: codes(42) },
      attributeWidth: 1,
    }],
  };
}

/** The bound by a pass over every posting (as word-skip.ts computed it before keeping the peaks). */
function byPass(index: Archive, t: LoadedTerm, nameable: number, named: number, titleWeight: number, slotBonus: number): number {
  const { title: titleTf, body: bodyTf } = index.bm25;
  const p = t.parts[0]!;
  const last = Math.max(1, p.title!.slots.length - 1);
  let title = 0;
  let body = 0;
  let short = false;
  let k = 0;
  p.title!.slots.forEach((slot, s) => {
    for (let j = 0; j < slot.length; j++, k++) {
      title = Math.max(title, titleWeight * (1 + (slotBonus * (last - s)) / last) * titleTf[p.title!.codes[k]!]!);
      if (p.titleWords![k]! <= nameable) short = true;
    }
  });
  for (const c of p.body!.codes) body = Math.max(body, bodyTf[c]!);
  return idf(t.df, index.docCount) * (title + body) * (short ? 1 + named : 1);
}

describe('the skipped words\' bound', () => {
  it('is the pass over every posting, under each archive\'s tables, read again when the tables change', () => {
    const o = searchOptions({});
    const archives = [0, 1].map(() => ({ docCount: 1000, bm25: { title: table(), body: table() } }) as unknown as Archive);
    const t = term();
    const loaded = new Map<string, LoadedTerm | null>([['a', t], ['b', term()]]);
    const groups: TermGroups = [[{ term: 'b', weight: 1, kind: 'plain' }], [{ term: 'a', weight: 1, kind: 'plain' }]];
    for (const index of [archives[0]!, archives[1]!, archives[0]!, archives[0]!]) {
      // Word 1 skipped alone: one word can name a title of at most one word, which none is here.
      const one = skippedBound(index, groups, loaded, 0b10, o, 0, undefined, 0);
      expect(one.bound).toBeCloseTo(byPass(index, t, 1, o.ranking.titleNamedBonus, o.ranking.titleWeight, o.ranking.slotBonus), 6);
      expect(one.factor).toBe(1);
      // Counted as three words (a joined word counts two), some titles are short enough to be named.
      const three = skippedBound(index, groups, loaded, 0b11, o, 0, undefined, 0b10);
      expect(three.factor).toBeGreaterThan(1);
    }
    // The tables differ, so the bounds do: the second archive's were not the first's peaks.
    const a = skippedBound(archives[0]!, groups, loaded, 0b10, o, 0, undefined, 0).bound;
    const b = skippedBound(archives[1]!, groups, loaded, 0b10, o, 0, undefined, 0).bound;
    expect(a).not.toBeCloseTo(b, 6);
  });
});
