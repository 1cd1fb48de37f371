/**
 * Search as you type on the corpus (`npm run bench -- --suggest`): what /suggest reads and
 * spends per keystroke, cold (a fresh reader: manifest and all) and warm (one reader through
 * every keystroke), with completions weighed by the words typed before (suggest.ts `CONTEXT`)
 * against completions by their titles alone, interleaved in one process (the ratio is the
 * measure; this machine is noisy). Keystrokes: titles typed letter by letter from their second
 * word on, each prefix of 2+ letters of the word being typed.
 */
import { tokenize } from '../../src/core/analyzer/index';
import { sealValue } from '../../src/core/format/layout';
import type { Archive } from '../../src/core/search/archive';
import { IndexReader, parseManifest } from '../../src/core/search/reader';
import { ReadStats, utf8Length, type ValueSource } from '../../src/core/search/source';
import { CONTEXT, suggest, type SuggestOptions, type SuggestResult } from '../../src/core/search/suggest';
import { search, type SearchResult } from '../../src/core/search/search';
import { DEFAULT_RECENCY } from '../../src/core/search/options';
import { MemoryKv } from '../../src/indexer/publish';
import { importCheckout } from './against';
import { dist, fmt, mulberry32, pick, timed, type Dist } from './util';

export interface SuggestBench {
  keystrokes: number;
  titles: number;
  /** Keystrokes the two variants answered the same (completions and titles). */
  same?: number;
  /** The first few answered differently: the keystroke and each side's completions. */
  differ?: { q: string; before: string[]; now: string[] }[];
  rows: { name: string; coldBytes: Dist; coldCpuMs: Dist; warmCpuMs: Dist }[];
  /** Paired ratios, now ÷ before, of the medians. */
  ratio: { coldBytes: number; coldCpuMs: number; warmCpuMs: number };
}

/** Keystrokes answered differently shown in the report. */
const SHOWN_DIFFERENCES = 8;

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

/** How a checkout answers a keystroke: its reader and its /suggest (this checkout's unless said), or a search. */
interface SuggestImpl {
  open: (source: ValueSource, cacheBytes: number) => Promise<unknown>;
  suggest: (index: unknown, q: string, limit: number, o: SuggestOptions) => Promise<SuggestResult | SearchResult>;
}

/** What an answer shows: its completions, or a search's hits. */
const shown = (x: SuggestResult | SearchResult): string[] => ('completions' in x ? x.completions.map((c) => c.text) : x.hits.map((h) => h.title));

/** /search as the widget asks it each keystroke (limit 5, no facets), with `prefix` or as typed. */
const searching = (prefix: boolean): SuggestImpl => ({
  open: openOurs,
  suggest: (index, q, limit) => search(index as Archive, { q: q.trim(), limit, offset: 0, sort: 'relevance', facets: false, recency: DEFAULT_RECENCY, ...(prefix && !/\s$/.test(q) ? { prefix: true } : {}) }, new ReadStats()),
});

function openOurs(source: ValueSource, cacheBytes: number): Promise<unknown> {
  return new IndexReader(source, { cacheBytes }).current(new ReadStats());
}

const OURS: SuggestImpl = {
  open: openOurs,
  suggest: (index, q, limit, o) => suggest(index as Archive, q, limit, new ReadStats(), o),
};

/**
 * /search each keystroke as the widget asks it (`npm run bench -- --suggest`, beside /suggest's
 * section): the words as typed (before 2026-12-07) against `prefix` (the last word completed as
 * /suggest completes it, its next completions below: search.ts), interleaved.
 */
export async function runTypingSearchBench(entries: Map<string, string>, titles: string[], count: number, seed: number): Promise<SuggestBench> {
  const kv = new MemoryKv(entries);
  return measureSuggest(titles, count, seed, [
    { name: 'the words as typed (before)', source: kv, o: {}, impl: searching(false) },
    { name: 'prefix: the word being typed completed (now)', source: kv, o: {}, impl: searching(true) },
  ]);
}

