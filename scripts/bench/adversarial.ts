/**
 * Hostile queries (`npm run bench -- --adversarial`): a seeded generator of the queries an
 * attacker (or a runaway client) would send, each at most 256 characters, run cold (a fresh
 * reader per query) and warm (everything loaded, the query asked once before it is timed) over
 * the corpus index, beside ordinary title queries in the same process. Reports the worst and
 * p99 CPU per family against issue 25's goals, and the worst queries, so the next budget is
 * chosen by measurement. Writes its section of docs/benchmarks.md.
 */
import { loadavg } from 'node:os';
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { ReadStats } from '../../src/core/search/source';
import type { Archive } from '../../src/core/search/archive';
import type { ValueSource } from '../../src/core/search/source';
import { MAX_QUERY_LENGTH } from '../../src/core/search/query';
import { paramsFor } from './core';
import { titleWords, type BenchQuery } from './queries';
import { dist, fmt, forceGc, log, mainThreadCpuMs, mulberry32, pausesIn, percentile, percentileInterval, pick, timed, watchGc, type Dist } from './util';

export interface HostileQuery {
  family: string;
  q: string;
}

const ARABIC_LETTERS = 'ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةى';
const LATIN_NAMES = ['putin', 'poutine', 'trump', 'macron', 'erdogan', 'sisi', 'mohammed', 'abdel', 'nasser', 'khamenei', 'netanyahu', 'obama', 'merkel', 'assad', 'hariri', 'abu', 'dhabi', 'el', 'salman', 'bin'];

/** Cuts a query to the API's limit (256 characters, counted as the API counts them). */
function clip(q: string): string {
  const chars = [...q];
  return chars.length <= MAX_QUERY_LENGTH ? q : chars.slice(0, MAX_QUERY_LENGTH).join('');
}

/** Joins pieces with spaces while they fit in 256 characters. */
function fill(next: () => string, max = Infinity): string {
  const parts: string[] = [];
  let length = 0;
  while (parts.length < max) {
    const p = next();
    const add = [...p].length + (parts.length ? 1 : 0);
    if (length + add > MAX_QUERY_LENGTH) break;
    parts.push(p);
    length += add;
  }
  return parts.join(' ');
}

/** One edit inside a word (its first letter kept): a letter dropped, doubled, swapped or replaced. */
function typo(rng: () => number, w: string): string {
  const c = [...w];
  const i = 1 + pick(rng, c.length - 1);
  switch (pick(rng, 4)) {
    case 0: c.splice(i, 1); break;
    case 1: c.splice(i, 0, c[i]!); break;
    case 2: if (i + 1 < c.length) [c[i], c[i + 1]] = [c[i + 1]!, c[i]!]; else c.splice(i, 1); break;
    default: c[i] = ARABIC_LETTERS[pick(rng, ARABIC_LETTERS.length)]!;
  }
  return c.join('');
}

/**
 * `perFamily` hostile queries of each family, from the corpus's titles: quoted phrases, one-letter
 * words, typos of common words, the commonest words, exclusions, Latin names, code-point soup, one
 * very long word, and mixtures of them.
 */
