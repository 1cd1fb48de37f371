/**
 * The local KV module: what it writes in bulk is what Miniflare's KV API (and so `wrangler dev`)
 * reads, in the folder layout wrangler uses; a build loads parts first and the switch last; and
 * a running `wrangler dev` sees keys written while it serves.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIndex } from '../../src/indexer/build-index';
import { fillKv, isLive, OFFLINE_ENV, readBuilt, startFillThread } from '../../scripts/kv-load';
import { namespaceIdOf, openLocalKv, type KvEntry } from '../../scripts/local-kv';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bahth-local-kv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads a persist folder the way wrangler dev does: Miniflare's KV API on <dir>/v3. */
async function readAsWrangler<T>(persistTo: string, read: (kv: Awaited<ReturnType<Miniflare['getKVNamespace']>>) => Promise<T>): Promise<T> {
  const mf = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response(null, { status: 404 }) } }',
    defaultPersistRoot: join(persistTo, 'v3'),
    kvNamespaces: { INDEX: namespaceIdOf('INDEX') },
  });
  try {
    return await read(await mf.getKVNamespace('INDEX'));
  } finally {
    await mf.dispose();
  }
}

const entries = (n: number, prefix = 'k/'): KvEntry[] =>
  Array.from({ length: n }, (_, i) => ({ key: `${prefix}${String(i).padStart(5, '0')}`, value: `قيمة ${i} ${'ب'.repeat(i % 50)}` }));

describe('openLocalKv', () => {
  it('writes in bulk, in batches, what Miniflare’s KV API reads back from the same folder', async () => {
    const persist = join(dir, 'bulk');
    const kv = await openLocalKv(persist);
    const seen: number[] = [];
    const all = entries(4500);
    try {
      expect(kv.writePath).toBe('bulk');
      const done = await kv.putMany(all, (p) => seen.push(p.keys));
      expect(done.keys).toBe(4500);
      expect(done.bytes).toBe(all.reduce((n, e) => n + Buffer.byteLength(e.key) + Buffer.byteLength(e.value), 0));
      expect(seen).toEqual([2000, 4000, 4500]);
      expect(await kv.get('k/04499')).toBe(all[4499]!.value);
    } finally {
      await kv.close();
    }
    const back = await readAsWrangler(persist, async (api) => ({
      first: await api.get('k/00000'),
      last: await api.get('k/04499'),
      listed: (await api.list({ prefix: 'k/0449' })).keys.map((k) => k.name),
      probe: await api.get('__bahth_local_kv_probe__'),
    }));
    expect(back).toEqual({ first: all[0]!.value, last: all[4499]!.value, listed: all.slice(4490).map((e) => e.key), probe: null });
  });

  it('replaces a key and removes the value file it replaced', async () => {
    const persist = join(dir, 'replace');
    const kv = await openLocalKv(persist);
    try {
      await kv.putMany([{ key: 'a', value: '1' }, { key: 'b', value: '2' }]);
      await kv.putMany([{ key: 'a', value: '3' }]);
      expect(await kv.get('a')).toBe('3');
      expect(await kv.list()).toEqual(['a', 'b']);
      expect(await kv.list('b')).toEqual(['b']);
    } finally {
      await kv.close();
    }
    expect(readdirSync(join(persist, 'v3', 'kv', namespaceIdOf('INDEX'), 'blobs'))).toHaveLength(2);
  });

  it('writes the same through Miniflare’s KV API when asked to', async () => {
    const persist = join(dir, 'api');
    const kv = await openLocalKv(persist, { writePath: 'api' });
    try {
      expect(kv.writePath).toBe('api');
      expect((await kv.putMany(entries(30))).keys).toBe(30);
    } finally {
      await kv.close();
    }
    expect(await readAsWrangler(persist, (api) => api.get('k/00029'))).toBe(entries(30)[29]!.value);
  });

  it('rejects an entry without a string value instead of writing half a batch', async () => {
    const kv = await openLocalKv(join(dir, 'bad'));
    try {
      await expect(kv.putMany([{ key: 'ok', value: 'v' }, { key: 'bad', value: 7 as unknown as string }])).rejects.toThrow(/string value/);
      expect(await kv.get('ok')).toBeNull();
    } finally {
      await kv.close();
    }
  });
});

describe('namespaceIdOf', () => {
  it('reads the id of a binding from wrangler.toml, as wrangler dev uses it', () => {
    const toml = '[[kv_namespaces]]\nbinding = "OTHER"\nid = "aaa"\n\n[[kv_namespaces]]\nbinding = "INDEX"\nid = "bbb"\n\n[vars]\nX = "1"\n';
    expect(namespaceIdOf('INDEX', toml)).toBe('bbb');
    expect(namespaceIdOf('OTHER', toml)).toBe('aaa');
    expect(() => namespaceIdOf('NONE', toml)).toThrow(/no \[\[kv_namespaces\]\] with binding = "NONE"/);
  });
});

