/**
 * Tiers against exhaustive scoring, query by query in the same run: each query on a fresh
 * reader with the tier stop on, then off (`caps.tierStop`), so contention hits both alike.
 */
import { searchOptions } from '../../src/core/search/options';
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { ReadStats, type ValueSource } from '../../src/core/search/source';
import { paramsFor } from './core';
import type { BenchQuery } from './queries';
import { dist, timed, type Dist } from './util';

export interface TierComparison {
  queries: number;
  /** Answered from tiers A alone (`partial` in the response). */
  stopped: number;
  /** Same ids in the same order on the page as exhaustive scoring. */
  samePage: number;
  tiered: { bytes: Dist; cpuMs: Dist };
  exhaustive: { bytes: Dist; cpuMs: Dist };
  /** Per query tiered / exhaustive, the median of the ratios. */
  ratio: { bytes: number; cpuMs: number };
}

const TIERED = searchOptions({ caps: { tierStop: true } });
const EXHAUSTIVE = searchOptions({ caps: { tierStop: false } });

export async function compareTiers(source: ValueSource, queries: BenchQuery[], facets = true): Promise<TierComparison> {
  const on = { bytes: [] as number[], cpu: [] as number[] };
  const off = { bytes: [] as number[], cpu: [] as number[] };
  const ratios = { bytes: [] as number[], cpu: [] as number[] };
  let stopped = 0;
  let samePage = 0;
  for (const q of queries) {
    const pages: string[] = [];
    for (const [side, o] of [[on, TIERED], [off, EXHAUSTIVE]] as const) {
      const stats = new ReadStats();
      const reader = new IndexReader(source, {});
      const t = await timed(async () => search(await reader.current(stats), paramsFor(q.q, facets), stats, o));
      side.bytes.push(stats.bytes);
      side.cpu.push(t.cpuMs);
      pages.push(t.value.hits.map((h) => h.id).join('\n'));
      if (o === TIERED && t.value.partial) stopped++;
    }
    if (pages[0] === pages[1]) samePage++;
    ratios.bytes.push(on.bytes.at(-1)! / Math.max(1, off.bytes.at(-1)!));
    ratios.cpu.push(on.cpu.at(-1)! / Math.max(0.001, off.cpu.at(-1)!));
  }
  return {
    queries: queries.length, stopped, samePage,
    tiered: { bytes: dist(on.bytes), cpuMs: dist(on.cpu) },
    exhaustive: { bytes: dist(off.bytes), cpuMs: dist(off.cpu) },
    ratio: { bytes: dist(ratios.bytes).p50, cpuMs: dist(ratios.cpu).p50 },
  };
}
