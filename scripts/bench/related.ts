/**
 * Related stories on the corpus (`npm run bench -- --related`): how often they share the
 * article's category against the search's own results for its title, how often the same story
 * comes back, what a cold `/related` reads and spends against a cold `/articles/:id` in the same
 * run, what storing the lists at build time would cost instead, and the seeds' own "مقالات
 * مشابهة" titles recovered. Writes its section of docs/related.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { executePlan, MemoryKv, planPublish } from '../../src/indexer/publish';
import { readArticles } from '../../src/indexer/ingest/index';
import { normalize } from '../../src/core/analyzer/index';
import type { Article } from '../../src/core/article';
import type { Archive } from '../../src/core/search/archive';
import { idf } from '../../src/core/search/score';
import { IndexReader } from '../../src/core/search/reader';
import { DEFAULT_RELATED, distinctiveTerms, related, type DistinctiveTerm, type Related, type RelatedOptions } from '../../src/core/search/related';
import { sameStory, storyPrint } from '../../src/core/search/same-story';
import { search } from '../../src/core/search/search';
import { ReadStats, utf8Length, type ValueSource } from '../../src/core/search/source';
import { CountingSource, type KeyKind, type KindTally } from './sources';
import { dist, fmt, log, mulberry32, pick, timed, type Dist } from './util';
import { unsealValue } from '../../src/core/format/layout';

const LIMIT = 5;

export interface RelatedRunOptions {
  /** The corpus build's KV entries. */
  entries: Map<string, string>;
  /** The seed pages' folder (their "مقالات مشابهة" lists). */
  seeds: string;
  /** Articles to sample. */
  articles: number;
  seed: number;
}

interface Quality {
  /** Items of the top 5 in the article's category, over all items listed. */
  sameCategory: number;
  /** Lists whose every item is in the article's category. */
  allSameCategory: number;
  items: number;
  lists: number;
}

export interface RelatedVariant {
  name: string;
  quality: Quality;
  /** Bytes of the term shards the words need, on a cold read (median). */
  termBytes: Dist;
}

export interface ColdCost {
  bytes: Dist;
  cpuMs: Dist;
  reads: Dist;
  keys: Dist;
  kinds: Partial<Record<KeyKind, number>>;
}

export interface RelatedResult {
  date: string;
  /** The machine's 1-minute load average at the start and the end (2 cores are shared). */
  load: [number, number];
  articles: number;
  options: Readonly<RelatedOptions>;
  related: Quality;
  baseline: Quality;
  /** Lists whose top 5 holds the same story as the article: as found, and as served. */
  duplicates: { raw: number; served: number; withinList: number; grouped: number };
  variants: RelatedVariant[];
  cold: { article: ColdCost; related: ColdCost };
  /** Storing each list with its article at build time instead. */
  stored: { warmCpuMs: Dist; buildSeconds: number; listBytes: Dist; readBytes: Dist };
  seeds: SeedRecovery[];
  published: { id: string; stories: number; titles: string[] };
}

export interface SeedRecovery {
  id: string;
  titles: number;
  inArchive: string[];
  /** Of those in the archive, those in bahth's related list (top 5, top 10). */
  top5: number;
  top10: number;
  listed: string[];
}

const categoryOf = (a: Article) => a.category ?? '';

function qualityOf(lists: { article: Article; items: Article[] }[]): Quality {
  let same = 0;
  let items = 0;
  let all = 0;
  let n = 0;
  for (const { article, items: list } of lists) {
    if (!article.category) continue;
    n++;
    const k = list.filter((x) => categoryOf(x) === article.category).length;
    same += k;
    items += list.length;
    if (list.length > 0 && k === list.length) all++;
  }
  return { sameCategory: items ? same / items : Number.NaN, allSameCategory: n ? all / n : Number.NaN, items, lists: n };
}

/** One request's cost on a fresh reader (empty cache): bytes and keys by kind, CPU. */
async function cold(source: ValueSource, work: (index: Archive, stats: ReadStats) => Promise<unknown>): Promise<{ bytes: number; cpuMs: number; reads: number; keys: number; kinds: Map<KeyKind, KindTally> }> {
  const counting = new CountingSource(source);
  const stats = new ReadStats();
  const t = await timed(async () => work(await new IndexReader(counting).current(stats), stats));
  return { bytes: stats.bytes, cpuMs: t.cpuMs, reads: stats.reads, keys: stats.keys, kinds: counting.reset() };
}

