/**
 * The benchmark, widget and publish scripts on the command line: --help says what they do and does
 * nothing else; a mistake (an unknown option, a value that is not a number) is refused with
 * one clear line and exit 2 (publish: 1, as for its other bad input) before anything is started
 * or written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const run = (script: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', `scripts/${script}`, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
};
const report = () => readFileSync(join(ROOT, 'docs/benchmarks.md'), 'utf8');

describe('publish reads the paths typed where they were typed (INIT_CWD, as npm run sets it)', () => {
  it('finds --synonyms and --persist-to in the folder it was called from', () => {
    const here = mkdtempSync(join(tmpdir(), 'bahth-here-'));
    try {
      writeFileSync(join(here, 'syn.txt'), 'المونديال، كأس العالم\n');
      mkdirSync(join(here, 'state'));
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/publish.ts', '--persist-to', 'state', '--synonyms', 'syn.txt', '--dry-run'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, INIT_CWD: here } });
      // Both found: it gets as far as the empty local KV.
      expect(r.stderr).not.toMatch(/no such (file|folder)/);
      expect(r.stderr).toMatch(/nothing is published in local KV \(.*state\)/);
    } finally {
      rmSync(here, { recursive: true, force: true });
    }
  });
});

describe('bench, bench:load, build:widget and publish on the command line', () => {
  it.each([
    ['bench.ts', /npm run bench/],
    ['load-test.ts', /npm run bench:load/],
    ['build-widget.ts', /npm run build:widget/],
  ])('%s --help prints its usage and exits 0', (script, usage) => {
    const r = run(script, '--help');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(usage);
  });

  it.each([
    ['bench.ts', ['--bogus'], /^bench: Unknown option '--bogus'.*; see npm run bench -- --help/],
    ['bench.ts', ['--queries', 'abc'], /^bench: --queries takes a positive whole number, not "abc"/],
    ['bench.ts', ['--port', '80'], /^bench: --port takes a port from 1024 to 65535, not "80"/],
    ['bench.ts', ['--suggest', '--related'], /^bench: choose one of --related, --suggest: each writes its own section/],
    ['bench.ts', ['--related', '--million'], /^bench: choose one of --related, --million/],
    ['bench.ts', ['--live', '--against', '/tmp'], /^bench: choose one of --live, --against/],
    ['load-test.ts', ['--bogus'], /^bench:load: Unknown option '--bogus'/],
    ['load-test.ts', ['--seconds', 'abc'], /^bench:load: --seconds must be a whole number from 1 to 3600, not "abc"/],
    ['load-test.ts', ['--levels', '1,x'], /^bench:load: --levels must be a whole number from 1 to 1024, not "x"/],
    ['load-test.ts', ['--dist', '/nonexistent/bahth'], /^bench:load: no built index in \/nonexistent\/bahth/],
    ['build-widget.ts', ['--bogus'], /^build:widget: unknown option --bogus/],
  ])('%s %j is refused with exit 2, nothing written', (script, args, message) => {
    const before = report();
    const r = run(script, ...args);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(report()).toBe(before);
  });

  it.each([
    [['--compact', 'bogus'], /--compact takes merge or full \(alone: merge\), not "bogus"/],
    [['--compact', 'full', '--no-compact'], /choose one of --compact and --no-compact/],
    [['--max-delta-bytes=', 'x.jsonl'], /--max-delta-bytes must be a whole number ≥ 0, not ""/],
    [['--max-deltas', '0.5', 'x.jsonl'], /--max-deltas must be a whole number ≥ 0, not "0\.5"/],
    [['--persist-to', '/nonexistent/bahth-state', 'x.jsonl'], /--persist-to \/nonexistent\/bahth-state: no such folder/],
    [['--bogus'], /Unknown option '--bogus'.*\(see --help\)/],
    [['--keep', '2'], /--keep is an option of --prune: give --prune too/],
    [['--prune', '--keep', '0'], /--keep must be a whole number ≥ 1, not "0"/],
  ])('publish %j is refused with exit 1 before anything is read or written', (args, message) => {
    const r = run('publish.ts', ...args);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(existsSync('/nonexistent/bahth-state')).toBe(false);
  });

  it.each([
    [['--ship-ranking'], /^eval: --ship-ranking goes with --fit-ranking/],
    [['--save-typos', 'f.json'], /^eval: --save-typos goes with --typos/],
    [['--typos-against', 'f.json'], /^eval: --typos-against goes with --typos/],
    [['--typos', '--typos-against', '/nonexistent/kept.json'], /^eval: --typos-against \/nonexistent\/kept\.json: no such file/],
    [['--fit-minutes', '5'], /^eval: --fit-minutes goes with --fit/],
    [['--quick', '--typos'], /^eval: choose one of --quick, --typos/],
    [['--sample', '1e3'], /^eval: --sample takes a whole number of at least 1, not "1e3"/],
    [['--seed='], /^eval: --seed takes a whole number of at least 0, not ""/],
  ])('eval %j is refused with exit 2 before any work (which would rewrite docs/relevance.md)', (args, message) => {
    const before = readFileSync(join(ROOT, 'docs/relevance.md'), 'utf8');
    const r = run('eval.ts', ...args);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(message);
    expect(readFileSync(join(ROOT, 'docs/relevance.md'), 'utf8')).toBe(before);
  });

  it('build:widget --check says whether embed-source.ts is current, writing nothing', () => {
    const r = run('build-widget.ts', '--check');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/embed-source\.ts is up to date/);
  });
});
