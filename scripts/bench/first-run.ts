/**
 * `npm run bench:first-run`: a newcomer's first ten minutes, timed. In a fresh clone beside this
 * one (so that ../shared is there, as in CI): `npm ci`, then `npm test`. Here: `npm start` on the
 * seeds and on the corpus, a first run (empty build and KV folders) and a restart with nothing
 * changed, each phase from the lines `npm start` prints (build, KV fill) and the first /health
 * and /search answers. Prints the table and writes the "First run" section of
 * docs/benchmarks.md (the rest of the file is left as it is). Every wrangler dev it starts is
 * stopped, its whole process group.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORT = join(ROOT, 'docs/benchmarks.md');
const SCRATCH = join(ROOT, 'node_modules/.cache/bahth-first-run');
const GOALS = { corpusFirstAnswer: 90, restart: 15 };
const HELP = `Usage: npm run bench:first-run -- [options]

Times npm ci and npm test in a fresh clone (beside this one, removed afterwards) and npm start
on the seeds and the corpus, first run and restart; writes the "First run" section of
docs/benchmarks.md.

Options:
      --corpus <file>   the corpus (default: ../shared/corpus/ant-news.jsonl.gz)
      --skip-clone      leave out npm ci and npm test (keeps their previous numbers out too)
      --no-write        print only
  -h, --help            show this help`;

interface StartRun {
  name: string;
  command: string;
  /** Seconds from the command: */
  buildSeconds?: number;
  buildSkippedAt?: number;
  fillSeconds?: number;
  /** When the fill ran beside the build: how long it went on after the build ended. */
  fillAfterBuild?: number;
  fillSkippedAt?: number;
  /** wrangler dev's first 200 on /health after the fill (or its skip) ended. */
  wranglerReadySeconds: number;
  health: number;
  firstAnswer: number;
  hits: number;
}

interface CloneRun {
  npmCiSeconds: number;
  npmTestSeconds: number;
  testStatus: number | null;
  testSummary: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string', default: resolve(ROOT, '../shared/corpus/ant-news.jsonl.gz') },
      'skip-clone': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(HELP);
  if (!existsSync(values.corpus)) throw new Error(`no corpus at ${values.corpus} (--corpus <file>)`);
  const load = loadavg()[0]!;
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();

  const clone = values['skip-clone'] ? undefined : freshClone();
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(SCRATCH, { recursive: true });
  const runs: StartRun[] = [];
  const corpus = values.corpus;
  const shown = basename(corpus);
  try {
    runs.push(await npmStart('seeds, first run', 'npm start', 'seeds', []));
    runs.push(await npmStart('seeds, restart with nothing changed', 'npm start', 'seeds', []));
    runs.push(await npmStart('corpus, first run', `npm start -- ${shown}`, 'corpus', [corpus]));
    runs.push(await npmStart('corpus, restart with nothing changed', `npm start -- ${shown}`, 'corpus', [corpus]));
  } finally {
    rmSync(SCRATCH, { recursive: true, force: true });
  }
  const section = render({ date: new Date().toISOString(), commit, load, clone, runs });
  console.log(`\n${section}`);
  if (!values['no-write']) {
    writeSection(REPORT, section);
    console.error(`bench:first-run: wrote the "First run" section of ${REPORT}`);
  }
}

