/** The benchmark's local KV states: one per index version is kept, not one per build ever run. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freeDisk } from '../../scripts/bench/million';
import { pruneOtherStates } from '../../scripts/bench/wrangler';
import { mainThreadCpuMs, pausesIn, percentile, percentileInterval, watchGc } from '../../scripts/bench/util';

const dir = mkdtempSync(join(tmpdir(), 'bahth-bench-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('local KV states of the end-to-end bench', () => {
  it('removes the states of other index versions and keeps the current one and everything else', () => {
    for (const v of ['aaa', 'bbb', 'ccc']) {
      mkdirSync(join(dir, `wrangler-state-${v}`, 'v3'), { recursive: true });
      writeFileSync(join(dir, `wrangler-state-${v}`, 'v3', 'blob'), 'x');
      writeFileSync(join(dir, `wrangler-state-${v}.loaded.json`), '{}');
    }
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist.build.json'), '{}');
    pruneOtherStates(join(dir, 'wrangler-state-bbb'));
    expect(readdirSync(dir).sort()).toEqual(['dist', 'dist.build.json', 'wrangler-state-bbb', 'wrangler-state-bbb.loaded.json']);
  });
});

describe('free disk of the million-article bench', () => {
  it('is asked of the nearest existing folder when the cache folder does not exist yet', () => {
    const missing = join(dir, 'no', 'such', 'cache');
    expect(freeDisk(missing)).toBeGreaterThan(0);
  });
});

describe('the main thread\'s CPU (adversarial bench)', () => {
  it('counts this thread\'s work, and no more than the whole process\'s', () => {
    const m0 = mainThreadCpuMs();
    expect(m0).toBeTypeOf('number'); // Linux: /proc is there
    const c0 = process.cpuUsage();
    let x = 0;
    // 300 ms of this thread's arithmetic (no allocation: no helper thread has work), however loaded the machine.
    const busy = () => { const u = process.cpuUsage(c0); return (u.user + u.system) / 1000; };
    while (busy() < 300) for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + 1);
    const c = process.cpuUsage(c0);
    const spent = mainThreadCpuMs()! - m0!;
    expect(x).toBeGreaterThan(0);
    expect(spent).toBeGreaterThanOrEqual(250); // counted in 10 ms ticks
    expect(spent).toBeLessThanOrEqual((c.user + c.system) / 1000 + 20);
  });
});

describe('the p99\'s interval (adversarial bench)', () => {
  it('holds the sample\'s own p99, is as wide as the tail is uneven, and is the same for the same seed', () => {
    // 450 costs, the 5th costliest sets the p99: a flat tail gives a tight interval, a ragged one a wide one.
    const base = Array.from({ length: 440 }, (_, i) => 1 + (i % 40) / 10);
    const flat = [...base.slice(0, 420), ...Array<number>(30).fill(9)]; // 30 at the top: any resample holds 5 of them
    const ragged = [...base, 5, 6, 7, 8, 10, 12, 14, 16, 18, 20];
    const p99 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 99);
    expect(p99(ragged)).toBe(12); // 20, 18, 16, 14, then 12
    const [lo, hi] = percentileInterval(ragged, 99, 1);
    expect(lo).toBeLessThanOrEqual(12);
    expect(hi).toBeGreaterThanOrEqual(12);
    expect(hi - lo).toBeGreaterThan(3);
    expect(percentileInterval(flat, 99, 1)).toEqual([9, 9]);
    expect(percentileInterval(ragged, 99, 1)).toEqual([lo, hi]);
    expect(percentileInterval([], 99).every(Number.isNaN)).toBe(true);
  });
});

describe('collector pauses on runs (adversarial bench)', () => {
  it('gives each run the pauses that start inside it, and none to a run between them', () => {
    const runs = [{ start: 20, end: 30 }, { start: 0, end: 10 }, { start: 10, end: 20 }, { start: 40, end: 45 }];
    const pauses = [{ start: 5, ms: 2, minor: true }, { start: 9.5, ms: 3, minor: true }, { start: 31, ms: 7, minor: false }, { start: 44.9, ms: 1, minor: true }];
    expect(pausesIn(runs, pauses)).toEqual([0, 5, 0, 1]);
    expect(pausesIn(runs, [])).toEqual([0, 0, 0, 0]);
  });

  it('sees a young collection the process makes', async () => {
    const stop = watchGc();
    const keep: unknown[] = [];
    for (let i = 0; i < 400_000; i++) keep.push({ i });
    (globalThis as { gc?: () => void }).gc?.();
    const pauses = await stop();
    expect(keep.length).toBe(400_000);
    expect(pauses.length).toBeGreaterThan(0);
    expect(pauses.some((p) => p.minor)).toBe(true);
    expect(pauses.every((p) => p.ms >= 0 && p.start > 0)).toBe(true);
  });
});
