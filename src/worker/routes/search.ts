/** `GET /search`: ranked, highlighted hits with facets. Parameters are documented in the README. */
import { Hono } from 'hono';
import { BahthError } from '../../core/errors';
import { search, type SearchParams } from '../../core/search/engine';
import { MAX_QUERY_LENGTH } from '../../core/search/query';
import { RANKING } from '../../core/search/rank';
import { ReadStats } from '../../core/search/source';
import { readerFor, type AppEnv } from '../context';
import { cachedAnswer, storeAnswer } from '../edge-cache';
import { cacheHeaders, etagFor, notModified } from '../http-cache';
import { bad, date, decimal, flag, integer, list, oneOf, single } from '../params';

export const MAX_LIMIT = 50;
export const MAX_OFFSET = 10_000;
const SORTS = ['relevance', 'date'] as const;

/** Reads and validates the search parameters of a request. */
export function searchParams(url: URL): SearchParams {
  const q = (single(url, 'q') ?? '').trim();
  if (!q) throw new BahthError('QUERY_MISSING', 'q: give a query, e.g. /search?q=بوتين', { parameter: 'q' });
  if (q.length > MAX_QUERY_LENGTH) {
    throw new BahthError('QUERY_TOO_LONG', `q: at most ${MAX_QUERY_LENGTH} characters, got ${q.length}`, { parameter: 'q', maxLength: MAX_QUERY_LENGTH });
  }
  const from = date(url, 'from');
  const to = date(url, 'to');
  if (from && to && from > to) bad('from', `${from} is after to=${to}`);
  const params: SearchParams = {
    q,
    limit: integer(url, 'limit', 10, 1, MAX_LIMIT),
    offset: integer(url, 'offset', 0, 0, MAX_OFFSET),
    sort: oneOf(url, 'sort', SORTS, 'relevance'),
    facets: flag(url, 'facets', true),
    recency: decimal(url, 'recency', RANKING.recency, 0, 1),
  };
  const source = list(url, 'source', 20);
  const category = list(url, 'category', 20);
  const tag = list(url, 'tag', 10);
  if (source) params.source = source;
  if (category) params.category = category;
  if (tag) params.tag = tag;
  if (from) params.from = from;
  if (to) params.to = to;
  return params;
}

export const searchRoute = new Hono<AppEnv>().get('/', async (c) => {
  const started = performance.now();
  const url = new URL(c.req.url);
  const params = searchParams(url);
  const stats = new ReadStats();
  const index = await readerFor(c.env).current(stats);
  const etag = etagFor(index.version, url);
  const headers = cacheHeaders(etag, c.env.CACHE_MAX_AGE);
  if (notModified(c.req.raw, etag)) return c.body(null, 304, headers);
  const cached = await cachedAnswer(index.version, url);
  if (cached) return cached;
  const result = await search(index, params, stats);
  const timing = [
    `kv;desc="${stats.reads} reads, ${stats.keys} keys, ${stats.bytes} bytes"`,
    ...Object.entries(stats.stages).map(([stage, ms]) => `${stage};dur=${ms.toFixed(2)}`),
    `total;dur=${(performance.now() - started).toFixed(2)}`,
  ].join(', ');
  const res = c.json(result, 200, { ...headers, 'server-timing': timing });
  storeAnswer(c, index.version, url, res);
  return res;
});
