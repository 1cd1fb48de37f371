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
});
