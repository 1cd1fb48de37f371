/** The eval's kept baseline answers (scripts/eval/peer-cache.ts): read back only for the same adapter, package, inputs and queries. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPeer, peerKey, savePeer, type PeerKey } from '../../scripts/eval/peer-cache';

const dir = mkdtempSync(join(tmpdir(), 'bahth-peers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kept baseline answers', () => {
  const adapter = join(dir, 'adapter.ts');
  const input = join(dir, 'docs.jsonl');
  writeFileSync(adapter, 'export const OPTIONS = { fuzzy: 0.2 };\n');
  writeFileSync(input, '{"id":"a","title":"بوتين"}\n');
  const base: PeerKey = { system: 'MiniSearch', adapter: [pathToFileURL(adapter)], version: '7.2.0', inputs: [input], queries: { known: ['بوتين', 'ترامب'] } };

  it('are keyed by everything the answers depend on', () => {
    const k = peerKey(base);
    expect(peerKey(base)).toBe(k);
    expect(peerKey({ ...base, version: '7.3.0' })).not.toBe(k);
    expect(peerKey({ ...base, queries: { known: ['بوتين', 'ماكرون'] } })).not.toBe(k);
    expect(peerKey({ ...base, system: 'FlexSearch' })).not.toBe(k);
    writeFileSync(input, '{"id":"a","title":"بوتين"}\n{"id":"b","title":"ترامب"}\n');
    const afterInput = peerKey(base);
    expect(afterInput).not.toBe(k);
    writeFileSync(adapter, 'export const OPTIONS = { fuzzy: 0.3 };\n');
    expect(peerKey(base)).not.toBe(afterInput);
  });

  it('read back whole, and not at all for another key or a damaged file', () => {
    const k = peerKey(base);
    expect(loadPeer(dir, 'MiniSearch', k)).toBeUndefined();
    savePeer(dir, 'MiniSearch', k, { known: [['a', 'b']], personTop: [['بوتين', 'a']] });
    const kept = loadPeer<{ known: string[][] }>(dir, 'MiniSearch', k)!;
    expect(kept.result.known).toEqual([['a', 'b']]);
    expect(Date.parse(kept.measuredAt)).toBeGreaterThan(0);
    expect(loadPeer(dir, 'MiniSearch', `${k.slice(0, -1)}${k.endsWith('0') ? '1' : '0'}`)).toBeUndefined();
    writeFileSync(join(dir, `peer-MiniSearch-${k}.json`), '{"measuredAt":"2026-');
    expect(loadPeer(dir, 'MiniSearch', k)).toBeUndefined();
  });
});
