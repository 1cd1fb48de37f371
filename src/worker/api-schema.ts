/**
 * The API contract in one place: the parameters each endpoint accepts (which `readParams`
 * validates requests against) and the JSON Schemas of its answers. `GET /openapi.json` is
 * generated from the same objects, so the document cannot drift from what the Worker does.
 */
import { MAX_QUERY_LENGTH, MAX_WORDS } from '../core/search/query';
import { DEFAULT_RECENCY } from '../core/search/options';

/** One query or path parameter. */
export interface ParamSpec {
  name: string;
  in: 'query' | 'path';
  description: string;
  required?: boolean;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'list';
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  /** For lists: at most this many values (comma-separated or repeated). */
  maxItems?: number;
  enum?: readonly string[];
  default?: string | number | boolean;
  example?: string;
}

export const MAX_LIMIT = 50;
export const MAX_OFFSET = 10_000;
export const MAX_PAGE = 100;
export const MAX_SUGGEST_LENGTH = 100;

export const SEARCH_PARAMS: readonly ParamSpec[] = [
  { name: 'q', in: 'query', type: 'string', required: true, maxLength: MAX_QUERY_LENGTH, example: 'بوتين الصين', description: `The query. Words are optional (documents with more of them, and in their titles, generally rank higher); "quoted phrases" must match in order; +word requires the word (as a one-word "word" does); -word excludes the documents holding the word, -"quoted phrase" those holding every word of the phrase; A OR B (or A | B) joins two words as one, held by holding either (what sort=date asks of every document); NOT word is -word; AND is no word. Exclusions alone (-الصين) list the newest articles without them (see without). At most ${MAX_WORDS} words are used.` },
  { name: 'limit', in: 'query', type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 10, description: 'Hits per page.' },
  { name: 'offset', in: 'query', type: 'integer', minimum: 0, maximum: MAX_OFFSET, default: 0, description: 'Hits to skip (page with `total`).' },
  { name: 'sort', in: 'query', type: 'string', enum: ['relevance', 'date'], default: 'relevance', description: 'Ranking (every word optional: an article is ranked by its words\' BM25, its title holding them all, and the features of docs/ranking.md), or newest first: the articles holding every word of the query (each in any of its forms, its correction, a synonym), or, when none holds them all, those holding the most of them (relaxed: words); total and facets count the articles listed.' },
  { name: 'source', in: 'query', type: 'list', maxItems: 20, maxLength: 100, description: 'Only these sources (comma-separated or repeated; any of them). A name with a comma of its own goes in double quotes: `"Reuters, Inc.",AFP`.' },
  { name: 'category', in: 'query', type: 'list', maxItems: 20, maxLength: 100, description: 'Only these categories.' },
  { name: 'tag', in: 'query', type: 'list', maxItems: 10, maxLength: 100, description: 'Only articles with one of these tags.' },
  { name: 'from', in: 'query', type: 'date', description: 'Published on or after this day (YYYY-MM-DD).' },
  { name: 'to', in: 'query', type: 'date', description: 'Published on or before this day (YYYY-MM-DD).' },
  { name: 'facets', in: 'query', type: 'boolean', default: true, description: 'Count sources, categories and years over all matches.' },
  { name: 'recency', in: 'query', type: 'number', minimum: 0, maximum: 1, default: DEFAULT_RECENCY, description: 'Strength of the recency prior; 0 switches it off.' },
  { name: 'correct', in: 'query', type: 'boolean', default: true, description: 'Correct likely typos (see `didYouMean` and `corrected`); false searches the words exactly as typed, as a "search instead for" link needs.' },
  { name: 'format', in: 'query', type: 'string', enum: ['json', 'atom'], default: 'json', description: 'atom: the hits as an Atom feed, newest first (unless `sort=relevance` is asked), for a feed reader to follow the search; not counted in the analytics.' },
  { name: 'prefix', in: 'query', type: 'boolean', default: false, description: 'The last word is still being typed (a search box searching as the reader types): unless a space follows it, it is completed as `/suggest` completes it and the hits are those of the completed query (`completed`); if that finds nothing, the query is searched as typed.' },
];

