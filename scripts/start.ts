/**
 * `npm start [-- <files or folders…>]`: builds the index (seeds/ by default), loads it into the
 * local KV that `wrangler dev` reads, and serves the Worker on http://127.0.0.1:8787. A restart
 * with nothing changed skips both: dist/ is reused when the inputs' content-derived version is
 * the one it holds, the local KV when it already serves that build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildIndex, type BuildProgress } from '../src/build/build-index';
import { listInputFiles } from '../src/build/ingest/index';
import { distState } from './dist-state';
import { checkPortFree, explain } from './first-errors';
import { fillKv, isLive, OFFLINE_ENV, readBuilt, type LoadProgress } from './kv-load';
import { openLocalKv } from './local-kv';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HELP = `Usage: npm start -- [options] [<file or folder>...]

Builds an index of the given articles (default: seeds/), loads it into the local KV namespace
and serves the Worker with wrangler dev on http://127.0.0.1:8787 (PORT=… to change it).
Nothing changed since the last run: both steps are skipped.

Inputs: .txt seed pages, or .jsonl / .jsonl.gz with one article per line; folders are read
recursively.

Options:
      --skip-invalid        skip bad rows (reported) instead of stopping at the first
      --rebuild             build and load again even if nothing changed
      --out <dir>           where the build goes (default: dist)
      --persist-to <dir>    wrangler's local state (default: .wrangler/state)
  -h, --help                show this help`;

const started = performance.now();
const since = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const say = (m: string): void => {
  progress.clear();
  console.error(`bahth: ${m}`);
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'skip-invalid': { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      out: { type: 'string', default: 'dist' },
      'persist-to': { type: 'string', default: '.wrangler/state' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(HELP);
  const port = Number(process.env.PORT ?? '8787');
  const inputs = positionals.length ? positionals : ['seeds'];
  const skipInvalid = values['skip-invalid'];
  const outDir = resolve(values.out);
  const persistTo = resolve(values['persist-to']);

  // Fail before any work on what would fail later anyway.
  await checkPortFree(port);
  await listInputFiles(inputs);

  await ensureBuilt(inputs, outDir, skipInvalid, values.rebuild);
  await loadAndServe(outDir, persistTo, port, values.rebuild);
}

/** Builds dist/ unless it already holds the build of these inputs. */
async function ensureBuilt(inputs: string[], outDir: string, skipInvalid: boolean, rebuild: boolean): Promise<void> {
  if (!rebuild) {
    const state = await distState(outDir, inputs, { skipInvalid });
    if (state.upToDate) return say(`build skipped: ${state.reason} (${since()})`);
  }
  say(`building the index of ${inputs.join(', ')} …`);
  const t0 = performance.now();
  const summary = await buildIndex({
    inputs,
    outDir,
    skipInvalid,
    onProgress: (p: BuildProgress) => progress.show(`build: ${p.phase} ${p.done.toLocaleString('en')}${p.total ? `/${p.total.toLocaleString('en')}` : ''}`),
    onSkip: (e) => say(`skipped: ${e.message.replace(/^bahth: /, '')}`),
  });
  say(`build: index ${summary.version}, ${summary.articles.toLocaleString('en')} articles, ${summary.keys.toLocaleString('en')} keys, ${mb(summary.bytes)} in ${secs(t0)} (${since()})`);
}

/**
 * Fills the local KV with dist/ unless it already serves that build, and serves it. wrangler
 * dev starts while the KV fills (it only reads; the switch key is written last, so it never
 * serves half a version); it is asked for /health once the fill is done.
 */
async function loadAndServe(outDir: string, persistTo: string, port: number, reload: boolean): Promise<void> {
  const built = readBuilt(outDir);
  const kv = await openLocalKv(persistTo, { log: say });
  let dev: ChildProcess | undefined;
  // This process lives and dies with wrangler dev, except when the fill fails.
  const exitWithDev = (code: number | null) => process.exit(code ?? 0);
  try {
    const live = !reload && (await isLive(kv, built));
    await checkPortFree(port);
    dev = startWrangler(persistTo, port);
    dev.on('exit', exitWithDev);
    process.on('SIGINT', () => dev?.kill('SIGINT'));
    process.on('SIGTERM', () => dev?.kill('SIGTERM'));
    if (live) {
      say(`KV fill skipped: ${persistTo} already serves index ${built.version} (${since()})`);
    } else {
      const t0 = performance.now();
      const show = (p: LoadProgress) => {
        const rate = p.seconds > 0 ? `, ${Math.round(p.keys / p.seconds).toLocaleString('en')} keys/s` : '';
        progress.show(`KV fill: ${p.keys.toLocaleString('en')} keys, ${mb(p.fileBytes)}/${mb(built.fileBytes)}${rate}`);
      };
      const done = await fillKv(kv, built, show);
      say(`KV fill: ${done.keys.toLocaleString('en')} keys, ${mb(done.bytes)} in ${secs(t0)} into ${persistTo} (${since()})`);
    }
  } catch (e) {
    if (dev) {
      dev.off('exit', exitWithDev);
      await stopWrangler(dev);
    }
    throw e;
  } finally {
    await kv.close();
  }
  if (await waitForHealth(port, dev)) say(`ready on http://127.0.0.1:${port} after ${since()}: try http://127.0.0.1:${port}/search?q=بوتين (Ctrl-C stops it)`);
  else process.exit(dev.exitCode ?? 1);
}

/** Starts wrangler dev; its output is ours. */
function startWrangler(persistTo: string, port: number): ChildProcess {
  const wrangler = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
  return spawn(process.execPath, [wrangler, 'dev', '--persist-to', persistTo, '--port', String(port), '--ip', '127.0.0.1'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...OFFLINE_ENV },
  });
}

async function stopWrangler(dev: ChildProcess): Promise<void> {
  if (dev.exitCode !== null || dev.signalCode !== null) return;
  const exited = new Promise((r) => dev.once('exit', r));
  dev.kill('SIGINT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (dev.exitCode === null && dev.signalCode === null) dev.kill('SIGKILL');
}

/** Polls /health until it answers 200 (true), or wrangler exits (false). */
async function waitForHealth(port: number, dev: ChildProcess): Promise<boolean> {
  while (dev.exitCode === null) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** One progress line: redrawn in place on a terminal, a line every 5 s in a log. */
const progress = {
  last: 0,
  shown: false,
  show(line: string): void {
    const now = performance.now();
    const tty = process.stderr.isTTY;
    if (now - this.last < (tty ? 100 : 5000)) return;
    this.last = now;
    if (tty) {
      process.stderr.write(`\rbahth: ${line}\x1b[K`);
      this.shown = true;
    } else process.stderr.write(`bahth: ${line}\n`);
  },
  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  },
};

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MB`;
const secs = (t0: number): string => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

main().catch((e: unknown) => {
  progress.clear();
  console.error(explain(e));
  process.exit(1);
});