export function renderTypingSearchBench(b: SuggestBench, date: string, commit: string | undefined): string {
  const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`;
  return [
    `## Search as you type: /search with prefix (${date})`,
    '',
    `\`npm run bench -- --suggest\` at ${commit ?? 'an uncommitted tree'}: the same ${b.keystrokes} keystrokes as /suggest's (titles typed letter by letter from their second word on), each searched as the widget asks (\`/search\`, limit 5, facets off), the words as typed against \`prefix=true\` (the word being typed completed, its next four completions below, ranked by the prefix weights: a head of 30 re-ranked, docs/api.md), on the corpus build. Cold: a fresh reader each keystroke (its manifest included); warm: one reader (32 MB cache) through every keystroke, the second pass timed; interleaved in one process. What it finds: docs/relevance.md, "Headlines as the reader types".`,
    '',
    '| /search | cold read p50 / p95 | cold CPU p50 / p95 | warm CPU p50 / p95 |',
    '| --- | ---: | ---: | ---: |',
    ...b.rows.map((row) => `| ${row.name} | ${kb(row.coldBytes.p50)} / ${kb(row.coldBytes.p95)} | ${fmt.ms(row.coldCpuMs.p50)} / ${fmt.ms(row.coldCpuMs.p95)} | ${fmt.ms(row.warmCpuMs.p50)} / ${fmt.ms(row.warmCpuMs.p95)} |`),
    '',
    `Now ÷ before, medians: cold read ${b.ratio.coldBytes.toFixed(2)}×, cold CPU ${b.ratio.coldCpuMs.toFixed(2)}×, warm CPU ${b.ratio.warmCpuMs.toFixed(2)}×. Answered the same (hits and all) for ${b.same ?? '?'} of ${b.keystrokes} keystrokes (the letters typed complete to themselves alone, or to nothing).`,
  ].join('\n');
}

/** One way of answering keystrokes: a source (an archive as some reader sees it), options, and the code. */
interface SuggestVariant {
  name: string;
  source: ValueSource;
  o: SuggestOptions;
  impl?: SuggestImpl;
}

/**
 * Keystrokes answered by two variants, interleaved (the second is "now", the first "before"):
 * cold, a fresh reader each keystroke (its manifest included); warm, one reader (32 MB cache)
 * per variant through every keystroke, the second pass timed.
 */
async function measureSuggest(titles: string[], count: number, seed: number, variants: SuggestVariant[]): Promise<SuggestBench> {
  const typed = keystrokes(titles, count, seed);
  const implOf = (v: SuggestVariant) => v.impl ?? OURS;
  const cold = variants.map(() => ({ bytes: [] as number[], cpu: [] as number[] }));
  const warmReaders = await Promise.all(variants.map((v) => implOf(v).open(v.source, 32 * 2 ** 20)));
  // JIT warm-up on other keystrokes.
  for (const q of keystrokes(titles, 200, seed + 1)) for (const [v, r] of warmReaders.entries()) await implOf(variants[v]!).suggest(r, q, 5, variants[v]!.o);
  // The same answers? (The archive's version aside: each side names the index it read.)
  let same = 0;
  const differ: NonNullable<SuggestBench['differ']> = [];
  for (const q of typed) {
    const [a, b] = await Promise.all(warmReaders.map((r, v) => implOf(variants[v]!).suggest(r, q, 5, variants[v]!.o)));
    if (JSON.stringify({ ...a!, index: '' }) === JSON.stringify({ ...b!, index: '' })) same++;
    else if (differ.length < SHOWN_DIFFERENCES) differ.push({ q, before: shown(a!), now: shown(b!) });
  }
  for (const [i, q] of typed.entries()) {
    // Which goes first alternates: neither always meets the other's garbage.
    for (const v of i % 2 === 0 ? variants.keys() : [...variants.keys()].reverse()) {
      const variant = variants[v]!;
      // Bytes as the source hands them over (each side's reader counts its own way).
      let bytes = 0;
      const counting: ValueSource = { getMany: async (keys) => { const got = await variant.source.getMany(keys); for (const value of got.values()) bytes += value ? utf8Length(value) : 0; return got; } };
      const t = await timed(async () => implOf(variant).suggest(await implOf(variant).open(counting, 32 * 2 ** 20), q, 5, variant.o));
      cold[v]!.bytes.push(bytes);
      cold[v]!.cpu.push(t.cpuMs);
    }
  }
  const warm = variants.map(() => [] as number[]);
  for (let pass = 0; pass < 2; pass++) {
    for (const [i, q] of typed.entries()) {
      for (const v of i % 2 === 0 ? warmReaders.keys() : [...warmReaders.keys()].reverse()) {
        const t = await timed(() => implOf(variants[v]!).suggest(warmReaders[v], q, 5, variants[v]!.o));
        if (pass === 1) warm[v]!.push(t.cpuMs);
      }
    }
  }
  const rows = variants.map((v, i) => ({ name: v.name, coldBytes: dist(cold[i]!.bytes), coldCpuMs: dist(cold[i]!.cpu), warmCpuMs: dist(warm[i]!) }));
  const r = (f: (x: (typeof rows)[number]) => number) => f(rows[1]!) / f(rows[0]!);
  return { keystrokes: typed.length, titles: titles.length, same, differ, rows, ratio: { coldBytes: r((x) => x.coldBytes.p50), coldCpuMs: r((x) => x.coldCpuMs.p50), warmCpuMs: r((x) => x.warmCpuMs.p50) } };
}

