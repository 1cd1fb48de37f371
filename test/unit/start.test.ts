/**
 * `npm start` for a newcomer: the first errors are one line that says what to do (no stack
 * trace), and a restart with nothing changed knows dist/ is up to date without building.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/indexer/build-index';
import { contentVersion, distState } from '../../scripts/dist-state';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bahth-start-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nothing listens on (the first errors come before anything is served on it). */
let freePort = 0;
beforeAll(async () => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  freePort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});

/** Runs `npm start`'s script as npm does (after the Node check), into scratch folders. */
function start(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--out', join(dir, 'dist'), '--persist-to', join(dir, 'state'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, PORT: String(freePort), ...env },
  });
  return { status: r.status, err: r.stderr.trim() };
}

/** The error is one line (the last; a "building …" line may come before it) and no stack trace. */
function expectOneLine(err: string, pattern: RegExp): void {
  const lines = err.split('\n');
  expect(lines.slice(0, -1).every((l) => /^bahth: building the index of /.test(l))).toBe(true);
  expect(err).not.toMatch(/^\s+at /m);
  expect(lines.at(-1)).toMatch(pattern);
}

describe('first errors of npm start', () => {
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('says the port is taken and how to choose another, before building anything', () => {
    const r = start(['seeds'], { PORT: String(busyPort) });
    expect(r.status).toBe(1);
    expectOneLine(r.err, new RegExp(`port ${busyPort} .* already in use.*PORT=${busyPort + 1} npm start`));
  });

  it('names an input path that does not exist and what inputs it takes', () => {
    const r = start([join(dir, 'no-such.jsonl')]);
    expect(r.status).toBe(1);
    expectOneLine(r.err, /no-such\.jsonl: no such file or directory\. Give files or folders of articles/);
  });

  it('says an empty archive has nothing to serve', () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const r = start([empty]);
    expect(r.status).toBe(1);
    expectOneLine(r.err, /empty\.jsonl.*no articles.*nothing to serve/);
  });

  it('points at --skip-invalid for a bad row', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id":"a","title":"عنوان","body":"نص"}\nnot json\n');
    const r = start([bad]);
    expect(r.status).toBe(1);
    expectOneLine(r.err, /bad\.jsonl:2: .*--skip-invalid/);
  });

  it.each(['abc', '0', '70000', '80.5'])('refuses PORT=%s in one line, before any work', (port) => {
    const r = start(['seeds'], { PORT: port });
    expect(r.status).toBe(2);
    expect(r.err).toBe(`npm start: PORT="${port}" is not a port (a whole number from 1 to 65535)`);
  });

  it('answers an unknown option with one line pointing at --help', () => {
    const r = start(['--no-such-option']);
    expect(r.status).toBe(1);
    expectOneLine(r.err, /Unknown option '--no-such-option'.*npm start -- --help/);
  });
});

describe('the Node check that runs before npm start, test and deploy', () => {
  const check = (...args: string[]) => spawnSync(process.execPath, ['scripts/check-node.cjs', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('stops an older Node with one line naming both versions and what to do', () => {
    const r = check('18.19.0');
    expect(r.status).toBe(1);
    expectOneLine(r.stderr.trim(), /this is Node 18\.19\.0; bahth needs Node \^20\.19\.0 \|\| \^22\.12\.0 \|\| >=24\.0\.0 \(package\.json engines: what its test and build tools accept\)\. Install a Node of that range/);
    // vitest leaves out Node 21 and 23; @redocly/cli wants 20.19 or 22.12 on.
    for (const v of ['20.3.0', '20.18.9', '21.7.0', '22.11.0', '23.1.0']) expect(check(v).status, v).toBe(1);
  });

  it('lets this Node through silently', () => {
    const r = check();
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    for (const v of ['20.19.0', '20.20.2', '22.12.0', '24.0.0', '25.1.0']) expect(check(v).status, v).toBe(0);
  });
});

describe('is dist/ up to date?', () => {
  it('computes the version the build gives, without building', async () => {
    const summary = await buildIndex({ inputs: [join(ROOT, 'seeds')], outDir: join(dir, 'seeds-dist') });
    expect(await contentVersion([join(ROOT, 'seeds')])).toBe(summary.version);
  });

  it('is up to date for the same inputs, and not for other inputs or changed content', async () => {
    const seeds = join(dir, 'seeds');
    cpSync(join(ROOT, 'seeds'), seeds, { recursive: true });
    const dist = join(dir, 'state-dist');
    expect((await distState(dist, [seeds])).upToDate).toBe(false);
    const built = await buildIndex({ inputs: [seeds], outDir: dist });
    expect(await distState(dist, [seeds])).toMatchObject({ upToDate: true, built: built.version, wanted: built.version });
    expect((await distState(dist, [join(ROOT, 'seeds')])).reason).toMatch(/was built from/);
    writeFileSync(join(seeds, 'zz-extra.jsonl'), JSON.stringify({ id: 'extra-1', title: 'خبر إضافي', body: 'نص الخبر الإضافي' }) + '\n');
    const changed = await distState(dist, [seeds]);
    expect(changed.upToDate).toBe(false);
    expect(changed.wanted).not.toBe(built.version);
  });

  it('is not up to date when a file of the build is gone: rebuilt, not served half', async () => {
    const dist = join(dir, 'cut-dist');
    await buildIndex({ inputs: [join(ROOT, 'seeds')], outDir: dist });
    expect((await distState(dist, [join(ROOT, 'seeds')])).upToDate).toBe(true);
    rmSync(join(dist, 'kv', 'part-0001.json'));
    expect(await distState(dist, [join(ROOT, 'seeds')])).toMatchObject({ upToDate: false, reason: expect.stringContaining('kv/part-0001.json is missing') });
  });
});
