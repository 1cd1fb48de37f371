import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import worker from '../../src/worker/index';
import { shardOf } from '../../src/core/format/hash';
import { normalize, stem } from '../../src/core/analyzer/index';
import { ANALYZER_VERSION } from '../../src/core/analyzer/version';
import { keys, sealValue, unsealValue } from '../../src/core/format/layout';
import { versionOf, type ArchiveManifest } from '../../src/core/format/manifest';
import { parseManifest } from '../../src/core/search/reader';
import { call, getJson, loadSeedIndex, q, type Result } from './helpers';
import { KvSource } from '../../src/worker/kv-source';

/** An analyzer other than this code's, as an index built before an upgrade names it. */
const OTHER_ANALYZER = `${ANALYZER_VERSION}-before`;

let raw: string;
let live: ArchiveManifest & { version: string };

beforeAll(async () => {
  await loadSeedIndex();
  raw = (await env.INDEX.get('manifest'))!;
  const m = parseManifest(raw);
  live = { ...m, version: versionOf(m) };
});

/** The KV key of the base shard that holds a query word's stem. */
const shardKeyOf = (stem: string) => keys.shard(live.segments[0]!.id, shardOf(stem, live.segments[0]!.shardBits));
/** A manifest value as a publish would write it. */
const manifestValue = (m: ArchiveManifest) => sealValue(JSON.stringify(m));

const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

beforeEach(() => {
  vi.restoreAllMocks();
});

