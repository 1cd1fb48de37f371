import { beforeAll, describe, expect, it } from 'vitest';
import { getJson, loadSeedIndex, q, type Result, type Suggestions } from './helpers';

beforeAll(loadSeedIndex);

const ids = (r: Result) => r.hits.map((h) => h.id);

describe('snippets on the seeds', () => {
  it('shows the best window of the body, not its start, with an ellipsis', async () => {
    const { body } = await getJson<Result>(q('الفنتانيل'));
    const hit = body.hits[0]!;
    expect(hit.id).toBe('003-0300bacb8aeb6261');
    expect(hit.snippetText.startsWith('…')).toBe(true);
    expect(hit.snippet).toContain('<mark>الفنتانيل</mark>');
  });

  it('marks a word whole with its shadda and with tanween', async () => {
    const { body } = await getJson<Result>(q('بناء'));
    expect(body.hits.map((h) => h.snippet).join(' ')).toContain('<mark>بنّاء</mark>');
    const r = await getJson<Result>(q('رئيس ترامب', '&limit=20'));
    expect(r.body.hits.map((h) => h.snippet).join(' ')).toContain('<mark>رئيساً</mark>');
  });

  it('marks the word inside quotes, not the quotes', async () => {
    const { body } = await getJson<Result>(q('الكرملين'));
    const html = body.hits.map((h) => h.snippet).join(' ');
    expect(html).toContain('“<mark>الكرملين</mark>”');
  });

  it('gives match offsets that point at the marked words, one range per mark', async () => {
    const { body } = await getJson<Result>(q('بوتين', '&limit=9'));
    expect(body.hits).toHaveLength(9);
    let ranges = 0;
    for (const h of body.hits) {
      const fields = [[h.matches.title, h.title, h.titleHtml], [h.matches.snippet, h.snippetText, h.snippet]] as const;
      for (const [offsets, text, html] of fields) {
        const marked = [...html.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1]!);
        expect(offsets.map(([s, e]) => text.slice(s, e)), h.id).toEqual(marked);
        for (const [s, e] of offsets) expect(text.slice(s, e)).toMatch(/بوتين/);
        ranges += offsets.length;
      }
    }
    // Every hit holds the word: at least one range each.
    expect(ranges).toBeGreaterThanOrEqual(body.hits.length);
  });
});

