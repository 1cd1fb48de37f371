/**
 * The OpenAPI document matches what the Worker does: every operation, called with its
 * documented example, answers with a body valid against the documented schema; every bound
 * the document states is enforced with a documented 400.
 */
import { Validator, type Schema } from '@cfworker/json-schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, getJson, loadSeedIndex } from './helpers';

interface Param { name: string; in: string; required: boolean; example?: string; schema: { type: string; minimum?: number; maximum?: number; enum?: string[]; maxLength?: number; format?: string; maxItems?: number } }
interface Operation { parameters?: Param[]; requestBody?: { content: Record<string, { schema: { $ref: string }; example?: unknown }> }; responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }> }
interface OpenApi { paths: Record<string, { get?: Operation; post?: Operation }>; components: { schemas: Record<string, Schema> } }

/** The GET operations, by path. */
const gets = () => Object.entries(doc.paths).flatMap(([path, item]) => (item.get ? [[path, item.get] as const] : []));

let doc: OpenApi;
beforeAll(async () => {
  await loadSeedIndex();
  doc = (await getJson<OpenApi>('/openapi.json')).body;
});

function validate(body: unknown, ref: string): string[] {
  const schema = { $ref: ref, components: doc.components } as unknown as Schema;
  const result = new Validator(schema, '2020-12', false).validate(body);
  return result.errors.map((e) => `${e.instanceLocation}: ${e.error}`);
}

function exampleUrl(path: string, op: Operation): string {
  let url = path;
  const query = new URLSearchParams();
  for (const p of op.parameters ?? []) {
    const value = p.example ?? (p.required ? 'x' : undefined);
    if (value === undefined) continue;
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(value));
    else query.set(p.name, value);
  }
  return query.size ? `${url}?${query}` : url;
}