describe('loading a build', () => {
  it('is live once filled, and no longer once another version is switched in', async () => {
    const dist = join(dir, 'seeds-dist');
    await buildIndex({ inputs: [join(ROOT, 'seeds')], outDir: dist });
    const built = readBuilt(dist);
    const kv = await openLocalKv(join(dir, 'seeds-state'));
    try {
      expect(await isLive(kv, built)).toBe(false);
      const done = await fillKv(kv, built);
      expect(done.keys).toBe((await kv.list()).length);
      expect(await isLive(kv, built)).toBe(true);
      await kv.putMany([{ key: 'manifest', value: '{"version":"other"}' }]);
      expect(await isLive(kv, built)).toBe(false);
    } finally {
      await kv.close();
    }
  });
});

describe('a fill beside the build', () => {
  it('loads each bulk file as the build completes it, the switch once the build is done', async () => {
    const persist = join(dir, 'thread-state');
    const handed: string[] = [];
    const fill = startFillThread(persist);
    const summary = await buildIndex({
      inputs: [join(ROOT, 'seeds')],
      outDir: join(dir, 'thread-dist'),
      segmentSize: 3,
      onBulkFile: (f) => {
        handed.push(f);
        fill.addPart(f);
      },
    });
    const built = readBuilt(join(dir, 'thread-dist'));
    expect(handed.length).toBe(built.parts.length);
    expect(handed.every((f) => f.includes('.building-'))).toBe(true);
    const done = await fill.finish(built.switchFile, built.parts.length);
    expect(done.keys).toBe(summary.keys);
    const kv = await openLocalKv(persist);
    try {
      expect(await isLive(kv, built)).toBe(true);
    } finally {
      await kv.close();
    }
  });

  it('never writes the switch when a bulk file went missing', async () => {
    const persist = join(dir, 'thread-missing');
    const built = readBuilt(join(dir, 'thread-dist'));
    const fill = startFillThread(persist);
    await expect(fill.finish(built.switchFile, built.parts.length)).rejects.toThrow(/made 1 bulk files but handed over 0/);
    const kv = await openLocalKv(persist);
    try {
      expect(await isLive(kv, built)).toBe(false);
    } finally {
      await kv.close();
    }
  });
});

/** A free loopback port. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function health(port: number, dev: ChildProcess, output: string[]): Promise<{ index: { version: string } }> {
  for (let i = 0; i < 300; i++) {
    if (dev.exitCode !== null) throw new Error(`wrangler dev exited: ${output.join('').slice(-2000)}`);
    const res = await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined);
    if (res?.ok) return (await res.json()) as { index: { version: string } };
    await res?.arrayBuffer();
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no /health from wrangler dev: ${output.join('').slice(-2000)}`);
}

describe('writes while wrangler dev serves the folder', () => {
  it('are seen by the running Worker on its next KV read', async () => {
    const persist = join(dir, 'live-state');
    const a = join(dir, 'live-a');
    const b = join(dir, 'live-b');
    const other = join(dir, 'other.jsonl');
    writeFileSync(other, JSON.stringify({ id: 'x1', title: 'خبر تجريبي جديد', body: 'نص الخبر التجريبي الجديد', date: '2025-01-01' }) + '\n');
    await buildIndex({ inputs: [join(ROOT, 'seeds')], outDir: a });
    await buildIndex({ inputs: [other], outDir: b });

    let kv = await openLocalKv(persist);
    await fillKv(kv, readBuilt(a)).finally(() => kv.close());

    const port = await freePort();
    const output: string[] = [];
    // MANIFEST_TTL_MS 0: the Worker reads the manifest key on every request (it caches it 30 s by default).
    const dev = spawn(process.execPath, [join(ROOT, 'node_modules/wrangler/bin/wrangler.js'), 'dev', '--persist-to', persist, '--port', String(port), '--ip', '127.0.0.1', '--var', 'MANIFEST_TTL_MS:0'], {
      cwd: ROOT,
      env: { ...process.env, ...OFFLINE_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    dev.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    dev.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    try {
      expect((await health(port, dev, output)).index.version).toBe(readBuilt(a).version);
      kv = await openLocalKv(persist);
      await fillKv(kv, readBuilt(b)).finally(() => kv.close());
      expect((await health(port, dev, output)).index.version).toBe(readBuilt(b).version);
    } finally {
      try {
        process.kill(-dev.pid!, 'SIGINT');
      } catch {
        // already gone
      }
      await new Promise((r) => (dev.exitCode !== null ? r(null) : dev.once('exit', r)));
    }
  }, 120_000);
});
