/**
 * Search analytics in workerd: the data points a request writes, seen through a recording binding
 * given to the Worker in place of the Analytics Engine dataset (the local one keeps nothing), and
 * the hit-opened beacon's validation and rate limit. Nothing written may identify a reader.
 */
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../src/worker/index';
import { loadSeedIndex } from './helpers';

beforeAll(loadSeedIndex);
afterEach(() => vi.restoreAllMocks());

/** A dataset binding that keeps what is written. */
function recorder(): AnalyticsEngineDataset & { points: AnalyticsEngineDataPoint[] } {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, writeDataPoint: (p?: AnalyticsEngineDataPoint) => { if (p) points.push(structuredClone(p)); } };
}

/** Calls the Worker with the recorder (and any other settings), and waits for its after-response work. */
async function ask(path: string, init: RequestInit & { vars?: Record<string, string> } = {}) {
  const dataset = recorder();
  const pending: Promise<unknown>[] = [];
  const ctx = { waitUntil: (p: Promise<unknown>) => pending.push(p), passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  const { vars, ...rest } = init;
  const res = await worker.fetch(new Request(`http://bahth.test${path}`, rest), { ...env, SEARCH_EVENTS: dataset, ...vars }, ctx);
  const text = await res.text();
  await Promise.all(pending);
  return { res, text, points: dataset.points };
}

/** A client with its own address (the beacon's rate limit counts per client). */
let client = 0;
const from = () => ({ 'cf-connecting-ip': `198.51.100.${++client}`, 'user-agent': 'Mozilla/5.0 (reader)' });

const click = (body: unknown, headers: Record<string, string> = from(), vars?: Record<string, string>) =>
  ask('/clicks', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers }, vars });

