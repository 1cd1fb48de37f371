/**
 * The reader's page of one article (`GET /articles/:id` from a browser): right to left, the
 * story, its own related titles, then related stories. Plain HTML and one inline style sheet, no
 * script: every value from the archive goes through hono/html's escaping, and the page's policy
 * allows that one style sheet (by its hash) and nothing else.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Article } from '../core/article';
import type { Related, StoryRef } from '../core/search/related';
import { highlightAll, type Matcher } from '../core/search/snippet';
import { OPENSEARCH_NAME } from './routes/opensearch';

/** The pages' shared style (the article's page, the results page adds to it). */
export const PAGE_CSS = `body{margin:0 auto;max-width:44rem;padding:1.25rem 1.25rem 4rem;font:1.0625rem/1.8 system-ui,"Noto Naskh Arabic","Segoe UI",Tahoma,sans-serif;color:#1b1b1f;background:#fafafa}
a{color:#0b6e4f}header{font-size:.95rem;margin-bottom:1.5rem}
h1{font-size:1.75rem;line-height:1.4;margin:0 0 .5rem}h2{font-size:1.2rem;margin:2.5rem 0 .75rem}
.meta{color:#5f6368;font-size:.9rem;margin:.25rem 0}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}.tags li{background:#e8eaed;border-radius:1rem;padding:0 .75rem;font-size:.9rem}
ol.related{padding-inline-start:1.5rem;list-style:arabic-indic}ol.related li{margin:.9rem 0}ol.related a{font-weight:600}
.also{font-size:.85rem;color:#5f6368;margin:.15rem 0}
mark{background:#fde68a;color:inherit;border-radius:.2rem;padding:0 .1rem}`;
const CSS = PAGE_CSS;

/**
 * A page's Content-Security-Policy: its own style sheet (by its hash, computed once), nothing to
 * run, nothing to load; `formAction` where a form on it may submit.
 */
export function pagePolicy(css: string, formAction: "'none'" | "'self'"): () => Promise<string> {
  let hash: Promise<string> | undefined;
  return async () => {
    hash ??= crypto.subtle.digest('SHA-256', new TextEncoder().encode(css)).then((d) => btoa(String.fromCharCode(...new Uint8Array(d))));
    return ["default-src 'none'", `style-src 'sha256-${await hash}'`, 'img-src data:', "base-uri 'none'", `form-action ${formAction}`, "frame-ancestors 'none'"].join('; ');
  };
}

/** The article page's policy: no form to send. */
export const articlePolicy = pagePolicy(CSS, "'none'");

const DATE = new Map<string, Intl.DateTimeFormat>();

/** A date as an Arabic reader writes it (١٠ ديسمبر ٢٠٢٣), or '' for none or a malformed one. */
export function arabicDate(iso: string | undefined): string {
  const d = iso ? new Date(iso) : undefined;
  if (!d || Number.isNaN(d.getTime())) return '';
  let f = DATE.get('long');
  if (!f) DATE.set('long', (f = new Intl.DateTimeFormat('ar-u-nu-arab', { dateStyle: 'long', timeZone: 'UTC' })));
  return f.format(d);
}

/** The article's own page on this Worker. */
export function articleHref(id: string): string {
  return `/articles/${encodeURIComponent(id)}`;
}

/** The pages' `<link>` to the search's OpenSearch description: a browser offers to add it. */
export const SEARCH_LINK = raw(`<link rel="search" type="application/opensearchdescription+xml" title="${OPENSEARCH_NAME}" href="/opensearch.xml">`);

