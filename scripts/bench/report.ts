/**
 * docs/benchmarks.md: every number of the latest runs in tables, the goals with pass/fail, and
 * the previous run's headline. The results themselves are embedded in the file (an HTML comment
 * after the generated part), so a `--million` run keeps the corpus numbers of the last full run
 * and vice versa; sections others append after that comment are kept as they are.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BuildRecord } from './build';
import { COLD_PASSES, WARM, type BaselineImport, type ColdResult, type ColdSummary, type DecodeCost, type HeapRun, type Popularity, type WarmSide } from './core';
import type { MillionResult } from './million';
import type { FreshIsolateResult } from './fresh-isolate';
import type { RescueComparison, TierComparison } from './tiers';
import type { BenchQuery } from './queries';
import type { E2eResult } from './wrangler';
import { fmt, type Dist } from './util';

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  platform: string;
  /** 1-minute load average at the start and end of the run (other processes share the machine). */
  loadStart: number;
  loadEnd: number;
  /** The code measured: HEAD and the files under src/ that differed from it. */
  commit?: string;
  dirty?: string[];
}

export interface KvKindStat {
  kind: string;
  keys: number;
  bytes: number;
  largest: number;
}

export interface CorpusResult {
  machine: Machine;
  corpus: string;
  build: BuildRecord;
  kv: { keys: number; bytes: number; largest: { key: string; bytes: number }; parts: number; byKind: KvKindStat[]; mapSeconds: number };
  queries: { count: number; seed: number; byWords: Record<string, number>; noContent: number; examples: string[] };
  cold: ColdResult[];
  decode: DecodeCost[];
  warm: { facets: boolean; sides: WarmSide[] }[];
  /** The uncapped reader timed alone in the process (absent in results before it was added). */
  warmAlone?: { facets: boolean; sides: WarmSide[] }[];
  heap: HeapRun;
  baseline: BaselineImport;
  /** The first search of fresh isolates (absent in results before it was measured). */
  fresh?: FreshIsolateResult;
  e2e: E2eResult | { notRun: string };
}

export interface MillionRecord {
  machine: Machine;
  result: MillionResult | { notRun: string };
}

interface Headline {
  date: string;
  /** When the corpus and million numbers were measured (they come from separate runs). */
  corpusDate?: string;
  millionDate?: string;
  version?: string;
  coldBytes2w?: number;
  coldReads2w?: number;
  coldCpu2w?: number;
  warmP50?: number;
  heapDelta?: number;
  e2eWarmP50?: number;
  build1mSeconds?: number;
  cold1mBytes2w?: number;
}

interface Embedded {
  /** Whatever others appended after the data comment (kept as it is). */
  tail?: string;
  corpus?: CorpusResult;
  million?: MillionRecord;
  headline?: Headline;
  /** The headline numbers each part had before it was last replaced. */
  previous?: Headline;
  /** Headlines of earlier runs, newest first (the last HISTORY_RUNS), so a change's numbers stand beside the old ones. */
  history?: Headline[];
}

const HISTORY_RUNS = 12;

const CORPUS_FIELDS = ['corpusDate', 'version', 'coldBytes2w', 'coldReads2w', 'coldCpu2w', 'warmP50', 'heapDelta', 'e2eWarmP50'] as const;
const MILLION_FIELDS = ['millionDate', 'build1mSeconds', 'cold1mBytes2w'] as const;

const DATA_MARK = '<!-- bench-data ';

export { WARM };

/** The uncapped side (the search core's own time), falling back to the first side of older results. */
function coreSide(sides: WarmSide[] | undefined): WarmSide | undefined {
  return sides?.find((x) => x.name === WARM.uncapped) ?? sides?.[0];
}
const CAP = 32 * 1024 * 1024;
const FREE_CPU_MS = 10;
const COLD_BYTES_GOAL = 256 * 1024;

