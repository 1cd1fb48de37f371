/**
 * The work budget's trade (`npm run bench -- --adversarial`, beside the hostile queries): the
 * same queries under several values of `caps.work`, against no budget at all. For the dev
 * questions (ordinary long queries), how many answers change (hits in order, total,
 * didYouMean); for the hostile queries, the characters used and the cold CPU. The default is
 * the lowest budget that changes no dev question's answer (docs/ranking.md, "Limits").
 */
import { IndexReader } from '../../src/core/search/reader';
import { search } from '../../src/core/search/search';
import { DEFAULT_OPTIONS, searchOptions, type SearchOptions } from '../../src/core/search/options';
import { ReadStats, type ValueSource } from '../../src/core/search/source';
import type { SearchResult } from '../../src/core/search/types';
import { paramsFor } from './core';
import { dist, fmt, forceGc, log, timed, type Dist } from './util';

export interface BudgetRow {
  /** Characters (Infinity: no budget). */
  work: number;
  /** Dev questions whose answer differs from the unbounded one's. */
  changed: number;
  /** Dev questions whose answer names a cap the unbounded answer does not. */
  newlyCapped: number;
  questions: number;
  questionUsed: Dist;
  hostileUsed: Dist;
  /** Cold CPU of the hostile queries, each the median of three runs. */
  hostileCold: Dist;
}

const answer = (r: SearchResult) => JSON.stringify([r.hits.map((h) => h.id), r.total, r.didYouMean ?? null]);

async function cold(source: ValueSource, q: string, o: SearchOptions): Promise<{ r: SearchResult; used: number; cpu: number }> {
  const stats = new ReadStats();
  const t = await timed(async () => search(await new IndexReader(source).current(stats), paramsFor(q, true), stats, o));
  return { r: t.value, used: stats.used, cpu: t.cpuMs };
}

export async function runBudgetSweep(source: ValueSource, questions: string[], hostile: string[], budgets: number[]): Promise<BudgetRow[]> {
  const free = searchOptions({ caps: { work: Infinity } });
  const base = new Map<string, SearchResult>();
  for (const q of questions) base.set(q, (await cold(source, q, free)).r);
  const rows: BudgetRow[] = [];
  for (const work of [...budgets, Infinity]) {
    const o = work === Infinity ? free : searchOptions({ caps: { work } });
    let changed = 0;
    let newlyCapped = 0;
    const qUsed: number[] = [];
    for (const q of questions) {
      const { r, used } = await cold(source, q, o);
      const b = base.get(q)!;
      if (answer(r) !== answer(b)) changed++;
      if ((r.capped ?? []).some((c) => !(b.capped ?? []).includes(c))) newlyCapped++;
      qUsed.push(used);
    }
    // Three passes, each query's figure the median of its three (as in adversarial.ts).
    const hUsed: number[] = [];
    const runs = hostile.map(() => [] as number[]);
    for (let pass = 0; pass < 3; pass++) {
      forceGc();
      for (const q of questions.slice(0, 20)) await cold(source, q, o); // after a collection: not recorded
      for (let i = 0; i < hostile.length; i++) {
        const c = await cold(source, hostile[i]!, o);
        if (pass === 0) hUsed.push(c.used);
        runs[i]!.push(c.cpu);
      }
    }
    const hCpu = runs.map((r) => r.sort((a, b) => a - b)[1]!);
    rows.push({ work, changed, newlyCapped, questions: questions.length, questionUsed: dist(qUsed), hostileUsed: dist(hUsed), hostileCold: dist(hCpu) });
    log(`budget ${work === Infinity ? 'none' : fmt.int(work)}: ${changed}/${questions.length} dev answers changed`);
  }
  return rows;
}

export function renderBudget(rows: BudgetRow[]): string {
  const k = (chars: number) => `${fmt.int(chars / 1000)} K`;
  const name = (w: number) => (w === Infinity ? 'none' : `${k(w)}${w === DEFAULT_OPTIONS.caps.work ? ' (default)' : ''}`);
  return `The work budget (\`caps.work\`, characters of index values a query uses, read or cached; docs/ranking.md "Limits"),
swept in the same run: the ${rows[0]?.questions ?? 0} dev questions (cold, once) against their answers with no budget, and the
hostile queries above (cold, each the median of three passes). The words a query asks for are read whatever the budget;
Latin names, typo-lexicon words, context readings and phrase texts take what is left.

| budget | dev answers changed | dev answers newly capped | dev used p50 / p99 / max | hostile used p50 / max | hostile cold p50 | hostile cold p99 | hostile cold max |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.map((r) => `| ${name(r.work)} | ${r.changed} | ${r.newlyCapped} | ${k(r.questionUsed.p50)} / ${k(r.questionUsed.p99)} / ${k(r.questionUsed.max)} | ${k(r.hostileUsed.p50)} / ${k(r.hostileUsed.max)} | ${fmt.ms(r.hostileCold.p50)} | ${fmt.ms(r.hostileCold.p99)} | ${fmt.ms(r.hostileCold.max)} |`).join('\n')}`;
}
