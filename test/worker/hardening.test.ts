import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../../src/worker/index';
import { HOSTILE, MIMIC } from '../hostile';
import { call, getJson, loadIndex, q, type Hit, type Result, type Suggestions } from './helpers';

// The seeds and two articles that try to break out of their text (test/hostile.ts).
beforeAll(() => loadIndex('hostileIndex'));

/** Percent-encodes any string, lone surrogates included (encodeURIComponent would throw). */
function percent(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += `%${b.toString(16).padStart(2, '0')}`;
  return out;
}

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }).map((codes) => String.fromCharCode(...codes)),
  fc.array(fc.constantFrom('بوتين', 'الصين', 'pwned', 'مريب', 'مزيف', '</mark>', '&lt;', '"', '«', '»', '-', '−', '\u200f', '\u200e', '\u202e', '\u0000', '\u0640', '\u064b', '<script>', '&amp;', '.*', '(?:', '[', '\\', '%', '*', '"بوتين', 'ﷲ', '٢٠٢٣', '🙂', ' '), { maxLength: 40 }).map((a) => a.join('')),
);

/** Raw query strings: encoded text, malformed percent-encoding, repeated and odd parameters. */
const rawQuery = fc.oneof(
  hostileText.map((t) => `q=${percent(t)}`),
  fc.constantFrom('q=%', 'q=%zz', 'q=%E0%A4', 'q=%ED%A0%80', 'q=%C0%AF', 'q=a&q=b', 'q=&q=', 'q', '=', '&&&', 'q=%F0%9F%99'),
  fc.tuple(hostileText, fc.constantFrom('limit', 'offset', 'sort', 'from', 'to', 'source', 'category', 'tag', 'facets', 'recency', 'correct', 'x'), fc.oneof(fc.string({ maxLength: 12 }), fc.integer().map(String), fc.constantFrom('-1', '1e9', 'NaN', '0x10', '2024-13-01', '9999-12-31', ''))).map(
    ([t, name, value]) => `q=${percent(t || 'بوتين')}&${name}=${percent(value)}&${name}=${percent(value)}`,
  ),
);

const ALLOWED_TAGS = /<(?!\/?mark>)/;

describe('hostile queries (property-based)', () => {
  it('never answers 500: a documented 4xx or a valid result, with only our marks in HTML fields', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(rawQuery, async (query) => {
        const res = await call(`/search?${query}`);
        expect([200, 400]).toContain(res.status);
        if (res.status === 200) answered++;
        const body = (await res.json()) as Result & { code?: string };
        if (res.status === 200) {
          expect(Array.isArray(body.hits)).toBe(true);
          expect(Number.isInteger(body.total)).toBe(true);
          for (const h of body.hits) {
            expect(h.snippet).not.toMatch(ALLOWED_TAGS);
            expect(h.titleHtml).not.toMatch(ALLOWED_TAGS);
          }
        } else {
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(['QUERY_MISSING', 'QUERY_TOO_LONG', 'BAD_PARAMETER']).toContain(body.code);
        }
      }),
      { numRuns: 300, seed: 20261125 },
    );
    // Most draws are searched, not refused: the property is about results as much as errors.
    expect(answered).toBeGreaterThan(100);
  });

  it('never answers 500 on /suggest either', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (text) => {
        const res = await call(`/suggest?q=${percent(text)}`);
        expect([200, 400]).toContain(res.status);
        if (res.status === 200) {
          const body = (await res.json()) as Suggestions;
          for (const c of body.completions) expect(c.html).not.toMatch(ALLOWED_TAGS);
          for (const t of body.titles) expect(t.titleHtml).not.toMatch(ALLOWED_TAGS);
        }
      }),
      { numRuns: 120, seed: 7 },
    );
  });

  it('refuses a 10,000-character query with a clear 400', async () => {
    const { status, body } = await getJson<{ code: string; maxLength: number }>(q('ب'.repeat(10_000)));
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'QUERY_TOO_LONG', maxLength: 256 });
  });

  it('caps the words of a query and says so', async () => {
    const words = Array.from({ length: 60 }, (_, i) => `كلمة${i}`).join(' ').slice(0, 250);
    const { status, body } = await getJson<Result>(q(words));
    expect(status).toBe(200);
    expect(body.capped).toContain('words');
  });

  it('escapes markup typed into suggestions', async () => {
    const { body } = await getJson<Suggestions>(`/suggest?q=${encodeURIComponent('<img src=x onerror=alert(1)> الرئ')}`);
    expect(body.completions.length).toBeGreaterThan(0);
    for (const c of body.completions) {
      expect(c.html).toContain('&lt;img');
      expect(c.html).not.toMatch(ALLOWED_TAGS);
    }
  });
});

