/**
 * Uncertainty of the eval's figures: percentile bootstrap over the items (questions, typos),
 * seeded, for a mean and for a paired difference of two systems on the same items.
 */
import { mulberry32 } from './variants';

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  n: number;
}

const RESAMPLES = 2000;

/** The mean of `xs` and its 95 % percentile-bootstrap interval. */
export function bootstrap(xs: readonly number[], seed = 7, resamples = RESAMPLES): Interval {
  const n = xs.length;
  const mean = n ? xs.reduce((a, b) => a + b, 0) / n : 0;
  if (n === 0) return { mean, lo: 0, hi: 0, n };
  const rng = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[Math.floor(rng() * n)]!;
    means[r] = s / n;
  }
  means.sort();
  return { mean, lo: means[Math.floor(0.025 * resamples)]!, hi: means[Math.ceil(0.975 * resamples) - 1]!, n };
}

/** The paired difference a − b (same items) with its interval. */
export function pairedDiff(a: readonly number[], b: readonly number[], seed = 7): Interval {
  if (a.length !== b.length) throw new Error(`eval: paired lists differ in length (${a.length}, ${b.length})`);
  return bootstrap(a.map((x, i) => x - b[i]!), seed);
}

/** True when an interval lies wholly above (1) or below (-1) zero; 0 when it holds zero. */
export function sign(i: Interval): -1 | 0 | 1 {
  return i.lo > 0 ? 1 : i.hi < 0 ? -1 : 0;
}

/** `0.802 [0.781, 0.822]`, or as percentages. */
export function fmt(i: Interval, percent = false, digits = 3): string {
  const f = (x: number) => (percent ? `${(100 * x).toFixed(1)} %` : x.toFixed(digits));
  return `${f(i.mean)} [${f(i.lo)}, ${f(i.hi)}]`;
}

/** A signed difference: `+0.012 [+0.004, +0.020]`. */
export function fmtDiff(i: Interval, percent = false, digits = 3): string {
  const f = (x: number) => {
    const s = percent ? `${(100 * x).toFixed(1)} pt` : x.toFixed(digits);
    return x > 0 ? `+${s}` : x === 0 ? s.replace('-', '') : s;
  };
  return `${f(i.mean)} [${f(i.lo)}, ${f(i.hi)}]`;
}
