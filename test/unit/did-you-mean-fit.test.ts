import { describe, expect, it } from 'vitest';
import { chooseMargin, marginGrid, type DidYouMeanScore } from '../../scripts/eval/fit-did-you-mean';
import { offeredWords, shownMeant } from '../../scripts/eval/typos';
import { FITTED } from '../../src/core/search/fitted';
import type { SearchResult } from '../../src/core/search/types';
import { DEFAULT_OPTIONS } from '../../src/core/search/options';

const score = (objective: number): DidYouMeanScore => ({ shown: 0, shortShown: 0, rareOffered: 0, shortRareOffered: 0, questionOffered: 0, objective });

describe('the did-you-mean margin (scripts/eval/fit-did-you-mean.ts)', () => {
  it('tries the model\'s offer up to its replace by half nats, and never', () => {
    expect(marginGrid(1.5, 5)).toEqual([1.5, 2, 2.5, 3, 3.5, 4, 4.5, Infinity]);
    expect(marginGrid(2, 2)).toEqual([Infinity]);
  });

  it('chooses the best objective on the fit half, and of equals the higher margin', () => {
    expect(chooseMargin([{ margin: 2, fit: score(0.01) }, { margin: 3.5, fit: score(0.03) }, { margin: Infinity, fit: score(0) }])).toBe(3.5);
    expect(chooseMargin([{ margin: 2, fit: score(0.02) }, { margin: 3, fit: score(0.02) }, { margin: Infinity, fit: score(-0.1) }])).toBe(3);
    expect(chooseMargin([{ margin: 2, fit: score(-0.02) }, { margin: Infinity, fit: score(0) }])).toBe(Infinity);
  });

  it('counts a typo shown when its word\'s top story is first or didYouMean names the word, and an offer per word', () => {
    const result = (first: string, extra: Partial<SearchResult> = {}): SearchResult => ({ query: 'q', total: 1, offset: 0, limit: 10, sort: 'relevance', index: 'x', hits: [{ id: first } as SearchResult['hits'][number]], ...extra });
    expect(shownMeant(result('a'), 'ماكرون', 'a')).toBe(1);
    expect(shownMeant(result('b'), 'ماكرون', 'a')).toBe(0);
    expect(shownMeant(result('b', { didYouMean: 'ماكرون' }), 'ماكرون', 'a')).toBe(1);
    expect(shownMeant(result('b', { didYouMean: 'ماكرون' }), 'ماكرون', undefined)).toBe(1);
    expect(shownMeant(result('b', { didYouMean: 'مارون' }), 'ماكرون', 'a')).toBe(0);
    // Per word of the query: another offered for it (the hits still the query's), not when corrected.
    expect(offeredWords('ماركون بغدادي', result('b', { didYouMean: 'ماكرون بغدادي' }))).toEqual([1, 0]);
    expect(offeredWords('ماركون بغدادي', result('b', { didYouMean: 'ماكرون بغدادي', corrected: true }))).toEqual([0, 0]);
    expect(offeredWords('ماركون بغدادي', result('b'))).toEqual([0, 0]);
  });

  it('ships a margin between the model\'s offer and replace, or none (null: only where few results), and search() uses it', () => {
    const m = FITTED.display.didYouMeanMargin;
    if (m !== null) {
      expect(m).toBeGreaterThanOrEqual(FITTED.spelling.offer);
      expect(m).toBeLessThan(FITTED.spelling.replace);
    }
    expect(DEFAULT_OPTIONS.spelling.didYouMeanMargin).toBe(m ?? Infinity);
  });
});
