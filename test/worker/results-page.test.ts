/**
 * `GET /search` answers a browser with a page of results (results-page.ts) and an API client with
 * JSON: the page shows the JSON's hits in its order, its count, corrections, facets as links that
 * narrow the search, the order and the pages, escapes what the archive holds, and caches never
 * hand one form to the other. The index: the seeds and the hostile articles (test/hostile.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, MIMIC } from '../hostile';
import { call, getJson, loadIndex, type Result } from './helpers';

beforeAll(() => loadIndex('hostileIndex'));

/** What Chromium sends when it navigates to a page. */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

async function page(path: string): Promise<{ res: Response; text: string }> {
  const res = await call(path, { headers: { accept: BROWSER } });
  return { res, text: await res.text() };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescape = (html: string) => html.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

/** The ids the page's hits open (`/articles/<id>?q=` or a source URL, by the JSON's hit of that place). */
function hitLinks(text: string): string[] {
  const list = /<ol class="hits"[^>]*>([^]*?)<\/ol>/.exec(text)?.[1] ?? '';
  return [...list.matchAll(/<h2 dir="auto"><a href="([^"]+)">/g)].map((m) => unescape(m[1]!));
}

/** A link's href by its text (entities read). */
function linkTo(text: string, label: RegExp): string | undefined {
  for (const m of text.matchAll(/<a [^>]*href="([^"]+)"[^>]*>([^]*?)<\/a>/g)) if (label.test(unescape(m[2]!))) return unescape(m[1]!);
  return undefined;
}

const q = (s: string, extra = '') => `/search?q=${encodeURIComponent(s)}${extra}`;

describe('GET /search from a browser', () => {
  it('shows the JSON\'s hits in its order, linked to their pages with the words to mark, and its count', async () => {
    const json = (await getJson<Result>(q('روسيا'))).body;
    expect(json.hits.length).toBeGreaterThan(1);
    const { res, text } = await page(q('روسيا'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(res.headers.get('vary')).toContain('Accept');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-[^']+'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'/);
    expect(text).toMatch(/^<!doctype html>\n<html dir="rtl" lang="ar">/);
    const want = (json.hits as (typeof json.hits[number] & { url?: string })[]).map((h) => (h.url ? new URL(h.url).href : `/articles/${encodeURIComponent(h.id)}?q=${encodeURIComponent('روسيا')}`));
    expect(hitLinks(text)).toEqual(want);
    expect(text).toContain('<mark>');
    expect(text).toContain(`<input id="q" name="q" type="search" value="روسيا"`);
    expect(text).toMatch(new RegExp(`<p class="status" role="status">(${new Intl.NumberFormat('ar-u-nu-arab').format(json.total)} نتائج|نتيجتان|نتيجة واحدة|[^<]* نتيجة)`));
    // The JSON is the same with the page asked first: one cache entry per form.
    const again = await call(q('روسيا'));
    expect(again.headers.get('content-type')).toContain('application/json');
    expect(((await again.json()) as Result).hits.map((h) => h.id)).toEqual(json.hits.map((h) => h.id));
  });

  it('pages, orders and narrows by the links it shows, each page the JSON\'s', async () => {
    const first = await page(q('روسيا', '&limit=2'));
    const next = linkTo(first.text, /^التالي$/);
    expect(next).toBe(q('روسيا', '&limit=2&offset=2'));
    const json2 = (await getJson<Result>(`${next}`)).body;
    const second = await page(next!);
    expect(hitLinks(second.text).length).toBe(json2.hits.length);
    expect(linkTo(second.text, /^السابق$/)).toBe(q('روسيا', '&limit=2'));
    // By date: the JSON's newest first.
    const byDate = linkTo(first.text, /^الأحدث$/)!;
    expect(new URL(byDate, 'http://x').searchParams.get('sort')).toBe('date');
    const dated = (await getJson<Result>(byDate)).body;
    expect(hitLinks((await page(byDate)).text)).toHaveLength(dated.hits.length);
    // A source facet narrows to it; its count is the JSON's total for it, and the chosen one undoes it.
    const facets = (await getJson<Result>(q('روسيا'))).body.facets!;
    const [source, count] = Object.entries(facets.source)[0]!;
    const narrow = linkTo(first.text, new RegExp(`^${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`))!;
    expect(new URL(narrow, 'http://x').searchParams.getAll('source')).toEqual([source]);
    const narrowed = (await getJson<Result>(narrow)).body;
    expect(narrowed.total).toBe(count);
    const narrowedPage = (await page(narrow)).text;
    expect(new URL(linkTo(narrowedPage, /✕$/)!, 'http://x').searchParams.getAll('source')).toEqual([]);
  });

  it('shows the filters chosen, each with a link that removes it, also when they leave nothing', async () => {
    const path = q('روسيا', `&source=${encodeURIComponent('no such outlet')}&tag=x&from=2018-01-01&to=2018-03-05`);
    expect((await getJson<Result>(path)).body.total).toBe(0);
    const { text } = await page(path);
    const undo = (label: RegExp) => new URL(linkTo(text, label)!, 'http://x').searchParams;
    const bySource = undo(/^no such outlet ✕$/);
    expect(bySource.getAll('source')).toEqual([]);
    expect(bySource.get('tag')).toBe('x');
    const byRange = undo(/^2018-01-01 – 2018-03-05 ✕$/);
    expect([byRange.get('from'), byRange.get('to'), byRange.get('source')]).toEqual([null, null, 'no such outlet']);
    expect(undo(/^x ✕$/).getAll('tag')).toEqual([]);
  });

  it('says what it corrected, with a way to search the words as typed, and what it could not search', async () => {
    const corrected = (await getJson<Result>(q('الكرملن'))).body;
    expect(corrected).toMatchObject({ corrected: true, didYouMean: 'الكرملين' });
    const { text } = await page(q('الكرملن'));
    expect(text).toContain('نتائج «الكرملين». ابحث بدلًا من ذلك عن:');
    expect(new URL(linkTo(text, /^الكرملن$/)!, 'http://x').searchParams.get('correct')).toBe('false');
    // Hits of the correction open their pages marking the word searched.
    expect(hitLinks(text).every((h) => h.includes(`?q=${encodeURIComponent('الكرملين')}`) || h.startsWith('http'))).toBe(true);
    expect((await page(q('من هو'))).text).toContain('لا نتائج · «من»، «هو»: كلمات أشيع من أن يُبحث بها');
    expect((await page(q('بوتين ظغثقفخ'))).text).toContain('لا يحوي أيّ خبر «ظغثقفخ»');
    // What the search let go, as the JSON's relaxed says: a phrase no article holds, and by date words no article holds all of.
    for (const [path, note] of [[q('"بوتين مريب"'), 'لا خبر يحوي العبارة كما كُتبت: النتائج لكلماتها'], [q('روسيا مريب', '&sort=date'), 'لا خبر يحوي الكلمات كلها: النتائج لأكثرها']] as const) {
      const relaxed = (await getJson<Result & { relaxed?: string[] }>(path)).body.relaxed;
      expect(relaxed, path).toEqual([note.includes('العبارة') ? 'phrase' : 'words']);
      expect((await page(path)).text, path).toContain(note);
    }
  });

  it('shows the form over the newest stories without words (a section\'s too), and the API\'s 400 for a bad parameter', async () => {
    const newest = (await getJson<{ total: number; articles: { id: string }[] }>('/articles?limit=10')).body;
    for (const path of ['/search', '/search?q=', '/search?q=%20%20']) {
      const { res, text } = await page(path);
      expect(res.status, path).toBe(200);
      expect(text).toContain('<form role="search" action="/search" method="get">');
      expect(text).toContain(`<p class="status" role="status">أحدث الأخبار · `);
      expect(hitLinks(text), path).toEqual(newest.articles.map((a) => `/articles/${encodeURIComponent(a.id)}`));
    }
    // A source's: its facet link narrows the listing as /articles narrows it.
    const front = (await page('/search')).text;
    const source = /<p>المصدر: <a href="([^"]+)" dir="auto">([^<]+) \(/.exec(front)!;
    const narrowed = (await getJson<{ articles: { id: string }[] }>(`/articles?limit=10&source=${encodeURIComponent(unescape(source[2]!))}`)).body;
    expect(hitLinks((await page(unescape(source[1]!))).text)).toEqual(narrowed.articles.map((a) => `/articles/${encodeURIComponent(a.id)}`));
    expect((await call('/search')).status).toBe(400);
    const bad = await call(q('روسيا', '&limit=0'), { headers: { accept: BROWSER } });
    expect(bad.status).toBe(400);
  });

  it('sends a browser asking /articles to the listing\'s page, and keeps the JSON for API clients', async () => {
    const json = await call('/articles?limit=5');
    expect(json.headers.get('content-type')).toContain('application/json');
    expect(json.headers.get('vary')).toContain('Accept');
    const { articles } = (await json.json()) as { articles: { id: string; source?: string; sources: string[] }[] };
    const source = articles.find((a) => a.sources[0])!.sources[0]!;
    const asked = `/articles?source=${encodeURIComponent(source)}&limit=100&offset=0&facets=true&utm_source=x`;
    const sent = await call(asked, { headers: { accept: BROWSER }, redirect: 'manual' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('vary')).toContain('Accept');
    // The filters and the place go along, a page at most a search's size; what only the JSON reads stays behind.
    const to = sent.headers.get('location')!;
    expect(to).toBe(`/search?source=${encodeURIComponent(source).replace(/%20/g, '+')}&limit=50`);
    const listed = (await getJson<{ articles: { id: string }[] }>(`/articles?source=${encodeURIComponent(source)}&limit=50`)).body;
    expect(hitLinks((await page(to)).text)).toEqual(listed.articles.map((a) => `/articles/${encodeURIComponent(a.id)}`));
    // A bad parameter is the API's 400 either way; a feed is a feed to a browser too.
    expect((await call('/articles?limit=0', { headers: { accept: BROWSER } })).status).toBe(400);
    const feed = await call('/articles?format=atom', { headers: { accept: BROWSER } });
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toContain('application/atom+xml');
  });

  it('describes the search for a browser\'s address bar (OpenSearch), named by every page, with suggestions', async () => {
    const res = await call('/opensearch.xml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/opensearchdescription+xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<OpenSearchDescription xmlns="http:\/\/a9.com\/-\/spec\/opensearch\/1.1\/">/);
    const templates = [...xml.matchAll(/<Url type="([^"]+)"[^>]* template="([^"]+)"/g)].map((m) => [m[1], unescape(m[2]!)]);
    expect(templates).toEqual([
      ['text/html', 'http://bahth.test/search?q={searchTerms}'],
      ['application/atom+xml', 'http://bahth.test/search?q={searchTerms}&format=atom'],
      ['application/x-suggestions+json', 'http://bahth.test/suggest?q={searchTerms}&format=opensearch'],
      ['application/opensearchdescription+xml', 'http://bahth.test/opensearch.xml'],
    ]);
    expect(/<ShortName>([^<]+)<\/ShortName>/.exec(xml)![1]!.length).toBeLessThanOrEqual(16);
    // The suggestions: the query and /suggest's completions, as a browser reads them.
    const typed = 'الرئ';
    const json = (await getJson<{ completions: { text: string }[] }>(`/suggest?q=${encodeURIComponent(typed)}`)).body;
    expect(json.completions.length).toBeGreaterThan(0);
    const open = await call(`/suggest?q=${encodeURIComponent(typed)}&format=opensearch`);
    expect(open.headers.get('content-type')).toBe('application/x-suggestions+json; charset=utf-8');
    expect(await open.json()).toEqual([typed, json.completions.map((c) => c.text.trim())]);
    expect((await call(`/suggest?q=${encodeURIComponent(typed)}&format=xml`)).status).toBe(400);
    // Every page names it.
    const link = '<link rel="search" type="application/opensearchdescription+xml" title="بحث في الأخبار" href="/opensearch.xml">';
    for (const path of ['/search', q('روسيا'), '/articles/001-8a7ac69372d375fc', '/articles/no-such-story']) expect((await page(path)).text, path).toContain(link);
  });

  it('names what a query of exclusions alone leaves out over the newest stories without it', async () => {
    const json = (await getJson<Result>(q('-روسيا'))).body;
    expect(json.without).toEqual(['روسيا']);
    expect(json.total).toBeGreaterThan(1);
    const { res, text } = await page(q('-روسيا'));
    expect(res.status).toBe(200);
    expect(text).toContain('<p class="status" role="status">أحدث الأخبار دون «روسيا» · ');
    expect(hitLinks(text)).toEqual((json.hits as (typeof json.hits[number] & { url?: string })[]).map((h) => (h.url ? new URL(h.url).href : `/articles/${encodeURIComponent(h.id)}?q=${encodeURIComponent('-روسيا')}`)));
    // Newest first is all it can be: no order to choose.
    expect(text).not.toContain('<nav class="order"');
  });

  it('escapes what the archive holds: the hostile articles\' markup shows as text', async () => {
    for (const words of ['مريب pwned', 'مريب مزيف']) {
      const { text } = await page(q(words, '&limit=20'));
      const ids = hitLinks(text);
      expect(ids.some((h) => h.includes(HOSTILE.id) || h === HOSTILE.url || h.includes(MIMIC.id))).toBe(true);
      const found = /.{0,80}(<img|<script|<i>|href="javascript:).{0,80}/.exec(text);
      expect(found?.[0]).toBeUndefined();
      expect(text).not.toContain('</mark><mark>مزيف');
    }
    // As text, visible.
    expect((await page(q('مريب pwned'))).text).toContain('&lt;img src=x onerror=&quot;window.__<mark>pwned</mark>=1&quot;&gt;');
  });
});

describe('Atom feeds (format=atom)', () => {
  /** The entries' ids (each an article's page here), in order. */
  const entryIds = (xml: string) => [...xml.matchAll(/<entry>\n<id>[^<]*\/articles\/([^<]+)<\/id>/g)].map((m) => decodeURIComponent(unescape(m[1]!)));

  it('follows a search newest first (or as asked), as the JSON ranks it, escaped', async () => {
    const res = await call(q('روسيا', '&format=atom&limit=20'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom" xml:lang="ar">/);
    const byDate = (await getJson<Result>(q('روسيا', '&sort=date&limit=20'))).body;
    expect(byDate.hits.length).toBeGreaterThan(1);
    expect(entryIds(xml)).toEqual(byDate.hits.map((h) => h.id));
    expect(xml).toContain('<title>بحث: روسيا</title>');
    expect(xml).toMatch(/<link rel="self" type="application\/atom\+xml" href="http:\/\/bahth.test\/search\?q=[^"]*&amp;format=atom/);
    const relevance = await (await call(q('روسيا', '&format=atom&sort=relevance'))).text();
    expect(entryIds(relevance)).toEqual((await getJson<Result>(q('روسيا'))).body.hits.map((h) => h.id));
    // The hostile articles' markup is text in the feed too.
    const hostile = await (await call(q('مريب', '&format=atom&limit=20'))).text();
    expect(entryIds(hostile)).toEqual(expect.arrayContaining([HOSTILE.id, MIMIC.id]));
    expect(hostile).not.toMatch(/<img|<script|<i>|<mark>/);
    expect(hostile).toContain('&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;');
    // A format it does not know: a 400 naming it.
    const bad = await getJson<{ parameter: string }>(q('روسيا', '&format=rss'));
    expect(bad.status).toBe(400);
    expect(bad.body.parameter).toBe('format');
  });

  it('follows a listing (a section, a topic, the archive) as /articles lists it', async () => {
    const json = (await getJson<{ articles: { id: string }[] }>('/articles?limit=5')).body;
    const res = await call('/articles?limit=5&format=atom');
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await res.text();
    expect(entryIds(xml)).toEqual(json.articles.map((a) => a.id));
    expect(xml).toContain('<title>أحدث الأخبار</title>');
    expect(res.headers.get('etag')).not.toBe((await call('/articles?limit=5')).headers.get('etag'));
  });
});
