/**
 * Old index versions out of a namespace (src/indexer/prune.ts): a prune keeps the live archive
 * (with its deltas), the newest one before it, the editor's settings and the manifest, and
 * deletes every key of older archives and of uploads that never finished; a dry run deletes
 * nothing; the local KV's bulk delete removes rows and value files.
 */
import { readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryKv } from '../../src/indexer/publish';
import { archiveOfSegment, choosePrune, findArchives, keyOfArchive, pruneArchives } from '../../src/indexer/prune';
import { articlesOf, buildEntries, publish } from '../archives';
import { namespaceIdOf, openLocalKv } from '../../scripts/local-kv';
import { parseManifest } from '../../src/core/search/reader';

const row = (id: string, title: string, date: string) =>
  JSON.stringify({ id, title, body: `${title}. نص الخبر الكامل عن ${title} في هذا اليوم.`, date, source: 'bahth', category: 'politics' });

/** Three full builds loaded one after the other (the last is live), a publish on the live one, an unfinished upload and the settings. */
async function namespace(): Promise<{ kv: MemoryKv; archives: string[] }> {
  const kv = new MemoryKv();
  const archives: string[] = [];
  for (let i = 0; i < 3; i++) {
    const entries = await buildEntries([row(`a${i}`, `خبر رقم ${i} عن الاقتصاد`, '2024-01-0' + (i + 1)), row(`b${i}`, `خبر آخر ${i} عن الرياضة`, '2024-02-0' + (i + 1))]);
    for (const e of entries) kv.values.set(e.key, e.value);
    archives.push(parseManifest(kv.values.get('manifest')!).archive);
    await new Promise((r) => setTimeout(r, 5)); // distinct publishedAt
  }
  await publish(kv, { add: await articlesOf([row('c9', 'خبر جديد عن الطقس', '2024-03-01')]) });
  // An upload that stopped before its manifest copy: segment and article keys only.
  kv.values.set('s/deadbeef0001/t/0', 'x');
  kv.values.set('a/deadbeef0001/d/0', 'x');
  kv.values.set('settings/synonyms', 'x');
  return { kv, archives };
}

