/**
 * The build script on bad input: a clear error naming the file (and line), the previous dist/
 * left exactly as it was, nothing half-written beside it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { corpusPath } from '../corpus';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/indexer/build-index';
import { BahthError } from '../../src/core/errors';
import { unsealValue } from '../../src/core/format/layout';

let dir = '';
let dist = '';
let manifestBefore = '';
const row = (id: string, extra: Record<string, unknown> = {}) => JSON.stringify({ id, title: `عنوان ${id}`, body: 'نص الخبر عن الرئيس', date: '2024-01-02', source: 'x', ...extra });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bahth-build-'));
  dist = join(dir, 'dist');
  await buildIndex({ inputs: ['seeds'], outDir: dist });
  manifestBefore = readFileSync(join(dist, 'manifest.json'), 'utf8');
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const cases: [string, () => string, RegExp][] = [
  ['an empty file', () => file('empty.jsonl', ''), /empty\.jsonl/],
  ['a binary file', () => file('binary.jsonl', Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0x0a])), /binary\.jsonl/],
  ['non-UTF-8 text', () => file('latin1.jsonl', Buffer.concat([Buffer.from(row('a') + '\n'), Buffer.from('{"id":"b","title":"caf\xe9","body":"x"}\n', 'latin1')])), /latin1\.jsonl:2/],
  ['a truncated gzip', () => file('cut.jsonl.gz', gzipSync(Buffer.from(Array.from({ length: 200 }, (_, i) => row(`r${i}`)).join('\n'))).subarray(0, 300)), /cut\.jsonl\.gz/],
  ['duplicate ids', () => file('dup.jsonl', [row('same'), row('other'), row('same')].join('\n')), /dup\.jsonl:3.*same/],
  ['invalid JSON', () => file('bad.jsonl', [row('ok'), '{"id": "broken", ', row('ok2')].join('\n')), /bad\.jsonl:2/],
  ['a row without a body', () => file('nobody.jsonl', [row('ok'), JSON.stringify({ id: 'x', title: 't' })].join('\n')), /nobody\.jsonl:2/],
  ['a javascript: url', () => file('js-url.jsonl', [row('ok'), row('js', { url: 'javascript:alert(1)' })].join('\n')), /js-url\.jsonl:2: url "javascript:alert\(1\)" is not an http: or https: URL/],
  ['a 10 MB article', () => file('huge.jsonl', [row('ok'), row('huge', { body: 'كلمة '.repeat(2_000_000) })].join('\n')), /huge\.jsonl:2/],
  ['a path that does not exist', () => join(dir, 'missing.jsonl'), /missing\.jsonl/],
];

describe('bad build input', () => {
  it.each(cases)('%s: a clear error with the file, and the previous dist/ intact', async (_name, make, message) => {
    const input = make();
    const err = await buildIndex({ inputs: [input], outDir: dist }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(BahthError);
    expect((err as BahthError).message).toMatch(message);
    expect(readFileSync(join(dist, 'manifest.json'), 'utf8')).toBe(manifestBefore);
    expect(readdirSync(dir).filter((f) => f.startsWith('.dist'))).toEqual([]);
  });

  it('refuses an output folder it would lose something in, before any work', async () => {
    const input = file('fine.jsonl', row('fine'));
    const refused = async (outDir: string, inputs = [input]) => {
      const err = await buildIndex({ inputs, outDir }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(BahthError);
      return (err as BahthError).message;
    };
    // A folder of someone's files: kept, every file of it.
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    writeFileSync(join(notes, 'draft.txt'), 'keep me');
    expect(await refused(notes)).toMatch(/notes holds what no build writes \(draft\.txt\)/);
    expect(readFileSync(join(notes, 'draft.txt'), 'utf8')).toBe('keep me');
    // A build's own names holding what no build writes: someone's too.
    const posing = join(dir, 'posing');
    mkdirSync(join(posing, 'kv'), { recursive: true });
    writeFileSync(join(posing, 'kv', 'notes.txt'), 'keep me');
    writeFileSync(join(posing, 'manifest.json'), '{"name": "my app"}');
    expect(await refused(posing)).toMatch(/posing holds what no build writes \(kv\/notes\.txt, manifest\.json \(not a bahth build's\)\)/);
    expect(readFileSync(join(posing, 'kv', 'notes.txt'), 'utf8')).toBe('keep me');
    // An output that cannot be written: said so, no stack.
    expect(await refused(join(file('parent.txt', 'x'), 'out'))).toMatch(/cannot write the output folder .*parent\.txt\/out: a part of the path is a file/);
    // A regular file where the folder would go.
    const plain = file('plain.txt', 'a file');
    expect(await refused(plain)).toMatch(/plain\.txt is a file/);
    expect(readFileSync(plain, 'utf8')).toBe('a file');
    // The input inside the output.
    const inside = join(dir, 'inside');
    mkdirSync(inside);
    const own = join(inside, 'articles.jsonl');
    writeFileSync(own, row('own'));
    expect(await refused(inside, [own])).toMatch(/articles\.jsonl is inside the output folder/);
    expect(readFileSync(own, 'utf8')).toBe(row('own'));
    // A previous build's folder and an empty one are replaced as before.
    expect((await buildIndex({ inputs: [input], outDir: dist })).articles).toBe(1);
    const empty = join(dir, 'empty-out');
    mkdirSync(empty);
    expect((await buildIndex({ inputs: [input], outDir: empty })).articles).toBe(1);
    await buildIndex({ inputs: ['seeds'], outDir: dist });
    manifestBefore = readFileSync(join(dist, 'manifest.json'), 'utf8');
  }, 60_000);

  it('sweeps the scratch a stopped build left beside its output, not a running one\'s', async () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const dead = Number(child.stdout);
    const left = [join(dir, `.dist.building-${dead}`), join(dir, `.dist.spill-${dead}`)];
    const running = join(dir, `.dist.spill-${process.ppid}`);
    for (const f of [...left, running]) mkdirSync(join(f, 'kv'), { recursive: true });
    const log: string[] = [];
    await buildIndex({ inputs: ['seeds'], outDir: dist, log: (m) => log.push(m) });
    for (const f of left) expect(existsSync(f), f).toBe(false);
    expect(existsSync(running)).toBe(true);
    expect(log.filter((m) => m.includes('left by a build that was stopped'))).toHaveLength(2);
    rmSync(running, { recursive: true });
    manifestBefore = readFileSync(join(dist, 'manifest.json'), 'utf8');
  }, 60_000);

  it('skips bad rows when asked, and says which', async () => {
    const input = file('mixed.jsonl', [row('good1'), '{oops', row('good2'), JSON.stringify({ id: 'no-title', body: 'x' })].join('\n'));
    const skipped: string[] = [];
    const out = join(dir, 'skip-dist');
    const summary = await buildIndex({ inputs: [input], outDir: out, skipInvalid: true, onSkip: (e) => skipped.push(e.message) });
    expect(summary.articles).toBe(2);
    expect(summary.skipped).toBe(2);
    expect(skipped.join('\n')).toMatch(/mixed\.jsonl:2/);
    expect(skipped.join('\n')).toMatch(/mixed\.jsonl:4/);
  });

  it('keeps http: and https: urls only: a row with another is skipped when asked, and says why', async () => {
    const input = file('urls.jsonl', [
      row('web', { url: 'https://news.example/a' }), row('plain', { url: 'http://news.example/b' }),
      row('script', { url: 'javascript:alert(1)' }), row('inline', { url: 'data:text/html,<script>alert(1)</script>' }),
    ].join('\n'));
    const skipped: string[] = [];
    const out = join(dir, 'url-dist');
    const summary = await buildIndex({ inputs: [input], outDir: out, skipInvalid: true, onSkip: (e) => skipped.push(e.message) });
    expect(summary.articles).toBe(2);
    expect(skipped).toEqual([
      expect.stringMatching(/urls\.jsonl:3: url "javascript:alert\(1\)" is not an http: or https: URL/),
      expect.stringMatching(/urls\.jsonl:4: url "data:text\/html,<script>alert\(1\)<\/script>" is not an http: or https: URL/),
    ]);
    const stored = readdirSync(join(out, 'kv')).flatMap((f) => JSON.parse(readFileSync(join(out, 'kv', f), 'utf8')) as { key: string; value: string }[]);
    const urls = stored.filter((e) => e.key.startsWith('a/')).map((e) => (JSON.parse(unsealValue(e.value)!) as { url?: string }).url);
    expect(urls.sort()).toEqual(['http://news.example/b', 'https://news.example/a']);
  });

  it('builds passages with no date or source (the eval documents)', async () => {
    const input = file('qa.jsonl', JSON.stringify({ id: 'p1', title: 'مقطع', body: 'نص بلا تاريخ ولا مصدر', dataset: 'arcd' }));
    const summary = await buildIndex({ inputs: [input], outDir: join(dir, 'qa-dist') });
    expect(summary.articles).toBe(1);
  });
});

describe('the build CLI', () => {
  const cli = (...args: string[]) => spawnSync('npx', ['tsx', 'scripts/build-index.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

  it('prints --help', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: npm run build:index');
    expect(r.stdout).toContain('--skip-invalid');
  });

  it('exits 1 with the file and line of a bad row, and leaves the output alone', () => {
    const input = file('cli-bad.jsonl', [row('a'), 'not json'].join('\n'));
    const r = cli('--quiet', '--out', dist, input);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cli-bad\.jsonl:2/);
    expect(readFileSync(join(dist, 'manifest.json'), 'utf8')).toBe(manifestBefore);
  });

  it('rejects an unknown option with a usage message', () => {
    const r = cli('--frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Usage');
  });

  it('prints a summary with articles, terms, keys, bytes and time', () => {
    const out = join(dir, 'cli-dist');
    const r = cli('--quiet', '--out', out, 'seeds');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/articles\s+9/);
    expect(r.stdout).toMatch(/terms\s+[\d,]+ in \d+ shards/);
    expect(r.stdout).toMatch(/keys\s+\d+ in 1 bulk file/);
    expect(r.stdout).toMatch(/time\s+[\d.]+ s .*peak RSS/);
    expect(existsSync(join(out, 'kv', 'part-0001.json'))).toBe(true);
  });

  it('lists every skipped row in skipped.txt past the 20 the log shows, and builds there again', () => {
    const input = file('many-bad.jsonl', [row('ok'), ...Array.from({ length: 25 }, () => 'not json')].join('\n'));
    const out = join(dir, 'skips-out');
    const r = cli('--quiet', '--skip-invalid', '--out', out, input);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`25 invalid rows skipped: all listed in ${join(out, 'skipped.txt')}`);
    const listed = readFileSync(join(out, 'skipped.txt'), 'utf8').trim().split('\n');
    expect(listed).toHaveLength(25);
    expect(listed[24]).toMatch(/many-bad\.jsonl:26: /);
    const again = cli('--quiet', '--out', out, 'seeds');
    expect(again.status, again.stderr).toBe(0);
    expect(existsSync(join(out, 'skipped.txt'))).toBe(false);
  });

  it('on Ctrl-C removes its scratch folders and leaves the output as it was', async () => {
    const out = join(dir, 'ctrl-c');
    const first = cli('--quiet', '--out', out, 'seeds');
    expect(first.status, first.stderr).toBe(0);
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build-index.ts', '--out', out, corpusPath()], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    // Once the build has made its scratch folders.
    for (let i = 0; i < 300 && !readdirSync(dir).some((f) => f.startsWith('.ctrl-c.spill-')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(dir).filter((f) => f.startsWith('.ctrl-c.'))).not.toEqual([]);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(130);
    expect(err).toContain(`build:index: stopped; ${out} is as it was`);
    expect(readdirSync(dir).filter((f) => f.startsWith('.ctrl-c.'))).toEqual([]);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
  }, 60_000);

  it('reads the paths typed from another folder there, as npm run (from the project root) says in INIT_CWD', () => {
    const here = join(dir, 'elsewhere');
    mkdirSync(here, { recursive: true });
    writeFileSync(join(here, 'mine.jsonl'), row('mine'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build-index.ts', '--quiet', '--out', 'out-here', 'mine.jsonl'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, INIT_CWD: here } });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(here, 'out-here', 'manifest.json'))).toBe(true);
    expect(existsSync('out-here')).toBe(false);
  });
});
