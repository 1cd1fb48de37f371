/**
 * The live archive inside workerd, against the real KV binding: publishes (new, revised and
 * deleted articles), compaction, a publish cut off between any two writes, readers querying
 * while a publish runs, two publishes at once, and the equivalence with a full build.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { executePlan, planPublish, readLiveManifest, type KvStore, type PublishPlan } from '../../src/indexer/publish';
import { ANALYZER_VERSION } from '../../src/core/analyzer/version';
import { sealValue } from '../../src/core/format/layout';
import { search, type SearchResult } from '../../src/core/search/search';
import { IndexReader } from '../../src/core/search/reader';
import { MemorySource, ReadStats } from '../../src/core/search/source';
import { getJson, q, type Result } from './helpers';

/** An analyzer other than this code's, as an index built before an upgrade names it. */
const OTHER_ANALYZER = `${ANALYZER_VERSION}-before`;

/** The test's KV binding as a publish's store. */
class BindingKv implements KvStore {
  constructor(private readonly kv: KVNamespace) {}
  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    const out = new Map<string, string | null>();
    for (let i = 0; i < keys.length; i += 100) {
      const batch = keys.slice(i, i + 100);
      const got = (await this.kv.get(batch, 'text')) as Map<string, string | null>;
      for (const k of batch) out.set(k, got.get(k) ?? null);
    }
    return out;
  }
  async putMany(entries: { key: string; value: string }[]): Promise<void> {
    for (let i = 0; i < entries.length; i += 50) await Promise.all(entries.slice(i, i + 50).map((e) => this.kv.put(e.key, e.value)));
  }
  async deleteMany(keys: string[]): Promise<void> {
    for (const k of keys) await this.kv.delete(k);
  }
  async list(prefix: string): Promise<string[]> {
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.kv.list({ prefix, ...(cursor ? { cursor } : {}) });
      out.push(...page.keys.map((k) => k.name));
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
    return out;
  }
}

const live = inject('live');
const kv = new BindingKv(env.INDEX);
const ids = (r: Result) => r.hits.map((h) => h.id);
const enc = encodeURIComponent;

beforeAll(async () => {
  await kv.putMany(live.base.filter((e) => e.key !== 'manifest'));
  await kv.putMany(live.base.filter((e) => e.key === 'manifest'));
}, 120_000);

/** What the Worker answers for some queries (ids, total, facets, version). */
async function answersOf(queries: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const s of queries) {
    const { status, body } = await getJson<Result>(q(s, '&limit=10'));
    expect(status, s).toBe(200);
    out.push(JSON.stringify({ hits: ids(body), total: body.total, facets: body.facets }));
  }
  return out;
}

const probes = ['الرئيس', 'كرة القدم', 'الاقتصاد العالمي', 'مصر', 'الانتخابات'];

