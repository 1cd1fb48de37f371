/**
 * What search analytics costs a warm search (`npm run bench -- --analytics`): the Worker itself
 * (src/worker/index.ts, its Hono app) answering `/search` in this process over the corpus index
 * in a Map-backed KV, once with ANALYTICS on (a binding that takes the data points) and once off,
 * query by query in alternating order, so contention hits both alike. Writes its section of
 * docs/analytics.md.
 */
import { availableParallelism, loadavg } from 'node:os';
import app from '../../src/worker/index';
import { searchPoint } from '../../src/worker/analytics';
import type { BenchQuery } from './queries';
import { dist, fmt, forceGc, log, type Dist } from './util';

/** The KV binding over a Map: a bulk get is one call, as Workers KV's. */
class MapKv {
  constructor(private readonly values: Map<string, string>) {}
  async get(key: string | string[]): Promise<string | null | Map<string, string | null>> {
    return Array.isArray(key) ? new Map(key.map((k) => [k, this.values.get(k) ?? null])) : this.values.get(key) ?? null;
  }
}

export interface AnalyticsCost {
  date: string;
  /** The machine's 1-minute load average at the start and the end. */
  load: [number, number];
  queries: number;
  rounds: number;
  on: { cpuMs: Dist; wallMs: Dist };
  off: { cpuMs: Dist; wallMs: Dist };
  /** Per query and round, on minus off (CPU). */
  addedMs: Dist;
  /** Building and writing one data point alone, µs (mean over many). */
  pointUs: number;
  written: number;
}

function cpuMs(fn: () => Promise<unknown>): Promise<{ cpu: number; wall: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  return fn().then(() => {
    const c = process.cpuUsage(c0);
    return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
  });
}

export async function runAnalyticsCost(entries: Map<string, string>, queries: BenchQuery[], rounds = 5): Promise<AnalyticsCost> {
  const loadStart = loadavg()[0]!;
  const INDEX = new MapKv(entries) as unknown as KVNamespace;
  let written = 0;
  const dataset: AnalyticsEngineDataset = { writeDataPoint: () => { written++; } };
  // The same INDEX: one reader (the isolate's) serves both sides, warm for both.
  const base = { INDEX, CACHE_MIB: String(1 << 20), MANIFEST_TTL_MS: String(1e12), SEARCH_EVENTS: dataset };
  const envs = { on: { ...base, ANALYTICS: 'on' }, off: { ...base, ANALYTICS: 'off' } };
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  const ask = async (q: string, env: object) => {
    const res = await app.fetch(new Request(`http://bahth.bench/search?q=${encodeURIComponent(q)}`), env, ctx);
    if (res.status !== 200) throw new Error(`/search?q=${q}: ${res.status}`);
    await res.arrayBuffer();
  };

  log(`analytics: warming on ${queries.length} queries`);
  for (const q of queries) await ask(q.q, envs.off);
  for (const q of queries) await ask(q.q, envs.on);
  forceGc();
  const on = { cpu: [] as number[], wall: [] as number[] };
  const off = { cpu: [] as number[], wall: [] as number[] };
  const added: number[] = [];
  for (let round = 0; round < rounds; round++) {
    log(`analytics: round ${round + 1}/${rounds}`);
    for (let i = 0; i < queries.length; i++) {
      const q = queries[i]!.q;
      // Alternate which side goes first: neither gets the other's warm caches every time.
      const first = (i + round) % 2 === 0 ? 'on' : 'off';
      const a = await cpuMs(() => ask(q, envs[first]));
      const b = await cpuMs(() => ask(q, envs[first === 'on' ? 'off' : 'on']));
      const [withIt, without] = first === 'on' ? [a, b] : [b, a];
      on.cpu.push(withIt.cpu);
      on.wall.push(withIt.wall);
      off.cpu.push(without.cpu);
      off.wall.push(without.wall);
      added.push(withIt.cpu - without.cpu);
    }
  }

  // The data point alone: normalize the query, build the point, hand it to the binding.
  const n = 100_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) dataset.writeDataPoint(searchPoint({ q: queries[i % queries.length]!.q, results: i, corrected: false, latencyMs: 1.5, page: 1, index: 'v1', served: 'fresh' }));
  const pointUs = ((performance.now() - t0) * 1000) / n;

  return {
    date: new Date().toISOString(), load: [loadStart, loadavg()[0]!], queries: queries.length, rounds,
    on: { cpuMs: dist(on.cpu), wallMs: dist(on.wall) }, off: { cpuMs: dist(off.cpu), wallMs: dist(off.wall) },
    addedMs: dist(added), pointUs, written,
  };
}

/** The section of docs/analytics.md for a run. */
export function renderAnalyticsCost(r: AnalyticsCost, when: string, commit: string | undefined): string {
  // The median of the paired differences: a burst of contention from another job lands on one
  // side of a pair and would swing a mean by more than the cost being measured.
  const added = r.addedMs.p50;
  const ratio = r.on.cpuMs.p50 / r.off.cpuMs.p50;
  const ok = added <= 0.1;
  return `## Measured cost (${when}${commit ? `, code at \`${commit}\`` : ''})

Written by \`npm run bench -- --analytics\` (scripts/bench/analytics.ts); do not edit by hand. The Worker's
own app answers \`GET /search?q=…\` in Node over the corpus index (ANT Corpus, Chouigui et al., AICCSA 2017)
in a Map-backed KV, everything loaded (warm): ${r.queries} title queries, ${r.rounds} rounds, each query asked with
\`ANALYTICS=on\` and \`off\` back to back (alternating which goes first). CPU is \`process.cpuUsage\`, on
${availableParallelism()} cores shared with other jobs (load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end).

| goal | measured | |
| --- | ---: | ---: |
| analytics adds at most 0.1 ms to a warm search (CPU, on − off query by query, median) | ${fmt.ms(added)} (medians ${fmt.ratio(ratio)}) | ${ok ? '**pass**' : '**FAIL**'} |

| | CPU p50 | mean | p95 | wall p50 |
| --- | ---: | ---: | ---: | ---: |
| \`ANALYTICS=on\` | ${fmt.ms(r.on.cpuMs.p50)} | ${fmt.ms(r.on.cpuMs.mean)} | ${fmt.ms(r.on.cpuMs.p95)} | ${fmt.ms(r.on.wallMs.p50)} |
| \`ANALYTICS=off\` | ${fmt.ms(r.off.cpuMs.p50)} | ${fmt.ms(r.off.cpuMs.mean)} | ${fmt.ms(r.off.cpuMs.p95)} | ${fmt.ms(r.off.wallMs.p50)} |
| on − off, query by query | ${fmt.ms(r.addedMs.p50)} | ${fmt.ms(r.addedMs.mean)} | | |

The data point alone (normalize the query, build the point, hand it to the binding): ${r.pointUs.toFixed(2)} µs
(mean of 100,000). ${r.written.toLocaleString('en')} data points written in all. In a deployed Worker \`writeDataPoint\`
returns at once and the runtime sends the point after the response.
`;
}
