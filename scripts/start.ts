/**
 * `npm start [-- <files or folders…>]`: builds the index (seeds/ by default), loads it into the
 * local KV that `wrangler dev` reads, and serves the Worker on http://127.0.0.1:8787.
 *
 * A build hands each bulk file to a fill thread as soon as it is complete, so the local KV fills
 * while the build goes on; the switch key goes in last, once the build is done. A restart with
 * nothing changed skips both: dist/ is reused when the inputs' content-derived version is the
 * one it holds, the local KV when it already serves that build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildIndex, type BuildProgress } from '../src/indexer/build-index';
import { listInputFiles } from '../src/indexer/ingest/index';
import { distState } from './dist-state';
import { checkPortFree, explain } from './first-errors';
import { fillKv, isLive, OFFLINE_ENV, readBuilt, startFillThread, type BuiltIndex } from './kv-load';
import { openLocalKv } from './local-kv';
import { userPath } from './lib/user-path';
import { pruneArchives } from '../src/indexer/prune';

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

interface Options {
  inputs: string[];
  skipInvalid: boolean;
  rebuild: boolean;
  outDir: string;
  persistTo: string;
  port: number;
}

const started = performance.now();
const since = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/**
 * What to stop when this process is interrupted: the fill's workerd and wrangler dev would
 * otherwise outlive it (a SIGINT to this process alone, not to its group, left them running).
 */
const onInterrupt = new Set<() => Promise<void>>();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    const stops = [...onInterrupt].map((stop) => stop().catch(() => undefined));
    onInterrupt.clear();
    void Promise.all(stops).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'skip-invalid': { type: 'boolean', default: false },
      rebuild: { type: 'boolean', default: false },
      out: { type: 'string' },
      'persist-to': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(HELP);
  const o: Options = {
    inputs: positionals.length ? positionals.map(userPath) : ['seeds'],
    skipInvalid: values['skip-invalid'],
    rebuild: values.rebuild,
    outDir: values.out === undefined ? resolve('dist') : userPath(values.out),
    persistTo: values['persist-to'] === undefined ? resolve('.wrangler/state') : userPath(values['persist-to']),
    port: portOf(process.env.PORT),
  };

  // Fail before any work on what would fail later anyway.
  await checkPortFree(o.port);
  await listInputFiles(o.inputs);

  const state = o.rebuild ? undefined : await distState(o.outDir, o.inputs, { skipInvalid: o.skipInvalid });
  let built: BuiltIndex;
  let dev: ChildProcess;
  if (state?.upToDate) {
    say(`build skipped: ${state.reason} (${since()})`);
    built = readBuilt(o.outDir);
    dev = await loadThenServe(o, built);
  } else {
    ({ built, dev } = await buildWhileLoading(o));
  }
  if (await waitForVersion(o.port, dev, built.version)) {
    say(`ready on http://127.0.0.1:${o.port} after ${since()}: try http://127.0.0.1:${o.port}/search?q=بوتين (Ctrl-C stops it)`);
    await pruneLocal(o);
  } else process.exit(dev.exitCode ?? 1);
}

/**
 * Removes older index versions from the local KV, keeping the live one and the one before (a
 * `deploy --local --rollback` target); on the ANT corpus each is about 50,000 keys and 180 MB of
 * disk that no run ever removed. Runs after the server is ready; a failure only warns.
 */
async function pruneLocal(o: Options): Promise<void> {
  let kv: Awaited<ReturnType<typeof openLocalKv>> | undefined;
  const close = async () => { await kv?.close(); };
  onInterrupt.add(close);
  try {
    kv = await openLocalKv(o.persistTo, { log: say });
    // npm start is the local KV's one writer (local-kv.ts): an archive with no manifest copy is a fill that was stopped.
    const r = await pruneArchives(kv, { keep: 1, unfinished: true });
    if (r.dropped.length) say(`removed ${r.dropped.length} older index version(s) from the local KV (${r.dropped.map((a) => a.archive).join(', ')}): ${kv.deleted.keys.toLocaleString('en')} keys${kv.writePath === 'bulk' ? `, ${mb(kv.deleted.bytes)}` : ''}; kept ${r.kept.map((a, i) => `${a.archive}${i === 0 ? ' (live)' : ''}`).join(' and ')}`);
  } catch (e) {
    say(`could not remove older index versions from the local KV: ${(e as Error).message}`);
  } finally {
    onInterrupt.delete(close);
    await close();
  }
}

/**
 * Builds, the fill thread writing each bulk file as the build completes it; then starts wrangler
 * dev and writes the switch.
 */
