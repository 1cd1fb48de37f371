/**
 * Big terms in two tiers: a query that stops before reading tier B finds the same page as one
 * that reads every posting, and says which counts are then lower bounds.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusLines } from '../corpus';
import { titleQueries } from '../archives';
import { buildIndex } from '../../src/indexer/build-index';
import { encodeFixed, keys, sealValue, unsealValue } from '../../src/core/format/layout';
import { decodePostings, encodePostings, postingCode, TF_UNIT, type FieldPostings } from '../../src/core/format/codec';
import { splitTiers } from '../../src/indexer/tiers';
import { parseManifest, IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { CONTEXT, suggest } from '../../src/core/search/suggest';
import { stem, tokenize } from '../../src/core/analyzer/index';
import { HAND_SET_RANKING, searchOptions } from '../../src/core/search/options';
import { MemorySource, ReadStats } from '../../src/core/search/source';
import { Validator, type Schema } from '@cfworker/json-schema';
import { SCHEMAS } from '../../src/worker/api-schema';

let dir = '';
let values = new Map<string, string>();
let titles: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bahth-tiers-'));
  const rows = await corpusLines(37, 1000);
  titles = rows.map((r) => (JSON.parse(r) as { title: string }).title);
  writeFileSync(join(dir, 'in.jsonl'), rows.join('\n'));
  // Replicated (as the 1M benchmark does) and small shards: many big terms, most of them tiered.
  await buildIndex({ inputs: [join(dir, 'in.jsonl')], outDir: join(dir, 'dist'), replicate: 10, shardTargetBytes: 512 });
  for (const f of readdirSync(join(dir, 'dist', 'kv'))) for (const e of JSON.parse(readFileSync(join(dir, 'dist', 'kv', f), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
  for (const e of JSON.parse(readFileSync(join(dir, 'dist', 'switch.json'), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('big terms in two tiers', () => {
  it('keeps every posting of a doc whose title has the term in tier A, and marks the tier B so', () => {
    // 400 docs with the term once in a long body; docs 0–49, the longest bodies of all, also
    // have it in their titles (by length alone, they would be the first in tier B).
    const docs = Array.from({ length: 400 }, (_, d) => d);
    const title: FieldPostings = { slots: [docs.slice(0, 50)], codes: Uint16Array.from(docs.slice(0, 50), () => postingCode(TF_UNIT, 6)) };
    const body: FieldPostings = { slots: [docs], codes: Uint16Array.from(docs, (d) => postingCode(TF_UNIT, d < 50 ? 5000 : 200 + d)) };
    const attributes = encodeFixed(Array.from({ length: 450 }, (_, i) => i % 7), 1);
    const { head, rest } = splitTiers([400, encodePostings(title), encodePostings(body), attributes, '3'.repeat(50)], 1);
    expect(rest).toBeDefined();
    expect(head[7]?.titled).toBe(true);
    const inHead = decodePostings(head[2]).slots.flatMap((s) => Array.from(s));
    const inRest = decodePostings(rest![2]).slots.flatMap((s) => Array.from(s));
    // Titled docs are whole in tier A, however long their bodies; tier B has the longest of the others.
    for (let d = 0; d < 50; d++) expect(inHead).toContain(d);
    expect(inRest.some((d) => d < 50)).toBe(false);
    expect(inRest.length).toBe(head[7]!.postings);
    expect([...inHead, ...inRest].sort((a, b) => a - b)).toEqual(docs);
    expect(Math.min(...inRest)).toBeGreaterThan(Math.max(...inHead.filter((d) => d >= 50))); // the longest of the untitled
    // Each posting keeps its attribute code, in the order of its tier's postings.
    const codeOf = (list: number[], attrs: string, skip: number) => list.map((_, i) => attrs[skip + i]);
    expect(codeOf(inRest, rest![3], 0)).toEqual(inRest.map((d) => attributes[50 + d]));
    expect(codeOf(inHead, head[3], 50)).toEqual(inHead.map((d) => attributes[50 + d]));
  });

  it('writes a tier B for most big terms, beside their heads', () => {
    const base = parseManifest(values.get('manifest')!).segments[0]!;
    expect(base.big.length).toBeGreaterThan(50);
    const tiered = base.big.filter((t) => values.has(keys.bigRest(base.id, t)));
    expect(tiered.length / base.big.length).toBeGreaterThan(0.5);
    // Heads and tiers B are ASCII (the term escaped), stored deflated: read back as one-byte text.
    const big = [...values].filter(([k]) => k.includes('/b/'));
    // (A term's titles key, /t, is deflated only when that makes it smaller: a few titles may not.)
    expect(big.filter(([k]) => !k.endsWith('/t')).every(([, v]) => v.startsWith('~'))).toBe(true);
    expect(big.filter(([k]) => k.endsWith('/t')).length).toBe(base.big.length);
    expect(big.filter(([, v]) => /[^\x00-\x7f]/.test(unsealValue(v)!)).map(([k]) => k)).toEqual([]);
    expect(base.big.filter((t) => /[^\x00-\x7f]/.test(t)).length).toBeGreaterThan(50);
  });

  it('finds the same page, scores and all, as reading every posting, for 300 queries; counts read are lower bounds', async () => {
    // The hand-set ranking (re-rank depth 10, coverage in the score) pins the mechanism: with a
    // deeper re-rank the top k to prove final is longer, and fewer queries may stop.
    const exhaustive = searchOptions({ ranking: HAND_SET_RANKING, caps: { tierStop: false, skipWordDocs: 0 } });
    const stopping = searchOptions({ ranking: HAND_SET_RANKING, caps: { tierStop: true } });
    // ... and with a common word scored only on the other words' docs (word-skip.ts) while tiers B are unread.
    const skipping = searchOptions({ ranking: HAND_SET_RANKING, caps: { tierStop: true, skipWordDocs: 150 } });
    let stopped = 0;
    let stoppedSkipping = 0;
    let bytesTiered = 0;
    let bytesWhole = 0;
    let fewerReads = 0;
    for (const q of titleQueries(titles, 300, 5)) {
      const params = { q, limit: 10, offset: 0, sort: 'relevance', facets: true, recency: 0.05 } as const;
      const sa = new ReadStats();
      const sb = new ReadStats();
      const a = await search(await new IndexReader(new MemorySource(values)).current(new ReadStats()), params, sa, stopping);
      const b = await search(await new IndexReader(new MemorySource(values)).current(new ReadStats()), params, sb, exhaustive);
      bytesTiered += sa.bytes;
      bytesWhole += sb.bytes;
      // Read whole, a big term's tiers come in the batch of the other terms: never a read more.
      expect(sb.reads, q).toBeLessThanOrEqual(sa.reads);
      if (sb.reads < sa.reads) fewerReads++;
      expect(a.hits.map((h) => [h.id, h.score]), q).toEqual(b.hits.map((h) => [h.id, h.score]));
      expect(b.partial).toBeUndefined();
      const c = await search(await new IndexReader(new MemorySource(values)).current(new ReadStats()), params, new ReadStats(), skipping);
      expect(c.hits.map((h) => [h.id, h.score]), q).toEqual(b.hits.map((h) => [h.id, h.score]));
      if (c.partial) {
        stoppedSkipping++;
        expect(c.total).toBeLessThanOrEqual(b.total);
      } else expect(c.total, q).toBe(b.total);
      if (a.partial) {
        stopped++;
        expect(a.partial).toEqual(['total', 'facets']);
        expect(a.total).toBeLessThanOrEqual(b.total);
        for (const [k, n] of Object.entries(a.facets!.source)) expect(n).toBeLessThanOrEqual(b.facets!.source[k]!);
      } else {
        expect(a.total, q).toBe(b.total);
        expect(a.facets, q).toEqual(b.facets);
      }
    }
    // The test means something only if many queries stopped early, and they read less. (58 of
    // the 300 stopped before tiers B were titled and a word's rise bounded by its best term; 94 since.)
    expect(stopped).toBeGreaterThan(80);
    expect(stoppedSkipping).toBeGreaterThan(stopped);
    expect(bytesTiered).toBeLessThan(bytesWhole);
    expect(fewerReads).toBeGreaterThan(30);
    console.log(`tiers: ${stopped}/300 queries stopped before tier B (${stoppedSkipping} with a common word skipped); bytes read ${bytesTiered} vs ${bytesWhole}; ${fewerReads} read whole in fewer batches`);
  }, 180_000);
});

describe('a common word scored only on the other words\' docs (word-skip.ts)', () => {
  it('finds the same page, scores and all, as scoring every doc, for 300 queries; counts are then lower bounds', async () => {
    // Low enough that this sample's common words are skipped (at 1M the default, 10,000, is).
    const skipping = searchOptions({ caps: { skipWordDocs: 300 } });
    const whole = searchOptions({ caps: { skipWordDocs: 0 } });
    // ... and with a page that fails its proof always matched again, whole (no rescue).
    const unrescued = searchOptions({ caps: { skipWordDocs: 300, skipRescue: 0 } });
    let skipped = 0;
    let fewer = 0;
    let rescued = 0;
    for (const [i, q] of titleQueries(titles, 300, 9).entries()) {
      const params = { q, limit: 10, offset: i % 7 === 0 ? 10 : 0, sort: i % 11 === 0 ? 'date' : 'relevance', facets: true, recency: i % 3 === 0 ? 0 : 0.05 } as const;
      const a = await search(await new IndexReader(new MemorySource(values)).current(new ReadStats()), params, new ReadStats(), skipping);
      const b = await search(await new IndexReader(new MemorySource(values)).current(new ReadStats()), params, new ReadStats(), whole);
      expect(a.hits.map((h) => [h.id, h.score]), q).toEqual(b.hits.map((h) => [h.id, h.score]));
      expect(b.partial).toBeUndefined();
      const c = await search(await new IndexReader(new MemorySource(values)).current(new ReadStats()), params, new ReadStats(), unrescued);
      expect(c.hits.map((h) => [h.id, h.score]), q).toEqual(b.hits.map((h) => [h.id, h.score]));
      // A rescued page is one whose proof failed: matched again whole, it would count every doc.
      if (a.partial && !c.partial) rescued++;
      if (c.partial) expect(a.partial, q).toEqual(c.partial);
      if (a.partial) {
        skipped++;
        // The answer the API gives for it is one its contract allows (SearchResult admits no other property).
        const contract = new Validator({ $ref: '#/components/schemas/SearchResult', components: { schemas: SCHEMAS } } as unknown as Schema, '2020-12', false);
        expect(contract.validate(JSON.parse(JSON.stringify(a))).errors, q).toEqual([]);
        expect(params.sort, q).toBe('relevance');
        expect(q.split(' ').length, q).toBeGreaterThan(1);
        expect(a.partial).toEqual(['total', 'facets']);
        expect(a.total, q).toBeLessThanOrEqual(b.total);
        if (a.total < b.total) fewer++;
        for (const facet of ['source', 'category', 'year'] as const) {
          for (const [k, n] of Object.entries(a.facets![facet])) expect(n, `${q} ${facet} ${k}`).toBeLessThanOrEqual(b.facets![facet][k]!);
        }
      } else {
        expect(a.total, q).toBe(b.total);
        expect(a.facets, q).toEqual(b.facets);
      }
    }
    // The test means something only if many queries skipped a word and counted fewer docs.
    expect(skipped).toBeGreaterThan(30);
    expect(fewer).toBeGreaterThan(30);
    // ... and only if pages failing their proof were completed from the few docs that might pass.
    expect(rescued).toBeGreaterThan(5);
    console.log(`word skip: ${skipped}/300 queries answered without a common word's own docs (${fewer} counted fewer; ${rescued} pages rescued after failing their proof)`);
  }, 180_000);

  it('finds the same page as scoring every doc under filters: sources, categories, dates, excluded words', async () => {
    const skipping = searchOptions({ caps: { skipWordDocs: 300 } });
    const whole = searchOptions({ caps: { skipWordDocs: 0 } });
    const read = async (params: Parameters<typeof search>[1], o: typeof whole) => search(await new IndexReader(new MemorySource(values)).current(new ReadStats()), params, new ReadStats(), o);
    // Filter values the sample has: its sources and categories by their counts, and a word to exclude.
    const all = await read({ q: titleQueries(titles, 1, 3)[0]!, limit: 10, offset: 0, sort: 'relevance', facets: true, recency: 0 }, whole);
    const sources = Object.keys(all.facets!.source);
    const categories = Object.keys(all.facets!.category);
    expect(sources.length).toBeGreaterThan(1);
    expect(categories.length).toBeGreaterThan(1);
    let skippedFiltered = 0;
    let filteredOut = 0;
    let excludedOut = 0;
    for (const [i, q0] of titleQueries(titles, 200, 21).entries()) {
      const other = titleQueries(titles, 1, 1000 + i)[0]!.split(' ')[0]!;
      const q = i % 4 === 3 ? `${q0} -${other}` : q0;
      const params = {
        q, limit: 10, offset: i % 5 === 0 ? 10 : 0, sort: 'relevance', facets: true, recency: i % 3 === 0 ? 0 : 0.05,
        ...(i % 4 === 0 ? { source: [sources[i % sources.length]!] } : {}),
        ...(i % 4 === 1 ? { category: [categories[i % categories.length]!] } : {}),
        ...(i % 4 === 2 ? (i % 8 === 2 ? { from: '2017-06-01' } : { to: '2017-06-01' }) : {}),
      } as const;
      const a = await read(params, skipping);
      const b = await read(params, whole);
      expect(a.hits.map((h) => [h.id, h.score]), JSON.stringify(params)).toEqual(b.hits.map((h) => [h.id, h.score]));
      if (a.partial) {
        skippedFiltered++;
        expect(a.total, q).toBeLessThanOrEqual(b.total);
      } else expect(a.total, q).toBe(b.total);
      if (b.total < (await read({ ...params, q: q0, source: undefined, category: undefined, from: undefined, to: undefined }, whole)).total) {
        if (i % 4 === 3) excludedOut++;
        else filteredOut++;
      }
    }
    // The test means something only if many filtered queries skipped a word, and the filters cut.
    expect(skippedFiltered).toBeGreaterThan(20);
    expect(filteredOut).toBeGreaterThan(100);
    expect(excludedOut).toBeGreaterThan(10);
    console.log(`word skip under filters: ${skippedFiltered}/200 answered without a common word's own docs; ${filteredOut} cut by their filters, ${excludedOut} by an excluded word`);
  }, 180_000);
});

describe('a long-lived reader whose cache lets values go', () => {
  it('learns a big term\'s attribute codes once: read again, its facets and filters are a fresh reader\'s', async () => {
    // A cache far smaller than what the queries read: big terms are read again and again.
    const reader = new IndexReader(new MemorySource(values), { cacheBytes: 128 * 1024 });
    const first = await reader.current(new ReadStats());
    const learned = (first as unknown as { attributeCache: { learned: Set<string> } }).attributeCache.learned;
    let known = 0;
    const has = learned.has.bind(learned);
    learned.has = (origin: string) => {
      const yes = has(origin);
      if (yes) known++;
      return yes;
    };
    const all = await search(first, { q: titleQueries(titles, 1, 3)[0]!, limit: 10, offset: 0, sort: 'relevance', facets: true, recency: 0 }, new ReadStats());
    const sources = Object.keys(all.facets!.source);
    const categories = Object.keys(all.facets!.category);
    const queries = titleQueries(titles, 60, 33);
    let reread = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (const [i, q] of queries.entries()) {
        const params = {
          q, limit: 10, offset: 0, sort: i % 9 === 0 ? 'date' : 'relevance', facets: true, recency: 0.05,
          ...(i % 3 === 1 ? { source: [sources[i % sources.length]!] } : {}),
          ...(i % 3 === 2 ? { category: [categories[i % categories.length]!] } : {}),
        } as const;
        const stats = new ReadStats();
        const a = await search(await reader.current(stats), params, stats);
        if (pass === 1 && stats.keys > 0) reread++;
        const b = await search(await new IndexReader(new MemorySource(values)).current(new ReadStats()), params, new ReadStats());
        expect([a.total, a.facets, a.hits.map((h) => h.id)], JSON.stringify(params)).toEqual([b.total, b.facets, b.hits.map((h) => h.id)]);
      }
    }
    // The test means something only if values were read again and their codes not learnt again.
    expect(reread).toBeGreaterThan(30);
    expect(learned.size).toBeGreaterThan(0);
    expect(known).toBeGreaterThan(0);
    console.log(`long-lived reader: ${reread}/60 queries of the second pass read values again; ${known} parts' codes known, not learnt again (${learned.size} noted)`);
  }, 180_000);
});

describe('search as you type over big terms', () => {
  it('reads big terms\' and cards\' titles keys: the completions and titles of their whole keys, in fewer bytes', async () => {
    const m = parseManifest(values.get('manifest')!);
    expect(m.segments[0]!.bigTitles).toBe(true);
    expect(m.segments[0]!.cardTitles).toBe(true);
    // The same archive as a reader sees one written before the titles keys: whole big terms and cards read.
    const before = new Map(values);
    before.set('manifest', sealValue(JSON.stringify({ ...m, segments: m.segments.map(({ bigTitles: _, cardTitles: __, ...s }) => s) }), true));
    // Counts the bytes of big terms' and cards' keys read (the rest is the same on both sides).
    const counted = (v: Map<string, string>, into: { bytes: number; cards: number }) => ({
      getMany: async (ks: string[]) => {
        for (const k of ks) if (k.includes('/b/')) into.bytes += v.get(k)?.length ?? 0;
        for (const k of ks) if (k.includes('/c/')) into.cards += v.get(k)?.length ?? 0;
        return new MemorySource(v).getMany(ks);
      },
    });
    const now = { bytes: 0, cards: 0 };
    const was = { bytes: 0, cards: 0 };
    let bigRead = 0;
    // Titles typed letter by letter from their second word on, as a reader types them.
    for (const t of titles.slice(0, 80)) {
      const words = t.split(' ');
      for (let w = 1; w < Math.min(words.length, 4); w++) {
        for (let n = 2; n <= words[w]!.length; n += 2) {
          const q = `${words.slice(0, w).join(' ')} ${words[w]!.slice(0, n)}`;
          const before0 = was.bytes;
          // The older archive weighs its big completions too (`weighBigTerms`), from their whole keys.
          const a = await suggest(await new IndexReader(counted(values, now)).current(new ReadStats()), q, 5);
          const b = await suggest(await new IndexReader(counted(before, was)).current(new ReadStats()), q, 5, new ReadStats(), { weighBigTerms: true });
          expect(a, q).toEqual(b);
          if (was.bytes > before0) bigRead++;
        }
      }
    }
    // The test means something only if many keystrokes read big terms.
    expect(bigRead).toBeGreaterThan(50);
    expect(now.bytes).toBeLessThan(0.5 * was.bytes);
    expect(now.cards).toBeLessThan(0.6 * was.cards);
    console.log(`suggest: ${bigRead} keystrokes read big terms; their keys' bytes ${now.bytes} (titles keys) against ${was.bytes} (whole); cards ${now.cards} against ${was.cards}`);
  }, 180_000);

  it('names a missing or damaged titles key of a big term, as any index value', async () => {
    const m = parseManifest(values.get('manifest')!);
    const seg = m.segments[0]!;
    // A keystroke whose finished word is a big term: its titles key is read.
    const term = seg.big.find((t) => !t.includes('~') && stem(t) === t && values.has(keys.bigTitles(seg.id, t)))!;
    const key = keys.bigTitles(seg.id, term);
    const q = `${term} و`;
    const good = values.get(key)!;
    expect(await suggest(await new IndexReader(new MemorySource(values)).current(new ReadStats()), q, 5)).toBeTruthy();
    for (const damaged of [undefined, sealValue(unsealValue(good)!.slice(0, 20))]) {
      const broken = new Map(values);
      if (damaged === undefined) broken.delete(key);
      else broken.set(key, damaged);
      const err = await suggest(await new IndexReader(new MemorySource(broken)).current(new ReadStats()), q, 5).then(() => undefined, (e: unknown) => e as { code?: string; message: string });
      expect(err?.code, damaged === undefined ? 'missing' : 'damaged').toBe('INDEX_CORRUPT');
      expect(err!.message).toContain(key);
    }
  }, 60_000);

  it('completes as an archive of the same articles without big terms does: every candidate weighed by the words before', async () => {
    // The same articles with shards so large that no term is big.
    await buildIndex({ inputs: [join(dir, 'in.jsonl')], outDir: join(dir, 'flat'), replicate: 10, shardTargetBytes: 1 << 24 });
    const flat = new Map<string, string>();
    for (const f of readdirSync(join(dir, 'flat', 'kv'))) for (const e of JSON.parse(readFileSync(join(dir, 'flat', 'kv', f), 'utf8')) as { key: string; value: string }[]) flat.set(e.key, e.value);
    for (const e of JSON.parse(readFileSync(join(dir, 'flat', 'switch.json'), 'utf8')) as { key: string; value: string }[]) flat.set(e.key, e.value);
    expect(parseManifest(flat.get('manifest')!).segments[0]!.big).toEqual([]);
    const big = await new IndexReader(new MemorySource(values)).current(new ReadStats());
    const small = await new IndexReader(new MemorySource(flat)).current(new ReadStats());
    // An archive written before the titles keys, read as it was: big completions are not weighed.
    const m = parseManifest(values.get('manifest')!);
    const older = new Map(values);
    older.set('manifest', sealValue(JSON.stringify({ ...m, segments: m.segments.map(({ bigTitles: _, cardTitles: __, ...s }) => s) }), true));
    const old = await new IndexReader(new MemorySource(older)).current(new ReadStats());
    const bigTerms = new Set(m.segments[0]!.big);
    let weighedBig = 0;
    let changed = 0;
    for (const t of titles.slice(100, 220)) {
      const words = t.split(' ');
      for (let w = 1; w < Math.min(words.length, 4); w++) {
        const q = `${words.slice(0, w).join(' ')} ${words[w]!.slice(0, 2)}`;
        const a = await suggest(big, q, 5);
        const b = await suggest(small, q, 5);
        expect(a.completions, q).toEqual(b.completions);
        expect(a.titles, q).toEqual(b.titles);
        // Candidates weighed past the three read for the titles that are big terms.
        const typed = tokenize(q).at(-1)!.norm;
        const entries = (await big.suggestions(typed, new ReadStats())).filter((e) => e[0].startsWith(typed));
        if (entries.slice(3, CONTEXT.candidates).some((e) => bigTerms.has(stem(e[0])))) weighedBig++;
        if (JSON.stringify((await suggest(old, q, 5)).completions) !== JSON.stringify(a.completions)) changed++;
      }
    }
    // Many keystrokes weigh big candidates past the three read for the titles, and that changes
    // some of them against the older reading.
    expect(weighedBig).toBeGreaterThan(30);
    expect(changed).toBeGreaterThan(0);
    console.log(`suggest: ${weighedBig} keystrokes weighed big candidates; ${changed} completed otherwise than an archive without titles keys`);
  }, 180_000);
});
