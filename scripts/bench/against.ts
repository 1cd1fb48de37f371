/**
 * This checkout's search against another's (`npm run bench -- --against <dir>`), in one process
 * over one index: the other checkout's own reader and search (its `src/core/search/search.ts`,
 * or `engine.ts` before the pipeline was split) and this one's, each reading the same values.
 * Says whether every ranked list is the same (ids, order, total, didYouMean) and how the warm
 * CPU compares, query by query, alternating which side goes first. For a refactoring: the
 * before/after of issue 20. Writes its section of docs/benchmarks.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { ReadStats, type ValueSource } from '../../src/core/search/source';
import type { SearchParams, SearchResult } from '../../src/core/search/types';
import { dist, fmt, forceGc, log, type Dist } from './util';

type SearchFn = (params: SearchParams) => Promise<SearchResult>;

/** One side: its search on a reader holding everything (warm), and on a fresh reader per query (cold: every value read, checked and decoded, as in a new isolate). */
interface Side {
  warm: SearchFn;
  cold: SearchFn;
  /** One reader with the default cache cap, kept across the queries (a long-lived isolate's). */
  long: SearchFn;
}

export interface AgainstQuery {
  set: string;
  params: SearchParams;
}

export interface AgainstResult {
  date: string;
  other: string;
  otherCommit?: string;
  /** The checkout that stood in for this one, if any. */
  from?: string;
  /** Set when the two analyze text otherwise and each searched its own builder's index. */
  analyzers?: { ours: string; theirs: string };
  load: [number, number];
  sets: {
    set: string;
    n: number;
    same: number;
    /** Answers whose hits (ids and order) are the same, whatever their totals. */
    sameHits?: number;
    examples: { q: string; why: string }[];
  }[];
  warm: { ours: Dist; theirs: Dist; ratio: Dist };
  cold: { ours: Dist; theirs: Dist; ratio: Dist };
  /** Per set of queries: the medians of this side's CPU, the other's, and of the per-query ratios. */
  bySet?: { set: string; warm: [number, number, number]; cold: [number, number, number] }[];
  /** The index searched, when not the corpus's (the million-article archive). */
  archive?: string;
  /** Each side's long-lived reader with the default cache cap, the queries once in turn (`--million`). */
  long?: { ours: Dist; theirs: Dist; ratio: Dist };
}

export interface AgainstOptions {
  /** Names the index when it is not the corpus's. */
  archive?: string;
  /**
   * The other checkout's own index, when it analyzes text otherwise (its terms are not this
   * checkout's): each side then searches the index its own builder made of the same corpus, and
   * `analyzers` names the two.
   */
  theirSource?: ValueSource;
  analyzers?: { ours: string; theirs: string };
  /** Also time a long-lived reader on each side (one pass, the queries in turn). */
  longLived?: boolean;
}

/** Another checkout's reader and read statistics (its own code, not this checkout's). */
export interface TheirReader {
  IndexReader: new (s: ValueSource, o: object) => { current(s: unknown): Promise<unknown> };
  ReadStats: new () => unknown;
}

/** The analyzer another checkout reads text with (its src/core/analyzer/version.ts). */
export async function analyzerOf(dir: string): Promise<string> {
  return (await importCheckout<{ ANALYZER_VERSION: string }>(dir, ['src/core/analyzer/version.ts'])).mod.ANALYZER_VERSION;
}

/**
 * The corpus index another checkout's own builder makes (its src/indexer/build-index.ts), built
 * once into `outDir` and kept there under its builder's id.
 */
