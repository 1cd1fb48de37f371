/**
 * The live archive at corpus scale (`npm run bench -- --live`): what a publish writes and how
 * long it takes (10 new articles, 10 replaced, 1 deleted, 20 deltas compacted), what deltas cost
 * a query (cold and warm, 0, 5 and 20 deltas live, as ratios to none in the same run), the round
 * trips of a fresh isolate, and a month of "publish every 5 minutes, 300 articles a day" in KV
 * writes and dollars against a full republish.
 */
import { executePlan, MemoryKv, planPublish, type PublishPlan, type PublishOptions } from '../../src/indexer/publish';
import type { Article } from '../../src/core/article';
import { search } from '../../src/core/search/search';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { ReadStats, type ValueSource } from '../../src/core/search/source';
import { paramsFor } from './core';
import type { BenchQuery } from './queries';
import { dist, forceGc, log, mulberry32, pick, timed, type Dist } from './util';

/** Prices of Workers KV (developers.cloudflare.com/kv/platform/pricing, checked in docs/platform.md). */
export const KV_PRICES = { freeWritesPerDay: 1_000, paidIncludedWritesPerMonth: 1_000_000, dollarsPerMillionWrites: 5 };

export interface PublishCost {
  what: string;
  keys: number;
  articleKeys: number;
  bytes: number;
  wallMs: number;
}

export interface DeltaQueryCost {
  deltas: number;
  articlesPerDelta: number;
  cold: { bytes: Dist; cpuMs: Dist; rounds: Dist; keys: Dist };
  warmCpuMs: Dist;
}

export interface MonthCost {
  scenario: string;
  publishesPerDay: number;
  articlesPerDay: number;
  writesPerDay: number;
  merges: number;
  writesPerMonth: number;
  paidDollars: number;
  fitsFree: boolean;
}

export interface LiveResult {
  articles: number;
  publish: PublishCost[];
  queries: DeltaQueryCost[];
  month: MonthCost[];
  /** Keys of one full build of the archive (today's republish), and of the format before this one. */
  fullKeys: number;
  notes: string[];
}

/** Counts sequential round trips: a read that starts while none is in flight opens a new one. */
class RoundCounter implements ValueSource {
  rounds = 0;
  keys = 0;
  private inflight = 0;
  constructor(private readonly inner: ValueSource) {}
  async getMany(keys: string[]): Promise<Map<string, string | null>> {
    if (this.inflight === 0) this.rounds++;
    this.inflight++;
    this.keys += keys.length;
    try {
      return await this.inner.getMany(keys);
    } finally {
      this.inflight--;
    }
  }
}

/** New articles made from corpus rows: new ids, dates after everything in the archive. */
function articleMaker(rows: string[], seed: number): (n: number) => Article[] {
  const rng = mulberry32(seed);
  let made = 0;
  return (n) => Array.from({ length: n }, () => {
    const o = JSON.parse(rows[pick(rng, rows.length)]!) as { title: string; body: string; source?: string; category?: string };
    made++;
    return {
      id: `live-${seed}-${made}`, title: o.title, body: o.body.split('\n'), date: new Date(Date.UTC(2019, 0, 1) + made * 5 * 60_000).toISOString(),
      sources: o.source ? [o.source] : [], category: o.category, tags: [], related: [], origin: 'bench',
    } as Article;
  });
}

async function run(kv: MemoryKv, o: Omit<PublishOptions, 'source'>): Promise<{ plan: PublishPlan; wallMs: number }> {
  const t = await timed(async () => {
    const plan = await planPublish({ ...o, source: kv });
    await executePlan(kv, plan);
    return plan;
  });
  return { plan: t.value, wallMs: t.wallMs };
}

const costOf = (what: string, r: { plan: PublishPlan; wallMs: number }): PublishCost => ({
  what, keys: r.plan.summary.keys + 1, articleKeys: r.plan.summary.articleKeys, bytes: r.plan.summary.bytes, wallMs: r.wallMs,
});

/** Cold (a fresh reader per query) and warm costs of 2-word queries over an archive. */
async function queryCosts(kv: MemoryKv, queries: BenchQuery[]): Promise<{ cold: DeltaQueryCost['cold']; warm: Archive }> {
  const bytes: number[] = [];
  const cpu: number[] = [];
  const rounds: number[] = [];
  const keys: number[] = [];
  for (const q of queries) {
    const counter = new RoundCounter(kv);
    const stats = new ReadStats();
    const t = await timed(async () => search(await new IndexReader(counter).current(stats), paramsFor(q.q, true), stats));
    bytes.push(stats.bytes);
    cpu.push(t.cpuMs);
    rounds.push(counter.rounds);
    keys.push(counter.keys);
  }
  return { cold: { bytes: dist(bytes), cpuMs: dist(cpu), rounds: dist(rounds), keys: dist(keys) }, warm: await new IndexReader(kv, { cacheBytes: 2 ** 40 }).current(new ReadStats()) };
}

