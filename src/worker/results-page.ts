/**
 * The reader's page of a search (`GET /search` from a browser, as `/articles/:id` is the page of
 * an article): a search form, the count, what was corrected or left out, the hits with their
 * snippets, the facets as links that narrow the search, the order, and pages. Plain HTML and one
 * inline style sheet, no script, the article page's policy with the form allowed to submit here:
 * it works where the widget's script does not run, and a search can be shared or bookmarked.
 * The hits' `titleHtml` and `snippet` are the API's (HTML-escaped, matches in `<mark>`); every
 * other value goes through hono/html's escaping.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { SearchParams, SearchResult } from '../core/search/search';
import type { Hit } from '../core/search/types';
import { arabicDate, articleHref, PAGE_CSS, pagePolicy, quoted, SEARCH_LINK } from './article-page';
import type { Card } from '../core/format/layout';
import { escapeHtml } from '../core/search/snippet';

const CSS = `${PAGE_CSS}
form{display:flex;gap:.5rem;margin:0 0 1rem}form input{flex:1;font:inherit;padding:.35rem .6rem;border:1px solid #9aa0a6;border-radius:.4rem}
form button{font:inherit;padding:.35rem 1rem;border:0;border-radius:.4rem;background:#0b6e4f;color:#fff}
.status{color:#3c4043;margin:.5rem 0}.hint{margin:.5rem 0}
ol.hits{list-style:none;padding:0}ol.hits li{margin:1.4rem 0}ol.hits h2{font-size:1.15rem;margin:0;line-height:1.5}
.snippet{margin:.2rem 0}nav.facets{font-size:.9rem;margin:1rem 0;color:#3c4043}nav.facets p{margin:.3rem 0}
nav.facets a,nav.order a{white-space:nowrap}.chosen{font-weight:700}.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}nav.pages{display:flex;gap:1.5rem;margin-top:2rem}`;

/** The page's Content-Security-Policy: the article page's, its form allowed to search here. */
export const resultsPolicy = pagePolicy(CSS, "'self'");

const arPlural = new Intl.PluralRules('ar');
const digits = new Intl.NumberFormat('ar-u-nu-arab');

/** «٣ نتائج», «نتيجة واحدة» …: the count as the widget says it. */
function countText(n: number): string {
  const forms: Record<string, string> = { zero: 'لا نتائج', one: 'نتيجة واحدة', two: 'نتيجتان', few: `${digits.format(n)} نتائج` };
  return forms[arPlural.select(n)] ?? `${digits.format(n)} نتيجة`;
}

/** The search's URL with some parameters changed (`undefined` removes one), paging reset unless given. */
function searchHref(params: SearchParams, change: Record<string, string | string[] | undefined>): string {
  const out = new URLSearchParams();
  const base: Record<string, string | string[] | undefined> = {
    q: params.q,
    sort: params.sort === 'relevance' ? undefined : params.sort,
    source: params.source?.length ? params.source.map(quoted) : undefined,
    category: params.category?.length ? params.category.map(quoted) : undefined,
    tag: params.tag?.length ? params.tag.map(quoted) : undefined,
    from: params.from,
    to: params.to,
    limit: params.limit === 10 ? undefined : String(params.limit),
    correct: params.correct === false ? 'false' : undefined,
  };
  for (const [k, v] of Object.entries({ ...base, ...change })) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
  }
  return `/search?${out}`;
}

/** Where a hit opens: its source page when it has one (as the widget does), else its page here with the words to mark. */
function hitHref(hit: Hit, q: string): string {
  if (hit.url) {
    try {
      const u = new URL(hit.url);
      if (u.protocol === 'https:' || u.protocol === 'http:') return u.href;
    } catch {
      // not a URL: the page here
    }
  }
  return q ? `${articleHref(hit.id)}?q=${encodeURIComponent(q)}` : articleHref(hit.id);
}

function hitItem(hit: Hit, q: string): HtmlEscapedString | Promise<HtmlEscapedString> {
  const date = arabicDate(hit.date);
  const meta = [date ? html`<time datetime="${hit.date}">${date}</time>` : '', hit.source ? html`<span dir="auto">${hit.source}</span>` : '', hit.category ? html`<span dir="auto">${hit.category}</span>` : ''].filter((x) => x !== '');
  return html`<li><h2 dir="auto"><a href="${hitHref(hit, q)}">${raw(hit.titleHtml)}</a></h2>
<p class="meta">${meta.flatMap((m, i) => (i === 0 ? [m] : [raw(' · '), m]))}</p>
<p class="snippet" dir="auto">${raw(hit.snippet)}</p></li>`;
}

