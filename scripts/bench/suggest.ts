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
import { ReadStats, type ValueSource } from '../../src/core/search/source';
import { parseManifest } from '../../src/core/search/reader';
import { sealValue } from '../../src/core/format/layout';
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
  const kv = new MemoryKv(entries);
  return measureSuggest(titles, count, seed, [
    { name: 'completions by their titles alone (before)', source: kv, o: { contextCandidates: 0 } },
    { name: `weighed by the words before (${CONTEXT.candidates} candidates, now)`, source: kv, o: {} },
  ]);
}

/** One way of answering keystrokes: a source (an archive as some reader sees it) and options. */
interface SuggestVariant {
  name: string;
  source: ValueSource;
  o: SuggestOptions;
}

/**
 * Keystrokes answered by two variants, interleaved (the second is "now", the first "before"):
 * cold, a fresh reader each keystroke (its manifest included); warm, one reader (32 MB cache)
 * per variant through every keystroke, the second pass timed.
 */
async function measureSuggest(titles: string[], count: number, seed: number, variants: SuggestVariant[]): Promise<SuggestBench> {
  const typed = keystrokes(titles, count, seed);
  const cold = variants.map(() => ({ bytes: [] as number[], cpu: [] as number[] }));
  const warmReaders = await Promise.all(variants.map((v) => new IndexReader(v.source, { cacheBytes: 32 * 2 ** 20 }).current(new ReadStats())));
  // JIT warm-up on other keystrokes.
  for (const q of keystrokes(titles, 200, seed + 1)) for (const [v, r] of warmReaders.entries()) await suggest(r, q, 5, new ReadStats(), variants[v]!.o);
  for (const [i, q] of typed.entries()) {
    // Which goes first alternates: neither always meets the other's garbage.
    for (const v of i % 2 === 0 ? variants.keys() : [...variants.keys()].reverse()) {
      const variant = variants[v]!;
      const stats = new ReadStats();
      const t = await timed(async () => suggest(await new IndexReader(variant.source, { cacheBytes: 32 * 2 ** 20 }).current(stats), q, 5, stats, variant.o));
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

/**
 * Search as you type on the million-article archive (`--suggest --million`): the titles keys of
 * big terms and cards (SegmentMeta.bigTitles, cardTitles: now) against their whole keys (the same
 * archive's manifest without the flags, as a reader of before reads it). The values the keystrokes read, on both sides, are
 * found first and held in memory (a disk read is no KV read), as the --million run holds its.
 */
export async function runSuggestMillion(source: ValueSource, titles: string[], count: number, seed: number): Promise<SuggestBench> {
  const raw = (await source.getMany(['manifest'])).get('manifest');
  if (!raw) throw new Error('the million-article index has no manifest');
  const m = parseManifest(raw);
  if (!m.segments.some((s) => s.bigTitles && s.cardTitles)) throw new Error('the million-article index predates the titles keys (build revision 12): run `npm run bench -- --million --rebuild` first');
  const whole = sealValue(JSON.stringify({ ...m, segments: m.segments.map(({ bigTitles: _, cardTitles: __, ...s }) => s) }), true);
  const held = new Map<string, string>();
  const recording: ValueSource = {
    getMany: async (keys) => {
      const got = await source.getMany(keys);
      for (const [k, v] of got) if (v !== null) held.set(k, v);
      return got;
    },
  };
  const before: ValueSource = { getMany: async (keys) => new Map(keys.map((k) => [k, k === 'manifest' ? whole : (held.get(k) ?? null)])) };
  const now: ValueSource = { getMany: async (keys) => new Map(keys.map((k) => [k, held.get(k) ?? null])) };
  // Every keystroke of the run (and of its warm-up) once on each side, to hold what it reads.
  const withWhole: ValueSource = { getMany: async (keys) => { const got = await recording.getMany(keys); if (got.has('manifest')) got.set('manifest', whole); return got; } };
  for (const q of [...keystrokes(titles, count, seed), ...keystrokes(titles, 200, seed + 1)]) {
    for (const src of [recording, withWhole]) await suggest(await new IndexReader(src).current(new ReadStats()), q, 5, new ReadStats());
  }
  return measureSuggest(titles, count, seed, [
    { name: 'whole big terms and cards (before)', source: before, o: {} },
    { name: 'their titles keys (now)', source: now, o: {} },
  ]);
}

export function renderSuggestMillion(b: SuggestBench, date: string, commit: string | undefined): string {
  const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`;
  return [
    `## Search as you type at a million articles (${date})`,
    '',
    `\`npm run bench -- --suggest --million\` at ${commit ?? 'an uncommitted tree'}: ${b.keystrokes} keystrokes of titles typed letter by letter from their second word on (as \`--suggest\`), /suggest with limit 5, on the 1,000,000-article archive (the corpus ×25; ANT Corpus, Chouigui et al., AICCSA 2017). Both sides read the same archive: one through the titles keys of big terms and of cards, one through the big terms' and cards' whole keys (its manifest without \`bigTitles\` and \`cardTitles\`, as a reader of before reads it). Every value the keystrokes read was found first and held in memory. Cold: a fresh reader each keystroke (its manifest included); warm: one reader (32 MB cache) through every keystroke, the second pass timed; the two interleaved in one process.`,
    '',
    '| reads | cold read p50 / p95 | cold CPU p50 / p95 | warm CPU p50 / p95 |',
    '| --- | ---: | ---: | ---: |',
    ...b.rows.map((row) => `| ${row.name} | ${kb(row.coldBytes.p50)} / ${kb(row.coldBytes.p95)} | ${fmt.ms(row.coldCpuMs.p50)} / ${fmt.ms(row.coldCpuMs.p95)} | ${fmt.ms(row.warmCpuMs.p50)} / ${fmt.ms(row.warmCpuMs.p95)} |`),
    '',
    `Now ÷ before, medians: cold read ${b.ratio.coldBytes.toFixed(2)}×, cold CPU ${b.ratio.coldCpuMs.toFixed(2)}×, warm CPU ${b.ratio.warmCpuMs.toFixed(2)}×.`,
  ].join('\n');
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
