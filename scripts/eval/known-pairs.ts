/**
 * Each rewriting of a known-item table against the clean query, paired title by title: its
 * success@10 less the clean query's, with a bootstrap interval (`KnownCell.d10`). Kept apart from
 * run.ts, whose text keys the peers' kept answers (peer-cache.ts).
 */
import type { KnownItemQuery } from './known-item';
import type { KnownTable } from './report';
import { pairedDiff } from './stats';

/** The tables with `d10` on every rewriting's cells (new objects; the input is not changed). */
export function withCleanPairs(tables: KnownTable[], queries: KnownItemQuery[], bySystem: [string, string[][]][]): KnownTable[] {
  const rankings = new Map(bySystem);
  return tables.map((t) => {
    const indexOf = (variant: string) => queries.map((q, i) => (q.kind === t.kind && q.variant === variant ? i : -1)).filter((i) => i >= 0);
    const clean = indexOf('clean');
    const at10 = (system: string, idx: number[]) => idx.map((i) => +(rankings.get(system)?.[i] ?? []).slice(0, 10).includes(queries[i]!.target));
    return {
      ...t,
      rows: t.rows.map((r) => {
        const idx = indexOf(r.variant);
        // A variant's queries come in the same order of titles as the clean ones: they pair up.
        const paired = r.variant !== 'clean' && idx.length === clean.length && idx.every((i, k) => queries[i]!.target === queries[clean[k]!]!.target);
        return paired ? { ...r, cells: r.cells.map((c) => ({ ...c, d10: pairedDiff(at10(c.system, idx), at10(c.system, clean)) })) } : r;
      }),
    };
  });
}