/**
 * This checkout's /suggest against another checkout's (`--suggest --against <dir>`, over the
 * corpus or, with --million, the million-article archive): each side its own reader and
 * /suggest over the same values. The answers compared, and cold and warm CPU interleaved.
 */
export async function runSuggestAgainst(dir: string, source: ValueSource, titles: string[], count: number, seed: number): Promise<SuggestBench> {
  const { mod, IndexReader: TheirIndexReader, ReadStats: TheirStats } = await importCheckout<{ suggest: (index: unknown, q: string, limit: number, stats: unknown, o: SuggestOptions) => Promise<SuggestResult> }>(dir, ['src/core/search/suggest.ts']);
  const theirs: SuggestImpl = {
    open: (src, cacheBytes) => new TheirIndexReader(src, { cacheBytes }).current(new TheirStats()),
    suggest: (index, q, limit, o) => mod.suggest(index, q, limit, new TheirStats(), o),
  };
  // The values the keystrokes read, on both sides, held in memory (a disk read is no KV read).
  const held = new Map<string, string | null>();
  const holding: ValueSource = { getMany: async (keys) => { const miss = keys.filter((k) => !held.has(k)); if (miss.length) for (const [k, v] of await source.getMany(miss)) held.set(k, v); return new Map(keys.map((k) => [k, held.get(k) ?? null])); } };
  for (const q of [...keystrokes(titles, count, seed), ...keystrokes(titles, 200, seed + 1)]) {
    await OURS.suggest(await OURS.open(holding, 32 * 2 ** 20), q, 5, {});
    await theirs.suggest(await theirs.open(holding, 32 * 2 ** 20), q, 5, {});
  }
  const memory: ValueSource = { getMany: async (keys) => new Map(keys.map((k) => [k, held.get(k) ?? null])) };
  return measureSuggest(titles, count, seed, [
    { name: `${dir} (before)`, source: memory, o: {}, impl: theirs },
    { name: 'this checkout (now)', source: memory, o: {} },
  ]);
}

export function renderSuggestAgainst(b: SuggestBench, other: string, archive: string, date: string, commit: string | undefined, otherCommit: string | undefined): string {
  const kb = (x: number) => `${(x / 1024).toFixed(1)} KB`;
  return [
    `## Search as you type against another checkout${archive.includes('1,000,000') ? ', a million articles' : ''} (${date})`,
    '',
    `\`npm run bench -- --suggest --against ${other}\` at ${commit ?? 'an uncommitted tree'} against ${otherCommit ?? other}: ${b.keystrokes} keystrokes of titles typed letter by letter from their second word on (as \`--suggest\`), /suggest with limit 5, on ${archive} (ANT Corpus, Chouigui et al., AICCSA 2017). Each checkout its own reader and /suggest over the same values, held in memory. Answers the same (completions and titles): ${b.same ?? '?'} of ${b.keystrokes}. Cold: a fresh reader each keystroke (the bytes as the source hands them over); warm: one reader (32 MB cache) per side through every keystroke, the second pass timed; the two sides interleaved in one process.`,
    '',
    '| checkout | cold read p50 / p95 | cold CPU p50 / p95 | warm CPU p50 / p95 |',
    '| --- | ---: | ---: | ---: |',
    ...b.rows.map((row) => `| ${row.name} | ${kb(row.coldBytes.p50)} / ${kb(row.coldBytes.p95)} | ${fmt.ms(row.coldCpuMs.p50)} / ${fmt.ms(row.coldCpuMs.p95)} | ${fmt.ms(row.warmCpuMs.p50)} / ${fmt.ms(row.warmCpuMs.p95)} |`),
    '',
    `This checkout ÷ the other, medians: cold read ${b.ratio.coldBytes.toFixed(2)}×, cold CPU ${b.ratio.coldCpuMs.toFixed(2)}×, warm CPU ${b.ratio.warmCpuMs.toFixed(2)}×.`,
    ...(b.differ?.length ? ['', `Answered differently${b.differ.length < b.keystrokes - (b.same ?? 0) ? ` (the first ${b.differ.length})` : ''}, completions before → now:`, '', ...b.differ.map((d) => `- «${d.q}»: ${d.before.join(' · ') || '(none)'} → ${d.now.join(' · ') || '(none)'}${d.before.join() === d.now.join() ? ' (the titles differ)' : ''}`)] : []),
  ].join('\n');
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
