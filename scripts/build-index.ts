/**
 * `npm run build:index -- <files or folders…>`: builds the KV index asset in dist/.
 * Run with --help for the options.
 */
import { parseArgs } from 'node:util';
import { basename, dirname, join, resolve } from 'node:path';
import { rmSync, writeFileSync } from 'node:fs';
import { userPath } from './lib/user-path';
import { buildIndex, type BuildProgress } from '../src/indexer/build-index';
import { BahthError } from '../src/core/errors';

const HELP = `Usage: npm run build:index -- [options] <file or folder>...

Builds a bahth search index from Arabic news articles and writes it as a KV-ready asset:
  <out>/kv/part-*.json   wrangler kv bulk files with every key of the new index version
  <out>/switch.json      the bulk file that makes that version live (upload it last)
  <out>/manifest.json    version, FlexSearch version and options, counts, checksums

Inputs: raw scraped pages (.txt), or JSONL with one article per line (.jsonl, .jsonl.gz):
  {"id","title","body","date"?,"source"?,"category"?,"url"?,"tags"?}
  body: a string (paragraphs split by line breaks) or an array of paragraphs; also read:
  "sources", "place", "related" (as /articles/:id gives them); other fields are logged as ignored.
Folders are read recursively. Without inputs, seeds/ is built.

Options:
  -o, --out <dir>          output folder (default: dist), replaced whole: it must be new, empty
                           or a previous build's, and hold no input
      --skip-invalid       skip bad rows and empty files (reported with file and line; past 20,
                           all listed in <out>/skipped.txt) instead of failing
      --replicate <n>      index every article n times (scale benchmarks): copy r has its own id,
                           is dated r years earlier and leaves out a tenth of its body words
      --segment-size <n>   articles per FlexSearch segment; bounds memory (default: 10000)
      --shard-bytes <n>    target size of a term shard in bytes (default: 8192)
      --no-house-styles    do not look for words the outlets spell their own ways (ترامب,
                           ترمب), which searches otherwise read as synonyms (docs/editor.md)
  -q, --quiet              no progress line
  -h, --help               show this help

Examples:
  npm run build:index -- seeds/
  npm run build:index -- --skip-invalid ../shared/corpus/ant-news.jsonl.gz`;

function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      allowPositionals: true,
      options: {
        out: { type: 'string', short: 'o' },
        'skip-invalid': { type: 'boolean', default: false },
        replicate: { type: 'string' },
        'segment-size': { type: 'string' },
        'shard-bytes': { type: 'string' },
        'no-house-styles': { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    fail(`${(e as Error).message}\n\n${HELP}`, 2);
  }
  if (args.values.help) {
    console.log(HELP);
    return Promise.resolve();
  }
  const inputs = args.positionals.length ? args.positionals.map(userPath) : ['seeds'];
  const progress = new ProgressLine(args.values.quiet || !process.stderr.isTTY ? 'lines' : 'tty', args.values.quiet);
  let skipped = 0;
  const skips: string[] = [];
  const outDir = args.values.out === undefined ? resolve('dist') : userPath(args.values.out);
  // Ctrl-C: the scratch folders beside the output (hundreds of MB for a large archive) go too;
  // the previous output is untouched (the build swaps its folder in only at the end).
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const kind of ['building', 'spill']) rmSync(join(dirname(outDir), `.${basename(outDir)}.${kind}-${process.pid}`), { recursive: true, force: true });
      progress.done();
      console.error(`build:index: stopped; ${outDir} is as it was`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
  return buildIndex({
    inputs,
    outDir,
    skipInvalid: args.values['skip-invalid'],
    replicate: positive(args.values.replicate, '--replicate'),
    segmentSize: positive(args.values['segment-size'], '--segment-size'),
    shardTargetBytes: positive(args.values['shard-bytes'], '--shard-bytes'),
    houseStyles: !args.values['no-house-styles'],
    onProgress: (p) => progress.update(p),
    onSkip: (e) => {
      skipped++;
      const what = e.message.replace(/^bahth: /, '');
      skips.push(what);
      if (skipped <= 20) progress.message(`skipped: ${what}`);
      else if (skipped === 21) progress.message('skipped: … (the rest are listed in skipped.txt in the output folder)');
    },
    log: (m) => progress.message(m),
  }).then((s) => {
    progress.done();
    // Every skipped row, for the editor to fix (the log lists the first 20); replaced by each build.
    if (skips.length > 20) writeFileSync(join(s.outDir, 'skipped.txt'), `${skips.join('\n')}\n`);
    const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
    console.log(
      [
        `bahth index ${s.version} written to ${s.outDir}`,
        `  articles   ${s.articles.toLocaleString('en')}${s.skipped ? ` (${s.skipped} invalid rows skipped${skips.length > 20 ? `: all listed in ${join(s.outDir, 'skipped.txt')}` : ''})` : ''}`,
        `  terms      ${s.terms.toLocaleString('en')} in ${s.shards.toLocaleString('en')} shards (+${s.bigTerms} large terms with keys of their own)`,
        `  keys       ${s.keys.toLocaleString('en')} in ${s.parts.length} bulk file(s), ${mb(s.bytes)}; largest value ${mb(s.largestValue.bytes)} (${s.largestValue.key})`,
        `  time       ${s.seconds.toFixed(1)} s (${Math.round(s.articles / s.seconds).toLocaleString('en')} articles/s), peak RSS ${mb(s.peakRssBytes)}`,
      ].join('\n'),
    );
  });
}

function positive(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) fail(`${name} takes a whole number of at least 1, not "${value}"`, 2);
  return n;
}

function fail(message: string, code = 1): never {
  console.error(`build:index: ${message.replace(/^bahth: /, '')}`);
  process.exit(code);
}

/** One progress line on a terminal, or a line every few seconds in logs. */
class ProgressLine {
  private last = 0;
  private readonly start = performance.now();
  private shown = false;
  constructor(private readonly mode: 'tty' | 'lines', private readonly quiet: boolean) {}

  update(p: BuildProgress): void {
    if (this.quiet) return;
    const now = performance.now();
    const finished = p.total !== undefined && p.done === p.total;
    if (now - this.last < (this.mode === 'tty' ? 100 : 5000) && !finished) return;
    this.last = now;
    const secs = (now - this.start) / 1000;
    const width = 24;
    const bar = p.total ? `[${'#'.repeat(Math.round((p.done / p.total) * width)).padEnd(width, '.')}] ${p.done}/${p.total}` : `${p.done}`;
    const line = `${p.phase.padEnd(5)} ${bar}  ${secs.toFixed(1)} s  rss ${(process.memoryUsage.rss() / 1048576).toFixed(0)} MB`;
    if (this.mode === 'tty') {
      process.stderr.write(`\r${line}\x1b[K`);
      this.shown = true;
    } else process.stderr.write(`${line}\n`);
  }

  message(text: string): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
    process.stderr.write(`${text}\n`);
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
  }
}

main().catch((e: unknown) => {
  if (e instanceof BahthError) fail(e.message);
  fail(`unexpected failure: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
});