/** Writes the report, merging this run's results with those embedded in the previous file. */
export function writeReport(file: string, run: { corpus?: CorpusResult; million?: MillionRecord }): string {
  const old = readEmbedded(file);
  const data: Embedded = { corpus: run.corpus ?? old.corpus, million: run.million ?? old.million };
  data.headline = headline(data);
  data.previous = previousOf(old, run);
  const replaced = (run.corpus || run.million) && old.headline ? [old.headline] : [];
  data.history = [...replaced, ...(old.history ?? [])].slice(0, HISTORY_RUNS);
  const md = render(data, data.previous);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${md}\n${DATA_MARK}${JSON.stringify(data).replace(/--/g, '-\\u002d')} -->\n${old.tail ? `\n${old.tail}` : ''}`);
  return md;
}

function readEmbedded(file: string): Embedded {
  if (!existsSync(file)) return {};
  const text = readFileSync(file, 'utf8');
  const at = text.lastIndexOf(DATA_MARK);
  if (at < 0) return {};
  const end = text.indexOf(' -->', at);
  const tail = text.slice(end + ' -->'.length).replace(/^\n+/, '');
  try {
    return { ...(JSON.parse(text.slice(at + DATA_MARK.length, end)) as Embedded), tail };
  } catch {
    return { tail };
  }
}

/** The previous numbers of the parts this run replaces; the other parts keep theirs. */
function previousOf(old: Embedded, run: { corpus?: CorpusResult; million?: MillionRecord }): Headline | undefined {
  const prev: Record<string, unknown> = { ...(old.previous ?? {}) };
  const from = (old.headline ?? {}) as unknown as Record<string, unknown>;
  const take = (fields: readonly string[]) => {
    if (from[fields[0]!] === undefined && from.date === undefined) return;
    for (const f of fields) prev[f] = from[f];
  };
  if (run.corpus && old.corpus) take(CORPUS_FIELDS);
  if (run.million && old.million) take(MILLION_FIELDS);
  // Files written before the dates were kept per part: the whole headline had one date.
  if (run.corpus && old.corpus && prev.corpusDate === undefined) prev.corpusDate = old.corpus.machine.date;
  if (run.million && old.million && prev.millionDate === undefined) prev.millionDate = old.million.machine.date;
  const hasAny = [...CORPUS_FIELDS, ...MILLION_FIELDS].some((f) => prev[f] !== undefined);
  return hasAny ? ({ ...prev, date: String(prev.date ?? old.headline?.date ?? '') } as Headline) : undefined;
}

function headline(d: Embedded): Headline {
  const h: Headline = { date: new Date().toISOString() };
  const c = d.corpus;
  if (c) {
    h.corpusDate = c.machine.date;
    const two = c.cold.find((x) => x.facets)?.groups.find((g) => g.group === '2 words');
    h.version = c.build.version;
    h.coldBytes2w = two?.bytes.p50;
    h.coldReads2w = two?.reads.p50;
    h.coldCpu2w = two?.cpuMs.p50;
    h.warmP50 = coreSide(c.warm.find((w) => w.facets)?.sides)?.cpuMs.p50;
    h.heapDelta = c.heap.delta;
    if (!('notRun' in c.e2e)) h.e2eWarmP50 = c.e2e.passes[1]?.latencyMs.p50;
  }
  const m = d.million?.result;
  if (d.million) h.millionDate = d.million.machine.date;
  if (m && !('notRun' in m)) {
    h.build1mSeconds = m.build.seconds;
    h.cold1mBytes2w = m.cold.find((x) => x.facets)?.groups.find((g) => g.group === '2 words')?.bytes.p50;
  }
  return h;
}

// ---------------------------------------------------------------- rendering

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: (string | number)[][]) =>
  [row(head), row(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(row)].join('\n');
const pass = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**pass**' : '**FAIL**');

function render(d: Embedded, previous: Headline | undefined): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    'Written by `scripts/bench.ts` (`npm run bench`, and `npm run bench -- --million` for the',
    '1,000,000-article archive); do not edit by hand. Data: ANT Corpus (Chouigui et al., "ANT Corpus:',
    'An Arabic News Text Collection for Textual Classification", AICCSA 2017; Apache-2.0),',
    '39,916 Arabic news articles. The machine is shared with other jobs (see the load average):',
    'compare speeds as ratios measured in the same process, not across runs. Sizes: KB, MB and GB',
    'here are 1024, 1024² and 1024³ bytes (the 32 MB cap is 32 MiB).',
    '',
  ];
  out.push(...goals(d));
  if (d.corpus) out.push(...corpusSection(d.corpus));
  else out.push('## Full corpus', '', 'Not measured yet: run `npm run bench`.', '');
  if (d.million) out.push(...millionSection(d.million));
  else out.push('## 1,000,000 articles', '', 'Not measured yet: run `npm run bench -- --million`.', '');
  out.push(...previousSection(previous));
  out.push(...historySection(d));
  return out.join('\n');
}

function machineLine(m: Machine): string {
  const code = m.commit ? `; code at \`${m.commit}\`${m.dirty?.length ? ` with uncommitted changes to ${m.dirty.map((f) => `\`${f}\``).join(', ')}` : ''}` : '';
  return `${m.date.slice(0, 16).replace('T', ' ')} UTC on ${m.cpus} × ${m.cpuModel}, ${fmt.gb(m.memoryBytes)} RAM, Node ${m.node} (${m.platform}); load average ${m.loadStart.toFixed(1)} at the start, ${m.loadEnd.toFixed(1)} at the end${code}`;
}

