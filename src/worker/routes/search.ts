/** `GET /search`: ranked, highlighted hits with facets. Parameters are documented in the README. */
import { Hono, type Context } from 'hono';
import { search, type SearchParams, type SearchResult } from '../../core/search/search';
import { ReadStats } from '../../core/search/source';
import { record, searchPoint, type Served } from '../analytics';
import { readerFor, settingsFor, type AppEnv } from '../context';
import { later, storeAnswer } from '../edge-cache';
import { answerVersion, cacheHeaders, earlyAnswer, etagFor, notModified } from '../http-cache';
import { LIST_PARAMS, SEARCH_PARAMS } from '../api-schema';
import { canonical, dateBounds, readParams } from '../params';
import { serverTiming } from '../timing';
import { configOf } from '../config';
import { wantsHtml } from '../negotiate';
import { listingHits, resultsPage, resultsPolicy } from '../results-page';
import { listNewest, unknownFilters } from '../../core/search/facets';
import { dayRange } from '../../core/search/days';
import { atomFeed, entryLink } from '../feed';

/** Reads and validates the search parameters of a request (specs in api-schema.ts). */
export function searchParams(url: URL): SearchParams {
  const p = readParams(url, SEARCH_PARAMS);
  const { from, to } = dateBounds(p);
  const params: SearchParams = {
    q: (p.q as string).trim(),
    limit: p.limit as number,
    offset: p.offset as number,
    sort: p.sort as SearchParams['sort'],
    facets: p.facets as boolean,
    recency: p.recency as number,
  };
  if (p.correct === false) params.correct = false;
  // A space after the last word says it is finished: nothing to complete.
  if (p.prefix === true && !/\s$/.test(p.q as string)) params.prefix = true;
  if (p.source) params.source = p.source as string[];
  if (p.category) params.category = p.category as string[];
  if (p.tag) params.tag = p.tag as string[];
  if (from) params.from = from;
  if (to) params.to = to;
  return params;
}

/** What a search's data point takes from its answer (fresh, or an edge copy's body). */
function answered(r: SearchResult): { results: number; corrected: boolean; correction?: string; unmatched?: string[]; completed?: string } {
  return { results: r.total, corrected: r.corrected === true, correction: r.didYouMean, unmatched: r.unmatched, completed: r.completed };
}

/** A search's hits as an Atom feed (feed.ts): its own URL as asked, the page as its alternate. */
function searchFeed(asked: URL, url: URL, params: SearchParams, r: SearchResult, updated: string): string {
  const page = new URL(url.href);
  page.searchParams.delete('format');
  return atomFeed({
    title: `بحث: ${params.q}`,
    self: url.href,
    alternate: page.href,
    updated,
    entries: r.hits.map((h) => ({ id: `${asked.origin}/articles/${encodeURIComponent(h.id)}`, title: h.title, link: entryLink(asked.origin, h.id, h.url), updated: h.date, summary: h.snippetText, source: h.source, category: h.category })),
  });
}

/** `/search` from a browser with no words: the form over the newest stories (`/articles`' listing, facets on). */
async function frontPage(c: Context<AppEnv>, started: number): Promise<Response> {
  const url = canonical(new URL(c.req.url), [...LIST_PARAMS.filter((p) => p.name !== 'facets' && p.name !== 'format' && p.name !== 'limit'), PAGE_LIMIT]);
  const p = readParams(url, [...LIST_PARAMS.filter((x) => x.name !== 'limit'), PAGE_LIMIT]);
  const bounds = dateBounds(p);
  const stats = new ReadStats();
  const index = await readerFor(c.env).current(stats);
  const etag = etagFor(answerVersion(c.env, index.version), url, 'html-front');
  const headers = cacheHeaders(etag, configOf(c.env).cacheMaxAge);
  if (notModified(c.req.raw, etag)) return new Response(null, { status: 304, headers });
  const params: SearchParams = { q: '', limit: p.limit as number, offset: p.offset as number, sort: 'date', facets: true, recency: 0, ...(p.source ? { source: p.source as string[] } : {}), ...(p.category ? { category: p.category as string[] } : {}), ...(p.tag ? { tag: p.tag as string[] } : {}), ...bounds };
  const listed = await listNewest(index, { offset: params.offset, limit: params.limit, days: dayRange(bounds.from, bounds.to), source: params.source, category: params.category, tag: params.tag, facets: true }, stats);
  const cards = await index.cards(listed.docs, stats);
  const unmatchedFilters = unknownFilters(index, params);
  const result: SearchResult = { query: '', total: listed.total, offset: params.offset, limit: params.limit, sort: 'date', hits: listingHits(listed.docs.map((d) => cards.get(d)!)), ...(listed.facets ? { facets: listed.facets } : {}), ...(unmatchedFilters ? { unmatchedFilters } : {}), index: index.version };
  return c.html(String(await resultsPage(params, result)), 200, { ...headers, 'server-timing': serverTiming(stats, started) });
}

