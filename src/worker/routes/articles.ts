/**
 * `GET /articles` (newest first, paged), `GET /articles/:id` (one article: JSON for API clients,
 * a page for browsers, by the Accept header) and `GET /articles/:id/related` (related stories).
 */
import { Hono, type Context } from 'hono';
import { ARTICLE_ID_PATTERN } from '../../core/article';
import { BahthError } from '../../core/errors';
import type { Archive } from '../../core/search/archive';
import { dayRange } from '../../core/search/days';
import { listNewest, unknownFilters } from '../../core/search/facets';
import { atomFeed, entryLink } from '../feed';
import { related, type Related, type StoryRef } from '../../core/search/related';
import { ReadStats } from '../../core/search/source';
import { articleHref, articlePage, articlePolicy, missingPage } from '../article-page';
import { readerFor, settingsFor, type AppEnv } from '../context';
import { storeAnswer } from '../edge-cache';
import { answerVersion, cacheHeaders, earlyAnswer, etagFor, notModified } from '../http-cache';
import { ARTICLE_PAGE_PARAMS, ARTICLE_PARAMS, LIST_PARAMS, MAX_LIMIT, PAGE_RELATED, RELATED_PARAMS } from '../api-schema';
import { queryMatcher } from '../../core/search/snippet';
import { wantsHtml } from '../negotiate';
import { canonical, dateBounds, readParams } from '../params';
import { serverTiming } from '../timing';
import { configOf } from '../config';

/** The live doc of an id, or a 404 (known before any 304: `If-None-Match: *` matches only an article that exists). */
async function liveDoc(index: Archive, id: string, stats: ReadStats): Promise<number> {
  if (!ARTICLE_ID_PATTERN.test(id)) throw new BahthError('ARTICLE_NOT_FOUND', `no article with id "${id.slice(0, 128)}"`, { id: id.slice(0, 128) });
  const doc = await index.docOfId(id, stats);
  if (doc === undefined) throw new BahthError('ARTICLE_NOT_FOUND', `no article with id "${id}"`, { id });
  return doc;
}

/** A 304 when the client has this answer, else the headers of a fresh one (no edge cache). */
function notModifiedAnswer(request: Request, etag: string, maxAge: number): { headers: Record<string, string>; early?: Response } {
  const headers = cacheHeaders(etag, maxAge);
  return notModified(request, etag) ? { headers, early: new Response(null, { status: 304, headers }) } : { headers };
}

/** Where an article's related stories are. */
const relatedHref = (id: string) => `${articleHref(id)}/related`;

/** What a related story shows: its card, without the text. */
function storyCard(s: StoryRef) {
  const a = s.article;
  return {
    id: a.id, title: a.title, ...(a.date ? { date: a.date } : {}), sources: a.sources, ...(a.sources[0] ? { source: a.sources[0] } : {}),
    ...(a.category ? { category: a.category } : {}), ...(a.url ? { url: a.url } : {}), score: Math.round(s.score * 1e4) / 1e4,
  };
}

function relatedBody(id: string, limit: number, found: Related, version: string) {
  return {
    id,
    limit,
    articles: found.stories.map((s) => ({ ...storyCard(s), sameStory: s.sameStory.map(storyCard) })),
    sameStory: found.sameStory.map(storyCard),
    index: version,
  };
}

/** Headers every representation of an article carries, 304s and cached copies too. */
function articleHeaders(res: Response, id: string, page: boolean, policy: string | undefined): Response {
  res.headers.append('vary', 'Accept');
  if (page) {
    res.headers.set('content-security-policy', policy!);
    res.headers.set('x-frame-options', 'DENY');
    res.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  } else res.headers.set('link', `<${relatedHref(id)}>; rel="related"`);
  return res;
}