function goals(d: Embedded): string[] {
  const c = d.corpus;
  const coldOn = c?.cold.find((x) => x.facets)?.groups.find((g) => g.group === '2 words');
  const coldOff = c?.cold.find((x) => !x.facets)?.groups.find((g) => g.group === '2 words');
  const onePassOn = c?.cold.find((x) => x.facets)?.onePass?.find((g) => g.group === '2 words');
  const onePassOff = c?.cold.find((x) => !x.facets)?.onePass?.find((g) => g.group === '2 words');
  const p95Text = (g: ColdSummary | undefined, one: ColdSummary | undefined) =>
    `${fmt.ms(g?.cpuMs.p95 ?? NaN)}; ${g ? g.overTenMs : '?'}/${g?.n ?? '?'} over 10 ms` +
    (one ? ` (a single pass: p95 ${fmt.ms(one.cpuMs.p95)}, ${one.overTenMs} over 10 ms)` : ' (a single pass)');
  const warm = coreSide(c?.warm.find((w) => w.facets)?.sides);
  const warmOff = coreSide(c?.warm.find((w) => !w.facets)?.sides);
  const capped = c?.warm.find((w) => w.facets)?.sides.find((x) => x.name === WARM.capped);
  const alone = c?.warmAlone?.find((w) => w.facets)?.sides[0];
  const aloneOff = c?.warmAlone?.find((w) => !w.facets)?.sides[0];
  const aloneText = (s: WarmSide | undefined) => (s ? `; alone in the process, as in an isolate: ${fmt.ms(s.cpuMs.p50)} CPU, ${fmt.ms(s.wallMs.p50)} wall` : '');
  const m = d.million?.result;
  const built = m && !('notRun' in m) ? m.build : undefined;
  const m2 = m && !('notRun' in m) ? m.cold.find((x) => x.facets)?.groups.find((g) => g.group === '2 words') : undefined;
  const m2off = m && !('notRun' in m) ? m.cold.find((x) => !x.facets)?.groups.find((g) => g.group === '2 words') : undefined;
  const fresh1m = m && !('notRun' in m) ? m.fresh : undefined;
  const long2 = m && !('notRun' in m) ? m.stream.cpuByWords?.find((x) => x.words === 2)?.cpuMs : undefined;
  // The corpus's isolates measured in the same run, alternating with the 1M's, when the run kept them.
  const paired = m && !('notRun' in m) ? m.freshCorpus : undefined;
  const freshBase = paired ?? c?.fresh;
  const freshUp = fresh1m && freshBase ? fresh1m.firstMs.p50 - freshBase.firstMs.p50 : undefined;
  const freshText = freshUp !== undefined ? `${fmt.ms(freshUp)} (1M ${fmt.ms(fresh1m!.firstMs.p50)}, corpus ${fmt.ms(freshBase!.firstMs.p50)}${paired ? ', their isolates alternating in one run' : ', from the corpus run'}; JIT cold in both)` : 'n/a (measured by a corpus run and a --million run)';
  const rows: (string | number)[][] = [
    ['Cold query reads ≤ 256 KB from KV (median, 2-word queries), facets on (API default)', fmt.kb(coldOn?.bytes.p50 ?? NaN), pass(coldOn && coldOn.bytes.p50 <= COLD_BYTES_GOAL)],
    ['… the same with `facets=false`', fmt.kb(coldOff?.bytes.p50 ?? NaN), pass(coldOff && coldOff.bytes.p50 <= COLD_BYTES_GOAL)],
    ['Cold query CPU ≤ 10 ms (median, 2-word queries), facets on', `${fmt.ms(coldOn?.cpuMs.p50 ?? NaN)}`, pass(coldOn && coldOn.cpuMs.p50 <= FREE_CPU_MS)],
    ['… the same with `facets=false`', `${fmt.ms(coldOff?.cpuMs.p50 ?? NaN)}`, pass(coldOff && coldOff.cpuMs.p50 <= FREE_CPU_MS)],
    [`Cold query CPU p95 ≤ 10 ms (2-word queries, each the median of ${COLD_PASSES} passes), facets on`, p95Text(coldOn, onePassOn), pass(coldOn && coldOn.cpuMs.p95 <= FREE_CPU_MS)],
    ['… the same with `facets=false`', p95Text(coldOff, onePassOff), pass(coldOff && coldOff.cpuMs.p95 <= FREE_CPU_MS)],
    ['Warm p50 < 1 ms for the search core (CPU, everything the queries need loaded), facets on', `${fmt.ms(warm?.cpuMs.p50 ?? NaN)} (wall ${fmt.ms(warm?.wallMs.p50 ?? NaN)} on the loaded machine; with the default cap ${fmt.ms(capped?.cpuMs.p50 ?? NaN)}, ${capped?.readingQueries ?? '?'}/${capped?.wallMs.n ?? '?'} queries re-reading KV${aloneText(alone)})`, pass(warm && warm.cpuMs.p50 < 1)],
    ['… the same with `facets=false`', `${fmt.ms(warmOff?.cpuMs.p50 ?? NaN)} (wall ${fmt.ms(warmOff?.wallMs.p50 ?? NaN)}${aloneText(aloneOff)})`, pass(warmOff && warmOff.cpuMs.p50 < 1)],
    ['Memory stays under the cap (32 MB) through 10,000 random queries (growth after GC: JS heap + ArrayBuffers)', c ? `${fmt.mb(c.heap.delta)} (the reader's cache estimate ${fmt.mb(c.heap.cachedBytes)})` : 'n/a', pass(c && c.heap.delta <= CAP)],
    ['The 1,000,000-article build completes on this machine', built ? `${fmt.s(built.seconds)} (${(built.seconds / 60).toFixed(1)} min), peak RSS ${fmt.gb(Math.max(built.peakRssBytes, built.osMaxRssBytes))}` : m && 'notRun' in m ? m.notRun : 'n/a', pass(built ? true : m && 'notRun' in m ? false : undefined)],
    ['1M archive, for reference (the goals above are set for the corpus): cold query reads ≤ 256 KB (median, 2 words), facets on / off', m2 ? `${fmt.kb(m2.bytes.p50)} / ${fmt.kb(m2off?.bytes.p50 ?? NaN)}` : 'n/a', pass(m2 && m2.bytes.p50 <= COLD_BYTES_GOAL)],
    ['1M archive, for reference: cold query CPU ≤ 10 ms (median, 2 words), facets on / off', m2 ? `${fmt.ms(m2.cpuMs.p50)} / ${fmt.ms(m2off?.cpuMs.p50 ?? NaN)}` : 'n/a', pass(m2 && m2.cpuMs.p50 <= FREE_CPU_MS)],
    ['1M archive: cold query CPU p95 ≤ 40 ms (2 words, facets on)', m2 ? fmt.ms(m2.cpuMs.p95) : 'n/a', pass(m2 && m2.cpuMs.p95 <= 40)],
    ['1M archive: a long-lived reader under the default cap, CPU p50 ≤ 3 ms and p95 ≤ 15 ms (2-word queries of its 2,000, facets on)', long2 ? `${fmt.ms(long2.p50)} / ${fmt.ms(long2.p95)} (${long2.n} queries)` : 'n/a', pass(long2 && long2.p50 <= 3 && long2.p95 <= 15)],
    ['A fresh isolate\'s first search: set-up that grows with the archive ≤ 5 ms (stop-word query, medians: 1M archive − corpus)', freshText, pass(freshUp !== undefined ? freshUp <= 5 : undefined)],
  ];
  return ['## Goals', '', table(['goal', 'measured', ''], rows), ''];
}

function distRow(label: string, x: Dist, f: (v: number) => string): (string | number)[] {
  return [label, f(x.p50), f(x.p95), f(x.p99), f(x.max)];
}

