/**
 * Related stories: the words chosen, the same-story check, the order of near-ties, and the whole
 * stage on a small archive of ANT corpus articles (Chouigui et al., AICCSA 2017), before and after
 * a publish brings republications of its stories.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../../src/core/article';
import { IndexReader, type Archive } from '../../src/core/search/reader';
import { DEFAULT_RELATED, DISTINCTIVE_WORDS, distinctiveTerms, newestAmongTies, related, type Related } from '../../src/core/search/related';
import { sameStory, storyPrint } from '../../src/core/search/same-story';
import { ReadStats } from '../../src/core/search/source';
import type { MemoryKv } from '../../src/indexer/publish';
import { articlesOf, buildKv, publish } from '../archives';
import { corpusLines } from '../corpus';

const o = DEFAULT_RELATED.sameStory;
const article = (title: string, body: string[], more: Partial<Article> = {}): Article => ({ id: 'x', title, body, sources: [], tags: [], related: [], origin: 'test', ...more });

describe('distinctiveTerms', () => {
  it('picks the words said most, a title word counting twice, and counts وبوتين as بوتين where بوتين is written too', () => {
    const a = article('بوتين يستقبل أردوغان في سوتشي', ['استقبل الرئيس بوتين نظيره أردوغان.', 'وقال بوتين إن المحادثات مع أردوغان كانت بناءة.', 'وبوتين وأردوغان يلتقيان مجددا في سوتشي.']);
    const words = distinctiveTerms(a, { ...DEFAULT_RELATED, terms: 3 });
    expect(words.map((w) => w.term)).toEqual(['اردوغ', 'بوت', 'سوتش']);
    // بوتين: once in the title (×2), three times in the body, وبوتين among them.
    expect(words.find((w) => w.term === 'بوت')!.count).toBe(5);
  });

  it('keeps a word behind a proclitic as written when the article never writes the other reading bare', () => {
    const words = distinctiveTerms(article('وزير الخارجية', ['وزير الخارجية يزور بكين.']), DEFAULT_RELATED).map((w) => w.term);
    expect(words).toContain('وزير');
    expect(words).not.toContain('زير');
  });

  it('reads the first 5,000 words of a body, however long it goes on', () => {
    const about = Array.from({ length: 1000 }, () => 'الكرملين موسكو بوتين روسيا الغاز').join(' ');
    const after = Array.from({ length: 4000 }, () => 'المريخ الفضاء ناسا الصاروخ').join(' ');
    const terms = distinctiveTerms({ title: 'خبر', body: [about, after] }).map((t) => t.term);
    expect(terms).toContain('كرمل');
    expect(terms.some((t) => ['مريخ', 'فضاء', 'ناسا', 'صاروخ'].includes(t))).toBe(false);
    expect(DISTINCTIVE_WORDS).toBe(5000);
  });

  it('has nothing to search for in an article of stop words', () => {
    expect(distinctiveTerms(article('في من على', ['إلى أن هذا']), DEFAULT_RELATED)).toEqual([]);
  });
});

const story = Array.from({ length: 12 }, (_, i) => `جملة رقم ${i} من الخبر عن فيضانات الخرطوم التي أغرقت الشوارع وقطعت الكهرباء عن الأحياء`);

describe('sameStory', () => {
  it('tells a republication under another title, and an update under the same one', () => {
    const a = storyPrint(article('فيضانات تغرق شوارع الخرطوم', story), o);
    expect(sameStory(a, storyPrint(article('أمطار السودان تقطع الكهرباء', story.slice(1)), o), o)).toBe(true);
    expect(sameStory(a, storyPrint(article('فيضانات تغرق شوارع الخرطوم', ['نص آخر تماما عن الأمطار']), o), o)).toBe(true);
  });

  it('tells a brief held whole in the full story, but not a teaser of two lines', () => {
    const full = storyPrint(article('العنوان', [...story, ...story.map((s) => s.replace('الخبر', 'التقرير المطول'))]), o);
    expect(sameStory(full, storyPrint(article('موجز', story.slice(0, 6)), o), o)).toBe(true);
    expect(sameStory(full, storyPrint(article('شاهد', story.slice(0, 1)), o), o)).toBe(false);
  });

  it('does not take two stories on one subject for one story', () => {
    const other = Array.from({ length: 12 }, (_, i) => `فقرة ${i} تتناول جهود الإغاثة بعد الفيضانات ووصول المساعدات إلى المتضررين في ولاية أخرى`);
    expect(sameStory(storyPrint(article('فيضانات الخرطوم', story), o), storyPrint(article('الإغاثة تصل', other), o), o)).toBe(false);
  });
});

describe('newestAmongTies', () => {
  it('puts the newest first among stories within the tie ratio of the first of their run, and keeps score order between runs', () => {
    const days: Record<number, number> = { 1: 100, 2: 300, 3: 200, 4: 400, 5: 500 };
    const index = { dayOf: (doc: number) => days[doc]! };
    const stories = [{ doc: 1, score: 10 }, { doc: 2, score: 9.5 }, { doc: 3, score: 9.1 }, { doc: 4, score: 5 }, { doc: 5, score: 2 }];
    expect(newestAmongTies(index, stories, 0.9).map((s) => s.doc)).toEqual([2, 3, 1, 4, 5]);
    expect(newestAmongTies(index, stories, 1).map((s) => s.doc)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('related() on an archive', () => {
  let kv: MemoryKv;
  let index: Archive;
  let seed: { doc: number; article: Article };
  let before: Related;

  const open = async () => new IndexReader(kv, { cacheBytes: 2 ** 30 }).current(new ReadStats());
  const of = async (a: Archive, id: string) => {
    const doc = (await a.docOfId(id, new ReadStats()))!;
    return { doc, article: (await a.docs([doc], new ReadStats())).get(doc)! };
  };

  beforeAll(async () => {
    kv = await buildKv(await corpusLines(13, 400));
    index = await open();
    // An article with a few related stories in this small archive.
    for (const d of index.newest(0, 60)) {
      const s = await of(index, (await index.cards([d], new ReadStats())).get(d)!.id);
      const r = await related(index, s.doc, s.article, 5, new ReadStats());
      if (r.stories.length === 5) {
        seed = s;
        before = r;
        break;
      }
    }
  }, 120_000);

  it('lists at most `limit` other articles, best first or newest first among near-ties, never the article', async () => {
    expect(before.stories).toHaveLength(5);
    const ids = before.stories.map((s) => s.article.id);
    expect(ids).not.toContain(seed.article.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Any story placed above a better-scoring one is newer than it and within the tie ratio.
    before.stories.forEach((s, i) => before.stories.slice(i + 1).forEach((t) => {
      if (t.score > s.score) {
        expect(index.dayOf(s.doc) * 1e9 + s.doc).toBeGreaterThan(index.dayOf(t.doc) * 1e9 + t.doc);
        expect(s.score).toBeGreaterThanOrEqual(DEFAULT_RELATED.tie * t.score);
      }
    }));
    expect((await related(index, seed.doc, seed.article, 2, new ReadStats())).stories).toHaveLength(2);
  });

  it('reads the words\' shards in one batch and the candidates\' texts in one more', async () => {
    const cold = await open();
    const stats = new ReadStats();
    await cold.docs([seed.doc], new ReadStats());
    await related(cold, seed.doc, seed.article, 5, stats);
    expect(stats.reads).toBe(2);
    expect(stats.keys).toBeLessThanOrEqual(DEFAULT_RELATED.terms + 5 + DEFAULT_RELATED.slack);
  });

  it('after a publish: leaves out the article republished elsewhere, groups a related story with its republication, and relates the new articles at once', async () => {
    const top = before.stories[0]!.article;
    const copy = (a: Article, id: string, source: string): Article => ({ ...a, id, sources: [source], title: `${a.title} (${source})`, origin: 'test' });
    const [own, twin] = await articlesOf([
      JSON.stringify({ ...copy(seed.article, 'republished-seed', 'وكالة أخرى'), body: seed.article.body.join('\n') }),
      JSON.stringify({ ...copy(top, 'republished-top', 'موقع آخر'), body: top.body.join('\n') }),
    ]);
    await publish(kv, { add: [own!, twin!], compact: 'none' });
    const live = await open();
    const now = await of(live, seed.article.id);
    const after = await related(live, now.doc, now.article, 5, new ReadStats());
    expect(after.sameStory.map((s) => s.article.id)).toEqual(['republished-seed']);
    const listed = after.stories.flatMap((s) => [s.article.id, ...s.sameStory.map((x) => x.article.id)]);
    expect(listed).not.toContain('republished-seed');
    expect(new Set(listed).size).toBe(listed.length);
    const group = after.stories.find((s) => [s.article.id, ...s.sameStory.map((x) => x.article.id)].includes(top.id))!;
    expect([group.article.id, ...group.sameStory.map((x) => x.article.id)].sort()).toEqual(['republished-top', top.id].sort());

    // Published a moment ago, the copy already has related stories, the original among its same story.
    const fresh = await of(live, 'republished-seed');
    const its = await related(live, fresh.doc, fresh.article, 5, new ReadStats());
    expect(its.stories.length).toBe(5);
    expect(its.sameStory.map((s) => s.article.id)).toContain(seed.article.id);
  });
});