describe('a search writes one data point', () => {
  it('with the normalized query, the result count, not corrected, the latency, the page and the index version', async () => {
    const { res, text, points } = await ask('/search?q=%D8%A8%D9%8F%D9%88%D8%AA%D9%8A%D9%86%20%20%D9%88%D8%A7%D9%84%D8%B5%D9%8A%D9%86&limit=2&offset=2', { headers: from() });
    expect(res.status).toBe(200);
    const body = JSON.parse(text) as { total: number; index: string };
    expect(points).toHaveLength(1);
    const [p] = points;
    expect(p!.indexes).toEqual(['بوتين والصين']);
    expect(p!.blobs).toEqual(['search', 'بوتين والصين', body.index, '', 'fresh', '', '', '']);
    const [results, corrected, latency, page, position] = p!.doubles!;
    expect(results).toBe(body.total);
    expect(results).toBeGreaterThan(0);
    expect(corrected).toBe(0);
    expect(latency).toBeGreaterThanOrEqual(0);
    expect(page).toBe(2);
    expect(position).toBe(0);
  });

  it('says when the hits are those of a correction, and which', async () => {
    const { text, points } = await ask(`/search?q=${encodeURIComponent('فلاديمر بوتين')}`);
    const body = JSON.parse(text) as { corrected?: boolean; didYouMean?: string };
    expect(body.corrected).toBe(true);
    expect(points[0]!.doubles![1]).toBe(1);
    expect(points[0]!.blobs![5]).toBe(body.didYouMean);
  });

  it('names the words no article holds (none corrected), normalized, from a fresh answer and an edge copy alike', async () => {
    const q = `/search?q=${encodeURIComponent('بُوتين ظغثقفخ')}&limit=4`;
    const fresh = await ask(q);
    expect((JSON.parse(fresh.text) as { unmatched?: string[] }).unmatched).toEqual(['ظغثقفخ']);
    expect(fresh.points[0]!.blobs![6]).toBe('ظغثقفخ');
    expect(fresh.points[0]!.doubles![0]).toBeGreaterThan(0);
    for (let i = 0; i < 50; i++) {
      const { res, points } = await ask(q);
      if (res.headers.get('x-bahth-cache') !== 'hit') continue;
      expect(points[0]!.blobs![6]).toBe('ظغثقفخ');
      return;
    }
    throw new Error('the edge cache never answered');
  });

  it('names the query a word being typed was completed to, and none for a word finished', async () => {
    const typing = await ask(`/search?q=${encodeURIComponent('بوتين الكرم')}&prefix=true`);
    expect((JSON.parse(typing.text) as { completed?: string }).completed).toBe('بوتين الكرملين');
    expect(typing.points[0]!.blobs![1]).toBe('بوتين الكرم');
    expect(typing.points[0]!.blobs![7]).toBe('بوتين الكرملين');
    // From an edge copy alike.
    for (let i = 0; i < 50; i++) {
      const { res, points } = await ask(`/search?q=${encodeURIComponent('بوتين الكرم')}&prefix=true`);
      if (res.headers.get('x-bahth-cache') !== 'hit') continue;
      expect(points[0]!.blobs![7]).toBe('بوتين الكرملين');
      // A space after the word: finished, searched as typed.
      for (const q of ['بوتين الكرم ', 'بوتين الكرملين']) expect((await ask(`/search?q=${encodeURIComponent(q)}&prefix=true`)).points[0]!.blobs![7]).toBe('');
      return;
    }
    throw new Error('the edge cache never answered');
  });

  it('counts a search that found nothing as 0 results, and a 304 with its results unknown (-1)', async () => {
    const none = await ask(`/search?q=${encodeURIComponent('زززززز')}&correct=false`);
    expect(none.points[0]!.doubles![0]).toBe(0);
    const first = await ask(`/search?q=${encodeURIComponent('الصين')}`);
    const again = await ask(`/search?q=${encodeURIComponent('الصين')}`, { headers: { 'if-none-match': first.res.headers.get('etag')! } });
    expect(again.res.status).toBe(304);
    expect(again.points).toHaveLength(1);
    expect(again.points[0]!.blobs![4]).toBe('not-modified');
    expect(again.points[0]!.doubles![0]).toBe(-1);
  });

  it('counts an answer from the edge cache with the results its body holds', async () => {
    const q = `/search?q=${encodeURIComponent('أوكرانيا')}&limit=3`;
    const first = await ask(q);
    const total = (JSON.parse(first.text) as { total: number }).total;
    for (let i = 0; i < 50; i++) {
      const { res, points } = await ask(q);
      if (res.headers.get('x-bahth-cache') !== 'hit') continue;
      expect(points).toHaveLength(1);
      expect(points[0]!.blobs![4]).toBe('edge');
      expect(points[0]!.doubles![0]).toBe(total);
      return;
    }
    throw new Error('the edge cache never answered');
  });

  it('writes no address, agent, cookie or other header of the reader', async () => {
    const { points } = await ask('/search?q=test', { headers: { 'cf-connecting-ip': '203.0.113.77', 'x-real-ip': '203.0.113.78', 'user-agent': 'UniqueAgent/9.9', cookie: 'session=s3cr3t', referer: 'https://reader.example/page' } });
    const written = JSON.stringify(points);
    for (const secret of ['203.0.113', 'UniqueAgent', 's3cr3t', 'reader.example']) expect(written).not.toContain(secret);
    // Every value is one of the documented ones: no room for more.
    expect(points[0]!.blobs).toHaveLength(8);
    expect(points[0]!.doubles).toHaveLength(5);
  });

  it('writes nothing when ANALYTICS is off, and also prints it when ANALYTICS is log', async () => {
    expect((await ask('/search?q=test', { vars: { ANALYTICS: 'off' } })).points).toEqual([]);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { points } = await ask('/search?q=test', { vars: { ANALYTICS: 'log' } });
    expect(points).toHaveLength(1);
    expect(log).toHaveBeenCalledWith(`bahth analytics: ${JSON.stringify(points[0])}`);
  });

  it('records a search typed with operators as the search reads it: NOT as a minus, | as OR, AND left out', async () => {
    const key = async (q: string) => (await ask(`/search?q=${encodeURIComponent(q)}`)).points[0]!.blobs![1];
    expect(await key('بوتين NOT "الكرملين"')).toBe('بوتين -"الكرملين"');
    expect(await key('بوتين -«الكرملين»')).toBe('بوتين -"الكرملين"');
    expect(await key('بوتين | الكرملين')).toBe('بوتين OR الكرملين');
    expect(await key('بوتين AND الكرملين')).toBe('بوتين الكرملين');
    // OR that joins nothing is nothing to the search; or in lower case, or first, is a word.
    expect(await key('بوتين OR -الكرملين')).toBe('بوتين -الكرملين');
    expect(await key('OR بوتين or')).toBe('or بوتين or');
  });

  it('records a query with no word to normalize as sent, never as an empty index', async () => {
    const { points } = await ask(`/search?q=${encodeURIComponent(' ؟؟ ')}`);
    expect(points[0]!.indexes).toEqual(['؟؟']);
    expect(points[0]!.blobs![1]).toBe('؟؟');
  });

  it('writes nothing for a bad request', async () => {
    expect((await ask('/search?q=')).points).toEqual([]);
    expect((await ask('/search?q=x&limit=0')).points).toEqual([]);
  });

  it('counts no HEAD (a monitor\'s probe), fresh or cached', async () => {
    const path = `/search?q=${encodeURIComponent('الكرملين')}`;
    const head = await ask(path, { method: 'HEAD', headers: from() });
    expect(head.res.status).toBe(200);
    expect(head.points).toEqual([]);
    const etag = (await ask(path, { headers: from() })).res.headers.get('etag')!;
    expect((await ask(path, { method: 'HEAD', headers: { ...from(), 'if-none-match': etag } })).points).toEqual([]);
  });
});