export const SUGGEST_PARAMS: readonly ParamSpec[] = [
  { name: 'q', in: 'query', type: 'string', required: true, maxLength: MAX_SUGGEST_LENGTH, example: 'الرئ', description: 'The text typed so far; the last word is completed unless followed by a space.' },
  { name: 'limit', in: 'query', type: 'integer', minimum: 1, maximum: 10, default: 5, description: 'Completions and titles to return (each).' },
  { name: 'format', in: 'query', type: 'string', enum: ['json', 'opensearch'], default: 'json', description: 'opensearch: the completions alone as OpenSearch suggestions (`["q", ["completion", …]]`, application/x-suggestions+json), for a browser\'s address bar (/opensearch.xml).' },
];

export const LIST_PARAMS: readonly ParamSpec[] = [
  { name: 'limit', in: 'query', type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 20, description: 'Articles per page.' },
  { name: 'offset', in: 'query', type: 'integer', minimum: 0, maximum: 100_000_000, default: 0, description: 'Articles to skip, newest first.' },
  { name: 'from', in: 'query', type: 'date', description: 'Only articles published on or after this day (YYYY-MM-DD); an undated article is in no range.' },
  { name: 'to', in: 'query', type: 'date', description: 'Only articles published on or before this day (YYYY-MM-DD).' },
  { name: 'source', in: 'query', type: 'list', maxItems: 20, maxLength: 100, description: 'Only articles of these sources (comma-separated or repeated; any of them; matched as /search matches them: `cnn arabic` is CNN Arabic).' },
  { name: 'category', in: 'query', type: 'list', maxItems: 20, maxLength: 100, description: 'Only articles of these categories.' },
  { name: 'tag', in: 'query', type: 'list', maxItems: 10, maxLength: 100, description: 'Only articles with one of these tags (a topic page).' },
  { name: 'facets', in: 'query', type: 'boolean', default: false, description: 'Count sources, categories and years over the articles listed (every page of them).' },
  { name: 'format', in: 'query', type: 'string', enum: ['json', 'atom'], default: 'json', description: 'atom: the page as an Atom feed (a section\'s or a topic\'s newest stories, for a feed reader).' },
];

export const ARTICLE_PARAMS: readonly ParamSpec[] = [
  { name: 'id', in: 'path', type: 'string', required: true, maxLength: 128, example: '001-8a7ac69372d375fc', description: 'Article id (letters, digits and . _ : ~ -).' },
];

/** `GET /articles/:id`: the id, and for a browser's page the words to mark. */
export const ARTICLE_PAGE_PARAMS: readonly ParamSpec[] = [
  ...ARTICLE_PARAMS,
  { name: 'q', in: 'query', type: 'string', maxLength: MAX_QUERY_LENGTH, example: 'بوتين الصين', description: 'The search the reader came from (the query searched, its correction applied): a browser\'s page marks its words in the title and the text, as hits mark them (its plain stems, hamza respellings and readings behind a proclitic), and what its synonyms expand to (the editor\'s, and the house styles the archive pairs: بوتين marks بوتن too); not a typo\'s other readings. The JSON is the same with it or without.' },
];

/** Related stories an article's page shows. */
export const PAGE_RELATED = 5;
export const MAX_RELATED = 20;

export const RELATED_PARAMS: readonly ParamSpec[] = [
  ...ARTICLE_PARAMS,
  { name: 'limit', in: 'query', type: 'integer', minimum: 1, maximum: MAX_RELATED, default: PAGE_RELATED, description: 'Related stories to return (each may group the same story from other sources).' },
];

type Schema = Record<string, unknown>;
const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const counts = { type: 'object', additionalProperties: int } as const;
const offsets = { type: 'array', items: { type: 'array', items: int, minItems: 2, maxItems: 2 } } as const;