/**
 * One facet's values as links that narrow the search to each; the values chosen come first, each
 * a link that removes the facet's filter, also when nothing matched them (else a search narrowed
 * to nothing would have no way back but the address bar).
 */
function facetLine(label: string, counts: Record<string, number>, chosen: string[] | undefined, href: (value: string | undefined) => string): HtmlEscapedString | Promise<HtmlEscapedString> | '' {
  const picked = chosen ?? [];
  const entries: [string, number][] = [...picked.map((v): [string, number] => [v, counts[v] ?? 0]), ...Object.entries(counts).filter(([v]) => !picked.includes(v)).slice(0, 12)];
  if (entries.length === 0) return '';
  const items = entries.map(([value, n]) =>
    picked.includes(value)
      ? html`<a class="chosen" href="${href(undefined)}" dir="auto" aria-current="true">${value}${n ? ` (${digits.format(n)})` : ''} ✕</a>`
      : html`<a href="${href(value)}" dir="auto">${value} (${digits.format(n)})</a>`);
  return html`<p>${label}: ${items.flatMap((m, i) => (i === 0 ? [m] : [raw(' · '), m]))}</p>`;
}

/**
 * Cards of a listing as hits (no words to mark): what the page shows under its form before any
 * words are asked, the newest stories (of the sections, sources, tags and dates chosen).
 */
export function listingHits(cards: Card[]): Hit[] {
  return cards.map((c) => ({
    id: c.id, title: c.title, titleHtml: escapeHtml(c.title), ...(c.date ? { date: c.date } : {}), sources: c.sources,
    ...(c.sources[0] ? { source: c.sources[0] } : {}), ...(c.category ? { category: c.category } : {}),
    score: 0, snippet: escapeHtml(c.lead), snippetText: c.lead, matches: { title: [], snippet: [] },
  }));
}