function corpusSection(c: CorpusResult): string[] {
  const b = c.build;
  const out = [
    '## Full corpus',
    '',
    `Run ${machineLine(c.machine)}. Index \`${b.version}\`.`,
    '',
    '### Build and KV asset',
    '',
    table(['', 'value'], [
      ['articles', `${fmt.int(b.articles)}${b.skipped ? ` (${b.skipped} invalid rows skipped)` : ''}`],
      ['build time', `${fmt.s(b.seconds)} (${fmt.int(b.articlesPerSecond)} articles/s)${b.fresh ? '' : `, measured when it was built (${b.builtAt.slice(0, 16).replace('T', ' ')})`}`],
      ['peak RSS of the build', `${fmt.mb(b.peakRssBytes)} (builder's samples); ${fmt.mb(b.osMaxRssBytes)} (getrusage, whole process)`],
      ['terms / term shards / big-term keys', `${fmt.int(b.terms)} / ${fmt.int(b.shards)} / ${fmt.int(b.bigTerms)}`],
      ['KV keys', fmt.int(c.kv.keys)],
      ['KV bytes (keys + values)', `${fmt.mb(c.kv.bytes)} in ${c.kv.parts} bulk files`],
      ['largest value', `${fmt.kb(c.kv.largest.bytes)} (\`${c.kv.largest.key}\`)`],
    ]),
    '',
    table(['kind of key', 'keys', 'bytes', 'largest value'], c.kv.byKind.map((k) => [k.kind, fmt.int(k.keys), fmt.mb(k.bytes), fmt.kb(k.largest)])),
    '',
    `### Queries`,
    '',
    `${c.queries.count} queries (seed ${c.queries.seed}): a random title, then 1–3 consecutive words of it (punctuation trimmed) — ` +
      `${Object.entries(c.queries.byWords).map(([w, n]) => `${n} of ${w} word${w === '1' ? '' : 's'}`).join(', ')}; ` +
      `${c.queries.noContent} are only stop words (they read nothing but the meta). Examples: ${c.queries.examples.map((q) => `«${q}»`).join(', ')}.`,
    'The search core is `search(index, {limit: 10, offset: 0, sort: "relevance", facets, recency: 0.05})`.',
    '',
  ];
  out.push(...coldTables(c.cold, 'Cold queries', `a fresh \`IndexReader\` per query (empty cache: manifest, meta, then what the query needs; the scoring scratch is the isolate's, made once, as in a Worker: see the fresh-isolate table), over an in-memory source that adds no latency, so wall ≈ CPU. The JIT is warmed on 30 other queries first; then ${COLD_PASSES} passes over the set, each in its own seeded order after a full collection and 20 unrecorded queries, and each query's figures are those of its median-CPU pass (the same query can cost 2 ms in one pass and 14 ms in another, when a collection of earlier readers' garbage, which a new isolate does not have, lands on it)`));
  out.push(...decodeTable(c.decode));
  out.push(...warmTables(c));
  if (c.fresh) out.push(...freshTable(c.fresh, 'the corpus'));
  out.push(...heapTable(c.heap));
  out.push(...baselineTable(c));
  out.push(...e2eTables(c.e2e));
  return out;
}