/** JSON Schemas (2020-12) of the answers. */
export const SCHEMAS: Record<string, Schema> = {
  Problem: {
    type: 'object',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: { type: str, title: str, status: int, detail: str, code: str, parameter: str, key: str, id: str, maxLength: int, retryAfter: int },
  },
  Hit: {
    type: 'object',
    required: ['id', 'title', 'titleHtml', 'sources', 'score', 'snippet', 'snippetText', 'matches'],
    additionalProperties: false,
    properties: {
      id: str, title: str, titleHtml: { type: 'string', description: 'HTML-escaped title, matches in <mark>' },
      date: str, source: str, sources: { type: 'array', items: str }, category: str, url: str,
      score: { type: 'number' },
      snippet: { type: 'string', description: 'Best window of the body, HTML-escaped, matches in <mark>' },
      snippetText: str,
      matches: { type: 'object', required: ['title', 'snippet'], properties: { title: offsets, snippet: offsets } },
    },
  },
  SearchResult: {
    type: 'object',
    required: ['query', 'total', 'offset', 'limit', 'sort', 'hits', 'index'],
    additionalProperties: false,
    properties: {
      query: str, total: int, offset: int, limit: int, sort: { enum: ['relevance', 'date'] },
      hits: { type: 'array', items: ref('Hit') },
      facets: { type: 'object', required: ['source', 'category', 'year'], properties: { source: counts, category: counts, year: counts } },
      didYouMean: str,
      corrected: { type: 'boolean', description: 'The hits are those of didYouMean (a word unknown as typed, or a rare spelling typed alone whose reading is over 100 times more common, was searched as corrected; or the query found nothing as typed and the best readings of its words were searched); absent when didYouMean is only a suggestion (a rare word, or a word that alone keeps the others from meeting: its reading is added below the words as typed)' },
      completed: { ...str, description: 'With `prefix`: the query searched, its last word completed (`وزير الخا` → `وزير الخارجية`); absent when the query was searched as typed' },
      ignored: { type: 'array', items: str, description: 'The query\'s words, as typed, when every one is a stop word (من هو، في): too common to search, so nothing is found (absent otherwise)' },
      without: { type: 'array', items: str, description: 'A query of exclusions alone (-الصين, NOT "شي جين بينغ"): what it leaves out, as typed; the hits are the newest articles without it, within the filters (sort date, scores 0), as /articles lists them (absent otherwise)' },
      unmatched: { type: 'array', items: str, description: 'Query words, as typed, that no article holds in any form and that didYouMean does not name: the hits are those of the other words, and of a reading too unlikely to offer, below them (absent when every word matched or was corrected or offered a correction)' },
      unmatchedFilters: { type: 'object', additionalProperties: false, properties: { source: { type: 'array', items: str }, category: { type: 'array', items: str } }, description: 'Names given to source or category that no article has, as written nor in another case or spelling (`cnn arabic` is CNN Arabic): they keep nothing (absent when every name is known)' },
      framing: { type: 'array', items: str, description: 'Words, as typed, read as a news reader\'s frame around the query\'s topic and not searched: أخبار, آخر مستجدات, عاجل before it, اليوم or الآن after it, ماذا حدث في / شو صار في (absent when the query has none; a query that is all frame is searched as typed)' },
      capped: { type: 'array', items: str, description: 'Limits of the per-query budget that applied: words, phrases, exclusions, typo-words, typo-candidates, names, phrase-candidates' },
      partial: { type: 'array', items: { enum: ['total', 'facets'] }, description: 'Counts that are lower bounds while the hits are exact: a very common word of the query (in 20,000 articles or more) was scored only on the articles of the other words, as no article holding it alone could reach the page' },
      estimated: { type: 'array', items: { enum: ['total', 'facets'] }, description: 'Counts that are estimates: a quoted phrase was checked in the text of the best candidates only (capped: phrase-candidates), and the counts are the articles found to hold it plus the unchecked candidates at the rate a sample of 40 of them holds it' },
      relaxed: { type: 'array', items: { enum: ['phrase', 'words'] }, description: 'Constraints dropped because nothing matched them: phrase (the quoted words were searched as plain words); words (sort=date: no article holds every word of the query, and those listed hold the most of them)' },
      rules: { type: 'array', items: str, description: "Ids of the editor's rules applied to these results (a pinned article placed, a hide or a boost that met a match), in the rules file's order" },
      index: str,
    },
  },
  SuggestResult: {
    type: 'object',
    required: ['query', 'completions', 'titles', 'index'],
    additionalProperties: false,
    properties: {
      query: str,
      completions: { type: 'array', items: { type: 'object', required: ['text', 'html', 'count'], properties: { text: str, html: str, count: int } } },
      titles: { type: 'array', items: { type: 'object', required: ['id', 'title', 'titleHtml'], properties: { id: str, title: str, titleHtml: str, date: str } } },
      index: str,
      didYouMean: { type: 'string', description: 'The words typed so far as read, when a finished word no document holds was read as the word it likeliest stands for: the titles are the reading\'s, and the completions write it' },
    },
  },
  Article: {
    type: 'object',
    required: ['id', 'title', 'body', 'sources', 'tags', 'related', 'links'],
    properties: {
      id: str, title: str, body: { type: 'array', items: str }, date: str, sources: { type: 'array', items: str },
      source: { type: ['string', 'null'] }, place: str, category: str, tags: { type: 'array', items: str },
      related: { type: 'array', items: str, description: 'Titles of related stories the source page listed with it ("مقالات مشابهة")' }, url: str,
      links: { type: 'object', required: ['related'], properties: { related: { type: 'string', description: 'Where its related stories are (GET /articles/{id}/related)' } } },
    },
  },
  RelatedCard: {
    type: 'object',
    required: ['id', 'title', 'sources', 'score'],
    properties: { id: str, title: str, date: str, sources: { type: 'array', items: str }, source: str, category: str, url: str, score: { type: 'number' } },
  },
  RelatedResult: {
    type: 'object',
    required: ['id', 'limit', 'articles', 'sameStory', 'index'],
    additionalProperties: false,
    properties: {
      id: str, limit: int, index: str,
      articles: {
        type: 'array',
        description: 'Most similar first; among near-ties, newest first. Never the article itself nor the same story told again.',
        items: { allOf: [ref('RelatedCard'), { type: 'object', required: ['sameStory'], properties: { sameStory: { type: 'array', items: ref('RelatedCard'), description: 'The same story from other sources, grouped under it' } } }] },
      },
      sameStory: { type: 'array', items: ref('RelatedCard'), description: "The article's own story told again elsewhere (left out of articles)" },
    },
  },
  Click: {
    type: 'object',
    required: ['q', 'id', 'position'],
    additionalProperties: false,
    properties: {
      q: { type: 'string', minLength: 1, maxLength: MAX_QUERY_LENGTH, description: 'The query whose hits were shown' },
      id: { type: 'string', pattern: '^[A-Za-z0-9._:~-]{1,128}$', description: 'The article opened' },
      position: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: 'Its 1-based place among the hits shown' },
      page: { type: 'integer', minimum: 1, maximum: MAX_OFFSET + 1, default: 1, description: 'The 1-based page of hits' },
    },
  },
  ArticleList: {
    type: 'object',
    additionalProperties: false,
    required: ['total', 'offset', 'limit', 'articles', 'next', 'index'],
    properties: {
      total: { ...int, description: 'Live articles in the range, sources and categories asked (every live article without them)' }, offset: int, limit: int, index: str, next: { type: ['string', 'null'] },
      from: { ...str, description: 'The from asked, echoed' }, to: { ...str, description: 'The to asked, echoed' },
      source: { type: 'array', items: str, description: 'The sources asked, echoed' }, category: { type: 'array', items: str, description: 'The categories asked, echoed' }, tag: { type: 'array', items: str, description: 'The tags asked, echoed' },
      facets: { type: 'object', required: ['source', 'category', 'year'], properties: { source: counts, category: counts, year: counts }, description: 'With facets=true: sources, categories and years over every article listed' },
      unmatchedFilters: { type: 'object', additionalProperties: false, properties: { source: { type: 'array', items: str }, category: { type: 'array', items: str } }, description: 'Names given to source or category that no article has, as written nor in another case or spelling: they keep nothing (absent when every name is known)' },
      articles: { type: 'array', items: { type: 'object', required: ['id', 'title', 'sources', 'lead'], properties: { id: str, title: str, date: str, sources: { type: 'array', items: str }, category: str, lead: str } } },
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'index', 'counts'],
    properties: {
      status: { const: 'ok' },
      warnings: { type: 'array', items: str, description: 'What an operator should mend, e.g. an index built by another analyzer than the Worker\'s' },
      index: {
        type: 'object', required: ['version', 'format', 'archive', 'generation'],
        properties: {
          version: str, format: int, archive: str, generation: int, builtAt: str, publishedAt: str, analyzer: str, flexsearch: str,
          houseStyles: { type: 'array', items: { type: 'array', items: str, minItems: 2, maxItems: 2 }, description: 'Words the outlets spell their own ways, found by the last full build and searched as one another (an editor keeps a pair apart with "a != b" in the synonyms file)' },
        },
      },
      counts: { type: 'object', properties: { articles: int, segments: int, deltas: int, deleted: int, terms: int, shards: int, keys: int } },
      cache: { type: 'object', properties: { bytes: int } },
    },
  },
};