export interface LiveOptions {
  /** The full build's KV entries. */
  entries: Map<string, string>;
  /** Corpus rows to make new articles from. */
  rows: string[];
  /** 2-word queries for the query costs. */
  queries: BenchQuery[];
  seed: number;
}

export async function runLive(o: LiveOptions): Promise<LiveResult> {
  const notes: string[] = [];
  const fresh = () => new MemoryKv(new Map(o.entries));
  const make = articleMaker(o.rows, o.seed);

  // What one publish writes.
  log('live: publish costs');
  const kv = fresh();
  const publish: PublishCost[] = [];
  await run(kv, { add: make(1), compact: 'none' }); // JIT warm-up, not reported
  publish.push(costOf('publish 10 new articles', await run(kv, { add: make(10), compact: 'none' })));
  const base = await new IndexReader(kv).current(new ReadStats());
  const someIds = o.rows.slice(0, 10).map((r) => (JSON.parse(r) as { id: string }).id);
  const revised = (await base.docs(await Promise.all(someIds.map(async (id) => (await base.docOfId(id, new ReadStats()))!)), new ReadStats()));
  publish.push(costOf('replace 10 articles (a paragraph added)', await run(kv, { add: [...revised.values()].map((a) => ({ ...a, body: [...a.body, 'فقرة مضافة بعد النشر.'] })), compact: 'none' })));
  publish.push(costOf('delete 1 article', await run(kv, { remove: [(JSON.parse(o.rows[20]!) as { id: string }).id], compact: 'none' })));
  for (let i = 0; i < 17; i++) await run(kv, { add: make(10), compact: 'none' });
  const merged = await run(kv, { compact: 'merge' });
  publish.push({ ...costOf(`compact 20 deltas (${merged.plan.summary.compaction?.merged.length} segments) into one`, merged), articleKeys: merged.plan.writes.filter((w) => w.key.startsWith('a/')).length });
  forceGc();

  // What deltas cost a query.
  log('live: queries with 0, 5 and 20 deltas');
  const queries: DeltaQueryCost[] = [];
  for (const size of [1, 10]) {
    const states: { deltas: number; kv: MemoryKv }[] = [];
    for (const deltas of [0, 5, 20]) {
      const s = fresh();
      for (let i = 0; i < deltas; i++) await run(s, { add: make(size), compact: 'none' });
      states.push({ deltas, kv: s });
    }
    const measured: { deltas: number; cold: DeltaQueryCost['cold']; warm: Archive }[] = [];
    for (const s of states) measured.push({ deltas: s.deltas, ...(await queryCosts(s.kv, o.queries)) });
    // Warm: interleaved, so a burst of contention hits every state alike.
    const warm = measured.map(() => [] as number[]);
    for (const m of measured) for (const q of o.queries.slice(0, 50)) await search(m.warm, paramsFor(q.q, true), new ReadStats());
    for (const q of o.queries) {
      for (let i = 0; i < measured.length; i++) {
        const t = await timed(() => search(measured[i]!.warm, paramsFor(q.q, true), new ReadStats()));
        warm[i]!.push(t.cpuMs);
      }
    }
    measured.forEach((m, i) => queries.push({ deltas: m.deltas, articlesPerDelta: size, cold: m.cold, warmCpuMs: dist(warm[i]!) }));
    forceGc();
  }

  // A day of publishing every 5 minutes, 300 articles a day, with the default policy.
  log('live: a day of publishing every 5 minutes');
  const day = fresh();
  let publishWrites = 0;
  let mergeWrites = 0;
  let merges = 0;
  for (let p = 0; p < 288; p++) {
    const r = await run(day, { add: make(p % 24 === 0 ? 2 : 1) });
    const merged = r.plan.summary.compaction?.keys ?? 0;
    publishWrites += r.plan.summary.keys + 1 - merged;
    mergeWrites += merged;
    if (merged) merges++;
  }
  // Later in the month the merged segment is bigger, and so is each merge: measured at 30 days.
  log('live: a merge at the end of a month');
  const late = fresh();
  await run(late, { add: make(300 * 30), compact: 'merge' });
  for (let i = 0; i < 17; i++) await run(late, { add: make(1), compact: 'none' });
  const lateMerge = (await run(late, { compact: 'merge' })).plan.summary.compaction!.keys;
  const firstDayMerge = mergeWrites / Math.max(1, merges);
  const perPublish = publishWrites / 288;
  notes.push(`Measured: one day of 288 publishes (300 articles) wrote ${publishWrites} keys for the publishes (${perPublish.toFixed(1)} a publish) and ${mergeWrites} for ${merges} merges (${firstDayMerge.toFixed(0)} a merge); a merge at the end of a month (a merged segment of 9,000 articles and 17 deltas) writes ${lateMerge} keys. A month counts its merges at the mean of the two sizes, its publishes at the first day's rate per publish plus one key per extra article.`);
  // Fewer publishes carry more articles each: the per-publish overhead is what shrinks.
  const overhead = perPublish - 300 / 288;
  const at = (scenario: string, publishesPerDay: number): MonthCost => {
    const mergesPerDay = merges * (publishesPerDay / 288);
    const writesPerDay = publishesPerDay * overhead + 300 + mergesPerDay * ((firstDayMerge + lateMerge) / 2);
    return {
      scenario, publishesPerDay, articlesPerDay: 300, writesPerDay: Math.round(writesPerDay), merges: Math.round(mergesPerDay * 30), writesPerMonth: Math.round(writesPerDay * 30),
      paidDollars: (Math.max(0, writesPerDay * 30 - KV_PRICES.paidIncludedWritesPerMonth) / 1e6) * KV_PRICES.dollarsPerMillionWrites, fitsFree: writesPerDay <= KV_PRICES.freeWritesPerDay,
    };
  };
  const month = [at('publish every 5 minutes', 288), at('publish every 30 minutes', 48), at('publish every 2 hours', 12)];
  const fullKeys = o.entries.size;
  return { articles: base.docCount, publish, queries, month, fullKeys, notes };
}

