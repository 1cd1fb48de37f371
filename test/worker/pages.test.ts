/**
 * What the Worker as built serves besides the API: the widget script at /embed.js, the demo
 * page at /, the contract at /openapi.json. (The browser tests load the same routes from the
 * same Worker; these check them without a browser.)
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../src/worker/index';
import { EMBED_JS } from '../../src/widget/embed-source';
import { call, loadSeedIndex } from './helpers';

beforeAll(loadSeedIndex);

const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;

/** A Content-Security-Policy as directive → sources. */
function policy(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

describe('GET /embed.js', () => {
  it('serves the built widget as a cacheable, cross-origin JavaScript module', async () => {
    const res = await call('/embed.js', { headers: { origin: 'https://news.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(EMBED_JS);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"embed-[0-9a-f]{24}"$/);
    const again = await call('/embed.js', { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    const head = await call('/embed.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('stays loadable from any site when CORS_ORIGINS is restricted (a page embeds it with a plain script tag)', async () => {
    const restricted = { ...env, CORS_ORIGINS: 'https://allowed.example' };
    const res = await worker.fetch(new Request('http://bahth.test/embed.js', { headers: { origin: 'https://news.example' } }), restricted, ctx);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('GET /', () => {
  it('serves a right-to-left demo page with the two-line embed snippet for this Worker', async () => {
    const res = await call('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await res.text();
    expect(body).toContain('<html dir="rtl" lang="ar">');
    expect(body).toContain('<script src="/embed.js" type="module"></script>');
    expect(body).toContain('&lt;script src=&quot;http://bahth.test/embed.js&quot; type=&quot;module&quot;&gt;&lt;/script&gt;\n&lt;bahth-search&gt;&lt;/bahth-search&gt;');
    expect(body).toMatch(/<bahth-search[ >]/);
    // Everything inside one main landmark (axe-core's landmark-one-main and region).
    expect(body).toMatch(/<body>\s*<main>[^]*<\/main>\s*<\/body>/);
    expect(body.match(/<main>/g)).toHaveLength(1);
  });

  it('sends its own strict Content-Security-Policy, not the API\'s', async () => {
    const res = await call('/');
    const csp = policy(res.headers.get('content-security-policy'));
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    // The API keeps the global policy.
    const api = policy((await call('/health')).headers.get('content-security-policy'));
    expect(api.get('default-src')).toEqual(["'self'"]);
    expect(api.get('frame-ancestors')).toEqual(["'self'"]);
  });

  it('has no inline script for its policy to forbid', async () => {
    const body = await (await call('/')).text();
    const scripts = [...body.matchAll(/<script\b([^>]*)>([^]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, content] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/embed\.js"/);
      expect(content).toBe('');
    }
  });
});

describe('GET /openapi.json', () => {
  it('is the same document whatever Host the request names: no host in servers, nothing echoed', async () => {
    const a = await call('/openapi.json');
    const evil = await worker.fetch(new Request('http://evil.example/openapi.json', { headers: { host: 'evil.example' } }), env, ctx);
    expect(evil.status).toBe(200);
    const text = await evil.text();
    expect(text).not.toContain('evil.example');
    expect(text).toBe(await a.text());
    expect((JSON.parse(text) as { servers: { url: string }[] }).servers.map((s) => s.url)).toEqual(['/']);
  });
});
