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

/**
 * The word skip's rescue (word-skip.ts `outsiders`) against matching again whole, on two
 * long-lived readers (default cap) taking the same queries in turn, each its own cache: a page
 * that fails the skip's proof is completed from the few docs that might pass it, or matched
 * again. The first `warm` queries are not counted (both caches fill).
 */
export interface RescueComparison {
  queries: number;
  /** Queries answered with a rescue (partial with it, exact and matched twice without). */
  rescued: number;
  /** Pages (ids and scores) the same on both readers. */
  samePage: number;
  on: Dist;
  off: Dist;
  /** The rescued queries' CPU on each side, and the median of their per-query ratios. */
  rescuedOn: Dist;
  rescuedOff: Dist;
  rescuedRatio: number;
}

const RESCUE = searchOptions({});
const REMATCH = searchOptions({ caps: { skipRescue: 0 } });

export async function compareRescue(source: ValueSource, queries: BenchQuery[], warm: number, facets = true): Promise<RescueComparison> {
  const readers = [new IndexReader(source, {}), new IndexReader(source, {})];
  const cpu: [number[], number[]] = [[], []];
  const rescued: [number[], number[]] = [[], []];
  let count = 0;
  let samePage = 0;
  for (const [i, q] of queries.entries()) {
    const answers: { page: string; partial: boolean }[] = [];
    const at: number[] = [];
    // Alternate which reader goes first, so that neither always runs on the other's garbage.
    for (const side of i % 2 === 0 ? [0, 1] : [1, 0]) {
      const stats = new ReadStats();
      const t = await timed(async () => search(await readers[side]!.current(stats), paramsFor(q.q, facets), stats, side === 0 ? RESCUE : REMATCH));
      answers[side] = { page: JSON.stringify(t.value.hits.map((h) => [h.id, h.score])), partial: t.value.partial !== undefined };
      at[side] = t.cpuMs;
    }
    if (i < warm) continue;
    cpu[0].push(at[0]!);
    cpu[1].push(at[1]!);
    if (answers[0]!.page === answers[1]!.page) samePage++;
    if (answers[0]!.partial && !answers[1]!.partial) {
      count++;
      rescued[0].push(at[0]!);
      rescued[1].push(at[1]!);
    }
  }
  return {
    queries: cpu[0].length, rescued: count, samePage,
    on: dist(cpu[0]), off: dist(cpu[1]),
    rescuedOn: dist(rescued[0]), rescuedOff: dist(rescued[1]),
    rescuedRatio: dist(rescued[0].map((x, i) => x / Math.max(0.001, rescued[1][i]!))).p50,
  };
}
