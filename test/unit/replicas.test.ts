/** Replicas for scale benchmarks differ from their article as a real archive's articles do. */
import { describe, expect, it } from 'vitest';
import { replicaOf, yearsEarlier } from '../../src/indexer/replicas';
import type { Article } from '../../src/core/article';

const words = Array.from({ length: 400 }, (_, i) => `كلمة${i}`);
const article: Article = { id: 'a1', title: 'عنوان الخبر', body: [words.slice(0, 200).join(' '), words.slice(200).join(' ')], date: '2016-02-29', sources: ['x'], tags: [], related: [], origin: 'in.jsonl:1' };

describe('replicas', () => {
  it('keeps the article itself as copy 0', () => {
    expect(replicaOf(article, 0)).toBe(article);
  });

  it('dates copy r r years earlier, 29 February on the 28th in a common year, timestamps kept', () => {
    expect(replicaOf(article, 1).date).toBe('2015-02-28');
    expect(replicaOf(article, 4).date).toBe('2012-02-29');
    expect(yearsEarlier('2018-06-13T08:30:00Z', 25)).toBe('1993-06-13T08:30:00Z');
    expect(replicaOf({ ...article, date: undefined }, 3).date).toBeUndefined();
  });

  it('leaves out about a tenth of the body words, differently in each copy and the same on every build', () => {
    const kept = (r: number) => replicaOf(article, r).body.join(' ').split(' ');
    for (const r of [1, 2, 3]) {
      const k = kept(r);
      expect(k.length).toBeGreaterThan(400 * 0.85);
      expect(k.length).toBeLessThan(400 * 0.95);
      expect(k.every((w) => words.includes(w))).toBe(true); // words left out, none changed, order kept
      expect(k).toEqual([...k].sort((a, b) => words.indexOf(a) - words.indexOf(b)));
    }
    expect(kept(1)).not.toEqual(kept(2));
    expect(kept(1)).toEqual(kept(1));
    expect(replicaOf(article, 2).id).toBe('a1~2');
    expect(replicaOf(article, 2).title).toBe(article.title);
  });
});
