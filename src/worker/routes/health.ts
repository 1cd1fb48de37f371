/** `GET /health`: is an index live, which version, and its counts. */
import { Hono } from 'hono';
import { analyze } from '../../core/analyzer/index';
import { ANALYZER_VERSION } from '../../core/analyzer/version';
import { ReadStats } from '../../core/search/source';
import { decodeInts } from '../../core/format/codec';
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
  // An index built by another analyzer still answers, but a word whose terms changed between the
  // two finds less: say so.
  const warnings = m.analyzer === ANALYZER_VERSION ? [] : [`the index was built by analyzer ${m.analyzer} and this Worker reads queries as ${ANALYZER_VERSION}: some words will not find their articles until the index is rebuilt with this code and loaded (npm run deploy)`];
  return c.json(
    {
      status: 'ok',
      ...(warnings.length ? { warnings } : {}),
      index: {
        version: index.version, format: m.format, archive: m.archive, generation: m.generation,
        builtAt: m.builtAt, publishedAt: m.publishedAt, analyzer: m.analyzer, flexsearch: m.flexsearch.version,
        houseStyles: m.houseStyles ?? [],
      },
      counts: {
        articles: index.docCount,
        segments: m.segments.length,
        deltas: m.segments.filter((s) => s.level === 'delta').length,
        // Tombstones a fold has yet to purge (a fold's holes are purged already).
        deleted: m.segments.reduce((n, s) => n + (s.kills ? decodeInts(s.kills, true).length : 0), 0),
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