async function oneArticle(c: Context<AppEnv>): Promise<Response> {
  const started = performance.now();
  const id = c.req.param('id')!;
  const page = wantsHtml(c.req.header('accept'));
  // The words to mark (checked either way) are the page's alone: the JSON's cache key and ETag leave them out.
  const asked = canonical(new URL(c.req.url), ARTICLE_PAGE_PARAMS);
  const q = readParams(asked, ARTICLE_PAGE_PARAMS).q as string | undefined;
  const url = page ? asked : canonical(asked, ARTICLE_PARAMS);
  const stats = new ReadStats();
  // A page that marks a query's words marks their synonyms too, as the search found them: the
  // editor's settings are read for it, and its cached copy is kept under their version.
  const marking = page && !!q?.trim();
  const [index, settings] = await Promise.all([readerFor(c.env).current(stats), marking ? settingsFor(c.env).current(stats) : undefined]);
  const policy = page ? await articlePolicy() : undefined;
  let doc: number;
  try {
    doc = await liveDoc(index, id, stats);
  } catch (e) {
    // A reader who follows a stale link gets a page with a way back to search; an API client, problem+json.
    if (!page || !(e instanceof BahthError) || e.code !== 'ARTICLE_NOT_FOUND') throw e;
    return articleHeaders(c.html(String(await missingPage(id)), 404, { 'cache-control': 'no-store' }), id, true, policy);
  }
  // The page (its related stories computed) is worth the edge cache; the JSON is one read.
  const version = answerVersion(c.env, settings?.version ? `${index.version}~${settings.version}` : index.version);
  const { headers, early } = page
    ? await earlyAnswer(c.req.raw, version, url, configOf(c.env).cacheMaxAge, 'html')
    : notModifiedAnswer(c.req.raw, etagFor(version, url), configOf(c.env).cacheMaxAge);
  if (early) {
    early.headers.set('server-timing', serverTiming(stats, started, early.status === 304 ? 'not-modified' : 'edge'));
    return articleHeaders(early, id, page, policy);
  }
  const article = (await index.docs([doc], stats)).get(doc)!;
  let res: Response;
  if (page) {
    const found = await related(index, doc, article, PAGE_RELATED, stats);
    res = c.html(String(await articlePage(article, found, marking ? queryMatcher(q!, index.synonymsWith(settings!.synonyms)) : undefined)), 200, { ...headers, 'server-timing': serverTiming(stats, started) });
  } else {
    const { origin: _origin, ...public_ } = article;
    res = c.json({ ...public_, source: article.sources[0] ?? null, links: { related: relatedHref(id) } }, 200, { ...headers, 'server-timing': serverTiming(stats, started) });
  }
  articleHeaders(res, id, page, policy);
  if (page) storeAnswer(c, version, url, res, 'html');
  return res;
}

/**
 * Where a browser reads a listing: the results page's (`/search` without words, results-page.ts),
 * with its sections, sources, tags, dates and place; a page is at most a search's size.
 */
function listingPage(url: URL, p: Record<string, unknown>): string {
  const to = new URLSearchParams();
  for (const name of ['source', 'category', 'tag', 'from', 'to']) for (const v of url.searchParams.getAll(name)) to.append(name, v);
  if ((p.offset as number) > 0) to.set('offset', String(p.offset));
  if (url.searchParams.has('limit')) to.set('limit', String(Math.min(p.limit as number, MAX_LIMIT)));
  return to.size ? `/search?${to}` : '/search';
}