describe('OpenAPI document vs the Worker', () => {
  it('really checks bodies: a wrong one fails its schema', () => {
    expect(validate({ total: 'many', hits: [{}] }, '#/components/schemas/SearchResult').length).toBeGreaterThan(0);
  });

  it('is served at /openapi.json with every public path', async () => {
    expect(Object.keys(doc.paths).sort()).toEqual(['/articles', '/articles/{id}', '/articles/{id}/related', '/clicks', '/health', '/search', '/suggest']);
    expect(Object.entries(doc.paths).filter(([, item]) => item.post).map(([path]) => path)).toEqual(['/clicks']);
  });

  it('answers every operation\'s example with a body matching its 200 schema', async () => {
    for (const [path, op] of gets()) {
      const url = exampleUrl(path, op);
      const { status, body } = await getJson(url);
      expect(status, url).toBe(200);
      const ref = op.responses['200']!.content!['application/json']!.schema.$ref;
      expect(validate(body, ref), url).toEqual([]);
    }
  });

  it('answers a /suggest that reads a typo with a body matching its schema, didYouMean and all', async () => {
    const { status, body } = await getJson(`/suggest?q=${encodeURIComponent('بويتن الكرم')}`);
    expect(status).toBe(200);
    expect((body as { didYouMean?: string }).didYouMean).toBe('بوتين الكرم');
    expect(validate(body, '#/components/schemas/SuggestResult')).toEqual([]);
  });

  it('answers a /search that completes the word being typed with a body matching its schema, completed and all', async () => {
    const { status, body } = await getJson(`/search?q=${encodeURIComponent('بوتين الكرم')}&prefix=true`);
    expect(status).toBe(200);
    expect((body as { completed?: string }).completed).toBe('بوتين الكرملين');
    expect(validate(body, '#/components/schemas/SearchResult')).toEqual([]);
    // A field the schema does not know would fail it (additionalProperties): the check has teeth.
    expect(validate({ ...(body as object), completedAs: 'x' }, '#/components/schemas/SearchResult').length).toBeGreaterThan(0);
  });

  it('answers a /articles of a date range with a body matching its schema, the range echoed', async () => {
    const { status, body } = await getJson('/articles?from=2000-01-01&to=2100-12-31&limit=1');
    expect(status).toBe(200);
    expect(body).toMatchObject({ from: '2000-01-01', to: '2100-12-31' });
    expect(validate(body, '#/components/schemas/ArticleList')).toEqual([]);
    expect(validate({ ...(body as object), since: 'x' }, '#/components/schemas/ArticleList').length).toBeGreaterThan(0);
  });

  it('answers a /articles by source and category, with facets and a name no article has, with a body matching its schema', async () => {
    const { status, body } = await getJson('/articles?source=no%20such%20outlet,rt&category=nothing&facets=true&limit=1');
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: ['no such outlet', 'rt'], category: ['nothing'], unmatchedFilters: { source: ['no such outlet'], category: ['nothing'] }, total: 0, facets: { source: {}, category: {}, year: {} } });
    expect(validate(body, '#/components/schemas/ArticleList')).toEqual([]);
    const some = await getJson('/articles?facets=true&limit=1');
    expect(validate(some.body, '#/components/schemas/ArticleList')).toEqual([]);
    expect(validate({ ...(some.body as object), facets: { source: { x: 'many' }, category: {}, year: {} } }, '#/components/schemas/ArticleList').length).toBeGreaterThan(0);
  });

  it('takes the documented example of POST /clicks, whose body its own schema accepts, and refuses one it does not', async () => {
    const content = doc.paths['/clicks']!.post!.requestBody!.content['application/json']!;
    expect(validate(content.example, content.schema.$ref)).toEqual([]);
    const ok = await call('/clicks', { method: 'POST', body: JSON.stringify(content.example), headers: { 'cf-connecting-ip': '198.51.100.80' } });
    expect(ok.status).toBe(204);
    const wrong = { ...(content.example as object), position: 0 };
    expect(validate(wrong, content.schema.$ref).length).toBeGreaterThan(0);
    const refused = await call('/clicks', { method: 'POST', body: JSON.stringify(wrong), headers: { 'cf-connecting-ip': '198.51.100.80' } });
    expect(refused.status).toBe(400);
    expect(validate(await refused.json(), '#/components/schemas/Problem')).toEqual([]);
  });

  it('answers errors with bodies matching the Problem schema', async () => {
    for (const url of ['/search', '/articles/nope', '/articles/nope/related', '/suggest?q=', '/search?q=x&limit=0']) {
      const res = await call(url);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(validate(await res.json(), '#/components/schemas/Problem'), url).toEqual([]);
    }
  });

  it('enforces every documented bound with a 400 naming the parameter', async () => {
    let checked = 0;
    for (const [path, op] of gets()) {
      const base = exampleUrl(path, op);
      for (const p of op.parameters ?? []) {
        if (p.in !== 'query') continue;
        const bad: string[] = [];
        if (p.schema.maximum !== undefined) bad.push(String(p.schema.maximum + 1));
        if (p.schema.minimum !== undefined) bad.push(p.schema.type === 'integer' ? String(p.schema.minimum - 1) : '-0.5');
        if (p.schema.enum) bad.push('not-a-choice');
        if (p.schema.format === 'date') bad.push('2024-02-30');
        if (p.schema.type === 'boolean') bad.push('maybe');
        if (p.schema.maxLength !== undefined) bad.push('ب'.repeat(p.schema.maxLength + 1));
        for (const value of bad) {
          const u = new URL(base, 'http://x');
          u.searchParams.set(p.name, value);
          const res = await call(u.pathname + u.search);
          expect(res.status, `${p.name}=${value.slice(0, 12)} on ${path}`).toBe(400);
          const problem = (await res.json()) as { parameter?: string };
          expect(problem.parameter).toBe(p.name);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it('serves a readable docs page', async () => {
    const res = await call('/docs');
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of ['/search', '/suggest', 'limit', 'recency', '/openapi.json']) expect(text).toContain(name);
  });
});