function summarize(samples: Awaited<ReturnType<typeof cold>>[]): ColdCost {
  const kinds: Partial<Record<KeyKind, number>> = {};
  for (const s of samples) for (const [k, t] of s.kinds) kinds[k] = (kinds[k] ?? 0) + t.bytes / samples.length;
  return { bytes: dist(samples.map((s) => s.bytes)), cpuMs: dist(samples.map((s) => s.cpuMs)), reads: dist(samples.map((s) => s.reads)), keys: dist(samples.map((s) => s.keys)), kinds };
}

/** The live docs to sample: a seeded draw without repeats. */
function sample(index: Archive, n: number, seed: number): number[] {
  const rng = mulberry32(seed);
  const out = new Set<number>();
  while (out.size < Math.min(n, index.docCount)) {
    const d = pick(rng, index.docSpace);
    if (!index.isDead(d)) out.add(d);
  }
  return [...out];
}

/** The request `GET /articles/:id/related`: the id's doc, its article, its related stories. */
async function relatedOf(index: Archive, id: string, stats: ReadStats, o?: Readonly<RelatedOptions>, words?: DistinctiveTerm[]): Promise<Related & { article: Article }> {
  const doc = (await index.docOfId(id, stats))!;
  const article = (await index.docs([doc], stats)).get(doc)!;
  return { article, ...(await related(index, doc, article, LIMIT, stats, o, undefined, words)) };
}

