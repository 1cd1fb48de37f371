/**
 * HTTP caching keyed on the index version: an ETag made of the version and the request, so a
 * new index is never served stale, and 304s for clients that already have the answer.
 */
import { fnv1a } from '../core/format/layout';
import { cachedAnswer } from './edge-cache';

/**
 * What an answer is the answer of: the index version (and the editor's settings, for a search)
 * and the Worker's own version, new with each deploy (the `CF_VERSION_METADATA` binding), so a
 * deploy that changes what a response holds is not confirmed with a 304 from an older copy.
 */
export function answerVersion(env: { CF_VERSION_METADATA?: { id?: string } }, version: string): string {
  const worker = env.CF_VERSION_METADATA?.id?.replace(/[^0-9a-z]/gi, '').slice(0, 8);
  return worker ? `${version}-w${worker}` : version;
}

/**
 * A strong ETag for a response that depends only on the index version and the URL, and on the
 * representation (`variant`: `html` for a page, '' for JSON) when a URL has several.
 */
export function etagFor(version: string, url: URL, variant = ''): string {
  const params = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const tag = `${version}-${fnv1a(url.pathname + '?' + new URLSearchParams(params).toString())}`;
  return `"${variant ? `${tag}-${variant}` : tag}"`;
}

/** True when the request's If-None-Match already names this ETag. */
export function notModified(request: Request, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}

export function cacheHeaders(etag: string, maxAge: number): Record<string, string> {
  return { etag, 'cache-control': `public, max-age=${maxAge}` };
}

/**
 * The answer a request gets before any search work: a 304 when the client has this version's
 * answer, or the edge cache's copy. Otherwise the headers to send with a fresh answer.
 */
export async function earlyAnswer(request: Request, version: string, url: URL, maxAge: number, variant = ''): Promise<{ headers: Record<string, string>; early?: Response }> {
  const etag = etagFor(version, url, variant);
  const headers = cacheHeaders(etag, maxAge);
  if (notModified(request, etag)) return { headers, early: new Response(null, { status: 304, headers }) };
  const cached = await cachedAnswer(version, url, variant);
  return cached ? { headers, early: cached } : { headers };
}
