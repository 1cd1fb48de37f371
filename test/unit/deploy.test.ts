/**
 * `npm run deploy` against wrangler's local KV (Cloudflare itself cannot be reached from
 * here): upload, switch, list, roll back, and a dry run that changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/indexer/build-index';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');

const dir = mkdtempSync(join(tmpdir(), 'bahth-deploy-test-'));
const persist = join(dir, 'kv');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function publish(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'scripts/publish.ts', '--local', '--persist-to', persist, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function deploy(...args: string[]) {
  const r = spawnSync('npx', ['tsx', 'scripts/deploy.ts', '--local', '--persist-to', persist, '--no-worker', ...args], { encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run deploy --dry-run against Cloudflare, with no token', () => {
  it('prints every step, names what each remote one needs, and exits 0', () => {
    const env = { ...process.env };
    delete env.CLOUDFLARE_API_TOKEN;
    const r = spawnSync('npx', ['tsx', 'scripts/deploy.ts', '--dry-run', 'seeds'], { encoding: 'utf8', timeout: 180_000, env });
    expect(r.status, r.stderr).toBe(0);
    const steps = r.stdout.split('\n').filter((l) => /^\d+\. /.test(l));
    expect(steps[0]).toMatch(/^1\. build the index of seeds: version [0-9a-f]{12}/);
    expect(steps.slice(1).every((l) => l.includes('[needs CLOUDFLARE_API_TOKEN and the INDEX namespace id in wrangler.toml]'))).toBe(true);
    expect(r.stdout).toMatch(/would read: npx wrangler kv key list --binding INDEX --prefix m\/ --remote/);
    expect(r.stdout).toMatch(/would run: npx wrangler kv bulk put .*part-0001\.json --binding INDEX --remote/);
    expect(r.stdout).toMatch(/would run: npx wrangler deploy --var RATE_LIMIT:on/);
    // The Worker first, then the switch: a new Worker reads the live format, an old one not the new.
    expect(steps.findIndex((l) => l.includes('wrangler deploy'))).toBeLessThan(steps.findIndex((l) => l.includes('switch.json')));
    expect(r.stdout).toContain(`Steps 2-${steps.length} need CLOUDFLARE_API_TOKEN and the INDEX namespace id in wrangler.toml:`);
    expect(r.stderr).not.toMatch(/ERROR|✘/);
  }, 180_000);
});

describe('npm run deploy --dry-run --skip-build', () => {
  it('plans the upload of the dist/ there is, reading it and changing nothing', async () => {
    const here = join(dir, 'project');
    mkdirSync(here);
    copyFileSync('wrangler.toml', join(here, 'wrangler.toml'));
    const built = await buildIndex({ inputs: ['seeds'], outDir: join(here, 'dist') });
    const env = { ...process.env };
    delete env.CLOUDFLARE_API_TOKEN;
    const run = () => spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'scripts/deploy.ts'), '--dry-run', '--skip-build'], { cwd: here, encoding: 'utf8', timeout: 60_000, env });
    const r = run();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`would run: npx wrangler kv bulk put ${join(here, 'dist', 'kv', 'part-0001.json').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --binding INDEX --remote`));
    expect(r.stderr).toContain(`→ ${built.version}`);
    // Without a build there, it says where it looked.
    rmSync(join(here, 'dist'), { recursive: true });
    const none = run();
    expect(none.status).toBe(1);
    expect(none.stderr).toContain(`--skip-build: no ${join(here, 'dist', 'manifest.json')}; build first`);
  }, 60_000);
});

describe('npm run deploy (local KV)', () => {
  it('a dry run prints the steps and writes nothing', () => {
    const r = deploy('--dry-run', 'seeds');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/would run: npx wrangler kv bulk put .*part-0001\.json --binding INDEX --local/);
    expect(r.out).toMatch(/would run: .*switch\.json/);
    expect(deploy('--list').out).toContain('no index versions');
  }, 180_000);

  it('uploads a version, switches to a newer one, lists both, and rolls back', () => {
    const first = deploy('seeds');
    expect(first.status, first.err).toBe(0);
    const v1 = /→ ([0-9a-f]{12})/.exec(first.err)![1]!;
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, JSON.stringify({ id: 'x1', title: 'خبر تجريبي', body: 'نص الخبر التجريبي', date: '2025-01-01' }));
    const second = deploy(other);
    expect(second.status, second.err).toBe(0);
    const v2 = /→ ([0-9a-f]{12})/.exec(second.err)![1]!;
    expect(v2).not.toBe(v1);
    expect(second.err).toContain(`--rollback ${v1}`);

    const listed = deploy('--list').out;
    expect(listed).toContain(v1);
    expect(listed).toContain(`${v2}  (live)`);

    const back = deploy('--rollback', v1);
    expect(back.status, back.err).toBe(0);
    expect(deploy('--list').out).toContain(`${v1}  (live)`);

    const missing = deploy('--rollback', 'deadbeef0000');
    expect(missing.status).toBe(1);
    expect(missing.err).toContain('not in the namespace');

    // A third version while v1 is live (after the rollback): v1 was live last, so a prune keeps
    // it, though v2 was built after it, and deletes v2.
    writeFileSync(other, JSON.stringify({ id: 'x2', title: 'خبر تجريبي ثالث', body: 'نص الخبر الثالث', date: '2025-01-02' }));
    const third = deploy(other);
    expect(third.status, third.err).toBe(0);
    const v3 = /→ ([0-9a-f]{12})/.exec(third.err)![1]!;
    expect(third.err).toMatch(/2 older index archives are still in the namespace; .*npm run publish -- --prune --local/);
    const dry = publish('--prune', '--dry-run');
    expect(dry.status, dry.err).toBe(0);
    expect(dry.out).toMatch(new RegExp(`prune: would delete 1 archive\\(s\\) \\(${v2}\\): \\d+ key deletes`));
    expect(deploy('--list').out).toContain(v2);
    const pruned = publish('--prune');
    expect(pruned.status, pruned.err).toBe(0);
    expect(pruned.err).toContain(`prune: kept ${v3} (live), ${v1}`);
    const left = deploy('--list').out;
    expect(left).toContain(`${v3}  (live)`);
    expect(left).toContain(v1);
    expect(left).not.toContain(v2);
    expect(publish('--prune').out).toContain('no older index versions to delete');
    expect(deploy('--rollback', v1).status).toBe(0);
  }, 420_000);
});
