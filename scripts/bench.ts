/**
 * `npm run bench`: the full-corpus benchmark (build, KV asset, cold and warm queries, heap,
 * the whole-index baseline, end to end through `wrangler dev`); `npm run bench -- --million`:
 * the 1,000,000-article archive. Both write docs/benchmarks.md. Run with --help for options.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MemorySource, utf8Length } from '../src/core/search/source';
import { ensureBuilt } from './bench/build';
import { allTerms, baselineImport, coldResult, coldRun, decodeCosts, heapRun, openIndex, warmRun } from './bench/core';
import { MILLION_REPLICATE, runMillion } from './bench/million';
import { HeldSource, heldValues } from './bench/held';
import { FRESH_ISOLATES, freshIsolates, twoWordQuery } from './bench/fresh-isolate';
import { makeQueries, readTitles, type BenchQuery } from './bench/queries';
import { WARM, writeReport, writeSection, type CorpusResult, type KvKindStat, type Machine } from './bench/report';
import { renderLive, runLive } from './bench/live';
import { renderEditorCosts, renderNames, runEditorBench } from './bench/editor';
import { renderRelated, replaceSection, runRelated } from './bench/related';
import { renderSuggestAgainst, renderSuggestBench, renderSuggestMillion, renderTypingSearchBench, runSuggestAgainst, runSuggestBench, runSuggestMillion, runTypingSearchBench } from './bench/suggest';
import { renderAnalyticsCost, runAnalyticsCost } from './bench/analytics';
import { hostileQueries, renderAdversarial, runAdversarial } from './bench/adversarial';
import { renderBudget, runBudgetSweep } from './bench/budget';
import { analyzerOf, renderAgainst, runAgainst, theirIndex } from './bench/against';
import { ANALYZER_VERSION } from '../src/core/analyzer/version';
import { paramsFor } from './bench/core';
import { readQuestions } from './eval/data';
import { BulkFileSource, keyKind, loadEntries, readManifest } from './bench/sources';
import { forceGc, log } from './bench/util';
import { runE2e } from './bench/wrangler';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, 'node_modules/.cache/bahth-bench');
const REPORT = join(ROOT, 'docs/benchmarks.md');
const RELATED_REPORT = join(ROOT, 'docs/related.md');
const ANALYTICS_REPORT = join(ROOT, 'docs/analytics.md');
const SEED = 20_171_030; // any fixed number: the same queries every run

const HELP = `Usage: npm run bench -- [options]

Benchmarks bahth on the ANT corpus and writes docs/benchmarks.md.

Options:
  --million          the 1,000,000-article archive (corpus ×25) instead of the corpus run
  --live             the live archive on the corpus: publish costs, deltas' query cost, a month
                     of publishing in KV writes and dollars (its own section of the report)
  --editor           the editor's controls: the names benchmark (docs/names.md), the cost of
                     synonyms, names and rules, and unchanged answers (a section of the report)
  --related          related stories on the corpus: quality against search, cold cost against
                     /articles/:id, the seeds' own related titles (writes docs/related.md)
  --suggest          search as you type on the corpus: what /suggest reads and spends per
                     keystroke, cold and warm, completions weighed by the words before against
                     not, and /search each keystroke as the widget asks it, with prefix
                     against as typed (two sections of the report); with --million, on the million-article
                     archive: big terms' titles keys against their whole keys; with
                     --against <dir>, this checkout's /suggest against another's
  --analytics        what search analytics adds to a warm search, on against off in the same
                     run (writes docs/analytics.md)
  --adversarial      hostile queries (a seeded generator: phrases, one-letter words, typos,
                     exclusions, Latin, soup…), worst and p99 CPU cold and warm against
                     ordinary queries in the same run, and the work budget swept (dev
                     answers changed, hostile CPU) (a section of the report)
  --against <dir>    this checkout's search against another checkout's (its own reader and
                     search) over the same index: identical answers? warm CPU ratio
  --from <dir>       with --against: another checkout stands in for this one
                     (--against <dir> --million: the same over the million-article
                     archive, a long-lived reader with the default cap timed too)
  --rebuild          build the index again even if node_modules/.cache/bahth-bench has it
  --queries <n>      queries to run (default: 1000; 200 with --million; 500 with --analytics;
                     articles with --related: 300; hostile queries with --adversarial: 450)
  --no-wrangler      skip the end-to-end run through wrangler dev
  --reload-kv        load the local KV for wrangler dev again (it is kept per index version)
  --port <n>         port for wrangler dev (default: 8799)
  --corpus <file>    the corpus (default: ../shared/corpus/ant-news.jsonl.gz)
  --report-only      re-render docs/benchmarks.md from the results it embeds
  -h, --help         this help

Node flags: --expose-gc (else V8's flag is set at run time) and a larger heap:
  node --expose-gc --max-old-space-size=12288 --import tsx scripts/bench.ts`;

interface Args {
  million: boolean;
  live: boolean;
  editor: boolean;
  related: boolean;
  suggest: boolean;
  analytics: boolean;
  adversarial: boolean;
  against?: string;
  from?: string;
  rebuild: boolean;
  queries?: number;
  wrangler: boolean;
  port: number;
  corpus: string;
  reportOnly: boolean;
  reloadKv: boolean;
}

/** A mistake on the command line: said in one line with the pointer to --help, exit 2. */
class UsageError extends Error {}

