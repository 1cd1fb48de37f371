/** `GET /articles/:id` (one article) and `GET /articles` (newest first, paged). */
import { Hono } from 'hono';
import { ARTICLE_ID_PATTERN } from '../../core/article';
import { BahthError } from '../../core/errors';
import { ReadStats } from '../../core/search/source';
import { readerFor, type AppEnv } from '../context';
import { cacheHeaders, etagFor, notModified } from '../http-cache';
import { LIST_PARAMS } from '../api-schema';
import { readParams } from '../params';

export const articlesRoute = new Hono<AppEnv>()
  .get('/', async (c) => {
    const url = new URL(c.req.url);
    const p = readParams(url, LIST_PARAMS);
    const limit = p.limit as number;
    const index = await readerFor(c.env).current(new ReadStats());
    const total = index.docCount;
    const offset = Math.min(p.offset as number, total);
    const etag = etagFor(index.version, url);
    if (notModified(c.req.raw, etag)) return c.body(null, 304, cacheHeaders(etag, c.env.CACHE_MAX_AGE));
    const end = Math.min(total, offset + limit);
    const docs = index.newest(offset, limit);
    const cards = await index.cards(docs, new ReadStats());
    const articles = docs.map((d) => cards.get(d)!);
    const next = end < total ? `/articles?offset=${end}&limit=${limit}` : null;
    return c.json({ total, offset, limit, articles, next, index: index.version }, 200, cacheHeaders(etag, c.env.CACHE_MAX_AGE));
  })
  .get('/:id', async (c) => {
    const id = c.req.param('id');
    if (!ARTICLE_ID_PATTERN.test(id)) throw new BahthError('ARTICLE_NOT_FOUND', `no article with id "${id.slice(0, 128)}"`, { id: id.slice(0, 128) });
    const stats = new ReadStats();
    const index = await readerFor(c.env).current(stats);
    // Known before any 304: `If-None-Match: *` matches only an article that exists.
    const doc = await index.docOfId(id, stats);
    if (doc === undefined) throw new BahthError('ARTICLE_NOT_FOUND', `no article with id "${id}"`, { id });
    const etag = etagFor(index.version, new URL(c.req.url));
    if (notModified(c.req.raw, etag)) return c.body(null, 304, cacheHeaders(etag, c.env.CACHE_MAX_AGE));
    const article = (await index.docs([doc], stats)).get(doc)!;
    const { origin: _origin, ...public_ } = article;
    return c.json({ ...public_, source: article.sources[0] ?? null }, 200, cacheHeaders(etag, c.env.CACHE_MAX_AGE));
  });