export function hostileQueries(titles: string[], perFamily: number, seed: number): HostileQuery[] {
  const rng = mulberry32(seed);
  const counts = new Map<string, number>();
  const pairs: string[] = [];
  for (const t of titles) {
    const ws = titleWords(t);
    for (const w of ws) if ([...w].length >= 3) counts.set(w, (counts.get(w) ?? 0) + 1);
    if (ws.length >= 2 && pairs.length < 50_000) {
      const i = pick(rng, ws.length - 1);
      pairs.push(`${ws[i]} ${ws[i + 1]}`);
    }
  }
  const byCount = [...counts].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const common = byCount.slice(0, 300);
  const typable = byCount.filter((w) => [...w].length >= 5).slice(0, 3000);
  const any = <T>(xs: T[]) => xs[pick(rng, xs.length)]!;
  const soupRanges: [number, number][] = [[0x1f600, 0x1f64f], [0x21, 0x2f], [0x64b, 0x652], [0x660, 0x669], [0x600, 0x6ff], [0x200b, 0x200f], [0x41, 0x7a]];
  const families: Record<string, () => string> = {
    'quoted phrases': () => fill(() => `"${any(pairs)}"`),
    'one-letter words': () => fill(() => ARABIC_LETTERS[pick(rng, ARABIC_LETTERS.length)]!),
    'typos of common words': () => fill(() => typo(rng, any(typable)), 12 + pick(rng, 30)),
    'commonest words': () => fill(() => any(common)),
    'exclusions': () => `${any(common)} ${fill(() => `-${any(common)}`)}`.slice(0, MAX_QUERY_LENGTH),
    'Latin names': () => fill(() => (rng() < 0.5 ? any(LATIN_NAMES) : Array.from({ length: 3 + pick(rng, 8) }, () => String.fromCharCode(97 + pick(rng, 26))).join(''))),
    'code-point soup': () => Array.from({ length: MAX_QUERY_LENGTH }, () => { const [a, b] = any(soupRanges); return String.fromCodePoint(a + pick(rng, b - a + 1)); }).join(''),
    'one long word': () => Array.from({ length: 40 + pick(rng, 200) }, () => ARABIC_LETTERS[pick(rng, ARABIC_LETTERS.length)]!).join(''),
  };
  const mixers = Object.values(families).slice(0, 6);
  families['mixtures'] = () => fill(() => { const s = any(mixers)(); const w = s.split(' '); return w.slice(0, 1 + pick(rng, 4)).join(' '); });
  const out: HostileQuery[] = [];
  for (const [family, make] of Object.entries(families)) for (let i = 0; i < perFamily; i++) out.push({ family, q: clip(make()) });
  return out;
}

export interface QueryCost {
  family: string;
  q: string;
  coldCpuMs: number;
  coldBytes: number;
  warmCpuMs: number;
  /** Wall time of the same runs (median of the passes): see AdversarialResult.wall. */
  coldWallMs?: number;
  warmWallMs?: number;
  total: number;
  capped: string[];
}

export interface FamilyCost {
  family: string;
  n: number;
  cold: Dist;
  warm: Dist;
  bytes: Dist;
  /** Share of the family's queries whose answer names a cap. */
  cappedShare: number;
}

export interface AdversarialResult {
  date: string;
  load: [number, number];
  seed: number;
  families: FamilyCost[];
  hostile: { cold: Dist; warm: Dist };
  /** A 95 % bootstrap interval (over the hostile queries) of their cold p99. Absent in runs before it was kept. */
  p99Interval?: [number, number];
  normal: { cold: Dist; warm: Dist };
  /**
   * Wall time of the hostile runs: about the CPU of the thread that ran the query when the other
   * core is free. Process CPU also counts V8's helper threads (concurrent marking and sweeping,
   * optimizing compiles), which run beside the query. Absent in runs before it was kept.
   */
  wall?: { cold: Dist; warm: Dist };
  /**
   * Each hostile query's least CPU of its passes: its own cost with as little of what other
   * work adds (a collection of earlier queries' garbage, an optimizing compile, another job) as
   * five tries leave. The goals are read on the medians; this says how much of a tail is noise.
   * Absent in runs before it was kept.
   */
  least?: { cold: Dist; warm: Dist };
  /** Each hostile query's median of its first three passes only (how runs before 2026-12-04 read them, with three passes in all). */
  firstThree?: { cold: Dist; warm: Dist };
  /**
   * Cold CPU of each hostile query in a first pass over the set, before the recorded ones: it
   * pays for the optimizing compiles of the code paths only hostile queries take, once per
   * isolate. Absent in runs before it was kept.
   */
  first?: Dist;
  /** CPU over the first pass, the cold and the warm passes: the main thread's (ms, from /proc) and the whole process's. */
  threads?: { first?: { main: number; process: number }; cold: { main: number; process: number }; warm: { main: number; process: number } };
  worst: QueryCost[];
  /**
   * The collector's pauses on the main thread during the recorded cold passes (Node's `gc`
   * performance entries), and how they fall on the runs. Absent in runs before it was kept.
   */
  gc?: {
    scavenges: number;
    scavengeMs: number;
    majors: number;
    majorMs: number;
    runs: number;
    runsWithPause: number;
    /** Of the hostile runs that cost the most CPU (the top 5 %), how many had a pause inside. */
    costliest: number;
    costliestWithPause: number;
    /** Hostile p99 (cold CPU) with each query's median taken over its runs without a pause (all its runs if every one had one). */
    p99WithoutPauses: number;
    /** Queries all of whose runs had a pause. */
    alwaysPaused: number;
  };
}