/** `npm ci` and `npm test` in a fresh clone of HEAD beside this checkout. */
function freshClone(): CloneRun {
  const dir = join(dirname(ROOT), `.bahth-first-run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  try {
    run('git', ['clone', '--quiet', ROOT, dir], ROOT);
    log(`fresh clone at ${dir}: npm ci …`);
    const ci = run('npm', ['ci', '--no-audit', '--no-fund'], dir);
    if (ci.status !== 0) throw new Error(`npm ci failed in the clone:\n${ci.output.slice(-2000)}`);
    log(`npm ci ${ci.seconds.toFixed(1)} s; npm test …`);
    const test = run('npm', ['test'], dir);
    const plain = test.output.replace(/\x1b\[[0-9;]*m/g, '');
    const summary = ['Test Files', 'Tests'].map((w) => new RegExp(`^\\s*${w}\\s+(.*)$`, 'm').exec(plain)?.[1]?.trim()).filter(Boolean).join('; ');
    log(`npm test ${test.seconds.toFixed(1)} s, exit ${test.status}: ${summary}`);
    return { npmCiSeconds: ci.seconds, npmTestSeconds: test.seconds, testStatus: test.status, testSummary: summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], cwd: string): { status: number | null; seconds: number; output: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' } });
  return { status: r.status, seconds: (performance.now() - t0) / 1000, output: `${r.stdout}\n${r.stderr}` };
}

/**
 * One `npm start`, timed from the command to its first answer; its build and KV folders are
 * `SCRATCH/<state>` (empty for a first run, kept for the restart that follows).
 */
async function npmStart(name: string, command: string, state: string, inputs: string[]): Promise<StartRun> {
  const port = await freePort();
  const out = join(SCRATCH, state);
  log(`${name}: ${command} (port ${port}) …`);
  const t0 = performance.now();
  const at = () => (performance.now() - t0) / 1000;
  const child = spawn('npm', ['start', '--silent', '--', '--out', join(out, 'dist'), '--persist-to', join(out, 'state'), ...inputs], {
    cwd: ROOT,
    detached: true, // its own process group: npm, tsx, wrangler and workerd stop together
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port) },
  });
  const lines: { t: number; line: string }[] = [];
  let buffered = '';
  const onData = (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push({ t: at(), line: buffered.slice(0, nl) });
      buffered = buffered.slice(nl + 1);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const onSignal = () => stop(child).finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  try {
    const health = await until(child, lines, async () => (await fetch(`http://127.0.0.1:${port}/health`)).ok, t0);
    let hits = 0;
    const firstAnswer = await until(child, lines, async () => {
      const res = await fetch(`http://127.0.0.1:${port}/search?q=${encodeURIComponent('بوتين')}&limit=1`);
      if (!res.ok) return false;
      hits = ((await res.json()) as { total: number }).total;
      return true;
    }, t0);
    const find = (re: RegExp) => lines.find((l) => re.test(l.line));
    const built = find(/^bahth: build: index .* in ([\d.]+) s/);
    const buildSkipped = find(/^bahth: build skipped/);
    const filled = find(/^bahth: KV fill: [\d,]+ keys, .* in ([\d.]+) s/);
    const fillSkipped = find(/^bahth: KV fill skipped/);
    const fillEnd = filled ?? fillSkipped;
    if (!fillEnd || (!built && !buildSkipped)) throw new Error(`${name}: npm start did not say what it did:\n${lines.map((l) => l.line).join('\n').slice(-3000)}`);
    const r: StartRun = {
      name,
      command,
      ...(built ? { buildSeconds: Number(/in ([\d.]+) s/.exec(built.line)![1]) } : {}),
      ...(buildSkipped ? { buildSkippedAt: buildSkipped.t } : {}),
      ...(filled ? { fillSeconds: Number(/in ([\d.]+) s/.exec(filled.line)![1]) } : {}),
      ...(filled && /ending ([\d.]+) s after the build/.test(filled.line) ? { fillAfterBuild: Number(/ending ([\d.]+) s after the build/.exec(filled.line)![1]) } : {}),
      ...(fillSkipped ? { fillSkippedAt: fillSkipped.t } : {}),
      wranglerReadySeconds: health - fillEnd.t,
      health,
      firstAnswer,
      hits,
    };
    writeFileSync(join(SCRATCH, `${state}-${name.includes('restart') ? 'restart' : 'first'}.log`), lines.map((l) => `${l.t.toFixed(2)} ${l.line}`).join('\n'));
    log(`${name}: first answer after ${firstAnswer.toFixed(1)} s (${hits} hits for بوتين)`);
    return r;
  } finally {
    process.removeListener('SIGINT', onSignal);
    await stop(child);
  }
}