function coldTables(cold: ColdResult[], title: string, how: string): string[] {
  const out = [`### ${title}`, '', `${how}. CPU is \`process.cpuUsage\` (user + system) around the query.`, ''];
  for (const run of cold) {
    out.push(`**facets ${run.facets ? 'on' : 'off'}**`, '');
    out.push(table(['queries', 'n', 'bytes p50', 'p95', 'max', 'reads p50', 'p95', 'max', 'keys p50', 'CPU p50', 'p95', 'max', 'over 10 ms'],
      run.groups.filter((g) => g.n > 0).map((g) => [g.group, g.n, fmt.kb(g.bytes.p50), fmt.kb(g.bytes.p95), fmt.kb(g.bytes.max),
        g.reads.p50, g.reads.p95, g.reads.max, g.keys.p50, fmt.ms(g.cpuMs.p50), fmt.ms(g.cpuMs.p95), fmt.ms(g.cpuMs.max), g.overTenMs])));
    if (run.onePass) {
      out.push('', `The first pass alone (what one pass over the set reports; the table above takes each query's median of ${COLD_PASSES} passes):`, '');
      out.push(table(['queries', 'n', 'CPU p50', 'p95', 'p99', 'max', 'over 10 ms'],
        run.onePass.filter((g) => g.n > 0).map((g) => [g.group, g.n, fmt.ms(g.cpuMs.p50), fmt.ms(g.cpuMs.p95), fmt.ms(g.cpuMs.p99), fmt.ms(g.cpuMs.max), g.overTenMs])));
    }
    out.push('');
    out.push(`What a 2-word cold query reads, by kind of key (facets ${run.facets ? 'on' : 'off'}):`, '');
    out.push(table(['kind', 'keys (mean)', 'bytes (mean)', 'bytes (median)', 'share of bytes'],
      run.kinds2.map((k) => [k.kind, k.meanKeys.toFixed(2), fmt.kb(k.meanBytes), fmt.kb(k.medianBytes), `${(k.share * 100).toFixed(1)} %`])));
    out.push('');
    out.push(`Median time per stage (ms; \`load\` = term shards and typo lexicon, \`filter\` = source and category filters and facets (attribute codes from the postings), \`snippets\` = docs), 2-word queries: ` +
      Object.entries(run.stages2).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') + `; all queries: ` +
      Object.entries(run.stages).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') + '.');
    out.push(`The process's very first cold query (JIT cold): ${fmt.ms(run.first.cpuMs)} CPU, ${fmt.kb(run.first.bytes)}.`, '');
  }
  return out;
}

function decodeTable(d: DecodeCost[]): string[] {
  return [
    '### What one value costs a cold reader',
    '',
    'CPU to read and decode one value of each kind into a fresh `LoadedIndex` (median of 40 different values, JIT warmed).',
    '',
    table(['value', 'bytes (median)', 'CPU p50', 'p95', 'max'], d.map((x) => [x.what, fmt.kb(x.bytes), fmt.ms(x.cpuMs.p50), fmt.ms(x.cpuMs.p95), fmt.ms(x.cpuMs.max)])),
    '',
  ];
}

function warmTables(c: CorpusResult): string[] {
  const out = ['### Warm queries', '', 'Three readers: bahth with the default cap (32 MB), bahth with no cap, and the baseline (the whole index imported). Every query is run once on each to warm them, then each query is timed on the three in turn, so contention hits all alike. ' +
    'With the default cap, the 1,000 queries\' shards and docs do not all fit: the "still reading KV" column counts the timed queries that had to read again.', ''];
  for (const w of c.warm) {
    out.push(`**facets ${w.facets ? 'on' : 'off'}**`, '');
    const rows = w.sides.flatMap((s) => [
      [`${s.name}: wall`, fmt.ms(s.wallMs.p50), fmt.ms(s.wallMs.p95), fmt.ms(s.wallMs.p99), fmt.ms(s.wallMs.max), s.readingQueries],
      [`${s.name}: CPU`, fmt.ms(s.cpuMs.p50), fmt.ms(s.cpuMs.p95), fmt.ms(s.cpuMs.p99), fmt.ms(s.cpuMs.max), ''],
    ]);
    const base = w.sides[w.sides.length - 1]!;
    for (const a of w.sides.slice(0, -1)) {
      rows.push([`ratio ${a.name} / baseline (CPU)`, fmt.ratio(a.cpuMs.p50 / base.cpuMs.p50), fmt.ratio(a.cpuMs.p95 / base.cpuMs.p95), fmt.ratio(a.cpuMs.p99 / base.cpuMs.p99), '', '']);
    }
    out.push(table(['', 'p50', 'p95', 'p99', 'max', 'queries still reading KV'], rows), '');
    for (const a of w.sides) out.push(`Median stage times (${a.name}, ms): ${Object.entries(a.stages).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}.`, '');
    out.push('');
  }
  if (c.warmAlone?.length) {
    out.push('**The uncapped reader alone.** The interleaving above puts two other indexes (one of them the 200 MB whole-index import) between any two queries of a reader, so each query starts with caches full of another index. An isolate holds one index; here the same reader is timed again after the others were dropped, every query once to warm, then timed.', '');
    out.push(table(['', 'p50', 'p95', 'p99', 'max'], c.warmAlone.flatMap((w) => w.sides.flatMap((s) => [
      [`facets ${w.facets ? 'on' : 'off'}: wall`, fmt.ms(s.wallMs.p50), fmt.ms(s.wallMs.p95), fmt.ms(s.wallMs.p99), fmt.ms(s.wallMs.max)],
      [`facets ${w.facets ? 'on' : 'off'}: CPU`, fmt.ms(s.cpuMs.p50), fmt.ms(s.cpuMs.p95), fmt.ms(s.cpuMs.p99), fmt.ms(s.cpuMs.max)],
    ]))), '');
    for (const w of c.warmAlone) for (const s of w.sides) out.push(`Median stage times (alone, facets ${w.facets ? 'on' : 'off'}, ms): ${Object.entries(s.stages).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(', ')}.`, '');
  }
  return out;
}

function freshTable(f: FreshIsolateResult, what: string, corpus?: FreshIsolateResult): string[] {
  const rows: [string, Dist, Dist | undefined][] = [
    ['manifest and meta read and decoded (the isolate\'s first work)', f.openMs, corpus?.openMs],
    [`first search, «${f.stopQuery}» (manifest and meta included), JIT cold`, f.firstMs, corpus?.firstMs],
    [`the same again on a new reader (JIT warmed by one search)`, f.againMs, corpus?.againMs],
    [`then «${f.twoWordQuery}» on a new reader (${fmt.kb(f.twoWordsBytes)}${corpus ? `; the corpus ${fmt.kb(corpus.twoWordsBytes)}` : ''}; its code's first run: mostly JIT)`, f.twoWordsMs, corpus?.twoWordsMs],
  ];
  return [
    '### The first search of a fresh isolate',
    '',
    `${f.isolates} fresh isolates over ${what}${corpus ? `, alternating with ${corpus.isolates} over the corpus (the 1M archive's, the corpus's, and again), so that the machine's slower minutes land on both alike` : ''}, one after another: each a worker thread, a new V8 isolate with its own empty heap and a cold JIT, ` +
      'as a Worker\'s isolate is when it starts (scripts/bench/fresh-isolate.ts). Each is handed, in memory, the values its queries read (fetching them is not timed: KV is remote in production, and neither scale pays for its storage), then times on its ' +
      'one thread, while the main thread waits idle (so wall = its CPU): the manifest and meta, the first search, and new readers after it. ' +
      `The stop-word query «${f.stopQuery}» reads nothing but the manifest and meta: its time is the set-up every search pays.`,
    '',
    corpus
      ? table(['in a fresh isolate', 'median', 'max', 'the corpus: median', 'max'], rows.map(([label, x, y]) => [label, fmt.ms(x.p50), fmt.ms(x.max), fmt.ms(y!.p50), fmt.ms(y!.max)]))
      : table(['in a fresh isolate', 'median', 'max'], rows.map(([label, x]) => [label, fmt.ms(x.p50), fmt.ms(x.max)])),
    '',
  ];
}

function heapTable(h: HeapRun, title = 'Heap through 10,000 queries', base = 'the KV entries were loaded into their Map'): string[] {
  return [
    `### ${title}`,
    '',
    `One reader with the default cap, ${fmt.int(h.queries)} random title queries (facets on), one after another as a long-lived isolate would see them. Memory (JS heap plus ArrayBuffers, which hold typed arrays outside the heap but count against an isolate's 128 MB) measured after a full GC, relative to a baseline taken after ${base} and before the reader existed.`,
    '',
    table(['', 'value'], [
      ['memory in use before (JS heap + ArrayBuffers after GC; the source\'s own data included) / after', `${fmt.mb(h.baseHeap)} / ${fmt.mb(h.afterHeap)}`],
      ['growth after the queries (after GC, reader alive)', `${fmt.mb(h.delta)}${h.arrayBuffersDelta !== undefined ? `, of which ${fmt.mb(h.arrayBuffersDelta)} in ArrayBuffers (typed arrays)` : ' (JS heap only: ArrayBuffers not counted in this run)'}`],
      ['growth every 1,000 queries (after GC)', h.trail.map((t) => (t / 1048576).toFixed(1)).join(', ') + ' MB'],
      ['highest growth between queries (no forced GC, garbage included)', fmt.mb(h.peakDeltaNoGc)],
      ['reader cache estimate at the end / highest / cap', `${fmt.mb(h.cachedBytes)} / ${fmt.mb(h.maxCachedBytes)} / ${fmt.mb(h.capBytes)}`],
      ['query time (wall) p50 / p95 / p99 over the run', `${fmt.ms(h.wallMs.p50)} / ${fmt.ms(h.wallMs.p95)} / ${fmt.ms(h.wallMs.p99)}`],
      ['query CPU p50 / p95 / p99 over the run', `${fmt.ms(h.cpuMs.p50)} / ${fmt.ms(h.cpuMs.p95)} / ${fmt.ms(h.cpuMs.p99)}`],
      ...(h.cpuByWords ? [['query CPU p50 / p95 by words', h.cpuByWords.map((x) => `${x.words}: ${fmt.ms(x.cpuMs.p50)} / ${fmt.ms(x.cpuMs.p95)} (${x.cpuMs.n})`).join('; ')]] : []),
      [`steady state (last ${fmt.int(h.steady.queries)} queries): KV reads / keys / bytes per query (mean)`, `${h.steady.reads.toFixed(2)} / ${h.steady.keys.toFixed(1)} / ${fmt.kb(h.steady.bytes)}`],
      ['steady state: share of queries that read KV at all', `${(h.steady.readingShare * 100).toFixed(1)} %`],
      ...(h.gc ? [
        ['queries with a full (or incremental) collection\'s pause inside, and those pauses (main thread)', `${fmt.int(h.gc.full)} (${((100 * h.gc.full) / h.queries).toFixed(1)} %), ${fmt.ms(h.gc.fullMs)} in all`],
        ['queries with a young collection inside, and those pauses', `${fmt.int(h.gc.young)}, ${fmt.ms(h.gc.youngMs)} in all`],
        ['query CPU p50 / p95 over the queries with no full collection inside', `${fmt.ms(h.gc.cpuWithoutFull.p50)} / ${fmt.ms(h.gc.cpuWithoutFull.p95)}`],
      ] : []),
    ]),
    '',
  ];
}

function baselineTable(c: CorpusResult): string[] {
  const b = c.baseline;
  const cold = c.cold.find((x) => x.facets)?.groups.find((g) => g.group === 'all');
  const warm = c.warm.find((w) => w.facets)?.sides;
  const warmBase = warm?.[warm.length - 1];
  const warmCapped = warm?.[0];
  const warmCore = coreSide(warm);
  return [
    '### Baseline: the whole index imported at once',
    '',
    'What a cold isolate pays without sharding: read every term shard and import all of them into FlexSearch (meta included), then answer.',
    '',
    table(['', 'baseline', 'bahth', 'ratio'], [
      ['cold start: bytes read', fmt.mb(b.bytes), `${fmt.kb(cold?.bytes.p50 ?? NaN)} (median cold query)`, fmt.ratio(b.bytes / (cold?.bytes.p50 ?? NaN))],
      ['cold start: KV reads (≤100 keys each)', fmt.int(b.reads), `${cold?.reads.p50 ?? 'n/a'}`, fmt.ratio(b.reads / (cold?.reads.p50 ?? NaN))],
      ['cold start: time (wall, median of 3)', `${fmt.ms(b.wallMs)} (+ first query ${fmt.ms(b.firstQueryMs)})`, `${fmt.ms(cold?.wallMs.p50 ?? NaN)} (whole cold query)`, fmt.ratio((b.wallMs + b.firstQueryMs) / (cold?.wallMs.p50 ?? NaN))],
      ['cold start: CPU (median of 3)', fmt.ms(b.cpuMs), fmt.ms(cold?.cpuMs.p50 ?? NaN), fmt.ratio(b.cpuMs / (cold?.cpuMs.p50 ?? NaN))],
      ['heap held by the index', fmt.mb(b.heapBytes), `${fmt.mb(c.heap.delta)} after 10,000 queries`, fmt.ratio(b.heapBytes / c.heap.delta)],
      ['warm CPU p50 (facets on), bahth with the default cap', fmt.ms(warmBase?.cpuMs.p50 ?? NaN), fmt.ms(warmCapped?.cpuMs.p50 ?? NaN), fmt.ratio((warmCapped?.cpuMs.p50 ?? NaN) / (warmBase?.cpuMs.p50 ?? NaN))],
      ['warm CPU p50 (facets on), bahth with no cap', fmt.ms(warmBase?.cpuMs.p50 ?? NaN), fmt.ms(warmCore?.cpuMs.p50 ?? NaN), fmt.ratio((warmCore?.cpuMs.p50 ?? NaN) / (warmBase?.cpuMs.p50 ?? NaN))],
    ]),
    '',
    `${fmt.int(b.terms)} terms in ${fmt.int(b.termKeys)} keys; the import runs took ${b.runsWallMs.map((x) => fmt.ms(x)).join(', ')}. The reader's cache estimate for the whole index: ${fmt.mb(b.cachedBytes)}.`,
    '',
  ];
}

function e2eTables(e: E2eResult | { notRun: string }): string[] {
  const out = ['### End to end through `wrangler dev`', ''];
  if ('notRun' in e) return [...out, `Not measured: ${e.notRun}`, ''];
  out.push(`The index loaded into a local KV with \`wrangler kv bulk put --local\` (${e.kvLoad.files} files, one \`npx wrangler\` each) in ${fmt.s(e.kvLoad.seconds)}${e.kvLoad.fresh ? '' : ` (when it was loaded, ${e.kvLoad.loadedAt.slice(0, 16).replace('T', ' ')}; this run reused that local state)`}; ` +
    `\`wrangler dev\` answered /health ${fmt.s(e.startSeconds)} after it was started (the isolate then holds manifest and meta). Each query was sent three times in a row, one request at a time, to \`/search?q=…\` (API defaults: facets on): ` +
    '1 the first time (the isolate holds what earlier queries left under its 32 MB cap); 2 with `&limit=10` added (the default: the same search under another URL, so the Cache API in front of /search misses while the isolate has just loaded what the query needs); 3 request 1 again, which the Cache API answers (within the response\'s 60 s max-age). ' +
    `KV bytes and reads come from the Worker's \`Server-Timing\` header (a Cache API hit reads nothing). Latency is measured by the client on loopback, on the loaded machine; the Worker's own \`total\` is coarse (workerd's clock only advances across I/O). The first request: ${fmt.ms(e.firstRequest.latencyMs)}, ${fmt.kb(e.firstRequest.kvBytes)} in ${e.firstRequest.kvReads} reads.`, '');
  out.push(table(['pass', 'requests', 'errors', 'latency p50', 'p95', 'p99', 'max', 'Worker total p50', 'KV bytes p50', 'p95', 'KV reads p50', 'reading nothing', 'Cache API hits'],
    e.passes.map((p) => [p.name, p.requests, p.errors, fmt.ms(p.latencyMs.p50), fmt.ms(p.latencyMs.p95), fmt.ms(p.latencyMs.p99), fmt.ms(p.latencyMs.max),
      fmt.ms(p.serverMs.p50), fmt.kb(p.kvBytes.p50), fmt.kb(p.kvBytes.p95), p.kvReads.p50, p.noReads, p.cacheHits ?? 'n/a'])));
  const errs = e.passes.flatMap((p) => p.errorSamples);
  if (errs.length) out.push('', `Errors (first few): ${errs.map((x) => `\`${x}\``).join('; ')}`);
  out.push('');
  return out;
}

function millionSection(rec: MillionRecord): string[] {
  const out = ['## 1,000,000 articles', ''];
  const m = rec.result;
  if ('notRun' in m) return [...out, `Not run (${machineLine(rec.machine)}): ${m.notRun}`, ''];
  const b = m.build;
  out.push(`Run ${machineLine(rec.machine)}. The corpus replicated ${b.replicate} times (\`buildIndex({ replicate: ${b.replicate} })\`; ${b.replicas ?? 'identical copies with distinct ids'}), index \`${b.version}\`; ` +
    `${fmt.gb(m.freeDiskBytes)} were free on the disk. Values are read from the bulk files (byte ranges located in one scan of ${fmt.int(m.scan.keys)} keys, ${fmt.s(m.scan.seconds)}; the \`article/<id>\` keys, which no search reads, left out); the cold and long-lived runs time them held in memory (see below).`, '');
  out.push(table(['', 'value'], [
    ['articles', fmt.int(b.articles)],
    ['build time', `${fmt.s(b.seconds)} = ${(b.seconds / 60).toFixed(1)} min (${fmt.int(b.articlesPerSecond)} articles/s)${b.fresh ? '' : `, built ${b.builtAt.slice(0, 16).replace('T', ' ')}`}`],
    ['peak memory of the build', `${fmt.gb(b.peakRssBytes)} RSS (builder's samples), ${fmt.gb(b.sampledPeakRssBytes)} (250 ms sampler), ${fmt.gb(b.osMaxRssBytes)} (getrusage)`],
    ['terms / term shards / big-term keys', `${fmt.int(b.terms)} / ${fmt.int(b.shards)} / ${fmt.int(b.bigTerms)}`],
    ['KV keys', fmt.int(b.keys)],
    ['KV bytes (keys + values)', `${fmt.gb(b.bytes)} in ${b.parts} bulk files`],
    ['largest value', `${fmt.kb(b.largestValue.bytes)} (\`${b.largestValue.key}\`)`],
    ...(Number.isFinite(m.metaBytes) ? [['meta value (read by every cold isolate)', fmt.kb(m.metaBytes)]] : []),
  ]), '');
  out.push(...coldTables(m.cold, `Cold queries (${m.queries})`,
    `a fresh reader per query (the scoring scratch the isolate's, made once), ${COLD_PASSES} passes, each query's median-CPU pass kept; the values the queries read are held in memory, as the corpus's are (found first in a worker thread: scripts/bench/held.ts), so neither file reads nor network are timed`));
  if (m.tiers) out.push(...tiersTable(m.tiers));
  if (m.rescue) out.push(...rescueTable(m.rescue));
  out.push(...decodeTable(m.decode));
  if (m.fresh) out.push(...freshTable(m.fresh, 'the 1M archive', m.freshCorpus));
  out.push(...heapTable(m.stream, `A long-lived reader through ${fmt.int(m.stream.queries)} queries`, 'the bulk files\' key table was built and the queries\' values held in memory'));
  if (m.popularity) out.push(...popularityTable(m.popularity));
  const ws = Array.isArray(m.warm) ? m.warm : [m.warm as WarmSide];
  out.push('### Warm queries', '', `The same ${m.queries} queries, each run once to warm a reader, then timed again (facets on).`, '', table(['', 'p50', 'p95', 'p99', 'max', 'queries still reading KV'], ws.flatMap((w) => [
    [`${w.name}: wall`, fmt.ms(w.wallMs.p50), fmt.ms(w.wallMs.p95), fmt.ms(w.wallMs.p99), fmt.ms(w.wallMs.max), w.readingQueries],
    [`${w.name}: CPU`, fmt.ms(w.cpuMs.p50), fmt.ms(w.cpuMs.p95), fmt.ms(w.cpuMs.p99), fmt.ms(w.cpuMs.max), ''],
  ])), '');
  for (const w of ws) out.push(`Median stage times (${w.name}, ms): ${Object.entries(w.stages).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}.`, '');
  return out;
}

