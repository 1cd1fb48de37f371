/** `GET /health`: is an index live, which version, and its counts. */
import { Hono } from 'hono';
import { ReadStats } from '../../core/search/source';
import { readerFor, type AppEnv } from '../context';

export const healthRoute = new Hono<AppEnv>().get('/', async (c) => {
  const index = await readerFor(c.env).current(new ReadStats());
  const m = index.manifest;
  const base = m.segments[0]!;
  return c.json(
    {
      status: 'ok',
      index: {
        version: index.version, format: m.format, archive: m.archive, generation: m.generation,
        builtAt: m.builtAt, publishedAt: m.publishedAt, analyzer: m.analyzer, flexsearch: m.flexsearch.version,
      },
      counts: {
        articles: index.docCount,
        segments: m.segments.length,
        deltas: m.segments.filter((s) => s.level === 'delta').length,
        deleted: index.deadSorted.length,
        terms: base.terms,
        shards: 2 ** base.shardBits,
        keys: m.segments.reduce((n, s) => n + s.keys, 0) + m.nextDoc,
      },
      cache: { bytes: index.cachedBytes },
    },
    200,
    { 'cache-control': 'no-store' },
  );
});