describe('faults in KV: a clear 503, a log line, and recovery on the next request', () => {
  // Each case damages a shard no earlier request has loaded (a loaded shard is served from
  // the isolate's memory, rightly, whatever KV holds now).
  it.each([
    ['a value that fails its checksum', 'الصين', (v: string) => v.slice(0, 20) + (v[20] === 'x' ? 'y' : 'x') + v.slice(21)],
    ['a truncated value (fails its checksum too)', 'سوريا', (v: string) => v.slice(0, Math.floor(v.length / 2))],
  ])('%s', async (_name, word, damage) => {
    const key = shardKeyOf(stem(normalize(word)));
    expect(key === shardKeyOf('صين') && word !== 'الصين').toBe(false);
    const good = (await env.INDEX.get(key))!;
    await env.INDEX.put(key, damage(good));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    // (each case its own URL: a good answer of the same URL may sit in the edge cache, rightly)
    const res = await call(q(word, '&facets=0')).finally(() => env.INDEX.put(key, good));
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('retry-after')).toBe('5');
    const body = (await res.json()) as { code: string; detail: string; key: string };
    expect(body.code).toBe('INDEX_CORRUPT');
    expect(body.key).toBe(key);
    expect(errors).toHaveBeenCalledWith(expect.stringContaining(key));
    const again = await getJson<Result>(q(word, '&facets=0'));
    expect(again.status).toBe(200);
    expect(again.body.total).toBeGreaterThan(0);
  });

  it('a missing shard', async () => {
    const key = shardKeyOf('كرمل');
    const good = (await env.INDEX.get(key))!;
    await env.INDEX.delete(key);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await call(q('الكرملين', '&limit=2')).finally(() => env.INDEX.put(key, good));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('INDEX_CORRUPT');
    expect((await call(q('الكرملين', '&limit=2'))).status).toBe(200);
  });

  it('a manifest that names a segment not fully uploaded: the previous version keeps serving', async () => {
    expect((await getJson<Result>(q('بوتين', '&limit=1'))).body.index).toBe(live.version);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const base = live.segments[0]!;
    const ghost = { ...base, id: 'ghost-segment', level: 'delta' as const, first: live.nextDoc, end: live.nextDoc + 1, docs: 1, kills: '' };
    await env.INDEX.put('manifest', manifestValue({ ...live, generation: live.generation + 1, nextDoc: live.nextDoc + 1, segments: [base, ghost] }));
    try {
      const { status, body } = await getJson<Result>(q('بوتين', '&limit=1&offset=1'));
      expect(status).toBe(200);
      expect(body.index).toBe(live.version);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('not fully uploaded'));
    } finally {
      await env.INDEX.put('manifest', raw);
    }
  });

  it('a manifest in another index format: a warm isolate keeps serving its version, a fresh one says why it cannot', async () => {
    expect((await getJson<Result>(q('بوتين', '&limit=1'))).body.index).toBe(live.version);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await env.INDEX.put('manifest', manifestValue({ ...live, format: 99, generation: 99 }));
    try {
      const { status, body } = await getJson<Result>(q('بوتين', '&limit=1&offset=2'));
      expect(status).toBe(200);
      expect(body.index).toBe(live.version);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('format 99'));
      const fresh = { ...env, INDEX: wrapKv(env.INDEX, {}) };
      const res = await worker.fetch(new Request('http://bahth.test/health'), fresh, ctx);
      expect(res.status).toBe(503);
      const err = (await res.json()) as { code: string; detail: string };
      expect(err.code).toBe('INDEX_UNAVAILABLE');
      expect(err.detail).toContain('format 99');
    } finally {
      await env.INDEX.put('manifest', raw);
    }
  });

  it('an index another analyzer built: it still answers, and /health says what to rebuild', async () => {
    expect(live.analyzer).toBe(ANALYZER_VERSION);
    const calm = await worker.fetch(new Request('http://bahth.test/health'), { ...env, INDEX: wrapKv(env.INDEX, {}) }, ctx);
    expect(((await calm.json()) as { warnings?: string[] }).warnings).toBeUndefined();
    await env.INDEX.put('manifest', manifestValue({ ...live, analyzer: OTHER_ANALYZER, generation: 98 }));
    try {
      const fresh = { ...env, INDEX: wrapKv(env.INDEX, {}) };
      const res = await worker.fetch(new Request('http://bahth.test/health'), fresh, ctx);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { status: string; warnings?: string[]; index: { analyzer: string } };
      expect(body.status).toBe('ok');
      expect(body.index.analyzer).toBe(OTHER_ANALYZER);
      expect(body.warnings).toEqual([expect.stringMatching(new RegExp(`analyzer ${OTHER_ANALYZER} .*${ANALYZER_VERSION}.*rebuilt`))]);
      const found = await worker.fetch(new Request(`http://bahth.test${q('بوتين', '&limit=1&facets=0')}`), fresh, ctx);
      expect(found.status).toBe(200);
      expect(((await found.json()) as Result).total).toBeGreaterThan(0);
    } finally {
      await env.INDEX.put('manifest', raw);
    }
  });

  it('no manifest at all: 503 INDEX_UNAVAILABLE, then recovery once it is published', async () => {
    await env.INDEX.delete('manifest');
    vi.spyOn(console, 'error').mockImplementation(() => {});
    // A fresh binding object gets a fresh isolate reader, with nothing to fall back on.
    const fresh = { ...env, INDEX: wrapKv(env.INDEX, {}) };
    const res = await worker.fetch(new Request('http://bahth.test/health'), fresh, ctx);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('INDEX_UNAVAILABLE');
    await env.INDEX.put('manifest', raw);
    expect((await worker.fetch(new Request('http://bahth.test/health'), fresh, ctx)).status).toBe(200);
  });

  it('a KV read that throws', async () => {
    const state = { fail: true };
    const flaky = { ...env, INDEX: wrapKv(env.INDEX, { throwOn: (k) => state.fail && k.includes('/t/') }) };
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await worker.fetch(new Request(`http://bahth.test${q('موسكو', '&facets=false')}`), flaky, ctx);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string; detail: string }).detail).toContain('KV read failed');
    state.fail = false;
    const again = await worker.fetch(new Request(`http://bahth.test${q('موسكو', '&facets=false')}`), flaky, ctx);
    expect(again.status, await again.clone().text()).toBe(200);
  });

  it('a KV read that hangs past the timeout', async () => {
    const state = { hang: true };
    const slow = { ...env, KV_TIMEOUT_MS: '150', INDEX: wrapKv(env.INDEX, { hangOn: (k) => state.hang && k.includes('/d/') }) };
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await worker.fetch(new Request(`http://bahth.test${q('بكين', '&facets=false')}`), slow, ctx);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { detail: string }).detail).toContain('did not answer within 150 ms');
    state.hang = false;
    expect((await worker.fetch(new Request(`http://bahth.test${q('بكين', '&facets=false')}`), slow, ctx)).status).toBe(200);
  });
});

