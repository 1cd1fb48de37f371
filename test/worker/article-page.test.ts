/**
 * `GET /articles/:id` answers a browser with a readable page and an API client with JSON: the
 * page's content, its escaping and policy, and that caches never hand one form to the other.
 * The index: the seeds and the hostile articles (test/hostile.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE, MIMIC } from '../hostile';
import { call, loadIndex } from './helpers';

beforeAll(() => loadIndex('hostileIndex'));

/** What Chromium sends when it navigates to a page. */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

async function page(id: string, headers: Record<string, string> = {}, q?: string): Promise<{ res: Response; text: string }> {
  const res = await call(`/articles/${encodeURIComponent(id)}${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`, { headers: { accept: BROWSER, ...headers } });
  return { res, text: await res.text() };
}

/** The text of every element matching a simple `<tag ...>` … `</tag>` pattern, entities read. */
function all(text: string, tag: string, attr = ''): string[] {
  return [...text.matchAll(new RegExp(`<${tag}\\b[^>]*${attr}[^>]*>([^]*?)</${tag}>`, 'g'))].map((m) => unescape(m[1]!));
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const unescape = (html: string) => html.replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

async function sha256Base64(text: string): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(d)));
}

describe('GET /articles/:id from a browser', () => {
  it('is a right-to-left page with the title, date, sources, tags and every paragraph', async () => {
    const json = (await (await call('/articles/001-8a7ac69372d375fc')).json()) as { title: string; body: string[]; tags: string[]; sources: string[] };
    const { res, text } = await page('001-8a7ac69372d375fc');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(text).toMatch(/^<!doctype html>\n<html dir="rtl" lang="ar">/);
    expect(all(text, 'h1')).toEqual([json.title]);
    expect(text).toContain('<time datetime="2023-12-10">١٠ ديسمبر ٢٠٢٣</time>');
    expect(all(text, 'p', 'dir="auto"')).toEqual(json.body);
    // Each source, the section and each tag open their newest stories (the results page's listing).
    const links = (label: string) => [...text.matchAll(/<a href="(\/search\?[^"]+)"[^>]*>([^<]+)<\/a>/g)].filter((m) => unescape(m[2]!) === label).map((m) => unescape(m[1]!));
    for (const s of json.sources) expect(links(s), s).toEqual([`/search?${new URLSearchParams({ source: s })}`]);
    expect(all(text, 'li', 'dir="auto"').slice(0, json.tags.length).map((li) => li.replace(/<[^>]+>/g, ''))).toEqual(json.tags);
    for (const t of json.tags) expect(links(t), t).toEqual([`/search?${new URLSearchParams({ tag: t })}`]);
    const tag = json.tags[0]!;
    const topic = await call(links(tag)[0]!, { headers: { accept: BROWSER } });
    expect(topic.status).toBe(200);
    expect(await topic.text()).toContain(`href="/articles/001-8a7ac69372d375fc"`);
    expect(text).toMatch(/<body>\s*<header>[^]*<\/header>\s*<main>[^]*<\/main>\s*<\/body>/);
  });

  it('shows the dateline place, and the page\'s own "مقالات مشابهة" titles', async () => {
    const { text } = await page('004-bafdca1a404276d3');
    expect(text).toContain('<span dir="auto">بكين</span>');
    const own = /<h2 id="own-related">مقالات مشابهة<\/h2>\s*<ul>([^]*?)<\/ul>/.exec(text)?.[1] ?? '';
    expect(all(own, 'li')).toHaveLength(10);
    expect(own).toContain('الرئيس الصيني يجري اتصالاً مع الرئيس الروسي');
  });

  it('lists related stories below, linking to their pages, never the article itself', async () => {
    const { text } = await page('003-0300bacb8aeb6261');
    const section = /<h2 id="related">أخبار ذات صلة<\/h2>\s*<ol class="related">([^]*?)<\/ol>/.exec(text)?.[1] ?? '';
    const links = [...section.matchAll(/<li><a href="\/articles\/([^"]+)" dir="auto">/g)].map((m) => decodeURIComponent(m[1]!));
    expect(links.length).toBeGreaterThan(0);
    expect(links.length).toBeLessThanOrEqual(5);
    expect(links).not.toContain('003-0300bacb8aeb6261');
    const api = (await (await call('/articles/003-0300bacb8aeb6261/related')).json()) as { articles: { id: string }[] };
    expect(links).toEqual(api.articles.map((a) => a.id));
  });

  it('escapes every value from the archive: the hostile articles\' markup is text', async () => {
    for (const a of [HOSTILE, MIMIC]) {
      const { res, text } = await page(a.id);
      expect(res.status).toBe(200);
      expect(text).not.toMatch(/<(img|script|b|i|mark)\b/);
      expect(text).not.toMatch(/href="javascript:/);
      expect(text).toContain('&lt;');
    }
    expect((await page(MIMIC.id)).text).toContain(`<span dir="auto"><a href="/search?${new URLSearchParams({ source: MIMIC.source })}">&lt;i&gt;مصدر&lt;/i&gt;</a></span>`);
    expect((await page(HOSTILE.id)).text).toContain(`<a href="${HOSTILE.url}" rel="noopener noreferrer nofollow">`);
  });

  it('marks the words of the search it was opened from (q) in the title and the text, and changes nothing else', async () => {
    const plain = (await page('004-bafdca1a404276d3')).text;
    const { res, text } = await page('004-bafdca1a404276d3', {}, 'الصين بوتين');
    expect(res.status).toBe(200);
    const marks = all(text, 'mark');
    // Each word in any of its forms (والصين, الصيني: the stem), as a hit's snippet marks it.
    expect(marks.length).toBeGreaterThan(3);
    for (const m of marks) expect(m).toMatch(/صين|بوتين/);
    expect(marks.some((m) => m !== 'الصين' && m !== 'بوتين')).toBe(true);
    expect(all(text, 'h1')[0]).toContain('<mark>');
    expect(text.replace(/<\/?mark>/g, '')).toBe(plain);
    // The hostile articles: the marks go in, their markup stays text (its own </mark> too).
    for (const [a, q] of [[HOSTILE, 'مريب pwned'], [MIMIC, 'مريب مزيف']] as const) {
      const before = (await page(a.id)).text;
      const after = (await page(a.id, {}, q)).text;
      expect(all(after, 'mark').length).toBeGreaterThan(1);
      expect(after).not.toMatch(/<(img|script|b|i)\b/);
      expect(after.replace(/<\/?mark>/g, '')).toBe(before);
    }
    // No word to mark, a query of stop words or an excluded word: the page as it is.
    expect((await page('004-bafdca1a404276d3', {}, 'في -الصين')).text).toBe(plain);
    // The JSON is the same with it, and so its ETag; a q no one typed is a 400 either way.
    const json = await call('/articles/004-bafdca1a404276d3?q=' + encodeURIComponent('الصين'));
    const bare = await call('/articles/004-bafdca1a404276d3');
    expect([await json.text(), json.headers.get('etag')]).toEqual([await bare.text(), bare.headers.get('etag')]);
    const bad = await call('/articles/004-bafdca1a404276d3?q=%00', { headers: { accept: BROWSER } });
    expect(bad.status).toBe(400);
    expect((await call('/articles/004-bafdca1a404276d3?q=%00')).status).toBe(400);
  });

  it('runs nothing and loads nothing: a policy that allows its one style sheet, by hash', async () => {
    const { res, text } = await page('002-dceb01e7f804bfd1');
    const csp = res.headers.get('content-security-policy') ?? '';
    const css = /<style>([^]*?)<\/style>/.exec(text)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src 'sha256-${await sha256Base64(css)}'`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src|unsafe/);
    expect(text).not.toContain('<script');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('is a 404 page with a way back to search for an article that does not exist; JSON clients get problem+json', async () => {
    const { res, text } = await page('no-such-<b>article</b>');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    expect(text).toMatch(/^<!doctype html>\n<html dir="rtl" lang="ar">/);
    expect(text).toContain('no-such-&lt;b&gt;article&lt;/b&gt;');
    expect(text).not.toContain('<b>article');
    expect(text).toContain('<a href="/search">');
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const api = await call('/articles/no-such-article');
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('GET /articles/:id for an API client', () => {
  it.each([[undefined], ['application/json'], ['*/*'], ['text/html;q=0.5, application/json']])('answers JSON for Accept: %s, and says where the related stories are', async (accept) => {
    const res = await call('/articles/001-8a7ac69372d375fc', accept ? { headers: { accept } } : {});
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { id: string; links: { related: string } };
    expect(body.links.related).toBe('/articles/001-8a7ac69372d375fc/related');
    expect(res.headers.get('link')).toBe('</articles/001-8a7ac69372d375fc/related>; rel="related"');
    expect(res.headers.get('vary')).toContain('Accept');
  });
});

describe('caching keeps the page and the JSON apart', () => {
  it('gives them different ETags; each one\'s 304 answers only its own form', async () => {
    const id = '002-dceb01e7f804bfd1';
    const json = await call(`/articles/${id}`);
    const html = await page(id);
    const jsonTag = json.headers.get('etag')!;
    const htmlTag = html.res.headers.get('etag')!;
    expect(jsonTag).toMatch(/^"[^"]+"$/);
    expect(htmlTag).not.toBe(jsonTag);
    expect(html.res.headers.get('vary')).toContain('Accept');

    const htmlAgain = await page(id, { 'if-none-match': htmlTag });
    expect(htmlAgain.res.status).toBe(304);
    expect(htmlAgain.res.headers.get('vary')).toContain('Accept');
    expect(htmlAgain.res.headers.get('content-security-policy')).toContain("default-src 'none'");
    // The JSON's ETag does not validate the page, nor the page's the JSON.
    expect((await page(id, { 'if-none-match': jsonTag })).res.status).toBe(200);
    expect((await call(`/articles/${id}`, { headers: { 'if-none-match': htmlTag } })).status).toBe(200);
    expect((await call(`/articles/${id}`, { headers: { 'if-none-match': jsonTag } })).status).toBe(304);
  });

  it('serves the page from the edge cache as a page, with its own headers; the JSON never from it', async () => {
    const id = '003-0300bacb8aeb6261';
    await page(id);
    // Cache API writes complete after the response: ask until the page is a hit.
    let cachedPage: Response | undefined;
    for (let i = 0; i < 50 && !cachedPage; i++) {
      const res = await call(`/articles/${id}`, { headers: { accept: BROWSER } });
      if (res.headers.get('x-bahth-cache') === 'hit') cachedPage = res;
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(cachedPage!.headers.get('content-type')).toMatch(/^text\/html/);
    expect(cachedPage!.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(cachedPage!.headers.get('vary')).toContain('Accept');
    expect(await cachedPage!.text()).toContain('<html dir="rtl" lang="ar">');
    for (const accept of ['application/json', '*/*']) {
      const json = await call(`/articles/${id}`, { headers: { accept } });
      expect(json.headers.get('x-bahth-cache')).toBeNull();
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(((await json.json()) as { id: string }).id).toBe(id);
    }
  });
});
