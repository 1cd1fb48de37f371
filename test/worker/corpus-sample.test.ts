import { Validator, type Schema } from '@cfworker/json-schema';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { normalize } from '../../src/core/analyzer/index';
import { DEFAULT_OPTIONS } from '../../src/core/search/options';

const RANKING = DEFAULT_OPTIONS.ranking;
import { getJson, loadIndex, q, type Hit, type Result, type Suggestions } from './helpers';

// A sample of the ANT corpus (Chouigui et al., AICCSA 2017, Apache-2.0): every 26th article.
beforeAll(() => loadIndex('sampleIndex'), 120_000);

interface Row { id: string; title: string; body: string; source: string; category: string; date: string }
const rows = (): Row[] => inject('sampleArticles').map((l) => JSON.parse(l) as Row);

describe('search over a corpus sample', () => {
  it('finds an article by its own title, first', async () => {
    let found = 0;
    const sample = rows().slice(0, 30);
    for (const row of sample) {
      const { body } = await getJson<Result>(q(row.title.slice(0, 200)));
      if (body.hits[0]?.id === row.id) found++;
    }
    expect(found / sample.length).toBeGreaterThanOrEqual(0.9);
  });

  it('counts facets that add up to the total', async () => {
    const { body } = await getJson<Result>(q('الرئيس'));
    expect(body.total).toBeGreaterThan(20);
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(sum(body.facets!.source)).toBe(body.total);
    expect(sum(body.facets!.category)).toBe(body.total);
    expect(sum(body.facets!.year)).toBe(body.total);
    expect(Object.keys(body.facets!.source).length).toBeGreaterThan(2);
  });

  it('by date, does not ask every article to hold a letter written apart (بـ, the ب of أ ف ب)', async () => {
    const letter = await getJson<Result>(q('ب', '&limit=1'));
    expect(letter.body.total).toBeGreaterThan(0);
    const word = await getJson<Result>(q('الرئيس', '&sort=date&limit=50'));
    const lettered = await getJson<Result>(q('بـ الرئيس', '&sort=date&limit=50'));
    expect(word.body.total).toBeGreaterThan(20);
    expect(lettered.body.total).toBe(word.body.total);
    expect(lettered.body.hits.map((h) => h.id)).toEqual(word.body.hits.map((h) => h.id));
    expect(lettered.body.relaxed).toBeUndefined();
  });

  it('filters by source and category together', async () => {
    const { body } = await getJson<Result>(q('الرئيس', '&source=BBC%20Arabic,CNN%20Arabic&category=internationalNews&limit=50'));
    expect(body.total).toBeGreaterThan(0);
    for (const h of body.hits) {
      expect(['BBC Arabic', 'CNN Arabic']).toContain(h.source);
      expect(h.category).toBe('internationalNews');
    }
    for (const source of Object.keys(body.facets!.source)) expect(['BBC Arabic', 'CNN Arabic']).toContain(source);
  });

  it('reads a source or category name in another case or spelling as the archive writes it, and names one it has not', async () => {
    const { body: exact } = await getJson<Result>(q('الرئيس', '&source=BBC%20Arabic&category=internationalNews&limit=5'));
    expect(exact.total).toBeGreaterThan(0);
    expect(exact.unmatchedFilters).toBeUndefined();
    for (const loose of ['&source=bbc%20arabic&category=INTERNATIONALNEWS', '&source=BBC%20%20Arabic.&category=internationalnews']) {
      const { body } = await getJson<Result>(q('الرئيس', `${loose}&limit=5`));
      expect(body.total, loose).toBe(exact.total);
      expect(body.hits.map((h) => h.id), loose).toEqual(exact.hits.map((h) => h.id));
      expect(body.unmatchedFilters, loose).toBeUndefined();
    }
    // A name no article has keeps nothing, and the answer names it; a known name beside it keeps its own.
    const { body: none } = await getJson<Result>(q('الرئيس', '&source=BBC%20Arabik&category=sports'));
    expect(none.total).toBe(0);
    expect(none.unmatchedFilters).toEqual({ source: ['BBC Arabik'], category: ['sports'] });
    const { body: mixed } = await getJson<Result>(q('الرئيس', '&source=BBC%20Arabik,bbc%20arabic&category=internationalNews&limit=5'));
    expect(mixed.total).toBe(exact.total);
    expect(mixed.unmatchedFilters).toEqual({ source: ['BBC Arabik'] });
    const doc = (await getJson<{ components: Record<string, unknown> }>('/openapi.json')).body;
    const schema = { $ref: '#/components/schemas/SearchResult', components: doc.components } as unknown as Schema;
    expect(new Validator(schema, '2020-12', false).validate(mixed).errors).toEqual([]);
  });

  it('filters to exactly the matches the unfiltered facets count: by source, category, both, and year', async () => {
    const { body: all } = await getJson<Result>(q('الرئيس', '&limit=1'));
    const { source, category, year } = all.facets!;
    const sources = Object.keys(source);
    const categories = Object.keys(category);
    expect(sources.length).toBeGreaterThan(2);
    expect(categories.length).toBeGreaterThan(2);
    const checks: [string, number][] = [
      ...sources.map((v): [string, number] => [`&source=${encodeURIComponent(v)}`, source[v]!]),
      ...categories.map((v): [string, number] => [`&category=${encodeURIComponent(v)}`, category[v]!]),
      [`&source=${encodeURIComponent(sources.slice(0, 2).join(','))}`, source[sources[0]!]! + source[sources[1]!]!],
      ...Object.entries(year).map(([y, n]): [string, number] => [`&from=${y}-01-01&to=${y}-12-31`, n]),
    ];
    for (const [filter, count] of checks) {
      const { body } = await getJson<Result>(q('الرئيس', `${filter}&limit=1`));
      expect(body.total, filter).toBe(count);
    }
    // A filter's own facet is its count; the others add up to it.
    const { body: one } = await getJson<Result>(q('الرئيس', `&source=${encodeURIComponent(sources[0]!)}&limit=1`));
    expect(one.facets!.source).toEqual({ [sources[0]!]: source[sources[0]!] });
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(sum(one.facets!.category)).toBe(one.total);
  });

  it('filters by date and sorts newest first', async () => {
    const { body } = await getJson<Result>(q('الحكومة', '&sort=date&from=2018-03-01&to=2018-06-30&limit=50'));
    expect(body.total).toBeGreaterThan(0);
    const dates = body.hits.map((h) => h.date!.slice(0, 10));
    for (const d of dates) expect(d >= '2018-03-01' && d <= '2018-06-30').toBe(true);
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('ranks newer articles higher with the recency prior on, and only by their dates', async () => {
    // The page after the re-ranked top: its order is the first-stage score's alone.
    const page = `&limit=50&offset=${RANKING.rerankDepth}&facets=0`;
    const off = (await getJson<Result>(q('الرئيس', `${page}&recency=0`))).body;
    const on = (await getJson<Result>(q('الرئيس', `${page}&recency=1`))).body;
    expect(on.total).toBe(off.total);
    expect(on.hits.map((h) => h.id)).not.toEqual(off.hits.map((h) => h.id));
    const day = (h: Hit) => Date.parse(h.date!.slice(0, 10));
    const before = new Map(off.hits.map((h, i) => [h.id, { rank: i, hit: h }]));
    // Hits on both pages (the top's re-ordering on text is above them).
    const both = on.hits.filter((h) => before.has(h.id));
    expect(both.length).toBeGreaterThan(10);
    // The prior multiplies a score by a factor that grows with the date: the newer, the larger.
    // Scores are rounded to 4 decimals in the response (±5e-5 each): `err` bounds the ratio's error.
    const factors = both.map((h) => {
      const was = before.get(h.id)!.hit.score;
      const factor = h.score / was;
      return { day: day(h), factor, err: factor * (5e-5 / h.score + 5e-5 / was) };
    }).sort((a, b) => a.day - b.day);
    for (let i = 1; i < factors.length; i++) expect(factors[i]!.factor).toBeGreaterThanOrEqual(factors[i - 1]!.factor - factors[i]!.err - factors[i - 1]!.err);
    expect(factors.at(-1)!.factor).toBeGreaterThan(factors[0]!.factor * 1.05);
    // Every pair it reorders, it reorders in favour of the newer article.
    let swapped = 0;
    for (let i = 0; i < both.length; i++) {
      for (let j = i + 1; j < both.length; j++) {
        const [a, b] = [both[i]!, both[j]!]; // a above b with the prior on
        if (before.get(a.id)!.rank > before.get(b.id)!.rank) {
          swapped++;
          expect(day(a), `${a.id} overtook ${b.id}`).toBeGreaterThan(day(b));
        }
      }
    }
    expect(swapped).toBeGreaterThan(0);
  });

  it('pages deeply without losing or repeating a hit', async () => {
    const { body: all } = await getJson<Result>(q('الرئيس', '&limit=50'));
    const seen: string[] = [];
    for (let offset = 0; offset < 50; offset += 10) {
      const { body } = await getJson<Result>(q('الرئيس', `&limit=10&offset=${offset}`));
      expect(body.total).toBe(all.total);
      seen.push(...body.hits.map((h) => h.id));
    }
    expect(seen).toEqual(all.hits.map((h) => h.id));
    const past = await getJson<Result>(q('الرئيس', `&offset=${all.total}`));
    expect(past.body.hits).toEqual([]);
  });

  it('suggests completions typed without hamza', async () => {
    const { body } = await getJson<Suggestions>(`/suggest?q=${encodeURIComponent('الا')}&limit=10`);
    expect(body.completions.length).toBeGreaterThan(3);
    for (const c of body.completions) expect(normalize(c.text).startsWith('الا')).toBe(true);
    expect(body.completions.some((c) => /[أإآ]/.test(c.text))).toBe(true);
  });
});

describe('a quoted phrase in more articles than its check reads', () => {
  // Among the sample's articles, one of these is in more than the 100 whose text is checked.
  const PHRASES = ['"الولايات المتحدة"', '"الأمم المتحدة"', '"رئيس الوزراء"', '"كرة القدم"'];

  it('estimates its total and facets from the articles checked, says so, and pages past them', async () => {
    let capped: { phrase: string; body: Result & { estimated?: string[] } } | undefined;
    for (const phrase of PHRASES) {
      const { body } = await getJson<Result & { estimated?: string[] }>(q(phrase, '&limit=10'));
      if (body.capped?.includes('phrase-candidates')) capped ??= { phrase, body };
      else expect(body.estimated, phrase).toBeUndefined();
    }
    expect(capped, 'a phrase whose check was capped').toBeDefined();
    const { phrase, body } = capped!;
    expect(body.estimated).toEqual(['total', 'facets']);
    // The answer is one the API's schema describes.
    const doc = (await getJson<{ components: Record<string, unknown> }>('/openapi.json')).body;
    const schema = { $ref: '#/components/schemas/SearchResult', components: doc.components } as unknown as Schema;
    expect(new Validator(schema, '2020-12', false).validate(body).errors).toEqual([]);
    // More than the 100 checked hold it at the rate found; the facets share the estimate.
    expect(body.total).toBeGreaterThan(100);
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    for (const facet of [body.facets!.source, body.facets!.year]) expect(Math.abs(sum(facet) - body.total)).toBeLessThanOrEqual(Object.keys(facet).length);
    // As many as the words' candidates at most (the phrase holds both words).
    const words = await getJson<Result>(q(phrase.replaceAll('"', ''), '&limit=1&sort=date'));
    expect(body.total).toBeLessThanOrEqual(words.body.total);
    // The page past the 100 checked first is read: full, each hit holding the phrase.
    const deep = await getJson<Result>(q(phrase, '&offset=100&limit=10'));
    expect(deep.status).toBe(200);
    expect(deep.body.hits).toHaveLength(10);
    const first = new Set((await getJson<Result>(q(phrase, '&limit=50'))).body.hits.map((h) => h.id));
    for (const h of deep.body.hits) expect(first.has(h.id)).toBe(false);
  });
});
