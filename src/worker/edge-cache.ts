/**
 * The Cache API in front of repeated queries: a response is stored under a key that holds the
 * index version, so a new index never serves an old answer. (The Cache API works on custom
 * domains and in wrangler dev; on *.workers.dev it stores nothing, and this is a no-op.)
 *
 * Only what depends on the index version and the URL alone is stored: the body and the headers
 * in {@link STORED_HEADERS}. CORS, Server-Timing and the security headers are the request's own,
 * set again on a hit by the middleware and the route, never replayed from the request that
 * filled the cache.
 */
import type { Context } from 'hono';
import type { AppEnv } from './context';

/** The headers a cached answer keeps. */
const STORED_HEADERS = ['content-type', 'etag', 'cache-control'] as const;

/** The cache's key: the index version, the URL (parameters sorted) and the representation. */
function cacheKey(version: string, url: URL, variant: string): Request {
  const params = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Request(`https://edge-cache.bahth.internal/${version}${variant ? `/~${variant}` : ''}${url.pathname}?${new URLSearchParams(params).toString()}`);
}

function edgeCache(): Cache | undefined {
  return typeof caches === 'undefined' ? undefined : (caches as unknown as { default: Cache }).default;
}

/** A copy of `res` with only the {@link STORED_HEADERS}. */
function storable(res: Response): Response {
  const headers = new Headers();
  for (const name of STORED_HEADERS) {
    const value = res.headers.get(name);
    if (value !== null) headers.set(name, value);
  }
  return new Response(res.body, { status: res.status, headers });
}

/** A cached answer for this request, index version and representation, marked as such, or undefined. */
export async function cachedAnswer(version: string, url: URL, variant = ''): Promise<Response | undefined> {
  const hit = await edgeCache()?.match(cacheKey(version, url, variant));
  if (!hit) return undefined;
  // Filtered on the way out too: an entry stored by an older Worker may hold more.
  const res = storable(hit);
  res.headers.set('x-bahth-cache', 'hit');
  return res;
}

/** Stores a successful answer after the response has gone out. */
export function storeAnswer(c: Context<AppEnv>, version: string, url: URL, res: Response, variant = ''): void {
  const cache = edgeCache();
  if (!cache || res.status !== 200) return;
  later(c, cache.put(cacheKey(version, url, variant), storable(res.clone())));
}

/** Work finished after the response has gone out (its failure is nobody's answer). */
export function later(c: Context<AppEnv>, work: Promise<unknown>): void {
  const settled = work.catch(() => {});
  try {
    c.executionCtx.waitUntil(settled);
  } catch {
    // no execution context (a plain app.request() call): it finishes on its own
  }
}