describe('pruning older archives', () => {
  it('keeps the live archive with its delta, the one before, the settings and the manifest; deletes the rest', async () => {
    const { kv, archives } = await namespace();
    const [oldest, before, live] = archives as [string, string, string];
    expect(new Set(archives).size).toBe(3);
    const liveKeys = [...kv.values.keys()].filter((k) => keyOfArchive(k, live));
    expect(liveKeys.some((k) => k.startsWith(`s/${live}.1.`))).toBe(true);
    const oldKeys = [...kv.values.keys()].filter((k) => keyOfArchive(k, oldest));
    expect(oldKeys.length).toBeGreaterThan(5);
    const size = kv.values.size;

    // Without `unfinished`, an upload with no manifest copy is not looked for (it may be in progress).
    expect((await pruneArchives(kv, { dryRun: true })).dropped.map((a) => a.archive)).toEqual([oldest]);
    const dry = await pruneArchives(kv, { dryRun: true, unfinished: true });
    expect(kv.values.size).toBe(size);
    expect(dry.dropped.map((a) => a.archive).sort()).toEqual([oldest, 'deadbeef0001'].sort());

    const logs: string[] = [];
    const r = await pruneArchives(kv, { log: (m) => logs.push(m), unfinished: true });
    expect(r.keys).toBe(dry.keys);
    expect(r.keys).toBe(oldKeys.length + 2);
    expect(r.kept.map((a) => a.archive)).toEqual([live, before]);
    expect(kv.values.size).toBe(size - r.keys);
    expect([...kv.values.keys()].filter((k) => keyOfArchive(k, oldest) || k.includes('deadbeef0001'))).toEqual([]);
    for (const k of liveKeys) expect(kv.values.has(k)).toBe(true);
    expect([...kv.values.keys()].filter((k) => keyOfArchive(k, before)).length).toBeGreaterThan(5);
    for (const k of ['manifest', 'settings/synonyms']) expect(kv.values.has(k)).toBe(true);
    expect(logs.join('\n')).toMatch(new RegExp(`archive ${oldest} \\(built .*\\): ${oldKeys.length} keys`));
    expect(logs.join('\n')).toMatch(/archive deadbeef0001 \(an upload that never finished\): 2 keys/);

    // Nothing more to do the second time; keeping 2 would have kept the oldest too.
    expect((await pruneArchives(kv)).dropped).toEqual([]);
  });

  it('keeps as many as asked, never fewer than one besides the live archive', async () => {
    const { kv, archives } = await namespace();
    const found = await findArchives(kv);
    const live = parseManifest(kv.values.get('manifest')!);
    expect(choosePrune(found, live, { keep: 2 }).dropped.map((a) => a.archive)).toEqual([]);
    const all = await findArchives(kv, true);
    expect(choosePrune(all, live, { keep: 2 }).dropped.map((a) => a.archive)).toEqual(['deadbeef0001']);
    expect(choosePrune(found, live, { keep: 2 }).kept.map((a) => a.archive)).toEqual([archives[2], archives[1], archives[0]]);
    expect(() => choosePrune(found, live, { keep: 0 })).toThrow(/keep must be a whole number of archives, 1 or more/);
  });

  it('reads a segment id as its archive only with a generation after the dot', () => {
    expect(archiveOfSegment('abc123.4.k2x9')).toBe('abc123');
    expect(archiveOfSegment('abc123.4.k2x9.b')).toBe('abc123');
    expect(archiveOfSegment('abc123')).toBe('abc123');
    expect(keyOfArchive('s/abc.12.q1/t/0', 'abc')).toBe(true);
    expect(keyOfArchive('s/abc.12.q1.m/k', 'abc')).toBe(true);
    expect(keyOfArchive('s/abc.x/t/0', 'abc')).toBe(false);
    expect(keyOfArchive('s/abcd.1.q/t/0', 'abc')).toBe(false);
    expect(keyOfArchive('s/abcd/t/0', 'abc')).toBe(false);
    expect(keyOfArchive('a/abcd/d/0', 'abc')).toBe(false);
    expect(keyOfArchive('m/abc/3', 'abc')).toBe(true);
  });

  it('keeps the archive a switch took out of service over one built later and never switched to', async () => {
    const { kv, archives } = await namespace();
    const [oldest, before] = archives as [string, string, string];
    // The oldest was live last (a rollback, then a deploy); `before` has a copy but no mark
    // (a deploy that stopped before its switch looks the same).
    kv.values.set(`m/${oldest}/left`, new Date().toISOString());
    const r = await pruneArchives(kv, { dryRun: true });
    expect(r.kept.map((a) => a.archive)).toContain(oldest);
    expect(r.dropped.map((a) => a.archive)).toEqual([before]);
    // A mark keeps it even when its manifest copy cannot be read.
    kv.values.set(`m/${oldest}/0`, 'not a manifest');
    expect((await pruneArchives(kv, { dryRun: true })).dropped.map((a) => a.archive)).toEqual([before]);
  });

  it('deletes the manifest copies first, and stops when the live archive changes', async () => {
    const { kv, archives } = await namespace();
    const [oldest, before] = archives as [string, string, string];
    const order: string[] = [];
    const watching = {
      getMany: (k: string[]) => kv.getMany(k),
      list: (p: string) => kv.list(p),
      async deleteMany(k: string[]) {
        order.push(...new Set(k.map((x) => x[0]!)));
        await kv.deleteMany(k);
      },
    };
    await pruneArchives(watching, { keep: 1 });
    expect(order).toEqual(['m', 's', 'a']);
    expect([...kv.values.keys()].some((k) => keyOfArchive(k, oldest))).toBe(false);

    // A rollback to the oldest lands while it is being pruned: stopped after the first batch.
    const { kv: kv2, archives: a2 } = await namespace();
    const copy = kv2.values.get(`m/${a2[0]}/0`)!;
    const racing = {
      getMany: (k: string[]) => kv2.getMany(k),
      list: (p: string) => kv2.list(p),
      async deleteMany(k: string[]) {
        await kv2.deleteMany(k);
        kv2.values.set('manifest', copy);
      },
    };
    await expect(pruneArchives(racing, { keep: 1 })).rejects.toThrow(new RegExp(`the live archive changed \\(${a2[2]} → ${a2[0]}\\) while pruning; stopped with ${a2[0]} partly deleted`));
    expect([...kv2.values.keys()].filter((k) => keyOfArchive(k, a2[0]!) && k.startsWith('s/')).length).toBeGreaterThan(0);
    void before;
  });

  it('refuses a namespace with nothing live', async () => {
    await expect(pruneArchives(new MemoryKv())).rejects.toThrow(/nothing is published yet/);
  });
});

describe('the local KV’s bulk delete', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bahth-prune-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('removes the rows and their value files, and counts them', async () => {
    const kv = await openLocalKv(dir);
    try {
      await kv.putMany(Array.from({ length: 2500 }, (_, i) => ({ key: `k/${String(i).padStart(4, '0')}`, value: 'قيمة'.repeat(10) })));
      await kv.deleteMany([...(await kv.list('k/')).slice(0, 2400), 'k/absent']);
      expect(await kv.list('k/')).toHaveLength(100);
      expect(await kv.get('k/0000')).toBeNull();
      expect(await kv.get('k/2499')).toBe('قيمة'.repeat(10));
      expect(kv.deleted).toEqual({ keys: 2400, bytes: 2400 * Buffer.byteLength('قيمة'.repeat(10)) });
    } finally {
      await kv.close();
    }
    expect(readdirSync(join(dir, 'v3', 'kv', namespaceIdOf('INDEX'), 'blobs'))).toHaveLength(100);
  });
});
