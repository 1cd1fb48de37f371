/** `GET /openapi.json` (the contract, generated from api-schema.ts) and `GET /docs` (it, readable). */
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { openApiDocument, type ParamSpec, ARTICLE_PAGE_PARAMS, LIST_PARAMS, RELATED_PARAMS, SEARCH_PARAMS, SUGGEST_PARAMS } from '../api-schema';
import type { AppEnv } from '../context';

export const openApiRoute = new Hono<AppEnv>().get('/', (c) => c.json(openApiDocument(), 200, { 'cache-control': 'public, max-age=300' }));

const ENDPOINTS: [string, string, readonly ParamSpec[]][] = [
  ['GET /search', 'Ranked, highlighted search results with facets.', SEARCH_PARAMS],
  ['GET /suggest', 'Completions and matching titles as the reader types.', SUGGEST_PARAMS],
  ['GET /articles', 'Article cards, newest first, paged.', LIST_PARAMS],
  ['GET /articles/{id}', 'One whole article: JSON, or a readable page with related stories for a browser (Accept: text/html), the words of the search it was opened from marked (q).', ARTICLE_PAGE_PARAMS],
  ['GET /articles/{id}/related', 'Related stories: the same subject, newest first among near-ties, the same story from other sources grouped.', RELATED_PARAMS],
  ['POST /clicks', 'The widget\'s beacon for a hit a reader opened: a JSON body {"q", "id", "position"} (search analytics; nothing identifying the reader is kept).', []],
  ['GET /health', 'The live index version and its counts.', []],
];

function range(p: ParamSpec): string {
  if (p.enum) return p.enum.join(' | ');
  if (p.minimum !== undefined) return `${p.minimum}–${p.maximum}`;
  if (p.type === 'list') return `up to ${p.maxItems}, comma-separated or repeated`;
  if (p.type === 'date') return 'YYYY-MM-DD';
  if (p.maxLength) return `1–${p.maxLength} characters`;
  return p.type;
}

export const docsRoute = new Hono<AppEnv>().get('/', (c) => {
  const sections = ENDPOINTS.map(([path, summary, params]) => html`
    <section>
      <h2><code>${path}</code></h2>
      <p>${summary}</p>
      ${params.length ? html`<table>
        <thead><tr><th>parameter</th><th>values</th><th>default</th><th>meaning</th></tr></thead>
        <tbody>${params.map((p) => html`<tr><td><code>${p.name}</code>${p.required ? ' *' : ''}</td><td>${range(p)}</td><td>${p.default === undefined ? '' : String(p.default)}</td><td>${p.description}</td></tr>`)}</tbody>
      </table>` : ''}
    </section>`);
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>bahth API</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2433}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde;padding:.35rem .5rem;text-align:start;vertical-align:top}
code{background:#f2f4f8;padding:0 .25rem;border-radius:3px}</style></head>
<body><h1>bahth API</h1>
<p>Arabic-first full-text search for news. The machine-readable contract is <a href="/openapi.json"><code>/openapi.json</code></a> (OpenAPI 3.1).
Every error is <code>application/problem+json</code> with <code>status</code>, <code>code</code> and a <code>detail</code> that says what to fix.
Responses carry an <code>ETag</code> keyed on the index version; send <code>If-None-Match</code> for a 304.</p>
${raw(sections.map(String).join(''))}
</body></html>`;
  return c.html(page, 200, { 'cache-control': 'public, max-age=300' });
});
