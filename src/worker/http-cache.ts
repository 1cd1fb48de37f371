/**
 * HTTP caching keyed on the index version: an ETag made of the version and the request, so a
 * new index is never served stale, and 304s for clients that already have the answer.
 */
import { fnv1a } from '../core/format/layout';

/** A strong ETag for a response that depends only on the index version and the URL. */
export function etagFor(version: string, url: URL): string {
  const params = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `"${version}-${fnv1a(url.pathname + '?' + new URLSearchParams(params).toString())}"`;
}

/** True when the request's If-None-Match already names this ETag. */
export function notModified(request: Request, etag: string): boolean {
  const header = request.headers.get('if-none-match');
  if (!header) return false;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}

export function cacheHeaders(etag: string, maxAge: string | undefined): Record<string, string> {
  const age = Number(maxAge ?? '60');
  return { etag, 'cache-control': `public, max-age=${Number.isFinite(age) && age >= 0 ? age : 60}` };
}