function parse(): Args | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        million: { type: 'boolean', default: false },
        live: { type: 'boolean', default: false },
        editor: { type: 'boolean', default: false },
        related: { type: 'boolean', default: false },
        suggest: { type: 'boolean', default: false },
        analytics: { type: 'boolean', default: false },
        adversarial: { type: 'boolean', default: false },
        against: { type: 'string' },
        from: { type: 'string' },
        rebuild: { type: 'boolean', default: false },
        queries: { type: 'string' },
        'no-wrangler': { type: 'boolean', default: false },
        port: { type: 'string', default: '8799' },
        corpus: { type: 'string', default: join(ROOT, '../shared/corpus/ant-news.jsonl.gz') },
        'report-only': { type: 'boolean', default: false },
        'reload-kv': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(HELP);
    return undefined;
  }
  const queries = values.queries === undefined ? undefined : Number(values.queries);
  if (queries !== undefined && !(/^\d+$/.test(values.queries!) && queries > 0)) throw new UsageError(`--queries takes a positive whole number, not "${values.queries}"`);
  const modes = (['live', 'editor', 'related', 'suggest', 'analytics', 'adversarial'] as const).filter((m) => values[m]);
  // --suggest takes --million (search as you type on the million-article archive) and --against.
  if (modes.length > 1 || (modes.length === 1 && !values.suggest && (values.million || values.against))) throw new UsageError(`choose one of ${[...modes, ...(values.million ? ['million'] : []), ...(values.against ? ['against'] : [])].map((m) => `--${m}`).join(', ')}: each writes its own section`);
  if (!/^\d+$/.test(values.port) || Number(values.port) < 1024 || Number(values.port) > 65535) throw new UsageError(`--port takes a port from 1024 to 65535, not "${values.port}"`);
  return {
    million: values.million, live: values.live, editor: values.editor, related: values.related, suggest: values.suggest, analytics: values.analytics, adversarial: values.adversarial, ...(values.against ? { against: values.against } : {}), ...(values.from ? { from: values.from } : {}), rebuild: values.rebuild, queries, wrangler: !values['no-wrangler'],
    port: Number(values.port), corpus: resolve(values.corpus), reportOnly: values['report-only'], reloadKv: values['reload-kv'],
  };
}

function machine(): Machine {
  return {
    date: new Date().toISOString(), cpus: availableParallelism(), cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryBytes: totalmem(), node: process.versions.node, platform: `${platform()} ${release()}`, loadStart: loadavg()[0]!, loadEnd: Number.NaN,
    ...gitState(),
  };
}

/** The code measured, for a report: HEAD, and the files under src/ changed since, if any. */
function codeAt(): string | undefined {
  const { commit, dirty } = gitState();
  return commit && dirty?.length ? `${commit} with uncommitted changes to ${dirty.join(', ')}` : commit;
}