function paramObject(p: ParamSpec): Schema {
  const schema: Schema =
    p.type === 'list' ? { type: 'array', items: { type: 'string', maxLength: p.maxLength }, maxItems: p.maxItems }
    : p.type === 'date' ? { type: 'string', format: 'date' }
    : { type: p.type };
  for (const k of ['minimum', 'maximum', 'enum', 'default'] as const) if (p[k] !== undefined) schema[k] = p[k];
  if (p.type === 'string' && p.maxLength !== undefined) Object.assign(schema, { minLength: 1, maxLength: p.maxLength });
  return {
    name: p.name,
    in: p.in,
    required: p.required ?? p.in === 'path',
    description: p.description,
    schema,
    ...(p.type === 'list' ? { style: 'form', explode: true } : {}),
    ...(p.example ? { example: p.example } : {}),
  };
}

const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: PROBLEM_TEXT[s], content: { 'application/problem+json': { schema: ref('Problem') } } }]));
const PROBLEM_TEXT: Record<number, string> = {
  400: 'Bad request: a parameter (or a field of the body) is missing, malformed, out of range or repeated',
  404: 'Not found',
  429: 'Too many requests (Retry-After says when to try again)',
  503: 'The index is unavailable or a value is corrupt; retry after Retry-After seconds',
};
const ok = (schema: string, description: string) => ({
  '200': { description, headers: { ETag: { schema: str }, 'Cache-Control': { schema: str } }, content: { 'application/json': { schema: ref(schema) } } },
  '304': { description: 'Not modified (If-None-Match matched the ETag)' },
});