/** Undoes the five entities the API escapes with. */
const unescape = (html: string): string => html.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
/** The text an HTML field shows: our marks taken out, entities undone. */
const textOf = (html: string): string => unescape(html.replace(/<\/?mark>/g, ''));

/** An HTML field is its text, escaped, with nothing but our marks as markup. */
function expectEscaped(html: string, text: string, what: string): void {
  expect(html.replace(/<\/?mark>/g, ''), what).not.toMatch(/[<>"']/);
  expect(textOf(html), what).toBe(text);
}

describe('a hostile archive: markup in articles comes out as text', () => {
  const article = (id: string) => getJson<{ id: string; title: string; body: string[]; source: string | null; url?: string }>(`/articles/${id}`);

  it.each([
    ['pwned', HOSTILE.id, 'pwned'],
    ['مريب', MIMIC.id, 'مريب'],
    ['الشيفرة', HOSTILE.id, 'الشيفرة'],
    ['علامات', MIMIC.id, 'علامات'],
  ])('search %s, hit %s: titleHtml and snippet are its title and snippet text, escaped, marks only around %s', async (query, id, word) => {
    const { body } = await getJson<Result>(q(query, '&limit=50'));
    const hit: Hit | undefined = body.hits.find((h) => h.id === id);
    expect(hit, `${id} in the hits for ${query}`).toBeDefined();
    const { body: stored } = await article(id);
    expect(hit!.title).toBe(stored.title);
    expectEscaped(hit!.titleHtml, hit!.title, 'titleHtml');
    expectEscaped(hit!.snippet, hit!.snippetText, 'snippet');
    const marked = [...(hit!.titleHtml + hit!.snippet).matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => unescape(m[1]!));
    expect(marked.length).toBeGreaterThan(0);
    for (const m of marked) expect(m).toContain(word);
    for (const [s, e] of hit!.matches.title) expect(hit!.title.slice(s, e)).toContain(word);
    for (const [s, e] of hit!.matches.snippet) expect(hit!.snippetText.slice(s, e)).toContain(word);
  });

  it('shows the hostile markup itself, escaped: the script tag, the fake marks, the entities', async () => {
    const hostile = (await getJson<Result>(q('pwned'))).body.hits.find((h) => h.id === HOSTILE.id)!;
    expect(hostile.titleHtml).toMatch(/^&lt;img src=x onerror=&quot;window\.__(<mark>)?pwned(<\/mark>)?=1&quot;&gt; /);
    expect(hostile.snippet).toMatch(/&lt;script&gt;window\.__(<mark>)?pwned(<\/mark>)?=1&lt;\/script&gt;/);
    const mimic = (await getJson<Result>(q('مزيف'))).body.hits.find((h) => h.id === MIMIC.id)!;
    expect(mimic.titleHtml).toContain('&lt;/mark&gt;&lt;mark&gt;<mark>مزيف</mark>&lt;/mark&gt; &amp;amp; &amp;lt;b&amp;gt; &quot;اقتباس&quot; &#39;مفرد&#39;');
  });

  it('escapes the titles and completions /suggest offers', async () => {
    const { body } = await getJson<Suggestions>(`/suggest?q=${encodeURIComponent('مري')}&limit=10`);
    const ids = body.titles.map((t) => t.id);
    expect(ids).toEqual(expect.arrayContaining([HOSTILE.id, MIMIC.id]));
    for (const t of body.titles) {
      expectEscaped(t.titleHtml, t.title, `title of ${t.id}`);
      expect(t.titleHtml).toMatch(/<mark>[^<]*مري[^<]*<\/mark>/);
    }
    expect(body.titles.find((t) => t.id === HOSTILE.id)!.title).toBe(HOSTILE.title);
    for (const c of body.completions) expectEscaped(c.html, c.text, `completion ${c.text}`);
  });

  it('serves /articles/:id as JSON text, the markup as written, never sniffed as HTML', async () => {
    for (const a of [HOSTILE, MIMIC]) {
      const { status, body, res } = await article(a.id);
      expect(status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(body.title).toBe(a.title);
      expect(body.body).toEqual(a.body.split('\n'));
    }
    expect((await article(MIMIC.id)).body.source).toBe(MIMIC.source);
    expect((await article(HOSTILE.id)).body.url).toBe(HOSTILE.url);
  });
});

describe('security headers', () => {
  it.each(['/search?q=بوتين', '/search', '/nowhere', '/health', '/articles/001-8a7ac69372d375fc'])('are on %s, set so the widget still embeds', async (path) => {
    const res = await call(encodeURI(path));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('the edge cache replays no header computed for another request', () => {
  const ALLOWED = 'https://allowed.example';
  const restricted = { ...env, CORS_ORIGINS: `${ALLOWED}, https://other.example` };

  /** One request with this Origin (none when undefined), its cache write awaited. */
  async function ask(path: string, origin: string | undefined): Promise<Response> {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`http://bahth.test${path}`, { headers: origin === undefined ? {} : { origin } }), restricted, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  const ORIGINS: [origin: string | undefined, allowed: string | null][] = [
    ['https://evil.example', null], ['null', null], [undefined, null], [ALLOWED, ALLOWED], ['https://other.example', 'https://other.example'],
  ];

  it.each([
    ['/search', ALLOWED, q('الصين روسيا', '&limit=3')],
    ['/search', 'https://evil.example', q('الصين روسيا', '&limit=4')],
    ['/suggest', ALLOWED, `/suggest?q=${encodeURIComponent('الصي')}`],
    ['/suggest', undefined, `/suggest?q=${encodeURIComponent('الصي')}&limit=3`],
  ])('%s, cache filled with Origin %s: each origin in turn gets its own CORS answer and timing', async (route, filler, path) => {
    const first = await ask(path, filler);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-bahth-cache')).toBeNull();
    expect(first.headers.get('access-control-allow-origin')).toBe(filler === ALLOWED ? ALLOWED : null);
    const body = await first.text();
    for (const [origin, allowed] of ORIGINS) {
      const res = await ask(path, origin);
      const what = `Origin: ${origin ?? '(none)'}`;
      expect(res.headers.get('x-bahth-cache'), what).toBe('hit');
      expect(await res.text(), what).toBe(body);
      expect(res.headers.get('access-control-allow-origin'), what).toBe(allowed);
      // /search answers a browser with a page: it varies on Accept too, once.
      expect(res.headers.get('vary'), what).toBe(route === '/search' ? 'Accept, Origin' : 'Origin');
      expect(res.headers.get('access-control-expose-headers'), what).toContain('Server-Timing');
      // This request's own timing: a cache hit, none of the filling request's stages.
      const timing = res.headers.get('server-timing') ?? '';
      expect(timing, what).toMatch(/cache;desc="edge".*total;dur=/);
      expect(timing, what).not.toMatch(/rank;dur=|snippets;dur=/);
      expect(res.headers.get('etag'), what).toBe(first.headers.get('etag'));
      expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
    }
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After once a client passes its limit, when switched on', async () => {
    const worker = (await import('../../src/worker/index')).default;
    const on = { ...env, RATE_LIMIT: 'on' };
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    let limited: Response | undefined;
    for (let i = 0; i < 200 && !limited; i++) {
      const res = await worker.fetch(new Request('http://bahth.test/nowhere', { headers: { 'cf-connecting-ip': '203.0.113.9' } }), on, ctx);
      if (res.status === 429) limited = res;
    }
    expect(limited).toBeDefined();
    expect(limited!.headers.get('retry-after')).toBe('60');
    expect(((await limited!.json()) as { code: string }).code).toBe('RATE_LIMITED');
    // another client is not affected
    const other = await worker.fetch(new Request('http://bahth.test/health', { headers: { 'cf-connecting-ip': '203.0.113.10' } }), on, ctx);
    expect(other.status).toBe(200);
  });

  it('is off by default', async () => {
    for (let i = 0; i < 130; i++) expect((await call('/nowhere', { headers: { 'cf-connecting-ip': '203.0.113.11' } })).status).toBe(404);
  });

  it('lets requests through when the limiter itself fails, and says so once', async () => {
    const worker = (await import('../../src/worker/index')).default;
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = { ...env, RATE_LIMIT: 'on', RATE_LIMITER: { limit: async () => { throw new Error('limiter down'); } }, CLICK_LIMITER: { limit: async () => { throw new Error('limiter down'); } } };
    try {
      for (let i = 0; i < 3; i++) expect((await worker.fetch(new Request(`http://bahth.test${q('بوتين', '&limit=1')}`), broken, ctx)).status).toBe(200);
      expect(warn.mock.calls.filter(([m]) => String(m).includes('the rate limiter failed (limiter down)'))).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('a Worker deployed without its KV binding', () => {
  it('answers 503 problem+json naming the binding, with CORS, on every route', async () => {
    const worker = (await import('../../src/worker/index')).default;
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const unbound = { ...env, INDEX: undefined } as unknown as typeof env;
      for (const path of [q('بوتين'), '/health', '/articles/001-8a7ac69372d375fc', '/suggest?q=%D8%A8%D9%88']) {
        const res = await worker.fetch(new Request(`http://bahth.test${path}`, { headers: { origin: 'https://news.example' } }), unbound, ctx);
        expect(res.status, path).toBe(503);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(((await res.json()) as { detail: string }).detail).toContain('no INDEX KV binding');
      }
    } finally {
      err.mockRestore();
    }
  });
});