function tiersTable(t: TierComparison): string[] {
  return [
    '### Tiers against exhaustive scoring',
    '',
    `The ${t.queries} two-word queries above, each on a fresh reader with the tier stop on, then off (\`caps.tierStop\`), facets on. ` +
      `${t.stopped} of ${t.queries} were answered from tiers A alone; ${t.samePage} of ${t.queries} pages are the same ids in the same order as exhaustive scoring's.`,
    '',
    table(['', 'bytes p50', 'bytes p95', 'CPU p50', 'CPU p95'], [
      ['tiered', fmt.kb(t.tiered.bytes.p50), fmt.kb(t.tiered.bytes.p95), fmt.ms(t.tiered.cpuMs.p50), fmt.ms(t.tiered.cpuMs.p95)],
      ['exhaustive', fmt.kb(t.exhaustive.bytes.p50), fmt.kb(t.exhaustive.bytes.p95), fmt.ms(t.exhaustive.cpuMs.p50), fmt.ms(t.exhaustive.cpuMs.p95)],
      ['tiered / exhaustive (median of per-query ratios)', t.ratio.bytes.toFixed(2), '', t.ratio.cpuMs.toFixed(2), ''],
    ]),
    '',
  ];
}

function rescueTable(r: RescueComparison): string[] {
  return [
    '### A page that fails the word skip\'s proof: rescued or matched again',
    '',
    `Two long-lived readers with the default cap, taking the same title queries in turn (each its own cache; which goes first alternates), facets on: one completes a page that fails the word skip's proof from the docs that might still pass it (word-skip.ts \`outsiders\`, \`caps.skipRescue\`), the other matches such a query again, whole (\`skipRescue: 0\`). ` +
      `${r.queries} queries counted after the caches filled; ${r.rescued} were rescued (answered with counts as lower bounds, where the other reader matched twice); ${r.samePage} of ${r.queries} pages are the same ids and scores on both.`,
    '',
    table(['', 'CPU p50', 'p95', 'p99', 'mean'], [
      ['all queries, rescue on', fmt.ms(r.on.p50), fmt.ms(r.on.p95), fmt.ms(r.on.p99), fmt.ms(r.on.mean)],
      ['all queries, matched again', fmt.ms(r.off.p50), fmt.ms(r.off.p95), fmt.ms(r.off.p99), fmt.ms(r.off.mean)],
      [`the ${r.rescued} rescued queries, rescue on`, fmt.ms(r.rescuedOn.p50), fmt.ms(r.rescuedOn.p95), fmt.ms(r.rescuedOn.p99), fmt.ms(r.rescuedOn.mean)],
      ['… matched again', fmt.ms(r.rescuedOff.p50), fmt.ms(r.rescuedOff.p95), fmt.ms(r.rescuedOff.p99), fmt.ms(r.rescuedOff.mean)],
      ['… rescued / matched again (median of per-query ratios)', r.rescuedRatio.toFixed(2), '', '', ''],
    ]),
    '',
  ];
}

