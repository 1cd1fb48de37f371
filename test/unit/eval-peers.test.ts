/** The eval's kept baseline answers (scripts/eval/peer-cache.ts): read back only for the same adapter, package, inputs and queries. */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { answersKey, loadAnswers, loadPeer, peerKey, saveAnswers, savePeer, shipAnswers, shippedAnswers, type AnswersKey, type PeerKey } from '../../scripts/eval/peer-cache';

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

describe('kept answers per query', () => {
  const adapter = join(dir, 'adapter2.ts');
  const input = join(dir, 'docs2.jsonl');
  writeFileSync(adapter, 'export const OPTIONS = { fuzzy: 0.2 };\n');
  writeFileSync(input, '{"id":"a","title":"بوتين"}\n');
  const base: AnswersKey = { system: 'MiniSearch', adapter: [pathToFileURL(adapter)], version: '7.2.0', inputs: [input] };

  it('are keyed by the adapter, the package and the inputs, not by the queries asked', () => {
    const k = answersKey(base);
    expect(answersKey(base)).toBe(k);
    expect(answersKey({ ...base, version: '7.3.0' })).not.toBe(k);
    expect(answersKey({ ...base, system: 'FlexSearch' })).not.toBe(k);
    expect(answersKey(base)).not.toBe(peerKey({ ...base, queries: {} }));
    writeFileSync(input, '{"id":"a","title":"بوتين"}\n{"id":"b","title":"ترامب"}\n');
    const afterInput = answersKey(base);
    expect(afterInput).not.toBe(k);
    writeFileSync(adapter, 'export const OPTIONS = { fuzzy: 0.3 };\n');
    expect(answersKey(base)).not.toBe(afterInput);
  });

  it('are read back with their times, and an empty book for another key or a damaged file', () => {
    const k = answersKey(base);
    expect(loadAnswers(dir, 'MiniSearch', k).answers).toEqual({});
    saveAnswers(dir, 'MiniSearch', k, { measuredAt: '2026-12-06T21:00:00.000Z', indexSeconds: 12, answers: { بوتين: [['a', 'b'], 1.5] } });
    const kept = loadAnswers(dir, 'MiniSearch', k);
    expect(kept.answers['بوتين']).toEqual([['a', 'b'], 1.5]);
    expect(kept.indexSeconds).toBe(12);
    expect(loadAnswers(dir, 'FlexSearch', k).answers).toEqual({});
    writeFileSync(join(dir, `answers-MiniSearch-${k}.json`), '{"measuredAt":"2026-');
    expect(loadAnswers(dir, 'MiniSearch', k).answers).toEqual({});
    writeFileSync(join(dir, `answers-MiniSearch-${k}.json`), 'null');
    expect(loadAnswers(dir, 'MiniSearch', k).answers).toEqual({});
  });
});

describe('answers shipped with the repository', () => {
  const shipped = mkdtempSync(join(tmpdir(), 'bahth-shipped-'));
  afterAll(() => rmSync(shipped, { recursive: true, force: true }));
  const key = 'a'.repeat(24);
  const book = { measuredAt: '2026-12-06T22:00:00.000Z', indexSeconds: 28, answers: { بوتين: [['a', 'b'], 170] as [string[], number] } };

  it('are read back for their key only, and one book a peer is kept', () => {
    expect(shippedAnswers(shipped, 'MiniSearch', key)).toBeUndefined();
    const file = shipAnswers(shipped, 'MiniSearch', key, book);
    expect(file.endsWith(`answers-MiniSearch-${key}.json.gz`)).toBe(true);
    expect(shippedAnswers(shipped, 'MiniSearch', key)).toEqual(book);
    expect(shippedAnswers(shipped, 'MiniSearch', 'b'.repeat(24))).toBeUndefined();
    expect(shippedAnswers(shipped, 'FlexSearch', key)).toBeUndefined();
    // A new key replaces the peer's book; another peer's stays.
    shipAnswers(shipped, 'FlexSearch', key, book);
    shipAnswers(shipped, 'MiniSearch', 'b'.repeat(24), book);
    expect(readdirSync(shipped).sort()).toEqual([`answers-FlexSearch-${key}.json.gz`, `answers-MiniSearch-${'b'.repeat(24)}.json.gz`]);
  });

  it('are not read when damaged', () => {
    writeFileSync(join(shipped, `answers-Lucene-BM25-${key}.json.gz`), 'not gzip');
    expect(shippedAnswers(shipped, 'Lucene BM25', key)).toBeUndefined();
  });
});