/** A filter's value as the API reads a list: quoted when it holds a comma or a quote of its own. */
export function quoted(v: string): string {
  return /[,"]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The page listing a source's, a section's or a topic's newest stories (results-page.ts, `/search` without words). */
export function listingHref(filter: 'source' | 'category' | 'tag', value: string): string {
  return `/search?${new URLSearchParams({ [filter]: quoted(value) })}`;
}

/** An http(s) URL from the data, or undefined (never a `javascript:` one). */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

const join = (parts: (HtmlEscapedString | string)[], sep: string) => parts.flatMap((p, i) => (i === 0 ? [p] : [raw(sep), p]));

/**
 * The date, sources, place and category of an article. `own`: the article's page itself, where
 * the place is shown and each source and the section open their newest stories.
 */
function meta(a: Article, own: boolean): HtmlEscapedString | Promise<HtmlEscapedString> {
  const parts: (HtmlEscapedString | Promise<HtmlEscapedString>)[] = [];
  const date = arabicDate(a.date);
  if (date) parts.push(html`<time datetime="${a.date}">${date}</time>`);
  if (a.sources.length) {
    const sources = own ? a.sources.map((s) => html`<a href="${listingHref('source', s)}">${s}</a>`) : [a.sources.join('، ')];
    parts.push(html`<span dir="auto">${join(sources as HtmlEscapedString[], '، ')}</span>`);
  }
  if (own && a.place) parts.push(html`<span dir="auto">${a.place}</span>`);
  if (a.category) parts.push(own ? html`<a href="${listingHref('category', a.category)}" dir="auto">${a.category}</a>` : html`<span dir="auto">${a.category}</span>`);
  return html`${join(parts as HtmlEscapedString[], ' · ')}`;
}

function story(s: Related['stories'][number]): HtmlEscapedString | Promise<HtmlEscapedString> {
  const others = s.sameStory.map((o: StoryRef) => html`<a href="${articleHref(o.article.id)}" dir="auto">${o.article.sources[0] ?? o.article.title}</a>`);
  return html`<li><a href="${articleHref(s.article.id)}" dir="auto">${s.article.title}</a>
<p class="meta">${meta(s.article, false)}</p>${others.length ? html`<p class="also">والخبر نفسه في: ${join(others as HtmlEscapedString[], '، ')}</p>` : ''}</li>`;
}

/** Text as HTML, the words `marks` matches in `<mark>` (escaped either way). */
function marked(text: string, marks: Matcher | undefined): HtmlEscapedString | string {
  return marks ? raw(highlightAll(text, marks).html) : text;
}

/**
 * The whole page: the article, its own related titles, and `related` (already found). `marks`:
 * the words of the search the reader came from, marked in the title and the text.
 */
export function articlePage(a: Article, related: Related, marks?: Matcher): HtmlEscapedString | Promise<HtmlEscapedString> {
  const url = safeUrl(a.url);
  const lead = a.body.join(' ').slice(0, 200);
  const more = related.sameStory.map((o) => html`<a href="${articleHref(o.article.id)}" dir="auto">${o.article.sources[0] ?? o.article.title}</a>`);
  return html`<!doctype html>
<html dir="rtl" lang="ar">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${a.title} — بحث</title>
<meta name="description" content="${lead}">
<link rel="icon" href="data:,">
${SEARCH_LINK}
${url ? html`<link rel="canonical" href="${url}">\n` : ''}<link rel="alternate" type="application/json" href="${articleHref(a.id)}">
<style>${raw(CSS)}</style>
</head>
<body>
<header><a href="/search">بحث — ابحث في الأخبار</a></header>
<main>
<article>
<h1 dir="auto">${marked(a.title, marks)}</h1>
<p class="meta">${meta(a, true)}</p>
${a.body.map((p) => html`<p dir="auto">${marked(p, marks)}</p>\n`)}${a.tags.length ? html`<ul class="tags" aria-label="كلمات دلالية">${a.tags.map((t) => html`<li dir="auto"><a href="${listingHref('tag', t)}">${t}</a></li>`)}</ul>\n` : ''}${url ? html`<p><a href="${url}" rel="noopener noreferrer nofollow">الخبر في مصدره</a></p>\n` : ''}${more.length ? html`<p class="also">والخبر نفسه في: ${join(more as HtmlEscapedString[], '، ')}</p>\n` : ''}${a.related.length ? html`<section aria-labelledby="own-related">
<h2 id="own-related">مقالات مشابهة</h2>
<ul>${a.related.map((t) => html`<li dir="auto">${t}</li>`)}</ul>
</section>\n` : ''}</article>
${related.stories.length ? html`<section aria-labelledby="related">
<h2 id="related">أخبار ذات صلة</h2>
<ol class="related">${related.stories.map(story)}</ol>
</section>\n` : ''}</main>
</body>
</html>`;
}

/** The page a browser gets for an article that is not in the archive (a 404): a way back to search. */
export function missingPage(id: string): HtmlEscapedString | Promise<HtmlEscapedString> {
  return html`<!doctype html>
<html dir="rtl" lang="ar">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>لا يوجد هذا الخبر — بحث</title>
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
${SEARCH_LINK}
<style>${raw(CSS)}</style>
</head>
<body>
<header><a href="/search">بحث — ابحث في الأخبار</a></header>
<main>
<h1>لا يوجد هذا الخبر</h1>
<p>لم نجد في الأرشيف خبرًا بالمعرّف <code dir="ltr">${id.slice(0, 128)}</code>: ربما حُذف أو تغيّر رابطه.</p>
<p><a href="/search">ابحث في الأخبار</a></p>
</main>
</body>
</html>`;
}
