/** The eval's known-item tables (scripts/eval/run.ts, known-pairs.ts): success rates, and each rewriting against the clean query, paired by title. */
import { describe, expect, it } from 'vitest';
import type { KnownItemQuery } from '../../scripts/eval/known-item';
import { knownTables } from '../../scripts/eval/run';
import { withCleanPairs } from '../../scripts/eval/known-pairs';
import { VARIANTS } from '../../scripts/eval/variants';

describe('known-item tables', () => {
  // Four titles, each asked clean and in every rewriting (as knownItemQueries lists them: by title).
  const targets = ['a', 'b', 'c', 'd'];
  const queries: KnownItemQuery[] = targets.flatMap((target) => [
    { target, kind: 'title' as const, variant: 'clean', q: `clean ${target}`, changed: false },
    ...VARIANTS.map((v) => ({ target, kind: 'title' as const, variant: v.name, q: `${v.name} ${target}`, changed: true })),
  ]);
  // The system finds every clean title first; its typo rewriting loses «a» (not in the top 10)
  // and finds «b» only 11th; every other rewriting finds them all.
  const ranking = (q: KnownItemQuery): string[] => {
    if (q.variant === 'typo' && q.target === 'a') return ['x'];
    if (q.variant === 'typo' && q.target === 'b') return [...'0123456789'.split(''), 'b'];
    return [q.target];
  };
  const bySystem: [string, string[][]][] = [['sys', queries.map(ranking)]];
  const [title] = withCleanPairs(knownTables(queries, bySystem), queries, bySystem);

  it('pairs each rewriting\'s success@10 with the clean query\'s, title by title', () => {
    const clean = title!.rows.find((r) => r.variant === 'clean')!.cells[0]!;
    expect(clean.s10).toBe(1);
    expect(clean.d10).toBeUndefined();
    const typo = title!.rows.find((r) => r.variant === 'typo')!.cells[0]!;
    expect(typo.s10).toBe(0.5);
    expect(typo.d10!.mean).toBeCloseTo(-0.5);
    expect(typo.d10!.lo).toBeLessThan(typo.d10!.mean);
    expect(typo.d10!.hi).toBeLessThanOrEqual(0);
    const alef = title!.rows.find((r) => r.variant === 'alef')!.cells[0]!;
    expect(alef.d10).toEqual({ mean: 0, lo: 0, hi: 0, n: 4 });
  });
});