describe('POST /clicks', () => {
  it('records the hit opened: the query normalized, the article, its position, the index version', async () => {
    const { res, points } = await click({ q: 'بُوتين', id: '001-8a7ac69372d375fc', position: 2 });
    expect(res.status).toBe(204);
    const version = (JSON.parse((await ask('/health')).text) as { index: { version: string } }).index.version;
    expect(points).toEqual([{ indexes: ['بوتين'], blobs: ['click', 'بوتين', version, '001-8a7ac69372d375fc', '', '', '', ''], doubles: [0, 0, 0, 1, 2] }]);
    const paged = await click({ q: 'بوتين', id: '001-8a7ac69372d375fc', position: 1, page: 3 }, from(), undefined);
    expect(paged.points[0]!.doubles).toEqual([0, 0, 0, 3, 1]);
  });

  it.each([
    ['not JSON', 'q=x&id=y', 'body'],
    ['a JSON array', '[1]', 'body'],
    ['no query', { id: '001-8a7ac69372d375fc', position: 1 }, 'q'],
    ['a blank query', { q: '  ', id: '001-8a7ac69372d375fc', position: 1 }, 'q'],
    ['a query too long', { q: 'ب'.repeat(257), id: '001-8a7ac69372d375fc', position: 1 }, 'q'],
    ['a query with a control character', { q: 'ب\u0000ت', id: '001-8a7ac69372d375fc', position: 1 }, 'q'],
    ['a query with half a character', { q: 'ب\ud800', id: '001-8a7ac69372d375fc', position: 1 }, 'q'],
    ['an id that cannot be one', { q: 'x', id: '<script>', position: 1 }, 'id'],
    ['an article the archive does not have', { q: 'x', id: 'no-such-article', position: 1 }, 'id'],
    ['position 0', { q: 'x', id: '001-8a7ac69372d375fc', position: 0 }, 'position'],
    ['position 51', { q: 'x', id: '001-8a7ac69372d375fc', position: 51 }, 'position'],
    ['a fractional position', { q: 'x', id: '001-8a7ac69372d375fc', position: 1.5 }, 'position'],
    ['a position as text', { q: 'x', id: '001-8a7ac69372d375fc', position: '1' }, 'position'],
    ['page 0', { q: 'x', id: '001-8a7ac69372d375fc', position: 1, page: 0 }, 'page'],
    ['a field of its own', { q: 'x', id: '001-8a7ac69372d375fc', position: 1, user: 'u-123' }, 'user'],
    ['a body over 2 KB', { q: 'x', id: '001-8a7ac69372d375fc', position: 1, pad: 'x'.repeat(3000) }, 'body'],
  ])('answers 400 to %s, naming what is wrong, and writes nothing', async (_what, body, parameter) => {
    const { res, text, points } = await click(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((JSON.parse(text) as { parameter: string }).parameter).toBe(parameter);
    expect(points).toEqual([]);
  });

  it('counts a query as /search does, without the spaces around it', async () => {
    const { res } = await click({ q: ` ${'ب'.repeat(256)}  `, id: '001-8a7ac69372d375fc', position: 1 });
    expect(res.status).toBe(204);
  });

  it('answers 400 to a body that is not UTF-8, and writes nothing', async () => {
    const { res, points } = await ask('/clicks', { method: 'POST', body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: from() });
    expect(res.status).toBe(400);
    expect(points).toEqual([]);
  });

  it('limits each client to 30 beacons a minute: then 429, and nothing more written', async () => {
    const me = from();
    const ok = { q: 'بوتين', id: '001-8a7ac69372d375fc', position: 1 };
    let written = 0;
    let limited: Awaited<ReturnType<typeof click>> | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const r = await click(ok, me);
      written += r.points.length;
      if (r.res.status === 429) limited = r;
      else expect(r.res.status).toBe(204);
    }
    expect(limited?.res.headers.get('retry-after')).toBe('60');
    expect(limited?.points).toEqual([]);
    expect(written).toBe(30);
    expect((await click(ok)).res.status).toBe(204); // another client
  });

  it('accepts a beacon and writes nothing when ANALYTICS is off', async () => {
    const { res, points } = await click({ q: 'x', id: '001-8a7ac69372d375fc', position: 1 }, from(), { ANALYTICS: 'off' });
    expect(res.status).toBe(204);
    expect(points).toEqual([]);
  });

  it('takes POST only (405 naming it), and lets any origin send it', async () => {
    const get = await ask('/clicks');
    expect(get.res.status).toBe(405);
    expect(get.res.headers.get('allow')).toBe('POST, OPTIONS');
    const pre = await ask('/clicks', { method: 'OPTIONS', headers: { origin: 'https://news.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    expect(pre.res.status).toBe(204);
    expect(pre.res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(pre.res.headers.get('access-control-allow-origin')).toBe('*');
  });
});