describe('filters, facets and sorting on the seeds', () => {
  it('filters by source', async () => {
    const { body } = await getJson<Result>(q('بوتين', '&source=RT'));
    expect(ids(body)).toEqual(['001-8a7ac69372d375fc']);
    expect(body.total).toBe(1);
  });

  it('keeps nothing for a source or category no article has, not the articles without one', async () => {
    for (const filter of ['&source=x', '&category=sport', `&source=${encodeURIComponent('nobody')}&category=${encodeURIComponent('nothing')}`]) {
      const { body } = await getJson<Result>(q('بوتين', filter));
      expect(body.total, filter).toBe(0);
      expect(body.hits, filter).toEqual([]);
    }
    // An unknown name beside a known one adds nothing to it.
    const { body } = await getJson<Result>(q('بوتين', '&source=RT,nonexistent'));
    expect(ids(body)).toEqual(['001-8a7ac69372d375fc']);
  });

  it('reads a quoted list value whole, its commas included', async () => {
    const got = async (filter: string) => (await getJson<Result>(q('بوتين', `&source=${encodeURIComponent(filter)}`))).body;
    expect(ids(await got('"RT"'))).toEqual(['001-8a7ac69372d375fc']);
    expect(ids(await got(' "RT" , nonexistent'))).toEqual(['001-8a7ac69372d375fc']);
    expect(ids(await got('\t"RT"\u00a0,nonexistent'))).toEqual(['001-8a7ac69372d375fc']);
    // A quote inside an unquoted value is a letter of it, as it always was.
    expect((await got('R"T')).total).toBe(0);
    // One name "RT, nonexistent", which no article has: nothing; unquoted, two names.
    expect((await got('"RT, nonexistent"')).total).toBe(0);
    expect(ids(await got('RT, nonexistent'))).toEqual(['001-8a7ac69372d375fc']);
    for (const bad of ['"RT', '"RT"x', '""', '" "']) {
      const res = await getJson<{ code: string; detail: string }>(q('بوتين', `&source=${encodeURIComponent(bad)}`));
      expect(res.status, bad).toBe(400);
      expect(res.body.code).toBe('BAD_PARAMETER');
      expect(res.body.detail).toMatch(/^source: .*quote/);
    }
  });

  it('filters by date range, inclusive', async () => {
    const a = await getJson<Result>(q('بوتين', '&from=2024-01-01'));
    expect(ids(a.body)).toEqual(['002-dceb01e7f804bfd1']);
    const b = await getJson<Result>(q('بوتين', '&from=2023-12-10&to=2023-12-10'));
    expect(ids(b.body)).toEqual(['001-8a7ac69372d375fc']);
  });

  it('filters by tag', async () => {
    const { body } = await getJson<Result>(q('بوتين', '&tag=بزشكيان'));
    expect(ids(body)).toEqual(['002-dceb01e7f804bfd1']);
  });

  it('filters to exactly the matches the unfiltered facets count', async () => {
    const { body: all } = await getJson<Result>(q('بوتين', '&limit=1'));
    const checks: [string, number][] = [
      ...Object.entries(all.facets!.source).map(([v, n]): [string, number] => [`&source=${encodeURIComponent(v)}`, n]),
      ...Object.entries(all.facets!.year).map(([y, n]): [string, number] => [`&from=${y}-01-01&to=${y}-12-31`, n]),
    ];
    expect(checks.length).toBeGreaterThan(3);
    for (const [filter, count] of checks) {
      const { body } = await getJson<Result>(q('بوتين', `${filter}&limit=50`));
      expect(body.total, filter).toBe(count);
      expect(body.hits, filter).toHaveLength(count);
    }
  });

  it('counts facets over all matches', async () => {
    const { body } = await getJson<Result>(q('بوتين', '&limit=1'));
    expect(body.facets!.year).toEqual({ '2023': 1, '2024': 1 });
    expect(body.facets!.source['وكالة تسنیم للأنباء']).toBe(2);
  });

  it('sorts newest first on request, undated last, stable across pages', async () => {
    const { body } = await getJson<Result>(q('بوتين', '&sort=date&limit=9'));
    expect(ids(body).slice(0, 2)).toEqual(['002-dceb01e7f804bfd1', '001-8a7ac69372d375fc']);
    const p1 = await getJson<Result>(q('بوتين', '&sort=date&limit=4'));
    const p2 = await getJson<Result>(q('بوتين', '&sort=date&limit=5&offset=4'));
    expect([...ids(p1.body), ...ids(p2.body)]).toEqual(ids(body));
  });

  it('by date lists the articles holding every word, newest first, and counts them; else those holding the most', async () => {
    const holds = async (id: string, words: string[]) => {
      const { body } = await getJson<{ title: string; body: string[] }>(`/articles/${encodeURIComponent(id)}`);
      const text = `${body.title}\n${body.body.join('\n')}`;
      return words.every((w) => text.includes(w));
    };
    const byRelevance = await getJson<Result>(q('بوتين الصين', '&limit=50'));
    const byDate = await getJson<Result>(q('بوتين الصين', '&sort=date&limit=50'));
    expect(byDate.body.relaxed).toBeUndefined();
    expect(byDate.body.total).toBe(byDate.body.hits.length);
    expect(byDate.body.total).toBeGreaterThan(1);
    // Relevance lists every article with either word (those with both first); by date, only those with both.
    expect(byRelevance.body.total).toBeGreaterThan(byDate.body.total);
    for (const h of byDate.body.hits) expect(await holds(h.id, ['بوتين', 'الصين']), h.id).toBe(true);
    const left = byRelevance.body.hits.filter((h) => !ids(byDate.body).includes(h.id));
    expect(left.length).toBeGreaterThan(0);
    for (const h of left) expect(await holds(h.id, ['بوتين', 'الصين']), h.id).toBe(false);
    const dates = byDate.body.hits.map((h) => h.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    expect(Object.values(byDate.body.facets!.year).reduce((a, b) => a + b, 0)).toBe(dates.filter(Boolean).length);
    // Words no article holds together: the articles with the most of them, and the response says so.
    // (الفنتانيل and غزة are on different seed pages; with الكرملين, the most an article holds is two.)
    const apart = await getJson<Result>(q('الفنتانيل غزة الكرملين', '&sort=date&limit=50'));
    expect(apart.body.relaxed).toEqual(['words']);
    expect(apart.body.total).toBe(apart.body.hits.length);
    expect(apart.body.total).toBeGreaterThan(0);
    for (const h of apart.body.hits) expect((await holds(h.id, ['الفنتانيل', 'الكرملين'])) || (await holds(h.id, ['غزة', 'الكرملين'])), h.id).toBe(true);
    const anyWord = await getJson<Result>(q('الفنتانيل غزة الكرملين', '&limit=50'));
    expect(anyWord.body.total).toBeGreaterThan(apart.body.total);
  });

  it('rejects a date range that ends before it starts, and a bad sort', async () => {
    expect((await getJson(q('بوتين', '&from=2024-01-02&to=2024-01-01'))).status).toBe(400);
    expect((await getJson(q('بوتين', '&sort=oldest'))).status).toBe(400);
    expect((await getJson(q('بوتين', '&from=2024-02-30'))).status).toBe(400);
  });
});

describe('phrases, exclusion and did-you-mean on the seeds', () => {
  it('matches a quoted phrase in order only', async () => {
    const inOrder = await getJson<Result>(q('"شي جين بينغ"'));
    expect(inOrder.body.total).toBeGreaterThanOrEqual(3);
    expect(inOrder.body.relaxed).toBeUndefined();
    // Nothing holds the words in this order: the words are searched unquoted, and it says so.
    const reversed = await getJson<Result>(q('"بينغ جين شي"'));
    expect(reversed.body.relaxed).toEqual(['phrase']);
    expect(ids(reversed.body).sort()).toEqual(ids((await getJson<Result>(q('بينغ جين شي'))).body).sort());
  });

  it('relaxes a quoted word only when nothing holds it', async () => {
    const none = await getJson<Result>(q('"زززززز" بوتين'));
    expect(none.body.relaxed).toEqual(['phrase']);
    expect(none.body.total).toBeGreaterThan(0);
    const nothing = await getJson<Result>(q('"زززززز"'));
    expect(nothing.body.total).toBe(0);
    expect(nothing.body.relaxed).toBeUndefined();
  });

  it('accepts Arabic quotation marks for phrases', async () => {
    const { body } = await getJson<Result>(q('«الضبعة النووية»'));
    expect(ids(body)).toEqual(['004-bafdca1a404276d3-2']);
  });

  it('excludes documents with a -word', async () => {
    const all = await getJson<Result>(q('بوتين', '&limit=20'));
    const without = await getJson<Result>(q('بوتين -الصين', '&limit=20'));
    expect(without.body.total).toBeLessThan(all.body.total);
    for (const h of without.body.hits) {
      const { body } = await getJson<{ title: string; body: string[] }>(`/articles/${h.id}`);
      expect(body.title + body.body.join(' ')).not.toMatch(/الصين/);
    }
  });

  it('excludes documents with a -"phrase" (those holding all its words), not requires it', async () => {
    const text = async (id: string) => {
      const { body } = await getJson<{ title: string; body: string[] }>(`/articles/${encodeURIComponent(id)}`);
      return body.title + ' ' + body.body.join(' ');
    };
    const all = await getJson<Result>(q('بوتين', '&limit=50'));
    const phrase = await getJson<Result>(q('"شي جين بينغ"', '&limit=50'));
    expect(phrase.body.total).toBeGreaterThanOrEqual(3);
    const without = await getJson<Result>(q('بوتين -"شي جين بينغ"', '&limit=50'));
    expect(without.body.total).toBeGreaterThan(0);
    expect(without.body.total).toBeLessThan(all.body.total);
    for (const h of without.body.hits) expect(await text(h.id), h.id).not.toMatch(/شي جين بينغ/);
    // What it left out is what holds the phrase.
    for (const h of all.body.hits.filter((x) => !without.body.hits.some((w) => w.id === x.id))) expect(await text(h.id), h.id).toMatch(/شي/);
    // A phrase of one word after the stop words is that word excluded.
    const one = await getJson<Result>(q('بوتين -"في الصين"', '&limit=50'));
    expect(one.body.total).toBe((await getJson<Result>(q('بوتين -الصين', '&limit=50'))).body.total);
  });

  it('answers exclusions alone with the newest articles without them, not a silent nothing', async () => {
    const text = async (id: string) => {
      const { body } = await getJson<{ title: string; body: string[] }>(`/articles/${encodeURIComponent(id)}`);
      return body.title + ' ' + body.body.join(' ');
    };
    const listed = await getJson<{ total: number; articles: { id: string }[] }>('/articles?limit=50');
    const holding = await getJson<Result>(q('الصين', '&limit=50&sort=date'));
    expect(holding.body.total).toBeGreaterThan(0);
    const without = await getJson<Result>(q('-الصين', '&limit=50'));
    expect(without.status).toBe(200);
    // Every live article is in one answer or the other, and only in one.
    expect(without.body.total).toBe(listed.body.total - holding.body.total);
    expect(without.body.sort).toBe('date');
    expect(without.body.without).toEqual(['الصين']);
    expect(holding.body.without).toBeUndefined();
    expect(without.body.hits).toHaveLength(without.body.total);
    for (const h of without.body.hits) expect(await text(h.id), h.id).not.toMatch(/الصين|لصين/);
    // In the listing's order (newest first), and counted by the facets.
    expect(ids(without.body)).toEqual(listed.body.articles.map((a) => a.id).filter((id) => !ids(holding.body).includes(id)));
    const bySource: Record<string, number> = {};
    for (const h of without.body.hits) if (h.source) bySource[h.source] = (bySource[h.source] ?? 0) + 1;
    expect(without.body.facets!.source).toEqual(bySource);
    // Stop words beside it change nothing; NOT is a minus; a phrase leaves out what holds it all.
    for (const other of ['في -الصين', 'NOT الصين']) expect(ids((await getJson<Result>(q(other, '&limit=50'))).body), other).toEqual(ids(without.body));
    const phrase = await getJson<Result>(q('-"شي جين بينغ"', '&limit=50'));
    const holdingPhrase = await getJson<Result>(q('"شي جين بينغ"', '&limit=50'));
    expect(phrase.body.total).toBe(listed.body.total - holdingPhrase.body.total);
    expect(phrase.body.without).toEqual(['شي جين بينغ']);
    // Paged and filtered as a search is.
    const second = await getJson<Result>(q('-الصين', '&limit=2&offset=2'));
    expect(ids(second.body)).toEqual(ids(without.body).slice(2, 4));
    const source = without.body.hits[0]!.source!;
    const narrowed = await getJson<Result>(q('-الصين', `&limit=50&source=${encodeURIComponent(source)}`));
    expect(narrowed.body.total).toBe(without.body.facets!.source[source]);
  });

  it('offers the corrected query when a typo finds nothing as typed, and shows its hits', async () => {
    const { body } = await getJson<Result>(q('فلاديمر', '&limit=20'));
    expect(body.didYouMean).toBe('فلاديمير');
    const right = await getJson<Result>(q('فلاديمير', '&limit=20'));
    expect(body.total).toBe(right.body.total);
    expect(body.hits.map((h) => h.id)).toEqual(right.body.hits.map((h) => h.id));
    const correct = await getJson<Result>(q('فلاديمير'));
    expect(correct.body.didYouMean).toBeUndefined();
  });

  it('says when the hits are the corrected query\'s, and searches exactly as typed with correct=false', async () => {
    const auto = await getJson<Result>(q('فلاديمر'));
    expect(auto.body.corrected).toBe(true); // unknown as typed: searched as فلاديمير
    const exact = await getJson<Result>(q('فلاديمر', '&correct=false'));
    expect(exact.status).toBe(200);
    expect(exact.body.total).toBe(0);
    expect(exact.body.didYouMean).toBeUndefined();
    expect(exact.body.corrected).toBeUndefined();
    // A spelling the archive has (seed 002): its article first, not corrected (5 articles
    // against 1 are not odds the spelling model offers a correction on).
    const rare = await getJson<Result>(q('فلاديميير'));
    expect(rare.body.hits[0]!.id).toBe('002-dceb01e7f804bfd1');
    expect(rare.body.didYouMean).toBeUndefined();
    expect(rare.body.corrected).toBeUndefined();
    expect((await getJson<Result>(q('فلاديميير', '&correct=false'))).body.hits.map((h) => h.id)).toEqual(['002-dceb01e7f804bfd1']);
    const bad = await getJson<{ code: string; detail: string }>(q('فلاديمر', '&correct=maybe'));
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('correct');
  });

  it('ranks exact matches above corrected ones', async () => {
    const { body } = await getJson<Result>(q('فلاديميير', '&limit=9'));
    expect(body.hits[0]!.id).toBe('002-dceb01e7f804bfd1');
  });
});

describe('searching as the reader types (prefix) on the seeds', () => {
  it('searches the query the last word completes to, and says so', async () => {
    const typed = await getJson<Result>(q('بوتين الكرم', '&prefix=true'));
    const whole = await getJson<Result>(q('بوتين الكرملين'));
    expect(typed.status).toBe(200);
    expect(typed.body.completed).toBe('بوتين الكرملين');
    expect(typed.body.query).toBe('بوتين الكرم');
    // The completed query's hits, ranked by the prefix weights (titles weigh more: search.ts).
    expect([...ids(typed.body)].sort()).toEqual([...ids(whole.body)].sort());
    expect(typed.body.total).toBe(whole.body.total);
    // As typed, الكرم is no word of the seeds: the hits are بوتين's, not the Kremlin's first.
    const asTyped = await getJson<Result>(q('بوتين الكرم'));
    expect(asTyped.body.completed).toBeUndefined();
    expect(ids(asTyped.body)).not.toEqual(ids(whole.body));
  });

  it('completes a first word, and a typo in it as /suggest reads it', async () => {
    const r = await getJson<Result>(q('بوت', '&prefix=true'));
    expect(r.body.completed).toBe('بوتين');
    expect([...ids(r.body)].sort()).toEqual([...ids((await getJson<Result>(q('بوتين'))).body)].sort());
    expect((await getJson<Result>(q('بويت', '&prefix=true'))).body.completed).toBe('بوتين');
    // Typed with the keyboard on its Latin layout: , types و.
    const layout = await getJson<Result>(q('f,jd', '&prefix=true'));
    expect(layout.body.completed).toBe('بوتين');
    expect(ids(layout.body)).toEqual(ids(r.body));
  });

  it('leaves a word some article holds as typed, though /suggest would read it as a commoner one', async () => {
    // Seed 002 writes فلاديميير in its body: no title holds it, so /suggest reads it as فلاديمير.
    expect((await getJson<Suggestions>(`/suggest?q=${encodeURIComponent('فلاديميير')}`)).body.completions[0]?.text).toBe('فلاديمير');
    const r = await getJson<Result>(q('فلاديميير', '&prefix=true'));
    expect(r.body.completed).toBeUndefined();
    expect(ids(r.body)).toEqual(ids((await getJson<Result>(q('فلاديميير'))).body));
  });

  it('leaves a finished word, an operator and correct=false as typed', async () => {
    for (const [typed, extra] of [['بوتين الكرم ', ''], ['بوتين -الكرم', ''], ['بوتين "الكرم"', ''], ['"بوتين الكرم', ''], ['بوتين الكرم', '&correct=false']] as const) {
      const r = await getJson<Result>(q(typed, `&prefix=true${extra}`));
      expect(r.status, typed).toBe(200);
      expect(r.body.completed, typed).toBeUndefined();
    }
  });

  it('refuses a prefix that is not a boolean', async () => {
    const r = await getJson<{ code: string }>(q('بوت', '&prefix=maybe'));
    expect(r.status).toBe(400);
  });
});

describe('GET /suggest on the seeds', () => {
  it('completes the last word, typed without hamza or with harakat', async () => {
    for (const typed of ['الرئ', 'الرى', 'الرَّئ']) {
      const { status, body } = await getJson<Suggestions>(`/suggest?q=${encodeURIComponent(typed)}`);
      expect(status).toBe(200);
      expect(body.completions.map((c) => c.text)).toContain('الرئيس');
    }
  });

  it('keeps the words already typed and suggests whole titles', async () => {
    const { body } = await getJson<Suggestions>(`/suggest?q=${encodeURIComponent('بوتين الكرم')}`);
    expect(body.completions[0]!.text).toBe('بوتين الكرملين');
    expect(body.completions[0]!.html).toBe('بوتين <mark>الكرملين</mark>');
    expect(body.titles.length).toBeGreaterThan(0);
    for (const t of body.titles) expect(t.titleHtml).toMatch(/<mark>[^<]*(بوتين|الكرملين)[^<]*<\/mark>/);
  });

  it('reads a finished Latin name as /search does, and completes after it in Arabic', async () => {
    const get = async (typed: string) => (await getJson<Suggestions>(`/suggest?q=${encodeURIComponent(typed)}`)).body;
    const arabic = await get('بوتين ');
    expect(arabic.titles.length).toBeGreaterThan(0);
    for (const typed of ['putin ', 'Poutine ', 'boutin ']) {
      const latin = await get(typed);
      expect(latin.titles.map((t) => t.id), typed).toEqual(arabic.titles.map((t) => t.id));
      expect((latin as { query?: string }).query).toBe(typed);
    }
    const after = await get('putin الكرم');
    expect(after.completions[0]!.text).toBe('بوتين الكرملين');
    expect(after.completions[0]!.html).toBe('بوتين <mark>الكرملين</mark>');
    // A name still being typed is not read: its first letters read as other words.
    expect((await get('puti')).titles).toEqual([]);
  });

  it('reads typos by the spelling model: in the word being typed, and in a finished word', async () => {
    const get = async (typed: string) => (await getJson<Suggestions>(`/suggest?q=${encodeURIComponent(typed)}`)).body;
    // بويت: بوتي with two letters swapped; no word of the seeds begins so.
    expect((await get('بويت')).completions[0]!.text).toBe('بوتين');
    // بويتن, finished: its titles are بوتين's, and the completions after it write بوتين.
    const right = await get('بوتين ');
    expect((await get('بويتن ')).titles.map((t) => t.id)).toEqual(right.titles.map((t) => t.id));
    const after = await get('بويتن الكرم');
    expect(after.completions[0]!.text).toBe('بوتين الكرملين');
    expect((after as { query?: string }).query).toBe('بويتن الكرم');
    expect((after as { didYouMean?: string }).didYouMean).toBe('بوتين الكرم');
    expect((right as { didYouMean?: string }).didYouMean).toBeUndefined();
  });

  it('answers 400 for an empty or over-long q', async () => {
    expect((await getJson('/suggest?q=')).status).toBe(400);
    expect((await getJson(`/suggest?q=${'ب'.repeat(101)}`)).status).toBe(400);
  });
});
