/**
 * The sharded, segmented, lazily loaded index answers exactly like the same articles built as
 * one shard in one segment, and its matches are the ones a brute-force scan of the articles'
 * analyzed text finds, for a few hundred queries over a sample of the ANT corpus.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusLines } from '../corpus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIndex, type BuildOptions } from '../../src/indexer/build-index';
import { readArticles } from '../../src/indexer/ingest/index';
import { ALT_MARK, analyze, indexTerms, READS_TANWEEN, tokenize, withoutTanween, type Term } from '../../src/core/analyzer/index';
import type { Article } from '../../src/core/article';
import { search, type SearchParams } from '../../src/core/search/search';
import { searchOptions } from '../../src/core/search/options';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { MemorySource, ReadStats } from '../../src/core/search/source';

let dir = '';
let articles: Article[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bahth-eq-'));
  const lines = await corpusLines(50, 800);
  writeFileSync(join(dir, 'sample.jsonl'), lines.join('\n'));
  for await (const a of readArticles([join(dir, 'sample.jsonl')])) articles.push(a);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds the sample with these options and returns every KV value of it. */
async function build(name: string, options: Partial<BuildOptions>): Promise<Map<string, string>> {
  const out = join(dir, name);
  await buildIndex({ inputs: [join(dir, 'sample.jsonl')], outDir: out, log: () => undefined, ...options });
  const values = new Map<string, string>();
  for (const f of readdirSync(join(out, 'kv'))) for (const e of JSON.parse(readFileSync(join(out, 'kv', f), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
  for (const e of JSON.parse(readFileSync(join(out, 'switch.json'), 'utf8')) as { key: string; value: string }[]) values.set(e.key, e.value);
  return values;
}

const open = async (values: Map<string, string>, cacheBytes: number): Promise<Archive> => new IndexReader(new MemorySource(values), { cacheBytes }).current(new ReadStats());

/** 300 queries of 1–3 consecutive title words, from a fixed seed. */
function queries(): string[] {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const out: string[] = [];
  while (out.length < 300) {
    const words = tokenize(articles[Math.floor(rand() * articles.length)]!.title).map((t) => t.norm);
    if (words.length === 0) continue;
    const n = 1 + Math.floor(rand() * 3);
    const at = Math.floor(rand() * Math.max(1, words.length - n));
    out.push(words.slice(at, at + n).join(' '));
  }
  return out;
}

const params = (q: string, more: Partial<SearchParams> = {}): SearchParams => ({ q, limit: 20, offset: 0, sort: 'relevance', facets: true, recency: 0.05, ...more });

/**
 * No work budget (`caps.work`): it charges each query what it reads, and the one-shard side reads
 * every term at once, so the budget binds there first and cuts the typo words it reads (since
 * 2026-12-05, when words of 4 letters are read, «مدونه سلوك تضبط» is such a query). The layouts
 * are compared here; the budget has tests of its own (ranking.test.ts).
 */
const UNBUDGETED = searchOptions({ caps: { work: Infinity } });

describe('sharded and segmented = one shard, one segment', () => {
  it('returns the same hits, scores, totals, facets and corrections for 300 queries', async () => {
    const lazy = await open(await build('lazy', { shardTargetBytes: 1024, segmentSize: 300 }), 96 * 1024);
    const single = await open(await build('single', { shardTargetBytes: 1 << 30, segmentSize: 1e9 }), 1 << 30);
    // (segmentSize is how many articles the build indexes before it spills their postings: the
    // lazy side's shards are merged from three spills, the single one's from none.)
    expect(2 ** lazy.segments[0]!.meta.shardBits).toBeGreaterThan(64);
    expect(single.segments[0]!.meta.shardBits).toBe(0);
    let readsLazy = 0;
    for (const [i, q] of queries().entries()) {
      const p = params(q, { sort: i % 4 === 3 ? 'date' : 'relevance' });
      const s = new ReadStats();
      const a = await search(lazy, p, s, UNBUDGETED);
      const b = await search(single, p, new ReadStats(), UNBUDGETED);
      readsLazy += s.reads;
      expect(a.hits.map((h) => [h.id, h.score]), q).toEqual(b.hits.map((h) => [h.id, h.score]));
      expect(a.total, q).toBe(b.total);
      expect(a.facets, q).toEqual(b.facets);
      expect([a.didYouMean, a.corrected, a.relaxed], q).toEqual([b.didYouMean, b.corrected, b.relaxed]);
    }
    expect(readsLazy).toBeGreaterThan(300); // the lazy side really did read shards as it went
    expect(lazy.cachedBytes).toBeLessThanOrEqual(96 * 1024 + 64 * 1024);
  }, 180_000);
});

describe('matches = a brute-force scan of the analyzed text', () => {
  it('finds exactly the articles whose analyzed text holds a query\'s words, for 300 queries', async () => {
    const index = await open(await build('brute', {}), 1 << 30);
    // Every article's index terms, as the analyzer gives them (title and body; a tanween's
    // readings from titles only).
    const termsOf = new Map(articles.map((a) => [a.id, new Set([...indexTerms(a.title, READS_TANWEEN.title), ...indexTerms(a.body.join('\n'), READS_TANWEEN.body)])]));
    const holding = (term: string) => articles.filter((a) => termsOf.get(a.id)!.has(term)).map((a) => a.id);
    const df = (term: string) => holding(term).length;
    /**
     * The terms a query word is searched under: its plain stem; read behind a proclitic when
     * the archive has that no more than about twice as often (لترامب for ترامب); an alternative
     * stem the archive has more often than the plain one; a compound name written as one.
     */
    const withProclitic = (stem: string): string[] => {
      const marked = df(ALT_MARK + stem);
      return marked > 0 && marked <= 2 * df(stem) + 2 ? [stem, ALT_MARK + stem] : [stem];
    };
    const searched = (w: Term): string[] => {
      const plain = w.stems[0]!;
      const out = withProclitic(plain);
      for (const alt of w.stems.slice(1)) if (df(alt) > df(plain)) out.push(alt, ALT_MARK + alt);
      return [...out, ...(w.compound ?? [])];
    };
    // The build's house styles (manifest.houseStyles): a word of a pair (any of its stems) is
    // also searched as the other spelling's stem, behind a proclitic too (synonyms.ts).
    const partners = new Map<string, string[]>();
    for (const pair of index.manifest.houseStyles ?? []) {
      const [a, b] = pair.map((f) => analyze(f)[0]!.stems[0]!);
      partners.set(a!, [...(partners.get(a!) ?? []), b!]);
      partners.set(b!, [...(partners.get(b!) ?? []), a!]);
    }
    const otherSpellings = (w: Term): string[] => [...new Set(w.stems)].flatMap((s) => partners.get(s) ?? []).flatMap(withProclitic);
    let plainOnly = 0;
    let tanween = 0;
    let sets = 0;
    let housed = 0;
    let severalWords = 0;
    let narrowed = 0;
    let relaxedWords = 0;
    let withLetter = 0;
    const dated = new Map(articles.map((a) => [a.id, a.date !== undefined]));
    const undated = (ids: Set<string>) => [...ids].filter((id) => !dated.get(id)).length;
    /**
     * By date: the articles holding the most of the words the archive holds (every one, when
     * some article holds them all), newest first, and counted so. `any`: the articles holding
     * any of the words (what relevance lists). `units`: words joined by OR, by index (one word,
     * held by holding any of them); `words`, the query's without the operator.
     */
    const checkByDate = async (q: string, any: Set<string>, words = analyze(q), units: number[][] = words.map((_, i) => [i])) => {
      // A compound name written as one (عبدالملك) holds its head word (عبد) too.
      const perWord = words.map((w) => new Set([...searched(w), ...otherSpellings(w)].flatMap(holding)));
      words.forEach((w, i) => { if (i > 0) for (const id of (w.compound ?? []).flatMap(holding)) perWord[i - 1]!.add(id); });
      // A word of one letter (a proclitic written apart, an initial) is not asked of every article.
      const askable = perWord.map((d, i) => ([...words[i]!.norm].length > 1 ? d : new Set<string>()));
      const held = units.map((u) => new Set(u.flatMap((i) => [...askable[i]!]))).filter((d) => d.size > 0);
      const count = new Map<string, number>();
      for (const d of held) for (const id of d) count.set(id, (count.get(id) ?? 0) + 1);
      const most = Math.max(0, ...count.values());
      // (Only letters: the date order lists what relevance does.)
      const listed = held.length === 0 ? any : new Set([...count].filter(([, n]) => n === most).map(([id]) => id));
      const fewer = listed.size <= 120;
      const byDate = await search(index, params(q, { correct: false, facets: true, sort: 'date', limit: fewer ? Math.max(1, listed.size + 5) : 20 }), new ReadStats());
      expect(byDate.total, `${q} by date`).toBe(listed.size);
      expect(Object.values(byDate.facets!.year).reduce((a, b) => a + b, 0) + undated(listed), `${q} by date: years`).toBe(listed.size);
      expect(byDate.relaxed ?? [], `${q} by date`).toEqual(held.length >= 2 && most < held.length ? ['words'] : []);
      if (words.some((w) => [...w.norm].length === 1) && held.length > 0) withLetter++;
      if (fewer) expect(new Set(byDate.hits.map((h) => h.id)), `${q} by date`).toEqual(listed);
      const days = byDate.hits.map((h) => (h.date ? Date.parse(h.date.slice(0, 10)) : -Infinity));
      expect(days, `${q} by date: newest first`).toEqual([...days].sort((a, b) => b - a));
      if (held.length >= 2) {
        severalWords++;
        if (most === held.length && listed.size < any.size) narrowed++;
        if (most < held.length) relaxedWords++;
      }
    };

    for (const q of new Set(queries())) {
      const words = analyze(q);
      const typed = words.flatMap(searched);
      if (typed.length === words.length) plainOnly++;
      const others = words.flatMap(otherSpellings);
      if (others.some((t) => df(t) > 0)) housed++;
      const terms = [...typed, ...others];
      if (words.some((w) => withoutTanween(w.norm) !== undefined)) tanween++;
      const found = new Set(terms.flatMap(holding));
      const small = found.size <= 120;
      const r = await search(index, params(q, { correct: false, facets: false, limit: small ? Math.max(1, found.size + 5) : 1 }), new ReadStats());
      expect(r.total, q).toBe(found.size);
      if (small) {
        expect(new Set(r.hits.map((h) => h.id)), q).toEqual(found);
        sets++;
      }
      await checkByDate(q, found);
    }
    // Both kinds of query: words searched under their plain stems alone, and words with readings
    // (a proclitic's; a tanween's alef, رسوما, since ar-light10p-4).
    expect(plainOnly).toBeGreaterThan(30);
    expect(tanween).toBeGreaterThan(10);
    // And words of the outlets' two spellings (الأميركية, الأمريكية), searched as both.
    expect(housed).toBeGreaterThan(0);
    expect(sets).toBeGreaterThan(100);
    // And words of two titles, which may meet in no article.
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const titleWord = () => {
      const ws = tokenize(articles[Math.floor(rand() * articles.length)]!.title).map((t) => t.norm).filter((w) => w.length >= 4);
      return ws[Math.floor(rand() * ws.length)];
    };
    const anyOf = (q: string) => new Set(analyze(q).flatMap((w) => [...searched(w), ...otherSpellings(w)]).flatMap(holding));
    for (let i = 0; i < 60; i++) {
      // Every fifth with a proclitic written apart before its first word (بـ"…", as headlines write it).
      const q = [i % 5 === 0 ? 'بـ' : '', titleWord(), titleWord()].filter(Boolean).join(' ');
      if (q) await checkByDate(q, anyOf(q));
    }
    // Two words joined by OR (or |), and a third of the first's title: by date, the articles
    // holding either and the third.
    const twoOfATitle = () => {
      const ws = tokenize(articles[Math.floor(rand() * articles.length)]!.title).map((t) => t.norm).filter((w) => w.length >= 4);
      return [ws[Math.floor(rand() * ws.length)], ws[Math.floor(rand() * ws.length)]];
    };
    let widened = 0;
    for (let i = 0; i < 40; i++) {
      const [a, c] = twoOfATitle();
      const b = titleWord();
      if (!a || !b || !c || new Set([a, b, c].map((w) => analyze(w)[0]?.norm)).size < 3 || [a, b, c].some((w) => analyze(w).length !== 1)) continue;
      const words = [a, b, c].map((w) => analyze(w)[0]!);
      const q = `${a} ${i % 2 ? 'OR' : '|'} ${b} ${c}`;
      const any = anyOf(`${a} ${b} ${c}`);
      // By relevance the operator changes nothing.
      const plain = await search(index, params(`${a} ${b} ${c}`, { correct: false, facets: false, limit: 10 }), new ReadStats());
      const r = await search(index, params(q, { correct: false, facets: false, limit: 10 }), new ReadStats());
      expect([r.total, r.hits.map((h) => h.id)], q).toEqual([plain.total, plain.hits.map((h) => h.id)]);
      expect(r.total, q).toBe(any.size);
      await checkByDate(q, any, words, [[0, 1], [2]]);
      const first = await search(index, params(`${a} ${c}`, { correct: false, facets: false, sort: 'date', limit: 1 }), new ReadStats());
      const either = await search(index, params(q, { correct: false, facets: false, sort: 'date', limit: 1 }), new ReadStats());
      if (either.total > first.total && !either.relaxed) widened++;
    }
    // Some where the word joined by OR adds the articles it holds with the third.
    expect(widened).toBeGreaterThan(5);
    console.log(`by date, A OR B C: ${widened} of 40 list more articles than A C`);
    // Queries of several words whose date order lists fewer articles than any word holds, and
    // some whose words no article holds together.
    expect(narrowed).toBeGreaterThan(30);
    expect(relaxedWords).toBeGreaterThan(0);
    expect(withLetter).toBeGreaterThan(5);
    console.log(`by date: ${severalWords} queries of several words held, ${narrowed} narrowed to the articles holding every word, ${relaxedWords} to those holding the most`);
  }, 180_000);
});
