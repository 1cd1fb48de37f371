/**
 * Search as you type on the corpus (`npm run bench -- --suggest`): what /suggest reads and
 * spends per keystroke, cold (a fresh reader: manifest and all) and warm (one reader through
 * every keystroke), with completions weighed by the words typed before (suggest.ts `CONTEXT`)
 * against completions by their titles alone, interleaved in one process (the ratio is the
 * measure; this machine is noisy). Keystrokes: titles typed letter by letter from their second
 * word on, each prefix of 2+ letters of the word being typed.
 */
import { tokenize } from '../../src/core/analyzer/index';
import { IndexReader } from '../../src/core/search/reader';
import { ReadStats } from '../../src/core/search/source';
import { CONTEXT, suggest, type SuggestOptions } from '../../src/core/search/suggest';
import { MemoryKv } from '../../src/indexer/publish';
import { dist, fmt, mulberry32, pick, timed, type Dist } from './util';

export interface SuggestBench {
  keystrokes: number;
  titles: number;
  rows: { name: string; coldBytes: Dist; coldCpuMs: Dist; warmCpuMs: Dist }[];
  /** Paired ratios, now ÷ before, of the medians. */
  ratio: { coldBytes: number; coldCpuMs: number; warmCpuMs: number };
}

/** Keystrokes of `titles` titles drawn with the seed: each prefix (2+ letters) of each word after the first. */
export function keystrokes(titles: string[], count: number, seed: number): string[] {
  const rng = mulberry32(seed);
  const out: string[] = [];
  while (out.length < count) {
    const title = titles[pick(rng, titles.length)]!;
    for (const t of tokenize(title).slice(1)) {
      for (let n = 2; n <= t.end - t.start && out.length < count; n++) out.push(title.slice(0, t.start + n));
    }
  }
  return out;
}

export async function runSuggestBench(entries: Map<string, string>, titles: string[], count: number, seed: number): Promise<SuggestBench> {
  const typed = keystrokes(titles, count, seed);
  const kv = new MemoryKv(entries);
  const variants: { name: string; o: SuggestOptions }[] = [
    { name: 'completions by their titles alone (before)', o: { contextCandidates: 0 } },
    { name: `weighed by the words before (${CONTEXT.candidates} candidates, now)`, o: {} },
  ];
  const cold = variants.map(() => ({ bytes: [] as number[], cpu: [] as number[] }));
  const warmReaders = await Promise.all(variants.map(() => new IndexReader(kv, { cacheBytes: 32 * 2 ** 20 }).current(new ReadStats())));
  // JIT warm-up on other keystrokes.
  for (const q of keystrokes(titles, 200, seed + 1)) for (const [v, r] of warmReaders.entries()) await suggest(r, q, 5, new ReadStats(), variants[v]!.o);
  for (const q of typed) {
    for (const [v, variant] of variants.entries()) {
      const stats = new ReadStats();
      const t = await timed(async () => suggest(await new IndexReader(kv, { cacheBytes: 32 * 2 ** 20 }).current(stats), q, 5, stats, variant.o));
      cold[v]!.bytes.push(stats.bytes);
      cold[v]!.cpu.push(t.cpuMs);
    }
  }
  const warm = variants.map(() => [] as number[]);
  for (let pass = 0; pass < 2; pass++) {
    for (const q of typed) {
      for (const [v, r] of warmReaders.entries()) {
        const t = await timed(() => suggest(r, q, 5, new ReadStats(), variants[v]!.o));
        if (pass === 1) warm[v]!.push(t.cpuMs);
      }
    }
  }
  const rows = variants.map((v, i) => ({ name: v.name, coldBytes: dist(cold[i]!.bytes), coldCpuMs: dist(cold[i]!.cpu), warmCpuMs: dist(warm[i]!) }));
  const r = (f: (x: (typeof rows)[number]) => number) => f(rows[1]!) / f(rows[0]!);
  return { keystrokes: typed.length, titles: titles.length, rows, ratio: { coldBytes: r((x) => x.coldBytes.p50), coldCpuMs: r((x) => x.coldCpuMs.p50), warmCpuMs: r((x) => x.warmCpuMs.p50) } };
}

export function renderSuggestBench(b: SuggestBench, date: string, commit: string | undefined): string {
  const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`;
  return [
    `## Search as you type (${date})`,
    '',
    `\`npm run bench -- --suggest\` at ${commit ?? 'an uncommitted tree'}: ${b.keystrokes} keystrokes of titles typed letter by letter from their second word on (each prefix of 2+ letters of the word being typed), /suggest with limit 5, on the corpus build. Cold: a fresh reader each keystroke (its manifest included), over an in-memory source; warm: one reader (32 MB cache) through every keystroke, the second pass timed. The two settings run interleaved in one process.`,
    '',
    '| completions | cold read p50 / p95 | cold CPU p50 / p95 | warm CPU p50 / p95 |',
    '| --- | ---: | ---: | ---: |',
    ...b.rows.map((row) => `| ${row.name} | ${kb(row.coldBytes.p50)} / ${kb(row.coldBytes.p95)} | ${fmt.ms(row.coldCpuMs.p50)} / ${fmt.ms(row.coldCpuMs.p95)} | ${fmt.ms(row.warmCpuMs.p50)} / ${fmt.ms(row.warmCpuMs.p95)} |`),
    '',
    `Now ÷ before, medians: cold read ${b.ratio.coldBytes.toFixed(2)}×, cold CPU ${b.ratio.coldCpuMs.toFixed(2)}×, warm CPU ${b.ratio.warmCpuMs.toFixed(2)}×. What the weighing buys: docs/relevance.md, "Completions as the reader types".`,
  ].join('\n');
}
