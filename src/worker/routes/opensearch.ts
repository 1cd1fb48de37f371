/**
 * `GET /opensearch.xml`: the OpenSearch description of this Worker's search, which the results
 * and article pages name (`<link rel="search">`): a browser offers to add it as a search engine,
 * searches the results page from its address bar and completes the words typed there from
 * `/suggest?format=opensearch`.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { xmlText } from '../feed';

/** What a browser calls this search (OpenSearch's ShortName: at most 16 characters). */
export const OPENSEARCH_NAME = 'بحث في الأخبار';

/** The description for a Worker at `origin`. */
export function openSearchDescription(origin: string): string {
  const at = (path: string) => xmlText(`${origin}${path}`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
<ShortName>${xmlText(OPENSEARCH_NAME)}</ShortName>
<Description>ابحث في أرشيف الأخبار: النتائج مرتبة، والأخطاء الإملائية مصححة</Description>
<InputEncoding>UTF-8</InputEncoding>
<Language>ar</Language>
<Url type="text/html" method="get" template="${at('/search?q={searchTerms}')}"/>
<Url type="application/atom+xml" method="get" template="${at('/search?q={searchTerms}&format=atom')}"/>
<Url type="application/x-suggestions+json" method="get" template="${at('/suggest?q={searchTerms}&format=opensearch')}"/>
<Url type="application/opensearchdescription+xml" rel="self" template="${at('/opensearch.xml')}"/>
</OpenSearchDescription>
`;
}

export const openSearchRoute = new Hono<AppEnv>().get('/', (c) =>
  c.body(openSearchDescription(new URL(c.req.url).origin), 200, {
    'content-type': 'application/opensearchdescription+xml; charset=utf-8',
    'cache-control': 'public, max-age=86400',
  }),
);