async function buildWhileLoading(o: Options): Promise<{ built: BuiltIndex; dev: ChildProcess }> {
  say(`building the index of ${o.inputs.join(', ')}, filling the local KV as it goes …`);
  const fillStarted = performance.now();
  const fill = startFillThread(o.persistTo, (p) => progress.fill(p.keys, p.bytes, fillStarted), say);
  const cancelFill = () => fill.cancel();
  onInterrupt.add(cancelFill);
  try {
    const t0 = performance.now();
    const summary = await buildIndex({
      inputs: o.inputs,
      outDir: o.outDir,
      skipInvalid: o.skipInvalid,
      onBulkFile: (file) => fill.addPart(file),
      onProgress: (p: BuildProgress) => progress.build(`${p.phase} ${p.done.toLocaleString('en')}${p.total ? `/${p.total.toLocaleString('en')}` : ''}`),
      onSkip: (e) => say(`skipped: ${e.message.replace(/^bahth: /, '')}`),
      // The house styles found, when there are any (an archive of several outlets).
      log: (m) => { if (m.startsWith('house styles,')) say(`build: ${m}`); },
    });
    progress.build(undefined);
    say(`build: index ${summary.version}, ${summary.articles.toLocaleString('en')} articles, ${summary.keys.toLocaleString('en')} keys, ${mb(summary.bytes)} in ${secs(t0)} (${since()})`);
  } catch (e) {
    await fill.cancel();
    throw e;
  }
  const built = readBuilt(o.outDir);
  let dev: ChildProcess;
  try {
    dev = await startWrangler(o);
  } catch (e) {
    // The port taken meanwhile (or wrangler failing): the fill's workerd must not outlive us.
    await fill.cancel();
    throw e;
  }
  try {
    const done = await fill.finish(built.switchFile, built.parts.length);
    onInterrupt.delete(cancelFill);
    say(`KV fill: ${done.keys.toLocaleString('en')} keys, ${mb(done.bytes)} in ${secs(fillStarted)}, ending ${secs(progress.buildEnd)} after the build, into ${o.persistTo} (${since()})`);
  } catch (e) {
    await stopWrangler(dev);
    throw e;
  }
  return { built, dev };
}

/** dist/ is up to date: fills the local KV unless it already serves that build, with wrangler dev starting meanwhile. */
async function loadThenServe(o: Options, built: BuiltIndex): Promise<ChildProcess> {
  const kv = await openLocalKv(o.persistTo, { log: say });
  const closeKv = () => kv.close();
  onInterrupt.add(closeKv);
  try {
    if (await isLive(kv, built)) {
      say(`KV fill skipped: ${o.persistTo} already serves index ${built.version} (${since()})`);
      await kv.close();
      return await startWrangler(o);
    }
    const dev = await startWrangler(o);
    try {
      const t0 = performance.now();
      const done = await fillKv(kv, built, (p) => progress.fill(p.keys, p.fileBytes, t0, built.fileBytes));
      progress.clear();
      say(`KV fill: ${done.keys.toLocaleString('en')} keys, ${mb(done.bytes)} in ${secs(t0)} into ${o.persistTo} (${since()})`);
      return dev;
    } catch (e) {
      await stopWrangler(dev);
      throw e;
    }
  } finally {
    onInterrupt.delete(closeKv);
    await kv.close();
  }
}

/**
 * Starts wrangler dev (it only reads the local KV, so it may start while the KV fills: the
 * switch key is written last, and until then it answers 503). This process lives and dies with it.
 */
async function startWrangler(o: Options): Promise<ChildProcess> {
  await checkPortFree(o.port);
  const dev = spawn(process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'dev', '--persist-to', o.persistTo, '--port', String(o.port), '--ip', '127.0.0.1',
    // A publish (npm run publish -- --local) shows within a second, not the 30 s KV-cache floor production uses.
    '--var', 'MANIFEST_TTL_MS:1000'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...OFFLINE_ENV },
  });
  dev.on('exit', exitWithDev);
  onInterrupt.add(() => stopWrangler(dev));
  return dev;
}

const exitWithDev = (code: number | null): never => process.exit(code ?? 0);

/** After a failed fill: stops wrangler dev without this process exiting with it. */
async function stopWrangler(dev: ChildProcess): Promise<void> {
  dev.off('exit', exitWithDev);
  if (dev.exitCode !== null || dev.signalCode !== null) return;
  const exited = new Promise((r) => dev.once('exit', r));
  dev.kill('SIGINT');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (dev.exitCode === null && dev.signalCode === null) dev.kill('SIGKILL');
}

/** Polls /health until it serves `version` (true), or wrangler dev exits (false). */
async function waitForVersion(port: number, dev: ChildProcess, version: string): Promise<boolean> {
  while (dev.exitCode === null) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
      const body = (await res.json()) as { index?: { version?: string } };
      if (res.ok && body.index?.version === version) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

function say(m: string): void {
  progress.clear();
  console.error(`bahth: ${m}`);
}

/** One progress line for the build and the fill: redrawn in place on a terminal, a line every 5 s in a log. */
const progress = {
  last: 0,
  shown: false,
  buildText: undefined as string | undefined,
  fillText: undefined as string | undefined,
  buildEnd: performance.now(),
  build(text: string | undefined): void {
    this.buildText = text;
    if (text === undefined) this.buildEnd = performance.now();
    this.render();
  },
  fill(keys: number, bytes: number, t0: number, totalBytes?: number): void {
    const seconds = (performance.now() - t0) / 1000;
    // Beside a build the fill waits for the build's files: a rate would say nothing.
    const rate = totalBytes && seconds > 0 ? `, ${Math.round(keys / seconds).toLocaleString('en')} keys/s` : '';
    this.fillText = `KV fill: ${keys.toLocaleString('en')} keys, ${mb(bytes)}${totalBytes ? `/${mb(totalBytes)}` : ''}${rate}`;
    this.render();
  },
  render(): void {
    const now = performance.now();
    const tty = process.stderr.isTTY;
    if (now - this.last < (tty ? 100 : 5000)) return;
    this.last = now;
    const line = [this.buildText && `build: ${this.buildText}`, this.fillText].filter(Boolean).join(' · ');
    if (!line) return;
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

/** PORT: a port to serve on, 1–65535 (0 would let wrangler pick one, which this could not find). */
function portOf(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 8787;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > 65535) {
    console.error(`npm start: PORT="${raw}" is not a port (a whole number from 1 to 65535)`);
    process.exit(2);
  }
  return Number(raw);
}