export async function runRelated(o: RelatedRunOptions): Promise<RelatedResult> {
  const loadStart = loadavg()[0]!;
  const source = new (await import('../../src/core/search/source')).MemorySource(o.entries);
  const warm = await new IndexReader(source, { cacheBytes: 2 ** 40 }).current(new ReadStats());
  const docs = sample(warm, o.articles, o.seed);
  const articles = await warm.docs(docs, new ReadStats());
  const ids = docs.map((d) => articles.get(d)!.id);

  log(`related: ${docs.length} articles, quality and warm cost`);
  const lists: { article: Article; items: Article[] }[] = [];
  const baseline: { article: Article; items: Article[] }[] = [];
  const warmCpu: number[] = [];
  const listBytes: number[] = [];
  const duplicates = { raw: 0, served: 0, withinList: 0, grouped: 0 };
  for (const id of ids) {
    await relatedOf(warm, id, new ReadStats()); // the article's shards in the cache: the warm time is the work alone
    const t = await timed(() => relatedOf(warm, id, new ReadStats()));
    const r = t.value;
    warmCpu.push(t.cpuMs);
    const items = r.stories.map((s) => s.article);
    lists.push({ article: r.article, items });
    listBytes.push(utf8Length(JSON.stringify(r.stories.map((s) => ({ id: s.article.id, title: s.article.title, date: s.article.date, sources: s.article.sources, category: s.article.category })))));
    const own = storyPrint(r.article, DEFAULT_RELATED.sameStory);
    const prints = items.map((a) => storyPrint(a, DEFAULT_RELATED.sameStory));
    if (prints.some((p) => sameStory(own, p, DEFAULT_RELATED.sameStory))) duplicates.served++;
    if (prints.some((p, i) => prints.some((q, j) => j > i && sameStory(p, q, DEFAULT_RELATED.sameStory)))) duplicates.withinList++;
    if (r.stories.some((s) => s.sameStory.length > 0)) duplicates.grouped++;
    const all = [...r.stories, ...r.stories.flatMap((s) => s.sameStory), ...r.sameStory].sort((a, b) => b.score - a.score).slice(0, LIMIT);
    if (all.some((s) => sameStory(own, storyPrint(s.article, DEFAULT_RELATED.sameStory), DEFAULT_RELATED.sameStory))) duplicates.raw++;
    const found = await search(warm, { q: [...r.article.title].slice(0, 256).join(''), limit: 11, offset: 0, sort: 'relevance', facets: false, recency: 0.05 }, new ReadStats());
    baseline.push({ article: r.article, items: found.hits.filter((h) => h.id !== id).slice(0, 10).map((h) => ({ category: h.category }) as Article) });
  }

  log('related: ways of choosing the words');
  const variants: RelatedVariant[] = [];
  const shardBytes = (words: DistinctiveTerm[]) => {
    const keys = new Set(warm.segments.flatMap((s) => words.map((w) => s.termKey(w.term))));
    let b = 0;
    for (const k of keys) b += utf8Length(o.entries.get(k) ?? '');
    return b;
  };
  const tryWords = async (name: string, choose: (a: Article) => Promise<DistinctiveTerm[]> | DistinctiveTerm[], opts: Readonly<RelatedOptions> = DEFAULT_RELATED) => {
    const got: { article: Article; items: Article[] }[] = [];
    const bytes: number[] = [];
    for (const id of ids) {
      const article = (await warm.article(id, new ReadStats()))!;
      const words = await choose(article);
      bytes.push(shardBytes(words));
      const r = await relatedOf(warm, id, new ReadStats(), opts, words);
      got.push({ article, items: r.stories.map((s) => s.article) });
    }
    variants.push({ name, quality: qualityOf(got), termBytes: dist(bytes) });
  };
  for (const terms of [4, 5, 6, 8, 10]) {
    const opts = { ...DEFAULT_RELATED, terms };
    await tryWords(`${terms} words, most frequent (title ×${opts.titleBoost})${terms === DEFAULT_RELATED.terms ? ' — the default' : ''}`, (a) => distinctiveTerms(a, opts), opts);
  }
  for (const titleBoost of [1, 3, 5]) {
    const opts = { ...DEFAULT_RELATED, titleBoost };
    await tryWords(`${opts.terms} words, most frequent (title ×${titleBoost})`, (a) => distinctiveTerms(a, opts), opts);
  }
  // The alternative that needs every word's document frequency first (all its shards read).
  await tryWords(`${DEFAULT_RELATED.terms} words by tf·idf (every word's shard read first)`, async (a) => {
    const all = distinctiveTerms(a, { ...DEFAULT_RELATED, terms: 10_000 });
    const loaded = await warm.loadTerms(all.map((w) => w.term), new ReadStats());
    return all
      .map((w) => ({ w, df: loaded.get(w.term)?.df ?? 0 }))
      .filter((x) => x.df > 1)
      .map((x) => ({ ...x, s: (1 + Math.log(x.w.count)) * idf(x.df, warm.docCount) }))
      .sort((x, y) => y.s - x.s)
      .slice(0, DEFAULT_RELATED.terms)
      .map((x) => x.w);
  });

  log('related: cold /articles/:id and /related, interleaved');
  const coldArticle: Awaited<ReturnType<typeof cold>>[] = [];
  const coldRelated: Awaited<ReturnType<typeof cold>>[] = [];
  for (const id of ids.slice(0, 20)) await cold(source, (index, stats) => relatedOf(index, id, stats)); // JIT warm-up
  for (const id of ids) {
    coldArticle.push(await cold(source, async (index, stats) => index.article(id, stats)));
    coldRelated.push(await cold(source, (index, stats) => relatedOf(index, id, stats)));
  }
  const article = summarize(coldArticle);
  const relatedCold = summarize(coldRelated);

  log('related: the seeds, alone and published onto the corpus');
  const seedArticles: Article[] = [];
  for await (const a of readArticles([o.seeds])) seedArticles.push(a);
  const corpusKv = new MemoryKv(new Map(o.entries));
  const plan = await planPublish({ source: corpusKv, add: seedArticles, compact: 'none' });
  await executePlan(corpusKv, plan);
  const live = await new IndexReader(corpusKv, { cacheBytes: 2 ** 40 }).current(new ReadStats());
  const titles = new Set<string>();
  for (const a of seedArticles) titles.add(normalize(a.title));
  for (const [k, v] of o.entries) if (k.startsWith('s/') && k.includes('/c/')) for (const c of JSON.parse(unsealValue(v) ?? '[]') as { title: string }[]) titles.add(normalize(c.title));
  const seeds: SeedRecovery[] = [];
  for (const a of seedArticles.filter((x) => x.related.length > 0)) {
    const inArchive = a.related.filter((t) => titles.has(normalize(t)));
    const doc = (await live.docOfId(a.id, new ReadStats()))!;
    const r = await related(live, doc, a, 10, new ReadStats());
    const listed = r.stories.map((s) => s.article.title);
    const found = (n: number) => inArchive.filter((t) => listed.slice(0, n).some((x) => normalize(x) === normalize(t))).length;
    seeds.push({ id: a.id, titles: a.related.length, inArchive, top5: found(5), top10: found(10), listed });
  }
  const newest = seedArticles[0]!;
  const newDoc = (await live.docOfId(newest.id, new ReadStats()))!;
  const fresh = await related(live, newDoc, newest, LIMIT, new ReadStats());

  const warmDist = dist(warmCpu);
  return {
    date: new Date().toISOString(),
    load: [loadStart, loadavg()[0]!],
    articles: docs.length,
    options: DEFAULT_RELATED,
    related: qualityOf(lists),
    baseline: qualityOf(baseline),
    duplicates,
    variants,
    cold: { article, related: relatedCold },
    stored: { warmCpuMs: warmDist, buildSeconds: (warmDist.mean * warm.docCount) / 1000, listBytes: dist(listBytes), readBytes: dist(coldArticle.map((c, i) => c.bytes + listBytes[i]!)) },
    seeds,
    published: { id: newest.id, stories: fresh.stories.length, titles: fresh.stories.map((s) => s.article.title) },
  };
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : 'n/a');