/** The front page's page size: as a search's. */
const PAGE_LIMIT = SEARCH_PARAMS.find((p) => p.name === 'limit')!;

/** Headers every representation of a search carries (304s and edge copies too); a page's policy with it. */
function searchHeaders(res: Response, policy: string | undefined): Response {
  res.headers.append('vary', 'Accept');
  if (policy) {
    res.headers.set('content-security-policy', policy);
    res.headers.set('x-frame-options', 'DENY');
    res.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  }
  return res;
}

export const searchRoute = new Hono<AppEnv>().get('/', async (c) => {
  const started = performance.now();
  // A browser gets the results as a page (results-page.ts), an API client JSON: one search either way.
  const page = wantsHtml(c.req.header('accept'));
  const policy = page ? await resultsPolicy() : undefined;
  const url = canonical(new URL(c.req.url), SEARCH_PARAMS);
  if (page && url.searchParams.get('format') !== 'atom' && !url.searchParams.get('q')?.trim() && url.searchParams.getAll('q').length <= 1) {
    // No words yet (the form's own address): the form over the newest stories, narrowed by the
    // sections, sources, tags and dates chosen (a front page, and a section's).
    return searchHeaders(await frontPage(c, started), policy);
  }
  const params = searchParams(url);
  // A feed follows what is published: newest first unless relevance is asked, no facets.
  const feed = url.searchParams.get('format') === 'atom';
  if (feed) {
    if (!url.searchParams.has('sort')) params.sort = 'date';
    params.facets = false;
  }
  const stats = new ReadStats();
  const [index, settings] = await Promise.all([readerFor(c.env).current(stats), settingsFor(c.env).current(stats)]);
  const pageNumber = Math.floor(params.offset / params.limit) + 1;
  // An answer depends on the editor's settings too: cached and tagged under both versions.
  const version = answerVersion(c.env, settings.version ? `${index.version}~${settings.version}` : index.version);
  const variant = feed ? 'atom' : page ? 'html' : '';
  const { headers, early } = await earlyAnswer(c.req.raw, version, url, configOf(c.env).cacheMaxAge, variant);
  // A HEAD (a monitor's probe) is no reader's search, nor a feed reader's poll: not counted in the analytics.
  const counted = c.req.method !== 'HEAD' && !feed;
  if (early) {
    const served: Served = early.status === 304 ? 'not-modified' : 'edge';
    early.headers.set('server-timing', serverTiming(stats, started, served));
    searchHeaders(early, feed ? undefined : policy);
    const latencyMs = performance.now() - started;
    if (!counted) return early;
    // A 304's facts, and a page's, are not at hand: counted as a search, its results unknown (-1).
    if (served === 'not-modified' || page) record(c.env, () => searchPoint({ q: params.q, results: -1, corrected: false, latencyMs, page: pageNumber, index: index.version, served }));
    // An edge copy's facts are in its body: read after the answer has gone out.
    else later(c, early.clone().json().then((r) => {
      record(c.env, () => searchPoint({ q: params.q, ...answered(r as SearchResult), latencyMs, page: pageNumber, index: index.version, served }));
    }));
    return early;
  }
  const result = await search(index, params, stats, undefined, settings);
  const timing = { ...headers, 'server-timing': serverTiming(stats, started) };
  const res = feed
    ? searchHeaders(c.body(searchFeed(new URL(c.req.url), url, params, result, index.manifest.publishedAt), 200, { ...timing, 'content-type': 'application/atom+xml; charset=utf-8' }), undefined)
    : searchHeaders(page ? c.html(String(await resultsPage(params, result)), 200, timing) : c.json(result, 200, timing), policy);
  if (counted) record(c.env, () => searchPoint({ q: params.q, ...answered(result), latencyMs: performance.now() - started, page: pageNumber, index: index.version, served: 'fresh' }));
  storeAnswer(c, version, url, res, variant);
  return res;
});