/**
 * Values sealed correctly (the checksum matches) whose content cannot be decoded: what a bug in
 * a writer, not a cut-off upload, would leave. Each read by a fresh isolate (a binding of its
 * own, nothing loaded), each a 503 INDEX_CORRUPT naming the key, never cached, and the next
 * request after the value is mended answers.
 */
describe('undecodable values, sealed correctly', () => {
  /** The KV key of the article with this id. */
  const articleKey = (id: string): string => {
    const entry = inject('seedIndex').find((e) => e.key.startsWith('a/') && (JSON.parse(unsealValue(e.value)!) as { id: string }).id === id);
    return entry!.key;
  };
  /** The first half of a JSON value's text, sealed: a valid checksum over invalid JSON. */
  const halfJson = (good: string) => {
    const json = unsealValue(good)!;
    return sealValue(json.slice(0, Math.floor(json.length / 2)));
  };

  /** One request on `binding`, its cache writes awaited. */
  async function ask(path: string, binding: typeof env): Promise<Response> {
    const c = createExecutionContext();
    const res = await worker.fetch(new Request(`http://bahth.test${path}`), binding, c);
    await waitOnExecutionContext(c);
    return res;
  }

  it.each([
    ['a term shard (s/…/t/…)', () => shardKeyOf(stem(normalize('موسكو'))), () => sealValue('موسكو\t1\tnot a shard line\n'), [q('موسكو', '&limit=3')]],
    ['an article (a/…/d/…)', () => articleKey('003-0300bacb8aeb6261'), halfJson, [q('الفنتانيل', '&limit=2'), '/articles/003-0300bacb8aeb6261']],
    ['an article that is JSON but no article', () => articleKey('003-0300bacb8aeb6261'), () => sealValue('{"id":7}'), [q('الفنتانيل', '&limit=3'), '/articles/003-0300bacb8aeb6261']],
    ['an article that is null', () => articleKey('003-0300bacb8aeb6261'), () => sealValue('null'), [q('الفنتانيل', '&limit=4')]],
    ['a cards block (s/…/c/…)', () => keys.cards(live.segments[0]!.id, 0), halfJson, ['/articles?limit=3', '/health']],
    ['a cards block\'s titles (s/…/c/…/t), which /suggest reads', () => keys.cardTitles(live.segments[0]!.id, 0), halfJson, [`/suggest?q=${encodeURIComponent('بوتين الكرم')}&limit=2`]],
  ])('%s: 503 INDEX_CORRUPT naming the key, never cached, answered once mended', async (_kind, keyOf, damage, paths) => {
    const key = keyOf();
    const good = (await env.INDEX.get(key))!;
    expect(good).toBeTruthy();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    for (const path of paths) {
      await env.INDEX.put(key, damage(good));
      // A binding of its own: an isolate that has loaded nothing yet.
      const fresh = { ...env, INDEX: wrapKv(env.INDEX, {}) };
      try {
        const res = await ask(path, fresh);
        expect(res.status, path).toBe(503);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(res.headers.get('retry-after')).toBe('5');
        const body = (await res.json()) as { code: string; detail: string; key: string };
        expect(body).toMatchObject({ code: 'INDEX_CORRUPT', key });
        expect(body.detail).toContain('cannot be decoded');
        expect(errors).toHaveBeenCalledWith(expect.stringContaining(key));
        // Still broken: the same answer, not a cached one.
        const again = await ask(path, fresh);
        expect(again.status, path).toBe(503);
        expect(again.headers.get('x-bahth-cache')).toBeNull();
      } finally {
        await env.INDEX.put(key, good);
      }
      const mended = await ask(path, fresh);
      expect(mended.status, path).toBe(200);
      expect(mended.headers.get('x-bahth-cache'), path).toBeNull();
      if (!path.startsWith('/articles') && path !== '/health') expect((await ask(path, fresh)).headers.get('x-bahth-cache'), path).toBe('hit');
    }
  });

  it.each([
    ['not JSON', () => sealValue(JSON.stringify(live).slice(0, 40)), 'not valid JSON'],
    ['JSON, not a manifest', () => sealValue(JSON.stringify({ ...live, segments: 'none' })), 'malformed'],
    // Stored deflated (format 8) and cut: inflating it in workerd fails, and is called corrupt.
    ['deflated and cut', () => {
      const deflated = sealValue(JSON.stringify(live), true);
      expect(deflated.startsWith('~')).toBe(true);
      return deflated.slice(0, -12);
    }, 'fails its checksum'],
  ])('a damaged manifest (%s): a fresh isolate answers 503, a warm one keeps its version; both recover', async (_kind, damage, detail) => {
    expect((await getJson<Result>(q('بوتين', '&limit=1'))).body.index).toBe(live.version);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const fresh = { ...env, INDEX: wrapKv(env.INDEX, {}) };
    const path = q('بوتين', `&limit=2&offset=${detail.length}`);
    await env.INDEX.put('manifest', damage());
    try {
      const res = await ask(path, fresh);
      expect(res.status).toBe(503);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as { code: string; detail: string };
      expect(body.code).toBe('INDEX_CORRUPT');
      expect(body.detail).toContain(detail);
      expect((await ask(path, fresh)).status).toBe(503);
      // The isolate that was serving keeps serving what it had, and says why.
      const warm = await ask(path, env);
      expect(warm.status).toBe(200);
      expect(((await warm.json()) as Result).index).toBe(live.version);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining(detail));
    } finally {
      await env.INDEX.put('manifest', raw);
    }
    const mended = await ask(path, fresh);
    expect(mended.status).toBe(200);
    expect(((await mended.json()) as Result).index).toBe(live.version);
  });
});

