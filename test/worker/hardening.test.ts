import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/worker/index';
import { call, getJson, loadSeedIndex, q, type Result, type Suggestions } from './helpers';

beforeAll(loadSeedIndex);

/** Percent-encodes any string, lone surrogates included (encodeURIComponent would throw). */
function percent(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += `%${b.toString(16).padStart(2, '0')}`;
  return out;
}

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }).map((codes) => String.fromCharCode(...codes)),
  fc.array(fc.constantFrom('بوتين', 'الصين', '"', '«', '»', '-', '−', '\u200f', '\u200e', '\u202e', '\u0000', '\u0640', '\u064b', '<script>', '&amp;', '.*', '(?:', '[', '\\', '%', '*', '"بوتين', 'ﷲ', '٢٠٢٣', '🙂', ' '), { maxLength: 40 }).map((a) => a.join('')),
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
    await fc.assert(
      fc.asyncProperty(rawQuery, async (query) => {
        const res = await call(`/search?${query}`);
        expect([200, 400]).toContain(res.status);
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
  ])('%s, cache filled with Origin %s: each origin in turn gets its own CORS answer and timing', async (_route, filler, path) => {
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
      expect(res.headers.get('vary'), what).toBe('Origin');
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
});