/** HEAD and the files under src/ that differ from it (the code being measured). */
function gitState(): { commit?: string; dirty?: string[] } {
  const git = (args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trimEnd(); // not trim(): a porcelain line starts with a space
  try {
    const dirty = git(['status', '--porcelain', '--', 'src']).split('\n').filter(Boolean).map((l) => l.slice(3));
    return { commit: git(['rev-parse', '--short', 'HEAD']), dirty };
  } catch {
    // Not a checkout (e.g. a `git archive` snapshot): it may say what it is in .bench-commit.
    const note = join(ROOT, '.bench-commit');
    return existsSync(note) ? { commit: readFileSync(note, 'utf8').trim(), dirty: [] } : {};
  }
}

/** Keys, bytes and largest value of each kind of key in the asset. */
function kvByKind(entries: Map<string, string>): { byKind: KvKindStat[]; bytes: number; largest: { key: string; bytes: number } } {
  const kinds = new Map<string, KvKindStat>();
  let bytes = 0;
  let largest = { key: '', bytes: 0 };
  for (const [key, value] of entries) {
    const size = utf8Length(value);
    const kind = keyKind(key);
    const k = kinds.get(kind) ?? { kind, keys: 0, bytes: 0, largest: 0 };
    k.keys++;
    k.bytes += size + utf8Length(key);
    k.largest = Math.max(k.largest, size);
    kinds.set(kind, k);
    bytes += size + utf8Length(key);
    if (size > largest.bytes) largest = { key, bytes: size };
  }
  return { byKind: [...kinds.values()].sort((a, b) => b.bytes - a.bytes), bytes, largest };
}

function queryStats(queries: BenchQuery[]): CorpusResult['queries'] {
  const byWords: Record<string, number> = {};
  for (const q of queries) byWords[String(q.words)] = (byWords[String(q.words)] ?? 0) + 1;
  return { count: queries.length, seed: SEED, byWords, noContent: queries.filter((q) => q.content === 0).length, examples: queries.slice(0, 6).map((q) => q.q) };
}

async function runCorpus(a: Args): Promise<CorpusResult> {
  const m = machine();
  const dist = join(CACHE, 'dist');
  const build = await ensureBuilt({ inputs: [a.corpus], outDir: dist, replicate: 1, rebuild: a.rebuild });
  const titles = await readTitles(a.corpus);
  const queries = makeQueries(titles, a.queries ?? 1000, SEED);
  const warmup = makeQueries(titles, 30, SEED + 1);
  const pool = makeQueries(titles, 10_000, SEED + 2);

  const t0 = performance.now();
  const entries = loadEntries(dist);
  const mapSeconds = (performance.now() - t0) / 1000;
  const kv = { ...kvByKind(entries), keys: entries.size, parts: readManifest(dist).parts.length + 1, mapSeconds };
  log(`${entries.size} KV entries in a Map (${mapSeconds.toFixed(1)} s)`);
  const source = new MemorySource(entries);

  log('heap: 10,000 queries through one reader');
  const heap = await heapRun(source, pool);
  log('cold queries');
  const cold = [coldResult(await coldRun(source, queries, warmup, true)), coldResult(await coldRun(source, queries, warmup, false))];
  log('baseline: the whole index imported at once');
  const bahth = await openIndex(source);
  const terms = await allTerms(source, bahth);
  log('decode costs per kind of value');
  const decode = await decodeCosts(source);
  const base = await baselineImport(source, terms, queries[0]!);
  log('warm queries (bahth and baseline interleaved)');
  const warm: CorpusResult['warm'] = [];
  const uncapped = await openIndex(source, 2 ** 50);
  for (const facets of [true, false]) {
    const sides = [{ name: WARM.capped, index: bahth }, { name: WARM.uncapped, index: uncapped }, { name: WARM.baseline, index: base.index }];
    warm.push({ facets, sides: await warmRun(sides, queries, facets) });
  }
  base.index = bahth; // drop the whole-index import before the reader is timed alone
  forceGc();
  // The same reader alone in the process, as in an isolate: no other index between its queries.
  log('warm queries (bahth alone)');
  const warmAlone: CorpusResult['warmAlone'] = [];
  for (const facets of [true, false]) warmAlone.push({ facets, sides: await warmRun([{ name: WARM.alone, index: uncapped }], queries, facets) });
  forceGc();

  log('first search of fresh isolates (worker threads)');
  const fresh = await freshIsolates(source, FRESH_ISOLATES, twoWordQuery(queries));

  let e2e: CorpusResult['e2e'] = { notRun: 'skipped (--no-wrangler)' };
  if (a.wrangler) {
    log('end to end through wrangler dev');
    e2e = await runE2e({ dist, cacheDir: CACHE, reload: a.reloadKv, queries, port: a.port, budgetMs: 45 * 60_000 }).catch((e: unknown) => ({ notRun: `failed: ${(e as Error).message.slice(0, 2000)}` }));
  }
  m.loadEnd = loadavg()[0]!;
  return { machine: m, corpus: a.corpus, build, kv, queries: queryStats(queries), cold, decode, warm, warmAlone, heap, baseline: base.result, fresh, e2e };
}

/** Every row of a JSONL(.gz) corpus. */
async function corpusRows(file: string): Promise<string[]> {
  const { createReadStream } = await import('node:fs');
  const { createInterface } = await import('node:readline');
  const { createGunzip } = await import('node:zlib');
  const raw = createReadStream(file);
  const rows: string[] = [];
  for await (const line of createInterface({ input: file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw, crlfDelay: Infinity })) if (line.trim()) rows.push(line);
  return rows;
}

function printGoals(md: string): void {
  const goals = md.slice(md.indexOf('## Goals'), md.indexOf('\n## ', md.indexOf('## Goals') + 5));
  console.log(`${goals.trim()}\n\nFull report: ${REPORT}`);
}

/** The corpus index the section runs read, built (or reused from the cache) first. */
/** The short commit a checkout is at, or undefined when it is not a git checkout. */
function rev(dir: string): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** A comparison over one index needs both checkouts to read text into the same terms. */
async function requireSameAnalyzer(dir: string, what: string): Promise<void> {
  const theirs = await analyzerOf(dir);
  if (theirs !== ANALYZER_VERSION) throw new Error(`${what} --against ${dir}: it analyzes text as ${theirs} and this checkout as ${ANALYZER_VERSION}, so it cannot search this checkout's index; compare them on the corpus instead (npm run bench -- --against ${dir}), where each searches its own build`);
}

async function corpusDist(a: Args): Promise<string> {
  const dist = join(CACHE, 'dist');
  await ensureBuilt({ inputs: [a.corpus], outDir: dist, replicate: 1, rebuild: a.rebuild });
  return dist;
}

async function main(): Promise<void> {
  const a = parse();
  if (!a) return;
  if (a.reportOnly) {
    printGoals(writeReport(REPORT, {}));
    return;
  }
  if (a.live) {
    const dist = await corpusDist(a);
    const entries = loadEntries(dist);
    const rows = await corpusRows(a.corpus);
    const queries = makeQueries(await readTitles(a.corpus), 4000, SEED).filter((q) => q.words === 2).slice(0, a.queries ?? 200);
    const result = await runLive({ entries, rows, queries, seed: SEED });
    const md = renderLive(result, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC');
    writeSection(REPORT, '## Live archive', md);
    console.log(`${md}\n\nWritten to ${REPORT}`);
    return;
  }
  if (a.editor) {
    const dist = await corpusDist(a);
    const queries = makeQueries(await readTitles(a.corpus), a.queries ?? 1000, SEED);
    const result = await runEditorBench({ entries: loadEntries(dist), root: ROOT, queries });
    const commit = codeAt() ?? 'unknown';
    writeFileSync(join(ROOT, 'docs/names.md'), renderNames(result, commit));
    const md = renderEditorCosts(result, commit);
    writeSection(REPORT, "## Editor's controls", md);
    console.log(`${md}\n\nWritten to ${REPORT} and docs/names.md`);
    return;
  }
  if (a.related) {
    const dist = await corpusDist(a);
    const result = await runRelated({ entries: loadEntries(dist), seeds: join(ROOT, 'seeds'), articles: a.queries ?? 300, seed: SEED });
    const md = renderRelated(result, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', codeAt());
    replaceSection(RELATED_REPORT, '## Measured', md);
    console.log(`${md}\n\nWritten to ${RELATED_REPORT}`);
    return;
  }
  if (a.suggest && a.against) {
    await requireSameAnalyzer(a.against, '--suggest');
    const dist = a.million ? join(CACHE, 'dist-1m') : await corpusDist(a);
    if (!existsSync(join(dist, 'manifest.json'))) throw new Error(`${dist}: the million-article index is not built; run \`npm run bench -- --million\` first (about 12 minutes and 4 GB of disk)`);
    const source = new BulkFileSource(dist, (k) => !k.includes('/article/'));
    try {
      const result = await runSuggestAgainst(a.against, source, await readTitles(a.corpus), a.queries ?? 600, SEED);
      const archive = a.million ? `the 1,000,000-article archive (the corpus ×${MILLION_REPLICATE})` : 'the corpus build';
      const md = renderSuggestAgainst(result, a.against, archive, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', codeAt(), rev(a.against));
      writeSection(REPORT, md.slice(0, md.indexOf('\n')).replace(/ \(.*$/, ''), md);
      console.log(`${md}\n\nWritten to ${REPORT}`);
    } finally {
      source.close();
    }
    return;
  }
  if (a.suggest && a.million) {
    const dist = join(CACHE, 'dist-1m');
    if (!existsSync(join(dist, 'manifest.json'))) throw new Error(`${dist}: the million-article index is not built; run \`npm run bench -- --million\` first (about 12 minutes and 4 GB of disk)`);
    const source = new BulkFileSource(dist, (k) => !k.includes('/article/'));
    try {
      const result = await runSuggestMillion(source, await readTitles(a.corpus), a.queries ?? 600, SEED);
      const md = renderSuggestMillion(result, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', codeAt());
      writeSection(REPORT, md.slice(0, md.indexOf('\n')).replace(/ \(.*$/, ''), md);
      console.log(`${md}\n\nWritten to ${REPORT}`);
    } finally {
      source.close();
    }
    return;
  }
  if (a.suggest) {
    const dist = await corpusDist(a);
    const titles = await readTitles(a.corpus);
    const result = await runSuggestBench(loadEntries(dist), titles, a.queries ?? 1000, SEED);
    const md = renderSuggestBench(result, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', codeAt());
    writeSection(REPORT, md.slice(0, md.indexOf('\n')).replace(/ \(.*$/, ''), md);
    console.log(md);
    // The widget's own question each keystroke: /search, as typed and with prefix.
    const typing = await runTypingSearchBench(loadEntries(dist), titles, a.queries ?? 1000, SEED);
    const md2 = renderTypingSearchBench(typing, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', codeAt());
    writeSection(REPORT, md2.slice(0, md2.indexOf('\n')).replace(/ \(.*$/, ''), md2);
    console.log(`\n${md2}\n\nWritten to ${REPORT}`);
    return;
  }
  if (a.analytics) {
    const dist = await corpusDist(a);
    const queries = makeQueries(await readTitles(a.corpus), a.queries ?? 500, SEED);
    const result = await runAnalyticsCost(loadEntries(dist), queries);
    const md = renderAnalyticsCost(result, new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC', codeAt());
    replaceSection(ANALYTICS_REPORT, '## Measured cost', md);
    console.log(`${md}\n\nWritten to ${ANALYTICS_REPORT}`);
    return;
  }
  if (a.against && a.million) {
    await requireSameAnalyzer(a.against, '--million');
    // The million-article archive the --million run built: its title queries' values held in
    // memory (as the --million run holds them), both checkouts' readers over them.
    const dist = join(CACHE, 'dist-1m');
    if (!existsSync(join(dist, 'manifest.json'))) throw new Error(`${dist}: the million-article index is not built; run \`npm run bench -- --million\` first (about 12 minutes and 4 GB of disk)`);
    const titles = makeQueries(await readTitles(a.corpus), a.queries ?? 400, SEED + 2);
    log(`against --million: finding the values of ${titles.length} queries`);
    const source = new HeldSource(await heldValues(dist, titles.map((q) => q.q), true), new BulkFileSource(dist, (k) => !k.includes('/article/')));
    const queries = titles.map((q) => ({ set: 'titles', params: paramsFor(q.q, true) }));
    const result = await runAgainst(a.against, source, queries, rev(a.against), a.from, { archive: `1,000,000-article archive (the corpus ×${MILLION_REPLICATE}, ${titles.length} title queries)`, longLived: true });
    const md = renderAgainst(result, a.from ? rev(a.from) : codeAt());
    writeSection(REPORT, md.slice(0, md.indexOf('\n')), md);
    console.log(`${md}\n\nWritten to ${REPORT}`);
    return;
  }
  if (a.against) {
    const dist = await corpusDist(a);
    const titles = makeQueries(await readTitles(a.corpus), a.queries ?? 1000, SEED);
    const questions = await readQuestions(join(ROOT, '../shared/eval/qa-dev.jsonl'));
    const queries = [
      ...titles.map((q) => ({ set: 'titles', params: paramsFor(q.q, true) })),
      ...questions.map((q) => ({ set: 'questions', params: paramsFor(q.query, true) })),
      ...titles.slice(0, 200).map((q) => ({ set: 'titles, sort=date', params: { ...paramsFor(q.q, true), sort: 'date' as const } })),
      ...titles.slice(200, 400).map((q) => ({ set: 'titles, page 2', params: { ...paramsFor(q.q, true), offset: 10 } })),
      // Quoted phrases and the hostile queries: the paths ordinary queries do not take.
      ...titles.filter((q) => q.words >= 2).slice(0, 200).map((q) => ({ set: 'titles, quoted', params: paramsFor(`"${q.q}"`, true) })),
      ...hostileQueries(await readTitles(a.corpus), 25, SEED).map((h) => ({ set: `hostile: ${h.family}`, params: paramsFor(h.q, true) })),
    ];
    // Another analyzer's terms are not this index's: that checkout searches its own build of the corpus.
    const theirs = await analyzerOf(a.against);
    if (theirs !== ANALYZER_VERSION && a.from) throw new Error(`--from with --against: ${a.against} analyzes text as ${theirs} and this checkout as ${ANALYZER_VERSION}; compare them without --from`);
    const theirDist = theirs === ANALYZER_VERSION ? undefined : await theirIndex(a.against, a.corpus, join(CACHE, `dist-${theirs}`));
    const result = await runAgainst(a.against, new MemorySource(loadEntries(dist)), queries, rev(a.against), a.from, theirDist ? { theirSource: new MemorySource(loadEntries(theirDist)), analyzers: { ours: ANALYZER_VERSION, theirs } } : {});
    const md = renderAgainst(result, a.from ? rev(a.from) : codeAt());
    writeSection(REPORT, md.slice(0, md.indexOf('\n')), md);
    console.log(`${md}\n\nWritten to ${REPORT}`);
    return;
  }
  if (a.adversarial) {
    const dist = await corpusDist(a);
    const titles = await readTitles(a.corpus);
    const perFamily = Math.max(1, Math.round((a.queries ?? 450) / 9));
    const source = new MemorySource(loadEntries(dist));
    const hostile = hostileQueries(titles, perFamily, SEED);
    const result = await runAdversarial(source, hostile, makeQueries(titles, 150, SEED), SEED);
    const questions = (await readQuestions(join(ROOT, '../shared/eval/qa-dev.jsonl'))).map((q) => q.query);
    const sweep = await runBudgetSweep(source, questions, hostile.map((h) => h.q), [250_000, 350_000, 600_000]);
    const md = `${renderAdversarial(result, codeAt())}\n\n${renderBudget(sweep)}`;
    writeSection(REPORT, '## Adversarial queries', md);
    console.log(`${md}\n\nWritten to ${REPORT}`);
    return;
  }
  if (a.million) {
    const m = machine();
    const result = await runMillion({ corpus: a.corpus, cacheDir: CACHE, rebuild: a.rebuild, queries: a.queries ?? 200, seed: SEED });
    m.loadEnd = loadavg()[0]!;
    printGoals(writeReport(REPORT, { million: { machine: m, result } }));
    return;
  }
  const corpus = await runCorpus(a);
  printGoals(writeReport(REPORT, { corpus }));
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    console.error(`bench: ${e.message}; see npm run bench -- --help`);
    process.exit(2);
  }
  console.error(`bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  process.exit(1);
});