export async function theirIndex(dir: string, corpus: string, outDir: string): Promise<string> {
  const root = resolve(dir);
  const mod = (await import(pathToFileURL(join(root, 'src/indexer/build-index.ts')).href)) as { BUILDER_ID: string; buildIndex: (o: { inputs: string[]; outDir: string; skipInvalid: boolean }) => Promise<unknown> };
  const stamp = join(outDir, 'builder.txt');
  if (existsSync(join(outDir, 'manifest.json')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === mod.BUILDER_ID) {
    log(`against: reusing ${outDir}, the corpus as ${root}'s builder made it`);
    return outDir;
  }
  log(`against: building the corpus with ${root}'s builder into ${outDir} …`);
  await mod.buildIndex({ inputs: [corpus], outDir, skipInvalid: true });
  writeFileSync(stamp, mod.BUILDER_ID);
  return outDir;
}

/**
 * Imports a module of another checkout (the first of `files` it has, under `dir`), with that
 * checkout's reader; says clearly when `dir` is no bahth checkout.
 */
export async function importCheckout<M>(dir: string, files: string[]): Promise<{ mod: M } & TheirReader> {
  const root = resolve(dir);
  const file = files.map((f) => join(root, f)).find(existsSync);
  if (!file) throw new Error(`${root}: no ${files.join(' or ')}: is it a bahth checkout?`);
  const mod = (await import(pathToFileURL(file).href)) as M;
  const { IndexReader } = (await import(pathToFileURL(join(root, 'src/core/search/reader.ts')).href)) as TheirReader;
  const { ReadStats } = (await import(pathToFileURL(join(root, 'src/core/search/source.ts')).href)) as TheirReader;
  return { mod, IndexReader, ReadStats };
}

/** The other checkout's search over `source`, through its own reader. */
async function theirSearch(dir: string, source: ValueSource): Promise<Side> {
  const { mod, IndexReader: TheirIndexReader, ReadStats: TheirStats } = await importCheckout<{ search: (index: unknown, p: SearchParams, s: unknown) => Promise<SearchResult> }>(dir, ['src/core/search/search.ts', 'src/core/search/engine.ts']);
  const index = await new TheirIndexReader(source, { cacheBytes: 4 * 1024 ** 3 }).current(new TheirStats());
  const long = new TheirIndexReader(source, {});
  return {
    warm: (p) => mod.search(index, p, new TheirStats()),
    cold: async (p) => {
      const s = new TheirStats();
      return mod.search(await new TheirIndexReader(source, {}).current(s), p, s);
    },
    long: async (p) => {
      const s = new TheirStats();
      return mod.search(await long.current(s), p, s);
    },
  };
}

/** Why two answers differ, or undefined when they are the same ranked list. */
function difference(a: SearchResult, b: SearchResult): string | undefined {
  const ids = (r: SearchResult) => r.hits.map((h) => h.id).join(',');
  if (ids(a) !== ids(b)) return 'hits';
  if (a.total !== b.total) return `total ${a.total} vs ${b.total}`;
  if ((a.didYouMean ?? '') !== (b.didYouMean ?? '')) return `didYouMean ${a.didYouMean ?? '–'} vs ${b.didYouMean ?? '–'}`;
  if (JSON.stringify(a.facets ?? null) !== JSON.stringify(b.facets ?? null)) return 'facets';
  return undefined;
}

function cpu<T>(fn: () => Promise<T>): Promise<number> {
  const c0 = process.cpuUsage();
  return fn().then(() => {
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  });
}

/**
 * `from`: a checkout to stand in for this one (to compare two others, e.g. a refactoring's
 * commit with its parent, over today's index).
 */
export async function runAgainst(dir: string, source: ValueSource, queries: AgainstQuery[], commit?: string, from?: string, o: AgainstOptions = {}): Promise<AgainstResult> {
  const loadStart = loadavg()[0]!;
  const theirs = await theirSearch(dir, o.theirSource ?? source);
  const index = await new IndexReader(source, { cacheBytes: 4 * 1024 ** 3 }).current(new ReadStats());
  const long = new IndexReader(source, {});
  const ours: Side = from ? await theirSearch(from, source) : {
    warm: (p) => search(index, p, new ReadStats()),
    cold: async (p) => {
      const s = new ReadStats();
      return search(await new IndexReader(source, {}).current(s), p, s);
    },
    long: async (p) => {
      const s = new ReadStats();
      return search(await long.current(s), p, s);
    },
  };
  const sets = new Map<string, AgainstResult['sets'][number]>();
  log(`against ${dir}: ${queries.length} queries, answers compared`);
  for (const q of queries) {
    const [a, b] = [await ours.warm(q.params), await theirs.warm(q.params)];
    const s = sets.get(q.set) ?? { set: q.set, n: 0, same: 0, sameHits: 0, examples: [] };
    sets.set(q.set, s);
    s.n++;
    const why = difference(a, b);
    if (!why) s.same++;
    if (why !== 'hits') s.sameHits = (s.sameHits ?? 0) + 1;
    else if (s.examples.length < 5) s.examples.push({ q: q.params.q, why });
  }
  // Warm CPU: every query answered once on both sides above; now timed, alternating the order.
  // Cold CPU: a fresh reader per query on each side, alternating too.
  // The headline figures are over the titles and the questions (as in earlier reports); every
  // set is timed, and reported apart.
  const headline = (set: string) => set === 'titles' || set === 'questions';
  const bySet = new Map<string, { warm: number[][]; cold: number[][] }>();
  const time = async (kind: 'warm' | 'cold' | 'long', rounds: number) => {
    forceGc();
    const mine: number[] = [];
    const other: number[] = [];
    const ratio: number[] = [];
    for (let round = 0; round < rounds; round++) {
      log(`against: ${kind} round ${round + 1}/${rounds}`);
      for (let i = 0; i < queries.length; i++) {
        const { params: p, set } = queries[i]!;
        let a: number, b: number;
        if ((i + round) % 2 === 0) { a = await cpu(() => ours[kind](p)); b = await cpu(() => theirs[kind](p)); }
        else { b = await cpu(() => theirs[kind](p)); a = await cpu(() => ours[kind](p)); }
        const per = bySet.get(set) ?? { warm: [[], [], []], cold: [[], [], []] };
        bySet.set(set, per);
        if (kind !== 'long') {
          per[kind][0]!.push(a);
          per[kind][1]!.push(b);
          if (b > 0) per[kind][2]!.push(a / b);
        }
        if (!headline(set)) continue;
        mine.push(a);
        other.push(b);
        if (b > 0) ratio.push(a / b);
      }
    }
    return { ours: dist(mine), theirs: dist(other), ratio: dist(ratio) };
  };
  // The long-lived readers first, before the other readers' garbage: each sees the queries once, in turn.
  const longLived = o.longLived ? await time('long', 1) : undefined;
  const warm = await time('warm', 3);
  const cold = await time('cold', 2);
  const medians = (xs: number[][]) => xs.map((x) => dist(x).p50) as [number, number, number];
  return {
    date: new Date().toISOString(), other: dir, ...(commit ? { otherCommit: commit } : {}), ...(from ? { from } : {}), load: [loadStart, loadavg()[0]!],
    sets: [...sets.values()], warm, cold,
    bySet: [...bySet].map(([set, t]) => ({ set, warm: medians(t.warm), cold: medians(t.cold) })),
    ...(o.archive ? { archive: o.archive } : {}),
    ...(o.analyzers ? { analyzers: o.analyzers } : {}),
    ...(longLived ? { long: longLived } : {}),
  };
}

export function renderAgainst(r: AgainstResult, ourCommit: string | undefined): string {
  const us = r.from ? `\`${r.from}\`${ourCommit ? ` (\`${ourCommit}\`)` : ''}` : `This checkout${ourCommit ? ` (\`${ourCommit}\`)` : ''}`;
  // A section of its own for the million-article archive (one whose heading does not start with the corpus's).
  const heading = r.archive ? `## Million-article archive: ${r.from ? `${r.from} against ${r.other}` : 'against another checkout'}` : r.from ? `## ${r.from} against ${r.other}` : '## Against another checkout';
  const when = r.date.slice(0, 16).replace('T', ' ');
  const all = r.sets.reduce((n, s) => n + s.n, 0);
  const same = r.sets.reduce((n, s) => n + s.same, 0);
  const p50 = r.warm.ours.p50 / r.warm.theirs.p50;
  return `${heading}

Run ${when} UTC; written by \`npm run bench -- --against ${r.other}${r.from ? ` --from ${r.from}` : ''}${r.archive ? ' --million' : ''}\` (scripts/bench/against.ts). ${us}
and \`${r.other}\`${r.otherCommit ? ` (\`${r.otherCommit}\`)` : ''} search ${r.analyzers ? `the corpus (ANT Corpus, Chouigui et al., AICCSA 2017), each the index its own builder made of it (they analyze text otherwise: ${r.analyzers.ours} here, ${r.analyzers.theirs} there, so an answer differs wherever a word's terms do),` : `the same ${r.archive ?? 'corpus index'} (ANT Corpus, Chouigui et al., AICCSA 2017)`} in one
process, each through its own reader with everything loaded. An answer is the same when its hits (ids and order),
\`total\`, \`didYouMean\` and facets are. Warm CPU: each query timed on both sides, alternating which goes first,
3 rounds; cold CPU: the same on a fresh reader per query (every value read, checked and decoded, KV latency not
counted), 2 rounds (load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end).

| queries | n | same answers | same hits (ids, order) | first differences |
| --- | ---: | ---: | ---: | --- |
${r.sets.map((s) => `| ${s.set} | ${s.n} | ${s.same} (${((100 * s.same) / s.n).toFixed(1)} %) | ${s.sameHits ?? '–'} | ${s.examples.map((e) => `\`${[...e.q].slice(0, 40).join('').replace(/\|/g, '¦')}\`: ${e.why}`).join('; ') || '–'} |`).join('\n')}
| **all** | ${all} | ${same} (${((100 * same) / all).toFixed(1)} %) | ${r.sets.reduce((n, s) => n + (s.sameHits ?? 0), 0)} | |

| warm CPU per query | p50 | p95 | p99 |
| --- | ---: | ---: | ---: |
| ${r.from ? `\`${r.from}\`` : 'this checkout'} | ${fmt.ms(r.warm.ours.p50)} | ${fmt.ms(r.warm.ours.p95)} | ${fmt.ms(r.warm.ours.p99)} |
| \`${r.other}\` | ${fmt.ms(r.warm.theirs.p50)} | ${fmt.ms(r.warm.theirs.p95)} | ${fmt.ms(r.warm.theirs.p99)} |
| ratio of the medians (goal of a refactoring: ≤ 1.05) | ${fmt.ratio(p50)} | | |
| median of the per-query ratios | ${fmt.ratio(r.warm.ratio.p50)} | | |

| cold CPU per query | p50 | p95 | p99 |
| --- | ---: | ---: | ---: |
| ${r.from ? `\`${r.from}\`` : 'this checkout'} | ${fmt.ms(r.cold.ours.p50)} | ${fmt.ms(r.cold.ours.p95)} | ${fmt.ms(r.cold.ours.p99)} |
| \`${r.other}\` | ${fmt.ms(r.cold.theirs.p50)} | ${fmt.ms(r.cold.theirs.p95)} | ${fmt.ms(r.cold.theirs.p99)} |
| ratio of the medians | ${fmt.ratio(r.cold.ours.p50 / r.cold.theirs.p50)} | | |
| median of the per-query ratios | ${fmt.ratio(r.cold.ratio.p50)} | | |
${r.long ? `
Long-lived: one reader per side with the default cache cap, kept across the queries, each query once on both in turn (the order alternating), before the other timings, as an isolate that lives through them would:

| long-lived CPU per query | p50 | p95 | p99 |
| --- | ---: | ---: | ---: |
| ${r.from ? `\`${r.from}\`` : 'this checkout'} | ${fmt.ms(r.long.ours.p50)} | ${fmt.ms(r.long.ours.p95)} | ${fmt.ms(r.long.ours.p99)} |
| \`${r.other}\` | ${fmt.ms(r.long.theirs.p50)} | ${fmt.ms(r.long.theirs.p95)} | ${fmt.ms(r.long.theirs.p99)} |
| ratio of the medians | ${fmt.ratio(r.long.ours.p50 / r.long.theirs.p50)} | | |
| median of the per-query ratios | ${fmt.ratio(r.long.ratio.p50)} | | |
` : ''}${r.bySet?.length ? `
(The ${r.archive ? 'tables above: the titles' : 'two tables above: the titles and the questions'}.) By set, medians (warm 3 rounds, cold 2):

| queries | warm, this | warm, other | warm ratio (per query) | cold, this | cold, other | cold ratio (per query) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${r.bySet.map((s) => `| ${s.set} | ${fmt.ms(s.warm[0])} | ${fmt.ms(s.warm[1])} | ${fmt.ratio(s.warm[2])} | ${fmt.ms(s.cold[0])} | ${fmt.ms(s.cold[1])} | ${fmt.ratio(s.cold[2])} |`).join('\n')}
` : ''}`;
}