/**
 * Recorded passes over the set, cold and warm. Five: a spike of another thread's work (a collection,
 * an optimizing compile) that lands on two runs of a query no longer sets its figure, as with
 * three (measured: one query's warm median of three at 10.4 ms, against 6.4 ms cold).
 */
export const PASSES = 5;

/** Cold passes over the whole set before the recorded ones, the first reported apart (see runAdversarial). */
export const WARMUP_PASSES = 5;

/** The median. */
function mid(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** One cold run of a query: a fresh reader, nothing cached. */
async function coldOnce(source: ValueSource, q: string): Promise<{ cpu: number; wall: number; bytes: number; total: number; capped: string[]; start: number; end: number }> {
  const stats = new ReadStats();
  const reader = new IndexReader(source, {});
  const start = performance.now();
  const cold = await timed(async () => search(await reader.current(stats), paramsFor(q, true), stats));
  return { cpu: cold.cpuMs, wall: cold.wallMs, bytes: stats.bytes, total: cold.value.total, capped: cold.value.capped ?? [], start, end: performance.now() };
}

export async function runAdversarial(source: ValueSource, hostile: HostileQuery[], normal: BenchQuery[], seed: number): Promise<AdversarialResult> {
  const loadStart = loadavg()[0]!;
  // Interleaved: a burst of contention from another job hits hostile and ordinary queries alike.
  const items: { family: string; q: string; ordinary: boolean }[] = [];
  const step = Math.max(1, Math.floor(hostile.length / normal.length));
  let n = 0;
  for (let i = 0; i < hostile.length; i++) {
    items.push({ ...hostile[i]!, ordinary: false });
    if (i % step === 0 && n < normal.length) items.push({ family: 'ordinary', q: normal[n++]!.q, ordinary: true });
  }
  while (n < normal.length) items.push({ family: 'ordinary', q: normal[n++]!.q, ordinary: true });
  // PASSES passes over them all, each query's figure the median of its runs: a pause of the
  // collector or a burst of another job's work lands on one or two passes of a query, not on most.
  // The cold passes run before the warm reader exists: a heap holding the whole decoded index
  // (a gigabyte, which no isolate has) makes every full collection a pause of 100 ms or more,
  // landing on whichever query triggers it.
  for (const q of normal.slice(0, 50)) await coldOnce(source, q.q); // JIT, not recorded
  const threads = { first: { main: 0, process: 0 }, cold: { main: 0, process: 0 }, warm: { main: 0, process: 0 } };
  const measured = async (into: { main: number; process: number }, body: () => Promise<void>) => {
    const m0 = mainThreadCpuMs();
    const c0 = process.cpuUsage();
    await body();
    const c = process.cpuUsage(c0);
    const m1 = mainThreadCpuMs();
    into.process += (c.user + c.system) / 1000;
    into.main += m0 !== undefined && m1 !== undefined ? m1 - m0 : Number.NaN;
  };
  // A first pass over the whole set, reported apart: the code paths only hostile queries take
  // (names, typo lists, phrase texts) are compiled by the optimizing compiler on their first runs
  // (measured: this pass took twice the process CPU of the next, the extra on V8's helper threads).
  // That is once per isolate, not per query; the passes after it are what a query costs.
  const firsts: number[] = [];
  await measured(threads.first, async () => { for (const it of items) if (!it.ordinary) firsts.push((await coldOnce(source, it.q)).cpu); });
  log('adversarial: first pass (optimizing compiles) done');
  // Rarely run functions reach the optimizing compiler only after some passes, and a few
  // recompile once they meet a new shape: measured over 8 passes (trace-opt), 24 functions were
  // optimized for the first time in each of passes 2 to 5, and their compiles took 150–360 ms
  // of helper-thread CPU a pass until the sixth (70–80 ms, no deoptimization left). So the
  // recorded passes start at the sixth: what a busy isolate's queries cost.
  for (let pass = 1; pass < WARMUP_PASSES; pass++) for (const it of items) await coldOnce(source, it.q);
  const colds = items.map(() => [] as Awaited<ReturnType<typeof coldOnce>>[]);
  // Each pass in its own seeded order, after a collection and a few unrecorded queries (the
  // first queries after a full collection pay for code it flushed: measured, the first query of
  // a pass took 200 ms where it takes 20 ms later in the pass).
  const order = (pass: number) => { const rng = mulberry32(seed + pass); const ix = items.map((_, i) => i); for (let i = ix.length - 1; i > 0; i--) { const j = pick(rng, i + 1); [ix[i], ix[j]] = [ix[j]!, ix[i]!]; } return ix; };
  const settle = async (run: (q: string) => Promise<unknown>) => { forceGc(); for (const q of normal.slice(0, 20)) await run(q.q); };
  const stopGc = watchGc();
  for (let pass = 0; pass < PASSES; pass++) {
    await settle((q) => coldOnce(source, q));
    await measured(threads.cold, async () => { for (const i of order(pass)) colds[i]!.push(await coldOnce(source, items[i]!.q)); });
    log(`adversarial: cold pass ${pass + 1}/${PASSES}`);
  }
  const gc = gcOnRuns(items, colds, (await stopGc()).sort((a, b) => a.start - b.start));
  const warm = await new IndexReader(source, { cacheBytes: 4 * 1024 ** 3 }).current(new ReadStats());
  for (const it of items) await search(warm, paramsFor(it.q, true), new ReadStats()); // each asked once before
  const warms = items.map(() => [] as number[]);
  const warmWalls = items.map(() => [] as number[]);
  for (let pass = 0; pass < PASSES; pass++) {
    await settle((q) => search(warm, paramsFor(q, true), new ReadStats()));
    await measured(threads.warm, async () => {
      for (const i of order(pass + PASSES)) {
        const t = await timed(() => search(warm, paramsFor(items[i]!.q, true), new ReadStats()));
        warms[i]!.push(t.cpuMs);
        warmWalls[i]!.push(t.wallMs);
      }
    });
    log(`adversarial: warm pass ${pass + 1}/${PASSES}`);
  }
  const least = (xs: number[]) => Math.min(...xs);
  const hostileIx = items.flatMap((it, i) => (it.ordinary ? [] : [i]));
  const firstThree = { cold: dist(hostileIx.map((i) => mid(colds[i]!.slice(0, 3).map((x) => x.cpu)))), warm: dist(hostileIx.map((i) => mid(warms[i]!.slice(0, 3)))) };
  const leastCosts = { cold: dist(hostileIx.map((i) => least(colds[i]!.map((x) => x.cpu)))), warm: dist(hostileIx.map((i) => least(warms[i]!))) };
  const costs: QueryCost[] = [];
  const normals: QueryCost[] = [];
  items.forEach((it, i) => {
    const r = colds[i]!;
    const c: QueryCost = { family: it.family, q: it.q, coldCpuMs: mid(r.map((x) => x.cpu)), coldBytes: r[0]!.bytes, warmCpuMs: mid(warms[i]!), coldWallMs: mid(r.map((x) => x.wall)), warmWallMs: mid(warmWalls[i]!), total: r[0]!.total, capped: r[0]!.capped };
    (it.ordinary ? normals : costs).push(c);
  });
  const families = [...new Set(costs.map((c) => c.family))].map((family) => {
    const cs = costs.filter((c) => c.family === family);
    return {
      family, n: cs.length, cold: dist(cs.map((c) => c.coldCpuMs)), warm: dist(cs.map((c) => c.warmCpuMs)),
      bytes: dist(cs.map((c) => c.coldBytes)), cappedShare: cs.filter((c) => c.capped.length).length / cs.length,
    };
  });
  const worst = [...costs].sort((a, b) => Math.max(b.coldCpuMs, 2.5 * b.warmCpuMs) - Math.max(a.coldCpuMs, 2.5 * a.warmCpuMs)).slice(0, 8);
  return {
    date: new Date().toISOString(), load: [loadStart, loadavg()[0]!], seed, families,
    hostile: { cold: dist(costs.map((c) => c.coldCpuMs)), warm: dist(costs.map((c) => c.warmCpuMs)) },
    p99Interval: percentileInterval(costs.map((c) => c.coldCpuMs), 99, seed),
    normal: { cold: dist(normals.map((c) => c.coldCpuMs)), warm: dist(normals.map((c) => c.warmCpuMs)) },
    wall: { cold: dist(costs.map((c) => c.coldWallMs!)), warm: dist(costs.map((c) => c.warmWallMs!)) },
    least: leastCosts,
    firstThree,
    first: dist(firsts),
    ...(Number.isFinite(threads.cold.main) && Number.isFinite(threads.warm.main) ? { threads } : {}),
    worst,
    gc,
  };
}

/** How the collector's pauses fell on the recorded cold runs (see AdversarialResult.gc). */
function gcOnRuns(items: { ordinary: boolean }[], colds: { cpu: number; start: number; end: number }[][], pauses: Parameters<typeof pausesIn>[1]): NonNullable<AdversarialResult['gc']> {
  const flat = colds.flatMap((runs, i) => runs.map((r) => ({ ...r, item: i })));
  const paused = pausesIn(flat, pauses);
  const hostileRuns = flat.map((r, k) => ({ ...r, paused: paused[k]! > 0 })).filter((r) => !items[r.item]!.ordinary);
  const costliest = [...hostileRuns].sort((a, b) => b.cpu - a.cpu).slice(0, Math.ceil(hostileRuns.length / 20));
  const byItem = new Map<number, { cpu: number; paused: boolean }[]>();
  for (const r of hostileRuns) (byItem.get(r.item) ?? byItem.set(r.item, []).get(r.item)!).push(r);
  let alwaysPaused = 0;
  const medians = [...byItem.values()].map((runs) => {
    const clear = runs.filter((r) => !r.paused);
    if (clear.length === 0) alwaysPaused++;
    return mid((clear.length ? clear : runs).map((r) => r.cpu));
  }).sort((a, b) => a - b);
  const minor = pauses.filter((p) => p.minor);
  const major = pauses.filter((p) => !p.minor);
  return {
    scavenges: minor.length, scavengeMs: minor.reduce((a, p) => a + p.ms, 0), majors: major.length, majorMs: major.reduce((a, p) => a + p.ms, 0),
    runs: flat.length, runsWithPause: paused.filter((x) => x > 0).length,
    costliest: costliest.length, costliestWithPause: costliest.filter((r) => r.paused).length,
    p99WithoutPauses: percentile(medians, 99), alwaysPaused,
  };
}

function ordinal(n: number): string {
  return n === 1 ? '' : n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}

export function renderAdversarial(r: AdversarialResult, commit: string | undefined): string {
  const when = r.date.slice(0, 16).replace('T', ' ');
  const goal = (label: string, value: number, limit: number) => `| ${label} | ${fmt.ms(value)} | ≤ ${limit} ms | ${value <= limit ? '**pass**' : '**FAIL**'} |`;
  const show = (q: string) => `\`${[...q].slice(0, 60).join('').replace(/`/g, "'").replace(/\|/g, '¦')}${[...q].length > 60 ? '…' : ''}\``;
  return `## Adversarial queries

Run ${when} UTC${commit ? `, code at \`${commit}\`` : ''}; written by \`npm run bench -- --adversarial\` (scripts/bench/adversarial.ts).
${r.hostile.cold.n} hostile queries of at most 256 characters from a seeded generator (seed ${r.seed}), ${r.hostile.cold.n / r.families.length} per family,
over the corpus index (ANT Corpus, Chouigui et al., AICCSA 2017), facets on, interleaved with
${r.normal.cold.n} ordinary 1–3-word title queries. Cold: a fresh reader per query (every value read and decoded,
as in a new isolate, KV latency not counted); warm: the query asked once before on a reader holding everything;\neach figure per query the median of ${PASSES} passes over the whole set, each in its own seeded order after a collection\nand 20 unrecorded queries (the cold passes first, before the warm reader's
heap of the whole decoded index exists)${r.first ? `, after ${WARMUP_PASSES} unrecorded cold passes while the optimizing compiler settles (the first reported apart below: it pays for compiles once per isolate)` : ''}.
CPU is \`process.cpuUsage\` on 2 cores shared with other jobs (load ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end).

| goal (issue 25) | measured | limit | |
| --- | ---: | ---: | --- |
${goal('worst hostile query, cold CPU', r.hostile.cold.max, 25)}
${goal('worst hostile query, warm CPU', r.hostile.warm.max, 10)}
${goal('hostile p99, cold CPU', r.hostile.cold.p99, 10)}
${r.p99Interval ? `
The p99 is the ${ordinal(Math.ceil(0.01 * r.hostile.cold.n))} costliest of ${r.hostile.cold.n} queries: resampling them (bootstrap, 95 %) puts it between ${fmt.ms(r.p99Interval[0])} and ${fmt.ms(r.p99Interval[1])}.
` : ''}
| family | n | cold p50 | cold p99 | cold max | warm p50 | warm max | cold bytes p50 | answers naming a cap |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${r.families.map((f) => `| ${f.family} | ${f.n} | ${fmt.ms(f.cold.p50)} | ${fmt.ms(f.cold.p99)} | ${fmt.ms(f.cold.max)} | ${fmt.ms(f.warm.p50)} | ${fmt.ms(f.warm.max)} | ${fmt.kb(f.bytes.p50)} | ${(100 * f.cappedShare).toFixed(0)} % |`).join('\n')}
| **all hostile** | ${r.hostile.cold.n} | ${fmt.ms(r.hostile.cold.p50)} | ${fmt.ms(r.hostile.cold.p99)} | ${fmt.ms(r.hostile.cold.max)} | ${fmt.ms(r.hostile.warm.p50)} | ${fmt.ms(r.hostile.warm.max)} | | |
| ordinary title queries | ${r.normal.cold.n} | ${fmt.ms(r.normal.cold.p50)} | ${fmt.ms(r.normal.cold.p99)} | ${fmt.ms(r.normal.cold.max)} | ${fmt.ms(r.normal.warm.p50)} | ${fmt.ms(r.normal.warm.max)} | | |

Worst hostile query / ordinary median, cold: ${fmt.ratio(r.hostile.cold.max / r.normal.cold.p50)}; warm: ${fmt.ratio(r.hostile.warm.max / r.normal.warm.p50)}. Hostile p99 / ordinary median, cold: ${fmt.ratio(r.hostile.cold.p99 / r.normal.cold.p50)} (a ratio within one run: it holds when the machine's speed moves, which the milliseconds do not).
${r.wall ? `
CPU here is the whole process's, so it also counts V8's helper threads (concurrent marking and sweeping, optimizing compiles) that run beside a query on the other core. The wall time of the same runs, about what the query's own thread took: worst cold ${fmt.ms(r.wall.cold.max)}, worst warm ${fmt.ms(r.wall.warm.max)}, cold p99 ${fmt.ms(r.wall.cold.p99)} (hostile p50 cold ${fmt.ms(r.wall.cold.p50)} against ${fmt.ms(r.hostile.cold.p50)} of CPU). Which of the two Cloudflare's limit counts is not measured here: the goals are read on CPU.${r.threads ? ` Over the ${PASSES} cold passes the main thread used ${(r.threads.cold.main / 1000).toFixed(1)} s of the process's ${(r.threads.cold.process / 1000).toFixed(1)} s of CPU (${((100 * r.threads.cold.main) / r.threads.cold.process).toFixed(0)} %), over the warm passes ${(r.threads.warm.main / 1000).toFixed(1)} s of ${(r.threads.warm.process / 1000).toFixed(1)} s (${((100 * r.threads.warm.main) / r.threads.warm.process).toFixed(0)} %): the rest is V8's helper threads (/proc, 10 ms ticks over whole passes).` : ''}
` : ''}${r.first ? `
The first pass over the set, run cold before the recorded ones (each query once): hostile p99 ${fmt.ms(r.first.p99)}, worst ${fmt.ms(r.first.max)}, p50 ${fmt.ms(r.first.p50)}${r.threads?.first ? `, with ${(r.threads.first.process / 1000).toFixed(1)} s of process CPU of which the main thread's ${(r.threads.first.main / 1000).toFixed(1)} s (${((100 * r.threads.first.main) / r.threads.first.process).toFixed(0)} %)` : ''}. The extra is V8's optimizing compiler working on the code paths only hostile queries take (names, typo lists, phrase texts) the first times they run: once per isolate, whatever the queries after. The goals are read on the recorded passes, what a query costs once its code is compiled (after ${WARMUP_PASSES} passes in all: rarely run functions are optimized only after several); an isolate's first hostile queries cost up to the figures here.
` : ''}${r.least ? `
Each query's figures above are the median of its ${PASSES} passes${r.firstThree ? ` (the median of its first three, as this bench read them until 2026-12-04: hostile cold p99 ${fmt.ms(r.firstThree.cold.p99)}, worst cold ${fmt.ms(r.firstThree.cold.max)}, worst warm ${fmt.ms(r.firstThree.warm.max)})` : ''}. The least of them, its own cost with as little as ${PASSES} tries leave of what other work adds (a collection of earlier queries' garbage, an optimizing compile, another job): worst cold ${fmt.ms(r.least.cold.max)}, cold p99 ${fmt.ms(r.least.cold.p99)}, cold p50 ${fmt.ms(r.least.cold.p50)}; worst warm ${fmt.ms(r.least.warm.max)}, warm p50 ${fmt.ms(r.least.warm.p50)}. The goals are read on the medians.${r.gc ? `

The collector's pauses on the main thread over the ${PASSES} cold passes (the few unrecorded queries between them included): ${r.gc.scavenges} young collections (${fmt.ms(r.gc.scavengeMs / Math.max(1, r.gc.scavenges))} each on average, with more work on V8's helper thread) and ${r.gc.majors} full or incremental steps (${fmt.ms(r.gc.majorMs)} in all). ${r.gc.runsWithPause} of the ${r.gc.runs} recorded runs (${((100 * r.gc.runsWithPause) / r.gc.runs).toFixed(0)} %) had one inside, and ${r.gc.costliestWithPause} of the ${r.gc.costliest} costliest hostile runs (the top 5 % by CPU): a young collection lands on a query in proportion to what it allocates. Taking each query's median over its runs with no pause inside${r.gc.alwaysPaused ? ` (all its runs for the ${r.gc.alwaysPaused} queries that had one in every run)` : ''}, the hostile cold p99 is ${fmt.ms(r.gc.p99WithoutPauses)}, against ${fmt.ms(r.hostile.cold.p99)} with them: ${r.gc.p99WithoutPauses >= 0.95 * r.hostile.cold.p99 ? 'the medians of five already leave the pauses out, and what is left of the tail is the queries\' own work and the helper threads beside it' : 'the pauses set part of the tail'} (a diagnosis, not the goal's figure: a Worker collects too).` : ''}
` : ''}
The costliest (first 60 characters):

| family | query | cold CPU | warm CPU | cold bytes | capped |
| --- | --- | ---: | ---: | ---: | --- |
${r.worst.map((w) => `| ${w.family} | ${show(w.q)} | ${fmt.ms(w.coldCpuMs)} | ${fmt.ms(w.warmCpuMs)} | ${fmt.kb(w.coldBytes)} | ${w.capped.join(', ') || '–'} |`).join('\n')}
`;
}