const kb = (b: number) => `${(b / 1024).toFixed(b < 10 * 1024 ? 1 : 0)} KB`;
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
const money = (x: number) => (x === 0 ? '$0' : x < 0.01 ? `$${x.toFixed(4)}` : `$${x.toFixed(2)}`);

/** The report section (markdown) for a live-archive run. */
export function renderLive(r: LiveResult, when: string): string {
  const out: string[] = [
    `## Live archive (${when})`,
    '',
    '`npm run bench -- --live`: publishes to the corpus archive in this process (a MemoryKv: KV itself adds',
    `its own latency), ${r.articles.toLocaleString('en')} articles live. Keys and bytes are what KV is asked to write (bytes in UTF-8).`,
    '',
    '| publish | keys written | of them articles | bytes | wall time |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...r.publish.map((p) => `| ${p.what} | ${p.keys} | ${p.articleKeys} | ${kb(p.bytes)} | ${ms(p.wallMs)} |`),
    '',
    'Queries with deltas live (200 two-word title queries, facets on; cold = a fresh reader per query, round trips = sequential KV reads; warm = one reader, the three states interleaved):',
    '',
    '| deltas × articles | cold bytes p50 | p95 | cold CPU p50 | p95 | round trips | warm CPU p50 | warm vs 0 deltas |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const q of r.queries) {
    const none = r.queries.find((x) => x.deltas === 0 && x.articlesPerDelta === q.articlesPerDelta)!;
    out.push(`| ${q.deltas} × ${q.articlesPerDelta} | ${kb(q.cold.bytes.p50)} | ${kb(q.cold.bytes.p95)} | ${ms(q.cold.cpuMs.p50)} | ${ms(q.cold.cpuMs.p95)} | ${q.cold.rounds.p50} (max ${q.cold.rounds.max}) | ${ms(q.warmCpuMs.p50)} | ${(q.warmCpuMs.p50 / none.warmCpuMs.p50).toFixed(2)}× |`);
  }
  out.push(
    '',
    `A month of publishing, 300 new articles a day, compactions included (default policy). A full republish of this archive writes ${r.fullKeys.toLocaleString('en')} keys (format 5: 86,053 for 41,055 articles).`,
    '',
    '| schedule | writes a day | merges a month | writes a month | Paid plan: past the included 1 M | Free plan (1,000 writes a day) | full republish each time, a month |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    ...r.month.map((m) => {
      const full = m.publishesPerDay * 30 * r.fullKeys;
      return `| ${m.scenario} | ${m.writesPerDay.toLocaleString('en')} | ${m.merges} | ${m.writesPerMonth.toLocaleString('en')} | ${money(m.paidDollars)} | ${m.fitsFree ? 'fits' : 'does not fit'} | ${(full / 1e6).toFixed(1)} M writes, ${money((Math.max(0, full - KV_PRICES.paidIncludedWritesPerMonth) / 1e6) * KV_PRICES.dollarsPerMillionWrites)} |`;
    }),
    '',
    ...r.notes.map((n) => `- ${n}`),
    '- Prices: Workers KV, developers.cloudflare.com/kv/platform/pricing (Free: 1,000 writes a day; Paid, $5 a month: 1 M writes included, then $5 per million).',
  );
  return out.join('\n');
}