/** The page: the form, then the search's answer (without words, the newest stories: {@link listingHits}). */
export function resultsPage(params: SearchParams | undefined, result: SearchResult | undefined): HtmlEscapedString | Promise<HtmlEscapedString> {
  const q = params?.q ?? '';
  const form = html`<form role="search" action="/search" method="get">
<label for="q" class="visually-hidden">ابحث في الأخبار</label>
<input id="q" name="q" type="search" value="${q}" dir="auto" maxlength="256" placeholder="ابحث في الأخبار…" aria-label="ابحث في الأخبار">
<button type="submit">بحث</button>
</form>`;
  let body: HtmlEscapedString | Promise<HtmlEscapedString> | string = '';
  if (params && result) {
    const p = params;
    const r = result;
    // The words searched: a correction's, when the hits are its (what the article page marks).
    const searched = r.corrected && r.didYouMean ? r.didYouMean : r.completed ?? r.query;
    const hint = r.didYouMean
      ? r.corrected
        ? html`<p class="hint">نتائج «${r.didYouMean}». ابحث بدلًا من ذلك عن: <a href="${searchHref(p, { correct: 'false' })}" dir="auto">${r.query}</a></p>`
        : html`<p class="hint">هل تقصد: <a href="${searchHref(p, { q: r.didYouMean })}" dir="auto">${r.didYouMean}</a></p>`
      : '';
    const notes = [
      r.total && r.unmatched?.length ? `لا يحوي أيّ خبر ${r.unmatched.map((w) => `«${w}»`).join('، ')}` : '',
      !r.total && r.ignored?.length ? `${r.ignored.map((w) => `«${w}»`).join('، ')}: كلمات أشيع من أن يُبحث بها، أضف اسمًا أو كلمة أدق` : '',
      r.unmatchedFilters ? `لا خبر من ${[...(r.unmatchedFilters.source ?? []), ...(r.unmatchedFilters.category ?? [])].map((w) => `«${w}»`).join('، ')}` : '',
      // What the search let go to find anything (the API's `relaxed`).
      r.relaxed?.includes('phrase') ? 'لا خبر يحوي العبارة كما كُتبت: النتائج لكلماتها' : '',
      r.relaxed?.includes('words') ? 'لا خبر يحوي الكلمات كلها: النتائج لأكثرها' : '',
    ].filter(Boolean);
    // Exclusions alone: the newest stories without them.
    const newest = !q ? 'أحدث الأخبار · ' : r.without?.length ? `أحدث الأخبار دون ${r.without.map((w) => `«${w}»`).join('، ')} · ` : '';
    const status = `${newest}${r.estimated?.includes('total') ? 'نحو ' : ''}${countText(r.total)}${notes.length ? ` · ${notes.join(' · ')}` : ''}`;
    const f = r.facets;
    const year = p.from && p.to && p.from.endsWith('-01-01') && p.to.endsWith('-12-31') && p.from.slice(0, 4) === p.to.slice(0, 4) ? [p.from.slice(0, 4)] : undefined;
    // A range that is not one whole year, and tags: shown as chosen, each removable.
    const range = (p.from || p.to) && !year ? [`${p.from ?? '…'} – ${p.to ?? '…'}`] : undefined;
    const filtered = !!(p.source?.length || p.category?.length || p.tag?.length || p.from || p.to);
    const none: NonNullable<SearchResult['facets']> = { source: {}, category: {}, year: {} };
    const shown = f && r.total > 0 ? f : none;
    const facets = (f && r.total > 0) || filtered
      ? html`<nav class="facets" aria-label="تضييق البحث">
${facetLine('المصدر', shown.source, p.source, (v) => searchHref(p, { source: v === undefined ? undefined : [quoted(v)] }))}
${facetLine('القسم', shown.category, p.category, (v) => searchHref(p, { category: v === undefined ? undefined : [quoted(v)] }))}
${facetLine('السنة', Object.fromEntries(Object.entries(shown.year).reverse()), year, (v) => searchHref(p, { from: v === undefined ? undefined : `${v}-01-01`, to: v === undefined ? undefined : `${v}-12-31` }))}
${range ? facetLine('التاريخ', {}, range, () => searchHref(p, { from: undefined, to: undefined })) : ''}
${p.tag?.length ? facetLine('الوسم', {}, p.tag, () => searchHref(p, { tag: undefined })) : ''}
</nav>`
      : '';
    const order = r.total > 1 && q && !r.without
      ? html`<nav class="order" aria-label="الترتيب"><p>الترتيب: ${p.sort === 'relevance' ? html`<span class="chosen">الأكثر صلة</span> · <a href="${searchHref(p, { sort: 'date' })}">الأحدث</a>` : html`<a href="${searchHref(p, { sort: undefined })}">الأكثر صلة</a> · <span class="chosen">الأحدث</span>`}</p></nav>`
      : '';
    const prev = p.offset > 0 ? html`<a href="${searchHref(p, { offset: p.offset - p.limit > 0 ? String(p.offset - p.limit) : undefined })}" rel="prev">السابق</a>` : '';
    const next = p.offset + p.limit < r.total ? html`<a href="${searchHref(p, { offset: String(p.offset + p.limit) })}" rel="next">التالي</a>` : '';
    body = html`<p class="status" role="status">${status}</p>
${hint}${facets}${order}${r.hits.length ? html`<ol class="hits" aria-label="نتائج البحث">${r.hits.map((h) => hitItem(h, searched))}</ol>\n` : ''}${prev || next ? html`<nav class="pages" aria-label="الصفحات">${prev}${next}</nav>\n` : ''}`;
  }
  return html`<!doctype html>
<html dir="rtl" lang="ar">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${q ? `${q} — ` : ''}بحث في الأخبار</title>
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
${SEARCH_LINK}
${q ? html`<link rel="alternate" type="application/json" href="${searchHref(params!, { offset: params!.offset ? String(params!.offset) : undefined })}">
<link rel="alternate" type="application/atom+xml" title="${`بحث: ${q}`}" href="${searchHref(params!, { format: 'atom' })}">\n` : ''}<style>${raw(CSS)}</style>
</head>
<body>
<header><a href="/search">بحث — ابحث في الأخبار</a></header>
<main>
<h1 class="visually-hidden">${q ? `نتائج البحث عن «${q}»` : 'ابحث في الأخبار'}</h1>
${form}
${body}</main>
</body>
</html>`;
}
