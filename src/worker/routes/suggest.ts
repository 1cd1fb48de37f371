/** `GET /suggest?q=`: completions and matching titles for a search box, as the reader types. */
import { Hono } from 'hono';
import { ReadStats } from '../../core/search/source';
import { suggest } from '../../core/search/suggest';
import { readerFor, settingsFor, type AppEnv } from '../context';
import { storeAnswer } from '../edge-cache';
import { answerVersion, earlyAnswer } from '../http-cache';
import { SUGGEST_PARAMS } from '../api-schema';
import { canonical, readParams } from '../params';
import { serverTiming } from '../timing';
import { configOf } from '../config';

export const suggestRoute = new Hono<AppEnv>().get('/', async (c) => {
  const started = performance.now();
  const url = canonical(new URL(c.req.url), SUGGEST_PARAMS);
  const p = readParams(url, SUGGEST_PARAMS);
  const q = p.q as string;
  const limit = p.limit as number;
  const stats = new ReadStats();
  // The editor's synonyms name Latin spellings too (a Latin name is completed as /search reads it).
  const [index, settings] = await Promise.all([readerFor(c.env).current(stats), settingsFor(c.env).current(stats)]);
  const version = answerVersion(c.env, settings.version ? `${index.version}~${settings.version}` : index.version);
  const { headers, early } = await earlyAnswer(c.req.raw, version, url, configOf(c.env).cacheMaxAge);
  if (early) {
    early.headers.set('server-timing', serverTiming(stats, started, early.status === 304 ? 'not-modified' : 'edge'));
    return early;
  }
  const result = await suggest(index, q.trimStart(), limit, stats, {}, settings.synonyms);
  const timing = { ...headers, 'server-timing': serverTiming(stats, started) };
  // A browser's address bar (OpenSearch suggestions, /opensearch.xml): the query and its completions.
  const res = p.format === 'opensearch'
    ? c.body(JSON.stringify([q, result.completions.map((x) => x.text.trim())]), 200, { ...timing, 'content-type': 'application/x-suggestions+json; charset=utf-8' })
    : c.json(result, 200, timing);
  storeAnswer(c, version, url, res);
  return res;
});