describe('KV edge caching', () => {
  it('lets KV locations keep index values for KV_CACHE_TTL, never the manifest', async () => {
    const seen: { keys: string[]; options: unknown }[] = [];
    const spy = { get: (key: string | string[], options: unknown) => {
      seen.push({ keys: Array.isArray(key) ? key : [key], options });
      return (env.INDEX.get as (k: unknown, o: unknown) => Promise<unknown>)(key, options);
    } } as unknown as KVNamespace;
    const source = new KvSource(spy, 5000, 86400);
    expect((await source.getMany(['manifest'])).get('manifest')).toBe(await env.INDEX.get('manifest'));
    const shard0 = keys.shard(live.segments[0]!.id, 0);
    const got = await source.getMany([shard0, keys.doc(live.archive, 0)]);
    expect(got.get(shard0)).toBeTruthy();
    expect(got.get(keys.doc(live.archive, 0))).toBeTruthy();
    expect(seen[0]!.options).toEqual({ type: 'text' });
    expect(seen[1]!.options).toEqual({ type: 'text', cacheTtl: 86400 });
    await new KvSource(spy, 5000, 0).getMany([shard0]);
    expect(seen[2]!.options).toEqual({ type: 'text' });
  });
});

/**
 * The real KV binding behind a fault injector: reads of chosen keys throw or never answer.
 * Everything else goes to the binding.
 */
function wrapKv(kv: KVNamespace, faults: { throwOn?: (key: string) => boolean; hangOn?: (key: string) => boolean }): KVNamespace {
  const check = (list: string[]) => {
    if (list.some((k) => faults.throwOn?.(k))) return Promise.reject(new Error('simulated KV failure'));
    if (list.some((k) => faults.hangOn?.(k))) return new Promise<never>(() => {});
    return undefined;
  };
  return {
    get: (key: string | string[], type?: unknown) => check(Array.isArray(key) ? key : [key]) ?? (kv.get as (k: unknown, t: unknown) => Promise<unknown>)(key, type),
  } as unknown as KVNamespace;
}
