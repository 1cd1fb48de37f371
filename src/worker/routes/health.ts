/** `GET /health`: is an index live, which version, and its counts. */
import { Hono } from 'hono';
import { ReadStats } from '../../core/search/source';
import { readerFor, type AppEnv } from '../context';

export const healthRoute = new Hono<AppEnv>().get('/', async (c) => {
  const index = await readerFor(c.env).current(new ReadStats());
  const m = index.meta;
  return c.json(
    {
      status: 'ok',
      index: { version: m.version, format: m.format, builtAt: m.builtAt, analyzer: m.analyzer, flexsearch: m.flexsearch.version },
      counts: { articles: m.counts.articles, terms: m.counts.terms, shards: m.counts.shards, keys: m.counts.keys },
      cache: { bytes: index.cachedBytes },
    },
    200,
    { 'cache-control': 'no-store' },
  );
});
