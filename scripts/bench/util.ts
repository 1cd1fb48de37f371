/** Small helpers shared by the benchmark modules: seeded randomness, statistics, timing, formatting. */
import { readFileSync } from 'node:fs';
import { constants as perfConstants, PerformanceObserver } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';

import { mulberry32 } from '../lib/random';

export { mulberry32 };

/** An integer in [0, n). */
export function pick(rng: () => number, n: number): number {
  return Math.floor(rng() * n);
}

export interface Dist {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * A 95 % interval for percentile `p` of `values`, by bootstrap over them (resampled with
 * replacement, seeded): how far the figure could move with another draw of the same kind of items.
 */
export function percentileInterval(values: readonly number[], p: number, seed = 7, resamples = 2000): [lo: number, hi: number] {
  const n = values.length;
  if (n === 0) return [Number.NaN, Number.NaN];
  const rng = mulberry32(seed);
  const got = new Float64Array(resamples);
  const draw = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) draw[i] = values[pick(rng, n)]!;
    draw.sort();
    got[r] = percentile(draw, p);
  }
  got.sort();
  return [got[Math.floor(0.025 * resamples)]!, got[Math.ceil(0.975 * resamples) - 1]!];
}

export function dist(values: number[]): Dist {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.length ? s.reduce((x, y) => x + y, 0) / s.length : Number.NaN;
  return { n: s.length, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN, mean };
}

/** Wall and CPU time of an async step (CPU: user + system of the whole process, in ms). */
export interface Timed<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
}

export async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/** A pause of the garbage collector on the main thread (performance.now() clock). */
export interface GcPause {
  start: number;
  ms: number;
  /** A young-generation collection (scavenge), else a full or incremental one. */
  minor: boolean;
}

/**
 * Records the collector's pauses from now until the returned function is awaited (Node's `gc`
 * performance entries: the main thread's pause, not the work of V8's helper threads).
 */
export function watchGc(): () => Promise<GcPause[]> {
  const pauses: GcPause[] = [];
  const take = (entries: PerformanceEntry[]) => {
    for (const e of entries) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      pauses.push({ start: e.startTime, ms: e.duration, minor: kind === perfConstants.NODE_PERFORMANCE_GC_MINOR });
    }
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return async () => {
    // Entries are delivered after the current macrotask: let two timer turns pass, then take
    // those still queued (a loaded machine may not have delivered them yet).
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    take(observer.takeRecords());
    observer.disconnect();
    return pauses.sort((a, b) => a.start - b.start);
  };
}

/**
 * For each run (a span of the performance.now() clock), the collector's pause inside it in ms:
 * a pause belongs to the run it starts in. Both lists in time order.
 */
export function pausesIn(runs: readonly { start: number; end: number }[], pauses: readonly GcPause[]): number[] {
  const out = new Array<number>(runs.length).fill(0);
  const order = runs.map((_, i) => i).sort((a, b) => runs[a]!.start - runs[b]!.start);
  let k = 0;
  for (const i of order) {
    const r = runs[i]!;
    while (k < pauses.length && pauses[k]!.start < r.start) k++;
    for (let j = k; j < pauses.length && pauses[j]!.start < r.end; j++) out[i]! += pauses[j]!.ms;
  }
  return out;
}

/**
 * CPU time of this process's main thread in ms, from /proc (Linux; in 10 ms ticks, so read it
 * around many queries, not one), or undefined where it cannot be read. `process.cpuUsage`
 * counts every thread, V8's helpers (concurrent marking, sweeping, compiling) among them.
 */
export function mainThreadCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]); // utime, stime (fields 14 and 15)
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** A full garbage collection: `--expose-gc` when given, else V8's flag switched on at run time. */
export function forceGc(): void {
  gcFunction()();
  gcFunction()();
}

let cachedGc: (() => void) | undefined;
function gcFunction(): () => void {
  if (cachedGc) return cachedGc;
  if (typeof globalThis.gc === 'function') {
    const g = globalThis.gc;
    cachedGc = () => { g(); };
  } else {
    setFlagsFromString('--expose-gc');
    cachedGc = runInNewContext('gc') as () => void;
  }
  return cachedGc;
}

/**
 * Memory in use after a full collection: the JS heap plus ArrayBuffer backing stores (typed
 * arrays live outside the heap in V8, but count against a Worker isolate's 128 MB all the same).
 */
export function heapAfterGc(): number {
  forceGc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** ArrayBuffer bytes in use after a full collection. */
export function arrayBuffersAfterGc(): number {
  forceGc();
  return process.memoryUsage().arrayBuffers;
}

/** Samples RSS every `everyMs` and keeps the peak (the OS's own peak is `process.resourceUsage().maxRSS`). */
export class RssSampler {
  peak = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;
  constructor(everyMs = 250) {
    this.timer = setInterval(() => { this.peak = Math.max(this.peak, process.memoryUsage.rss()); }, everyMs);
    this.timer.unref();
  }
  stop(): number {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return this.peak;
  }
}

/** Peak resident set of this process so far, in bytes (getrusage). */
export function maxRssBytes(): number {
  return process.resourceUsage().maxRSS * 1024;
}

export const fmt = {
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : 'n/a'),
  kb: (b: number) => (Number.isFinite(b) ? `${(b / 1024).toFixed(b < 10 * 1024 ? 1 : 0)} KB` : 'n/a'),
  mb: (b: number) => (Number.isFinite(b) ? `${(b / 1048576).toFixed(1)} MB` : 'n/a'),
  gb: (b: number) => (Number.isFinite(b) ? `${(b / 1073741824).toFixed(2)} GB` : 'n/a'),
  ms: (ms: number) => (Number.isFinite(ms) ? (ms < 1 ? `${ms.toFixed(3)} ms` : ms < 100 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`) : 'n/a'),
  s: (s: number) => (Number.isFinite(s) ? `${s.toFixed(1)} s` : 'n/a'),
  ratio: (r: number) => (Number.isFinite(r) ? `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×` : 'n/a'),
};

/** Logs progress to stderr with the elapsed time. */
const benchStart = performance.now();
export function log(message: string): void {
  process.stderr.write(`[bench ${((performance.now() - benchStart) / 1000).toFixed(0).padStart(5)} s] ${message}\n`);
}
