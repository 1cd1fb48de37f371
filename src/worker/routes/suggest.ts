/** `GET /suggest?q=`: completions and matching titles for a search box, as the reader types. */
import { Hono } from 'hono';
import { BahthError } from '../../core/errors';
import { ReadStats } from '../../core/search/source';
import { suggest } from '../../core/search/suggest';
import { readerFor, type AppEnv } from '../context';
import { cachedAnswer, storeAnswer } from '../edge-cache';
import { cacheHeaders, etagFor, notModified } from '../http-cache';
import { integer, single } from '../params';

/** Longest `q` for suggestions: a search box, not a document. */
export const MAX_SUGGEST_LENGTH = 100;

export const suggestRoute = new Hono<AppEnv>().get('/', async (c) => {
  const url = new URL(c.req.url);
  const q = single(url, 'q') ?? '';
  if (!q.trim()) throw new BahthError('QUERY_MISSING', 'q: give the text typed so far, e.g. /suggest?q=بوت', { parameter: 'q' });
  if (q.length > MAX_SUGGEST_LENGTH) {
    throw new BahthError('QUERY_TOO_LONG', `q: at most ${MAX_SUGGEST_LENGTH} characters, got ${q.length}`, { parameter: 'q', maxLength: MAX_SUGGEST_LENGTH });
  }
  const limit = integer(url, 'limit', 5, 1, 10);
  const stats = new ReadStats();
  const index = await readerFor(c.env).current(stats);
  const etag = etagFor(index.version, url);
  const headers = cacheHeaders(etag, c.env.CACHE_MAX_AGE);
  if (notModified(c.req.raw, etag)) return c.body(null, 304, headers);
  const cached = await cachedAnswer(index.version, url);
  if (cached) return cached;
  const result = await suggest(index, q.trimStart(), limit, stats);
  const res = c.json(result, 200, { ...headers, 'server-timing': `kv;desc="${stats.reads} reads, ${stats.keys} keys, ${stats.bytes} bytes"` });
  storeAnswer(c, index.version, url, res);
  return res;
});
