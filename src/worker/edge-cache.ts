/**
 * The Cache API in front of repeated queries: a response is stored under a key that holds the
 * index version, so a new index never serves an old answer. (The Cache API works on custom
 * domains and in wrangler dev; on *.workers.dev it stores nothing, and this is a no-op.)
 */
import type { Context } from 'hono';
import type { AppEnv } from './context';

function cacheKey(version: string, url: URL): Request {
  const params = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Request(`https://edge-cache.bahth.internal/${version}${url.pathname}?${new URLSearchParams(params).toString()}`);
}

function edgeCache(): Cache | undefined {
  return typeof caches === 'undefined' ? undefined : (caches as unknown as { default: Cache }).default;
}

/** A cached answer for this request and index version, marked as such, or undefined. */
export async function cachedAnswer(version: string, url: URL): Promise<Response | undefined> {
  const hit = await edgeCache()?.match(cacheKey(version, url));
  if (!hit) return undefined;
  const res = new Response(hit.body, hit);
  res.headers.set('x-bahth-cache', 'hit');
  return res;
}

/** Stores a successful answer after the response has gone out. */
export function storeAnswer(c: Context<AppEnv>, version: string, url: URL, res: Response): void {
  const cache = edgeCache();
  if (!cache || res.status !== 200) return;
  const copy = res.clone();
  try {
    c.executionCtx.waitUntil(cache.put(cacheKey(version, url), copy).catch(() => {}));
  } catch {
    // no execution context (a plain app.request() call): nothing to cache into
  }
}