/** The section of docs/related.md for a run. */
export function renderRelated(r: RelatedResult, when: string, commit: string | undefined): string {
  const c = r.cold;
  const names: Partial<Record<KeyKind, string>> = { terms: 'term shards', doc: 'articles', article: 'id lookup', big: 'big terms' };
  const kinds = (k: ColdCost) => Object.entries(k.kinds).filter(([, b]) => b >= 1).sort((x, y) => y[1] - x[1]).map(([kind, b]) => `${names[kind as KeyKind] ?? kind} ${fmt.kb(b)}`).join(', ');
  const goal = (ok: boolean) => (ok ? '**pass**' : '**FAIL**');
  return `## Measured (${when}${commit ? `, code at \`${commit}\`` : ''})

Written by \`npm run bench -- --related\` (scripts/bench/related.ts); do not edit by hand. Data: ANT Corpus
(Chouigui et al., "ANT Corpus: An Arabic News Text Collection for Textual Classification", AICCSA
2017), 39,916 articles; ${r.articles} articles drawn with a fixed seed; ${LIMIT} related stories each.
Options: ${r.options.terms} words, title ×${r.options.titleBoost}, ${r.options.slack} candidates read beyond the limit, ties within ${r.options.tie}, same story at resemblance ≥ ${r.options.sameStory.resemblance} or containment ≥ ${r.options.sameStory.containment} (${r.options.sameStory.minShingles}+ shingles of ${r.options.sameStory.shingle} words) or the same title.

| goal | measured | |
| --- | ---: | ---: |
| top 5 share the article's category at least as often as its title's top 10 search results | ${pct(r.related.sameCategory)} against ${pct(r.baseline.sameCategory)} | ${goal(r.related.sameCategory >= r.baseline.sameCategory)} |
| no list holds the same story as the article | ${r.duplicates.served} of ${r.articles} lists (${r.duplicates.raw} before grouping) | ${goal(r.duplicates.served === 0)} |
| cold \`/related\` reads ≤ 256 KB (median) | ${fmt.kb(c.related.bytes.p50)} | ${goal(c.related.bytes.p50 <= 256 * 1024)} |
| cold \`/related\` CPU ≤ 10 ms (median) | ${fmt.ms(c.related.cpuMs.p50)} | ${goal(c.related.cpuMs.p50 <= 10)} |

### Quality

| | items in the article's category | lists all in its category | items |
| --- | ---: | ---: | ---: |
| related stories, top ${LIMIT} | ${pct(r.related.sameCategory)} | ${pct(r.related.allSameCategory)} | ${r.related.items} |
| search for the article's title, top 10 (itself left out) | ${pct(r.baseline.sameCategory)} | ${pct(r.baseline.allSameCategory)} | ${r.baseline.items} |

The same story: ${r.duplicates.raw} of ${r.articles} lists would have held a republication of the article
in their top ${LIMIT} had it not been left out; ${r.duplicates.served} do as served; ${r.duplicates.withinList} hold two tellings of one
story; ${r.duplicates.grouped} show a story with its other tellings grouped under it.

How the words are chosen (the same ${r.articles} articles; term bytes: the shards a cold read of those words costs):

| words | in the category | lists all in it | term shards, median | p95 |
| --- | ---: | ---: | ---: | ---: |
${r.variants.map((v) => `| ${v.name} | ${pct(v.quality.sameCategory)} | ${pct(v.quality.allSameCategory)} | ${fmt.kb(v.termBytes.p50)} | ${fmt.kb(v.termBytes.p95)} |`).join('\n')}

### Cold requests

A fresh reader per request (empty cache: manifest, id lookup, article, then what the request needs),
over an in-memory source that adds no latency; \`/articles/:id\` and \`/related\` interleaved, article by
article. CPU is \`process.cpuUsage\` in Node (workerd's is of the same order), on ${availableParallelism()} cores shared with other
jobs (load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end): compare the two rows as a ratio, ${fmt.ratio(c.related.cpuMs.p50 / c.article.cpuMs.p50)} at the median.

| request | bytes p50 | p95 | max | reads p50 | keys p50 | CPU p50 | p95 | max |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| \`GET /articles/:id\` | ${fmt.kb(c.article.bytes.p50)} | ${fmt.kb(c.article.bytes.p95)} | ${fmt.kb(c.article.bytes.max)} | ${c.article.reads.p50} | ${c.article.keys.p50} | ${fmt.ms(c.article.cpuMs.p50)} | ${fmt.ms(c.article.cpuMs.p95)} | ${fmt.ms(c.article.cpuMs.max)} |
| \`GET /articles/:id/related\` | ${fmt.kb(c.related.bytes.p50)} | ${fmt.kb(c.related.bytes.p95)} | ${fmt.kb(c.related.bytes.max)} | ${c.related.reads.p50} | ${c.related.keys.p50} | ${fmt.ms(c.related.cpuMs.p50)} | ${fmt.ms(c.related.cpuMs.p95)} | ${fmt.ms(c.related.cpuMs.max)} |

Mean bytes by kind of key: \`/articles/:id\` ${kinds(c.article)}; \`/related\` ${kinds(c.related)}.

Stored at build time instead: a list of ${LIMIT} (id, title, date, sources, category) is ${fmt.kb(r.stored.listBytes.p50)} (median),
so a cold \`/related\` would read ${fmt.kb(r.stored.readBytes.p50)} (median); but every article's list costs the build a
related search: ${fmt.ms(r.stored.warmCpuMs.p50)} median, ${fmt.ms(r.stored.warmCpuMs.mean)} mean on a warm reader, ${fmt.s(r.stored.buildSeconds)} for the corpus
(postings grow with the archive: at 1,000,000 articles each is ~25× longer), and a stored list
never names a story published after its article, nor drops one deleted since.

### The seeds' own "مقالات مشابهة"

The seed pages published as one delta onto the corpus (as \`npm run publish\` would), then each
seed article with a related list asked for its 10 related stories. A title counts as in the
archive when an article has it (normalized).

| seed | titles | in the archive | recovered, top 5 | top 10 |
| --- | ---: | ---: | ---: | ---: |
${r.seeds.map((s) => `| ${s.id} | ${s.titles} | ${s.inArchive.length} | ${s.top5} | ${s.top10} |`).join('\n')}

${r.seeds.map((s) => `${s.id} in the archive: ${s.inArchive.map((t) => `«${t}»`).join(', ') || 'none'}; bahth's list: ${s.listed.slice(0, 5).map((t) => `«${t}»`).join(', ')}.`).join('\n')}

Published a moment ago, ${r.published.id} has ${r.published.stories} related stories at once: ${r.published.titles.slice(0, 3).map((t) => `«${t}»`).join(', ')}.
`;
}

/** Replaces the section that starts with `heading` (up to the next `## `) in a Markdown file, or appends it. */
export function replaceSection(file: string, heading: string, body: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = text.indexOf(`\n${heading}`);
  if (at < 0) {
    writeFileSync(file, `${text.trimEnd()}\n\n${body.trim()}\n`);
    return;
  }
  const next = text.indexOf('\n## ', at + heading.length + 1);
  writeFileSync(file, `${text.slice(0, at).trimEnd()}\n\n${body.trim()}\n${next < 0 ? '' : `\n${text.slice(next + 1)}`}`);
}
