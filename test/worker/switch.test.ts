/**
 * A new version switched in while the Worker runs, and rolled back: writing `manifest` is the
 * whole switch (as a deploy or `--rollback` does), and every answer follows it at once.
 */
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import worker from '../../src/worker/index';
import { versionOf } from '../../src/core/format/manifest';
import { parseManifest } from '../../src/core/search/reader';
import { HOSTILE } from '../hostile';
import { loadIndex, q, type Result } from './helpers';

let before = '';
let after = '';
let v1 = '';
let v2 = '';

beforeAll(async () => {
  await loadIndex('seedIndex');
  before = (await env.INDEX.get('manifest'))!;
  // The next version's keys, all but its manifest: uploaded, not yet live.
  const next = inject('hostileIndex');
  for (const e of next) if (e.key !== 'manifest') await env.INDEX.put(e.key, e.value);
  after = next.find((e) => e.key === 'manifest')!.value;
  v1 = versionOf(parseManifest(before));
  v2 = versionOf(parseManifest(after));
});

/** One request through the Worker, its cache writes awaited. */
async function ask(path: string, headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`http://bahth.test${path}`, { headers }), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function health(): Promise<{ version: string; articles: number }> {
  const body = (await (await ask('/health')).json()) as { index: { version: string }; counts: { articles: number } };
  return { version: body.index.version, articles: body.counts.articles };
}

describe('switching versions while the Worker runs', () => {
  it('moves search, ETag, /health and the edge cache to the new version, and back on rollback', async () => {
    expect(v2).not.toBe(v1);
    const path = q('pwned بوتين', '&limit=20&facets=0');
    const ids = async (res: Response) => ((await res.json()) as Result).hits.map((h) => h.id);

    // The version live now: answered, then cached, then 304 for its ETag.
    expect(await health()).toEqual({ version: v1, articles: 9 });
    const first = await ask(path);
    const etag1 = first.headers.get('etag')!;
    expect(etag1).toContain(v1);
    const old = await ids(first);
    expect(old).not.toContain(HOSTILE.id);
    expect((await ask(path)).headers.get('x-bahth-cache')).toBe('hit');
    expect((await ask(path, { 'if-none-match': etag1 })).status).toBe(304);
    expect((await ask(`/articles/${HOSTILE.id}`)).status).toBe(404);

    // The switch: one write of `manifest`.
    await env.INDEX.put('manifest', after);
    expect(await health()).toEqual({ version: v2, articles: 11 });
    const switched = await ask(path);
    expect(switched.headers.get('x-bahth-cache')).toBeNull();
    const etag2 = switched.headers.get('etag')!;
    expect(etag2).toContain(v2);
    expect(etag2).not.toBe(etag1);
    const body = (await switched.json()) as Result;
    expect(body.index).toBe(v2);
    expect(body.hits.map((h) => h.id)).toContain(HOSTILE.id);
    expect((await ask(path, { 'if-none-match': etag1 })).status).toBe(200);
    expect((await ask(path, { 'if-none-match': etag2 })).status).toBe(304);
    const cached = await ask(path);
    expect(cached.headers.get('x-bahth-cache')).toBe('hit');
    expect(((await cached.json()) as Result).index).toBe(v2);
    expect((await ask(`/articles/${HOSTILE.id}`)).status).toBe(200);

    // Rollback: the previous manifest value written back.
    await env.INDEX.put('manifest', before);
    expect(await health()).toEqual({ version: v1, articles: 9 });
    const back = await ask(path);
    expect(back.headers.get('x-bahth-cache')).toBe('hit'); // the first version's answer, still cached under its version
    expect(back.headers.get('etag')).toBe(etag1);
    const again = (await back.json()) as Result;
    expect(again.index).toBe(v1);
    expect(again.hits.map((h) => h.id)).toEqual(old);
    expect((await ask(path, { 'if-none-match': etag1 })).status).toBe(304);
    expect((await ask(path, { 'if-none-match': etag2 })).status).toBe(200);
    expect((await ask(`/articles/${HOSTILE.id}`)).status).toBe(404);
  });
});