/** An `ok` answer that may also come as other media types. */
const withContent = (responses: ReturnType<typeof ok>, more: Record<string, { schema: unknown }>) => ({
  ...responses,
  '200': { ...responses['200'], content: { ...responses['200'].content, ...more } },
});

/**
 * The OpenAPI 3.1 document of the API. Its server is relative (`/`: wherever the document was
 * fetched from), never built from the request's Host, so the cacheable document is the same
 * for every request. The API is public: `security: []` says so (no credentials, none needed).
 */
export function openApiDocument(): Schema {
  return {
    openapi: '3.1.0',
    info: {
      title: 'bahth',
      version: '1.0.0',
      summary: 'Arabic-first full-text search for news, served from the edge.',
      description: 'Search Arabic news however the reader spells the query. Every error is application/problem+json. CORS is open (configurable).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [{ url: '/', description: 'The Worker that serves this document' }],
    security: [],
    paths: {
      '/search': {
        get: {
          operationId: 'search', summary: 'Ranked, highlighted search results with facets',
          description: 'JSON for API clients; a right-to-left results page (a form, facets as links, pages) when the Accept header prefers text/html, as a browser\'s does (without q: the form alone); an Atom feed with format=atom. Responses vary on Accept.',
          parameters: SEARCH_PARAMS.map(paramObject),
          responses: { ...withContent(ok('SearchResult', 'Hits for the query; Server-Timing reports the KV reads and the time of each stage'), { 'text/html': { schema: str }, 'application/atom+xml': { schema: str } }), ...problems(400, 429, 503) },
        },
      },
      '/suggest': {
        get: { operationId: 'suggest', summary: 'Completions and titles as the reader types', parameters: SUGGEST_PARAMS.map(paramObject), responses: { ...withContent(ok('SuggestResult', 'Suggestions'), { 'application/x-suggestions+json': { schema: { type: 'array' } } }), ...problems(400, 429, 503) } },
      },
      '/articles': {
        get: { operationId: 'listArticles', summary: 'Articles, newest first', parameters: LIST_PARAMS.map(paramObject), responses: { ...withContent(ok('ArticleList', 'A page of article cards'), { 'application/atom+xml': { schema: str } }), ...problems(400, 429, 503) } },
      },
      '/articles/{id}': {
        get: {
          operationId: 'getArticle', summary: 'One whole article',
          description: 'JSON for API clients; a readable right-to-left page (with related stories) when the Accept header prefers text/html, as a browser\'s does. Responses vary on Accept.',
          parameters: ARTICLE_PAGE_PARAMS.map(paramObject),
          responses: {
            '200': {
              description: 'The article',
              headers: { ETag: { schema: str }, 'Cache-Control': { schema: str }, Link: { description: 'Where its related stories are (rel="related"), on the JSON form', schema: str } },
              content: { 'application/json': { schema: ref('Article') }, 'text/html': { schema: str } },
            },
            '304': { description: 'Not modified (If-None-Match matched the ETag)' },
            ...problems(429, 503),
            '404': {
              description: 'No such article: problem+json, or for a browser a page with a way back to search',
              content: { 'application/problem+json': { schema: ref('Problem') }, 'text/html': { schema: str } },
            },
          },
        },
      },
      '/articles/{id}/related': {
        get: {
          operationId: 'getRelated', summary: 'Related stories of an article',
          description: "More like this: the stories sharing the article's most distinctive words (its title's weighted above its body's).",
          parameters: RELATED_PARAMS.map(paramObject),
          responses: { ...ok('RelatedResult', 'Related stories'), ...problems(400, 404, 429, 503) },
        },
      },
      '/clicks': {
        post: {
          operationId: 'reportClick', summary: 'Report a hit a reader opened (search analytics)',
          description: 'The widget sends this beacon when a reader opens a hit. Nothing identifying the reader is recorded (docs/analytics.md). A body with any field wrong is refused with a 400 and records nothing. Any content type: the body is read as JSON text (navigator.sendBeacon sends text/plain).',
          requestBody: { required: true, content: { 'application/json': { schema: ref('Click'), example: { q: 'بوتين', id: '001-8a7ac69372d375fc', position: 1 } }, 'text/plain': { schema: ref('Click') } } },
          responses: { '204': { description: 'Recorded (or analytics is off for this deployment)' }, ...problems(400, 429, 503) },
        },
      },
      '/health': {
        get: { operationId: 'health', summary: 'The live index version and its counts', responses: { '200': { description: 'Healthy', content: { 'application/json': { schema: ref('Health') } } }, ...problems(429, 503) } },
      },
    },
    components: { schemas: SCHEMAS },
  };
}