describe('publishing to the live archive', () => {
  it('publishes new and revised articles as one delta, searchable at once', async () => {
    const before = await getJson<{ counts: { articles: number } }>('/health');
    const plan = await planPublish({ source: kv, add: live.first, compact: 'none' });
    expect(plan.summary).toMatchObject({ added: 100, replaced: 10, removed: 0, unchanged: 0, articleKeys: 110 });
    // Only what the change needs: its articles, one delta segment, a manifest copy, the manifest.
    expect(plan.writes.filter((w) => w.key.startsWith('a/'))).toHaveLength(110);
    expect(plan.writes.filter((w) => !w.key.startsWith('a/') && !w.key.startsWith(`s/${plan.summary.delta!.id}/`) && !w.key.startsWith('m/'))).toEqual([]);
    await executePlan(kv, plan);
    const health = await getJson<{ counts: { articles: number; deltas: number } }>('/health');
    expect(health.body.counts).toMatchObject({ articles: before.body.counts.articles + 100, deltas: 1 });
    // A new article is found by its title, first.
    const added = live.first[0]!;
    const { body } = await getJson<Result>(q(added.title.slice(0, 150)));
    expect(body.hits[0]!.id).toBe(added.id);
    expect((await getJson<{ id: string }>(`/articles/${enc(added.id)}`)).body.id).toBe(added.id);
    // The revised articles answer with their new paragraph; each is counted once.
    const revised = await getJson<Result>(q('"الاستعراض البحري"', '&limit=50'));
    expect(revised.body.total).toBe(10);
    const one = live.first.find((a) => a.body.at(-1)!.includes('الاستعراض البحري'))!;
    const article = await getJson<{ body: string[] }>(`/articles/${enc(one.id)}`);
    expect(article.body.body.at(-1)).toContain('الاستعراض البحري');
    const byTitle = await getJson<Result>(q(one.title.slice(0, 150), '&limit=50'));
    expect(ids(byTitle.body).filter((id) => id === one.id)).toHaveLength(1);
  });

  it('deletes: gone from search, totals, facets, listings and /articles/:id', async () => {
    const gone = live.deleted[0]!;
    const title = (await getJson<{ title: string }>(`/articles/${enc(gone)}`)).body.title;
    const before = await getJson<Result>(q(title.slice(0, 150), '&limit=50'));
    expect(ids(before.body)).toContain(gone);
    const list = await getJson<{ total: number }>('/articles?limit=1');
    const plan = await planPublish({ source: kv, add: live.second, remove: live.deleted, compact: 'none' });
    expect(plan.summary).toMatchObject({ added: 100, removed: 5 });
    await executePlan(kv, plan);
    const after = await getJson<Result>(q(title.slice(0, 150), '&limit=50'));
    expect(ids(after.body)).not.toContain(gone);
    expect((await getJson(`/articles/${enc(gone)}`)).status).toBe(404);
    const listed = await getJson<{ total: number; articles: { id: string }[] }>('/articles?limit=100');
    expect(listed.body.total).toBe(list.body.total + 100 - 5);
    // Every listed article is live, newest first.
    const all: string[] = [];
    for (let offset = 0; offset < listed.body.total; offset += 100) all.push(...(await getJson<{ articles: { id: string }[] }>(`/articles?limit=100&offset=${offset}`)).body.articles.map((a) => a.id));
    expect(all).toHaveLength(listed.body.total);
    expect(all.filter((id) => live.deleted.includes(id))).toEqual([]);
    expect(new Set(all).size).toBe(all.length);
    // Facets add up to the total, which counts no deleted article.
    const broad = await getJson<Result>(q('في', '&limit=1'));
    const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    expect(sum(broad.body.facets!.source)).toBe(broad.body.total);
  });

  // By date, two articles of one day from different publishes keep publish order where a full
  // build orders them by time of day: harmless when publishes come in time order, as here (a
  // revised article of A is then the one exception; see docs/architecture.md).
  it('answers like one full build of what is live: totals and facets always, the same hits for 99 % of queries', async () => {
    const livingReader = await new IndexReader(kv).current(new ReadStats());
    const full = await new IndexReader(new MemorySource(new Map(live.full.map((e) => [e.key, e.value])))).current(new ReadStats());
    expect(livingReader.docCount).toBe(full.docCount);
    let same = 0;
    let n = 0;
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 300; i++) {
      const words = live.titles[Math.floor(rand() * live.titles.length)]!.split(/\s+/);
      const k = 1 + Math.floor(rand() * 3);
      const at = Math.floor(rand() * Math.max(1, words.length - k));
      const query = words.slice(at, at + k).join(' ');
      const sort = i % 4 === 3 ? 'date' : 'relevance';
      const params = { q: query, limit: 10, offset: 0, sort, facets: true, recency: 0.05 } as const;
      const a: SearchResult = await search(livingReader, params, new ReadStats());
      const b: SearchResult = await search(full, params, new ReadStats());
      expect(a.total, query).toBe(b.total);
      expect(a.facets, query).toEqual(b.facets);
      if (JSON.stringify(a.hits.map((h) => h.id)) === JSON.stringify(b.hits.map((h) => h.id))) same++;
      n++;
    }
    expect(same / n).toBeGreaterThanOrEqual(0.99);
  }, 120_000);

  it('a publish cut off between any two writes leaves the archive answering as before', async () => {
    const before = await answersOf(probes);
    const extra = live.first.slice(0, 3).map((a, i) => ({ ...a, id: `cutoff-${i}`, title: `${a.title} خبر إضافي ${i}` }));
    const plan: PublishPlan = await planPublish({ source: kv, add: extra, compact: 'none' });
    const cuts = [0, 1, Math.floor(plan.writes.length / 2), plan.writes.length - 1, plan.writes.length];
    let written = 0;
    for (const cut of cuts) {
      await kv.putMany(plan.writes.slice(written, cut));
      written = cut;
      expect(await answersOf(probes), `after ${cut} of ${plan.writes.length} writes`).toEqual(before);
      expect((await getJson('/articles/cutoff-0')).status).toBe(404);
    }
    await executePlan(kv, plan);
    expect((await getJson('/articles/cutoff-0')).status).toBe(200);
  });

  it('readers querying while a publish runs get the old or the new archive, never an error', async () => {
    const old = (await getJson<Result>(q('الرئيس'))).body.index;
    const extra = live.second.slice(0, 2).map((a, i) => ({ ...a, id: `during-${i}` }));
    const plan = await planPublish({ source: kv, add: extra, compact: 'none' });
    const seen = new Set<string>();
    const reading = (async () => {
      for (let i = 0; i < 30; i++) {
        const { status, body } = await getJson<Result>(q(probes[i % probes.length]!));
        expect(status).toBe(200);
        seen.add(body.index);
      }
    })();
    await Promise.all([executePlan(kv, plan, { batch: 2 }), reading]);
    const now = (await getJson<Result>(q('الرئيس'))).body.index;
    expect(now).not.toBe(old);
    for (const v of seen) expect([old, now]).toContain(v);
  });

  it('two publishes at once: the second fails with a clear message, and neither loses articles', async () => {
    const a = await planPublish({ source: kv, add: [{ ...live.first[1]!, id: 'race-a' }], compact: 'none', nonce: 'racea1' });
    const b = await planPublish({ source: kv, add: [{ ...live.first[2]!, id: 'race-b' }], compact: 'none', nonce: 'raceb1' });
    await executePlan(kv, a);
    await expect(executePlan(kv, b)).rejects.toMatchObject({ code: 'PUBLISH_CONFLICT', message: expect.stringContaining('publish again') });
    // A's article is A's: the two share doc numbers, and B wrote none of its articles.
    const raceA = await getJson<{ id: string; title: string }>('/articles/race-a');
    expect(raceA.status).toBe(200);
    expect(raceA.body).toMatchObject({ id: 'race-a', title: live.first[1]!.title });
    expect((await getJson('/articles/race-b')).status).toBe(404);
    await executePlan(kv, await planPublish({ source: kv, add: [{ ...live.first[2]!, id: 'race-b' }], compact: 'none' }));
    expect((await getJson('/articles/race-a')).status).toBe(200);
    expect((await getJson('/articles/race-b')).status).toBe(200);
  });

  it('deletes an id given twice once, and nothing else', async () => {
    const gone = live.second[7]!.id;
    const listed = (await getJson<{ total: number }>('/articles?limit=1')).body.total;
    const plan = await planPublish({ source: kv, remove: [gone, gone], compact: 'none' });
    expect(plan.summary).toMatchObject({ removed: 1 });
    await executePlan(kv, plan);
    expect((await getJson(`/articles/${enc(gone)}`)).status).toBe(404);
    const after = await getJson<{ total: number; articles: { id: string }[] }>('/articles?limit=100');
    expect(after.body.total).toBe(listed - 1);
    // Every other article still listed: the second copy of the id killed no other doc.
    const all: string[] = [];
    for (let offset = 0; offset < after.body.total; offset += 100) all.push(...(await getJson<{ articles: { id: string }[] }>(`/articles?limit=100&offset=${offset}`)).body.articles.map((a) => a.id));
    expect(all).toHaveLength(after.body.total);
    expect(new Set(all).size).toBe(all.length);
  });

  it('deleting an unknown id says so and writes nothing', async () => {
    await expect(planPublish({ source: kv, remove: ['no-such-article'] })).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringContaining('no-such-article') });
    const unchanged = await planPublish({ source: kv, add: [live.second[5]!] });
    expect(unchanged.summary.unchanged).toBe(1);
    expect(unchanged.manifest).toBeUndefined();
    expect(unchanged.writes).toEqual([]);
  });

  it('refuses a delta onto an archive another analyzer built, and writes nothing', async () => {
    const m = await readLiveManifest(kv);
    const other = new Map<string, string>([['manifest', sealValue(JSON.stringify({ ...m, analyzer: OTHER_ANALYZER }), true)]]);
    const source = { getMany: async (keys: string[]) => { const got = await kv.getMany(keys); for (const [k, v] of other) if (got.has(k)) got.set(k, v); return got; } };
    await expect(planPublish({ source, add: [live.second[5]!] })).rejects.toMatchObject({
      code: 'PUBLISH_CONFLICT',
      message: expect.stringMatching(new RegExp(`analyzer ${OTHER_ANALYZER} .*analyzes text as ${ANALYZER_VERSION}.*nothing was published`)),
    });
    await expect(planPublish({ source, remove: [live.second[5]!.id] })).rejects.toMatchObject({ code: 'PUBLISH_CONFLICT' });
    // The live archive's own analyzer: the same publish plans.
    expect(m.analyzer).toBe(ANALYZER_VERSION);
    expect((await planPublish({ source: kv, add: [live.second[5]!] })).summary.unchanged).toBe(1);
  });

  it('compaction folds the deltas, then everything, writing no article and answering the same', async () => {
    const before = await answersOf(probes);
    const deltas = (await getJson<{ counts: { deltas: number } }>('/health')).body.counts.deltas;
    expect(deltas).toBeGreaterThanOrEqual(5);
    for (const kind of ['merge', 'full'] as const) {
      const plan = await planPublish({ source: kv, compact: kind });
      expect(plan.summary.compaction?.kind).toBe(kind);
      expect(plan.writes.filter((w) => w.key.startsWith('a/'))).toEqual([]);
      await executePlan(kv, plan);
      expect(await answersOf(probes), kind).toEqual(before);
    }
    const health = (await getJson<{ counts: { segments: number; deltas: number; deleted: number } }>('/health')).body.counts;
    expect(health).toMatchObject({ segments: 1, deltas: 0, deleted: 0 });
  }, 120_000);

  it('collects the keys of replaced segments once no reader can still be on them', async () => {
    const manifest = (await new IndexReader(kv).current(new ReadStats())).manifest;
    const retired = (manifest.retired ?? []).flatMap((r) => r.segments);
    expect(retired.length).toBeGreaterThan(0);
    expect((await kv.list(`s/${retired[0]}/`)).length).toBeGreaterThan(0);
    // A publish within the grace period keeps them; one after it deletes them.
    const soon = await planPublish({ source: kv, add: [{ ...live.first[3]!, id: 'gc-1' }], compact: 'none' });
    expect(soon.collect.segments).toEqual([]);
    await executePlan(kv, soon);
    const later = await planPublish({ source: kv, add: [{ ...live.first[4]!, id: 'gc-2' }], compact: 'none', now: () => new Date(Date.now() + 20 * 60_000) });
    expect(later.collect.segments.sort()).toEqual([...retired].sort());
    const result = await executePlan(kv, later);
    expect(result.collected).toBeGreaterThan(0);
    for (const id of retired) expect(await kv.list(`s/${id}/`)).toEqual([]);
    expect((await getJson<Result>(q('الرئيس'))).status).toBe(200);
  });
});
