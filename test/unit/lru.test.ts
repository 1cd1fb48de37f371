import { describe, expect, it } from 'vitest';
import { SizedLru } from '../../src/core/search/lru';

describe('the reader cache (SizedLru)', () => {
  it('evicts the least recently used entries once over its capacity', () => {
    const evicted: string[] = [];
    const lru = new SizedLru<string, number>(100, (k) => evicted.push(k));
    lru.set('a', 1, 40);
    lru.set('b', 2, 40);
    lru.get('a'); // b is now the oldest
    lru.set('c', 3, 40);
    expect(evicted).toEqual(['b']);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect(lru.size).toBe(80);
  });

  it('gives an entry used since eviction last passed it a second chance (CLOCK, an approximate LRU)', () => {
    const evicted: string[] = [];
    const lru = new SizedLru<string, number>(100, (k) => evicted.push(k));
    lru.set('a', 1, 30);
    lru.set('b', 2, 30);
    lru.set('c', 3, 30);
    lru.get('a');
    lru.set('d', 4, 30); // a was used: passed over, to the back; b goes
    expect(evicted).toEqual(['b']);
    lru.set('e', 5, 30);
    expect(evicted).toEqual(['b', 'c']);
    lru.set('f', 6, 30); // a counts as used when it was passed over, after d was added
    expect(evicted).toEqual(['b', 'c', 'd']);
    lru.get('e');
    lru.set('g', 7, 30); // a, unused since: goes; e was used and stays
    expect(evicted).toEqual(['b', 'c', 'd', 'a']);
    expect([...'efg'].every((k) => lru.has(k))).toBe(true);
  });

  it('charges data kept beside an entry to it, evicting others but never the entry charged', () => {
    const evicted: string[] = [];
    const lru = new SizedLru<string, number>(100, (k) => evicted.push(k));
    lru.set('a', 1, 30);
    lru.set('b', 2, 30);
    lru.charge('b', 50);
    expect(evicted).toEqual(['a']);
    expect(lru.size).toBe(80);
    lru.charge('b', 100); // alone and over: kept, as a fresh entry would be
    expect(lru.has('b')).toBe(true);
    lru.charge('gone', 10); // not cached: nothing to charge
    expect(lru.size).toBe(180);
  });

  it('keeps the weight of an entry with it, apart from its size, until it is evicted', () => {
    const lru = new SizedLru<string, number>(100);
    lru.set('a', 1, 60, 7);
    lru.set('b', 2, 30);
    lru.charge('a', 5); // more size, same weight
    expect([lru.weightOf('a'), lru.weightOf('b'), lru.weightOf('none')]).toEqual([7, 0, 0]);
    lru.set('c', 3, 50, 9); // a is the oldest: evicted
    expect([lru.weightOf('a'), lru.weightOf('c')]).toEqual([0, 9]);
  });
});
