/** `GET /health`: is an index live, which version, and its counts. */
import { Hono } from 'hono';
import { analyze } from '../../core/analyzer/index';
import { ReadStats } from '../../core/search/source';
import { readerFor, type AppEnv } from '../context';

export const healthRoute = new Hono<AppEnv>().get('/', async (c) => {
  const stats = new ReadStats();
  const index = await readerFor(c.env).current(stats);
  // A probe of the values, not the manifest alone: the newest article's card and the term of
  // its title's first word, as a search reads them (a corrupt value is a 503 INDEX_CORRUPT, as
  // the search would answer). The isolate's cache keeps both after the first probe.
  const newest = index.newest(0, 1);
  if (newest.length > 0) {
    const card = (await index.cards(newest, stats)).get(newest[0]!);
    const word = card ? analyze(card.title)[0] : undefined;
    if (word) await index.loadTerms([word.stems[0]!], stats);
  }
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