export const articlesRoute = new Hono<AppEnv>()
  .get('/', async (c) => {
    const started = performance.now();
    const url = canonical(new URL(c.req.url), LIST_PARAMS);
    const p = readParams(url, LIST_PARAMS);
    // The JSON is an API client's; a browser is sent to the listing's page (a feed is a feed to either).
    if (p.format !== 'atom') {
      c.header('vary', 'Accept', { append: true });
      if (wantsHtml(c.req.header('accept'))) return c.redirect(listingPage(url, p), 303);
    }
    const limit = p.limit as number;
    const bounds = dateBounds(p);
    const days = dayRange(bounds.from, bounds.to);
    const stats = new ReadStats();
    const index = await readerFor(c.env).current(stats);
    const etag = etagFor(answerVersion(c.env, index.version), url);
    if (notModified(c.req.raw, etag)) return c.body(null, 304, cacheHeaders(etag, configOf(c.env).cacheMaxAge));
    const filters = { source: (p.source as string[] | undefined) ?? [], category: (p.category as string[] | undefined) ?? [], tag: (p.tag as string[] | undefined) ?? [], facets: p.facets as boolean };
    const asked = p.offset as number;
    const { total, docs, facets } = await listNewest(index, { offset: asked, limit, days, ...filters }, stats);
    // Echoed as asked, as /search does; past the end the page is empty.
    const end = Math.min(total, Math.min(asked, total) + limit);
    const cards = await index.cards(docs, stats);
    const articles = docs.map((d) => cards.get(d)!);
    let next: string | null = null;
    if (end < total) {
      // The filters as the reader wrote them (a quoted name with a comma of its own stays quoted).
      const params = new URLSearchParams({ offset: String(end), limit: String(limit), ...bounds });
      for (const name of ['source', 'category', 'tag', 'facets']) for (const v of url.searchParams.getAll(name)) params.append(name, v);
      next = `/articles?${params}`;
    }
    if (p.format === 'atom') {
      // A section's, a topic's or the archive's newest stories, for a feed reader.
      const origin = new URL(c.req.url).origin;
      const named = [...filters.source, ...filters.category, ...filters.tag];
      const body = atomFeed({
        title: named.length ? `أحدث الأخبار: ${named.join('، ')}` : 'أحدث الأخبار',
        self: url.href,
        updated: index.manifest.publishedAt,
        entries: articles.map((a) => ({ id: `${origin}/articles/${encodeURIComponent(a.id)}`, title: a.title, link: entryLink(origin, a.id, undefined), updated: a.date, summary: a.lead, source: a.sources[0], category: a.category })),
      });
      return c.body(body, 200, { ...cacheHeaders(etag, configOf(c.env).cacheMaxAge), 'content-type': 'application/atom+xml; charset=utf-8', 'server-timing': serverTiming(stats, started) });
    }
    const unmatchedFilters = unknownFilters(index, filters);
    const echo = { ...(filters.source.length ? { source: filters.source } : {}), ...(filters.category.length ? { category: filters.category } : {}), ...(filters.tag.length ? { tag: filters.tag } : {}) };
    return c.json(
      { total, offset: asked, limit, ...bounds, ...echo, articles, ...(facets ? { facets } : {}), ...(unmatchedFilters ? { unmatchedFilters } : {}), next, index: index.version },
      200,
      { ...cacheHeaders(etag, configOf(c.env).cacheMaxAge), 'server-timing': serverTiming(stats, started) },
    );
  })
  .get('/:id/related', async (c) => {
    const started = performance.now();
    const id = c.req.param('id');
    const url = canonical(new URL(c.req.url), RELATED_PARAMS);
    const limit = readParams(url, RELATED_PARAMS).limit as number;
    const stats = new ReadStats();
    const index = await readerFor(c.env).current(stats);
    const doc = await liveDoc(index, id, stats);
    const version = answerVersion(c.env, index.version);
    const { headers, early } = await earlyAnswer(c.req.raw, version, url, configOf(c.env).cacheMaxAge);
    if (early) {
      early.headers.set('server-timing', serverTiming(stats, started, early.status === 304 ? 'not-modified' : 'edge'));
      return early;
    }
    const article = (await index.docs([doc], stats)).get(doc)!;
    const found = await related(index, doc, article, limit, stats);
    const res = c.json(relatedBody(id, limit, found, index.version), 200, { ...headers, 'server-timing': serverTiming(stats, started) });
    storeAnswer(c, version, url, res);
    return res;
  })
  .get('/:id', oneArticle);