/** Polls `ok` every 250 ms; the seconds since `t0` (performance.now()) when it first holds. Fails if npm start exits first. */
async function until(child: ChildProcess, lines: { line: string }[], ok: () => Promise<boolean>, t0: number): Promise<number> {
  const deadline = performance.now() + 10 * 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${lines.map((l) => l.line).join('\n').slice(-3000)}`);
    if (await ok().catch(() => false)) return (performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('npm start did not answer within 10 minutes');
}

/** Stops npm start's whole process group (npm, tsx, wrangler, workerd) and waits for it. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // gone
    }
  };
  kill('SIGINT');
  const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 10_000))]);
  if (!done) {
    kill('SIGKILL');
    await exited;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const s = (x: number | undefined): string => (x === undefined ? '' : `${x.toFixed(1)} s`);

function render(r: { date: string; commit: string; load: number; clone?: CloneRun; runs: StartRun[] }): string {
  const corpusFirst = r.runs.find((x) => x.name === 'corpus, first run');
  const corpusRestart = r.runs.find((x) => x.name === 'corpus, restart with nothing changed');
  const pass = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');
  const out = [
    '## First run',
    '',
    `Written by \`npm run bench:first-run\` (scripts/bench/first-run.ts) at ${r.date.slice(0, 16).replace('T', ' ')} UTC, commit ${r.commit}, load average ${r.load.toFixed(2)} on 2 shared cores; no system Chromium on the machine. Times are wall seconds from the command.`,
    '',
  ];
  if (r.clone) {
    out.push(
      '| a fresh clone (beside this one, so ../shared is there) | wall |  |',
      '| --- | ---: | --- |',
      `| \`npm ci\` (npm's cache warm: nothing downloaded but the registry's answers) | ${s(r.clone.npmCiSeconds)} |  |`,
      `| \`npm test\` (browser tests on the packaged Chromium, unpacked on first use) | ${s(r.clone.npmTestSeconds)} | exit ${r.clone.testStatus}: ${r.clone.testSummary} |`,
      '',
    );
  }
  out.push(
    '| `npm start` | build | KV fill | wrangler ready | first answer |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...r.runs.map((x) => {
      const build = x.buildSeconds !== undefined ? s(x.buildSeconds) : `skipped (checked by ${s(x.buildSkippedAt)})`;
      const fill = x.fillAfterBuild !== undefined ? `beside the build, then ${s(x.fillAfterBuild)}` : x.fillSeconds !== undefined ? s(x.fillSeconds) : 'skipped';
      return `| ${x.name}: \`${x.command}\` | ${build} | ${fill} | ${s(x.wranglerReadySeconds)} | **${s(x.firstAnswer)}** |`;
    }),
    '',
    'build: the index build (a restart reads the inputs once to compare their content-derived version with dist/; the build\'s time includes sharing the machine with the fill). KV fill: writing the index into the local KV that `wrangler dev` reads, one process, in bulk: on a thread beside the build, each bulk file as the build completes it, then the last file and the `manifest` switch once the build is done (the time shown is that tail). wrangler ready: from the end of the fill (wrangler dev starts as the build ends) to its first 200 on `/health` with the new version. first answer: the first 200 on `/search?q=بوتين`, from the command.',
    '',
    '| goal | measured |  |',
    '| --- | ---: | ---: |',
    `| corpus: first answer within ${GOALS.corpusFirstAnswer} s of the command | ${s(corpusFirst?.firstAnswer)} | ${pass((corpusFirst?.firstAnswer ?? Infinity) <= GOALS.corpusFirstAnswer)} |`,
    `| corpus: a restart with nothing changed within ${GOALS.restart} s | ${s(corpusRestart?.firstAnswer)} | ${pass((corpusRestart?.firstAnswer ?? Infinity) <= GOALS.restart)} |`,
    '',
    'Before (issue #24, the same kind of machine): `npm test` failed without `/usr/bin/chromium`; `npm start` on a 41,055-article archive answered first after 322 s (53 s of build, then ten `wrangler kv bulk put --local` processes for 4.5 minutes), and every restart did all of it again.',
    '',
  );
  return out.join('\n');
}

/** Replaces the "## First run" section of the report (up to the next section or the bench data), or appends it. */
export function writeSection(file: string, section: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const start = text.search(/^## First run\s*$/m);
  if (start < 0) {
    writeFileSync(file, `${text.replace(/\n*$/, '\n')}\n${section}`);
    return;
  }
  const rest = text.slice(start + 1);
  const next = rest.search(/^(## |<!-- bench-data )/m);
  const end = next < 0 ? text.length : start + 1 + next;
  writeFileSync(file, `${text.slice(0, start)}${section}\n${text.slice(end)}`);
}

function log(m: string): void {
  console.error(`bench:first-run: ${m}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(`bench:first-run: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