function popularityTable(p: Popularity): string[] {
  return [
    '### How concentrated term-key reads are',
    '',
    `The term keys (shards and big terms) that ${fmt.int(p.queries)} title queries look up: ${fmt.int(p.touches)} lookups over ${fmt.int(p.distinctKeys)} distinct keys of ${fmt.int(p.totalKeys)}. ` +
      'Title words follow the corpus\'s own word frequencies, a stand-in for real query logs (not measured here).',
    '',
    table(['most looked-up keys', 'share of all lookups'], p.top.map((t) => [`top ${fmt.int(t.keys)} (${((t.keys / p.totalKeys) * 100).toFixed(1)} % of keys)`, `${(t.share * 100).toFixed(1)} %`])),
    '',
  ];
}

function previousSection(p: Headline | undefined): string[] {
  const out = ['## Previous run', ''];
  if (!p) return [...out, 'None: no earlier run of these parts was recorded in this file.', ''];
  const when = (d: string | undefined) => (d ? `${d.slice(0, 16).replace('T', ' ')} UTC` : 'not recorded');
  out.push('Headline numbers of the runs these replaced (the corpus and the million-article parts are run separately):', '');
  out.push(table(['', 'value'], [
    ['corpus run', `${when(p.corpusDate)}${p.version ? `, index \`${p.version}\`` : ''}`],
    ['cold 2-word median bytes / reads / CPU (facets on)', `${fmt.kb(p.coldBytes2w ?? NaN)} / ${p.coldReads2w ?? 'n/a'} / ${fmt.ms(p.coldCpu2w ?? NaN)}`],
    ['warm p50 of the search core (facets on; CPU since this field was added, wall before)', fmt.ms(p.warmP50 ?? NaN)],
    ['heap growth through 10,000 queries', fmt.mb(p.heapDelta ?? NaN)],
    ['wrangler dev warm-isolate p50', fmt.ms(p.e2eWarmP50 ?? NaN)],
    ['million-article run', when(p.millionDate)],
    ['1M build time', fmt.s(p.build1mSeconds ?? NaN)],
    ['1M cold 2-word median bytes (facets on)', fmt.kb(p.cold1mBytes2w ?? NaN)],
  ]), '');
  return out;
}

/** This file's headline beside those of the runs before it. */
function historySection(d: Embedded): string[] {
  const runs = [d.headline, ...(d.history ?? [])].filter((h): h is Headline => !!h);
  if (runs.length < 2) return [];
  const day = (s: string | undefined) => (s ? s.slice(0, 16).replace('T', ' ') : '–');
  const rows = runs.map((h, i) => [
    `${i === 0 ? '**this file** ' : ''}${day(h.corpusDate)}`,
    fmt.kb(h.coldBytes2w ?? NaN),
    fmt.ms(h.coldCpu2w ?? NaN),
    fmt.ms(h.warmP50 ?? NaN),
    fmt.mb(h.heapDelta ?? NaN),
    fmt.ms(h.e2eWarmP50 ?? NaN),
    day(h.millionDate),
    fmt.kb(h.cold1mBytes2w ?? NaN),
  ]);
  return [
    '## Earlier runs',
    '',
    'Headline numbers of this file and of the runs it replaced, newest first (UTC dates of the corpus and million-article measurements; one machine, shared, so read differences under about 20 % as noise).',
    '',
    table(['corpus run', 'cold 2-word bytes', 'cold 2-word CPU', 'warm p50', 'heap growth', 'wrangler dev warm p50', 'million run', '1M cold 2-word bytes'], rows),
    '',
  ];
}

export type { BenchQuery };

/**
 * Replaces (or adds) a section of the hand-off part of the report (after the embedded data):
 * the live-archive and first-run sections are written by their own runs.
 */
export function writeSection(file: string, heading: string, body: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = text.lastIndexOf(DATA_MARK);
  const dataEnd = at < 0 ? text.length : text.indexOf(' -->', at) + ' -->'.length;
  const head = text.slice(0, dataEnd);
  const sections = text.slice(dataEnd).split(/\n(?=## )/).map((s) => s.trim()).filter(Boolean);
  // The section of this heading (its date in brackets after it, if any), not every heading it begins.
  const kept = sections.filter((s) => {
    const first = s.slice(0, s.indexOf('\n') < 0 ? s.length : s.indexOf('\n'));
    return first !== heading && !first.startsWith(`${heading} (`);
  });
  writeFileSync(file, `${head}\n\n${[body.trim(), ...kept].join('\n\n')}\n`);
}
