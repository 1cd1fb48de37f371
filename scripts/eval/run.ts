/**
 * Running query sets against a system and turning rankings into the report's rows.
 */
import { meanScores, scoreOne, successAt, type QaScores } from './metrics';
import type { Question } from './data';
import { QUERY_KINDS, type KnownItemQuery, type PersonTypo } from './known-item';
import type { KnownTable, PersonRow, QaRow } from './report';
import { VARIANTS } from './variants';

/** Anything that answers a query with ranked ids. */
export type SearchFn = (q: string) => Promise<string[]> | string[];

export interface QueryRun {
  rankings: string[][];
  msPerQuery: number;
  /** Queries that threw (their ranking is empty), with the first error. */
  failed: number;
  firstError?: string;
}

/** One progress line on a terminal (rewritten in place), a line every few seconds in a log. */
export class Progress {
  private last = 0;
  private shown = false;
  private readonly tty = process.stderr.isTTY === true;

  update(text: string, force = false): void {
    const now = performance.now();
    if (!force && now - this.last < (this.tty ? 200 : 10_000)) return;
    this.last = now;
    const line = `${text}  (rss ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB)`;
    if (this.tty) {
      process.stderr.write(`\r${line}\x1b[K`);
      this.shown = true;
    } else process.stderr.write(`${line}\n`);
  }

  message(text: string): void {
    this.clear();
    process.stderr.write(`${text}\n`);
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/** Runs queries one at a time (as users send them), timing each. */
export async function runQueries(search: SearchFn, queries: string[], label: string, progress: Progress): Promise<QueryRun> {
  const rankings: string[][] = [];
  let ms = 0;
  let failed = 0;
  let firstError: string | undefined;
  for (let i = 0; i < queries.length; i++) {
    const t = performance.now();
    try {
      rankings.push(await search(queries[i]!));
    } catch (e) {
      failed++;
      firstError ??= `${JSON.stringify(queries[i])}: ${(e as Error).message}`;
      rankings.push([]);
    }
    ms += performance.now() - t;
    progress.update(`${label}: ${i + 1}/${queries.length}`);
  }
  return { rankings, msPerQuery: queries.length ? ms / queries.length : 0, failed, ...(firstError ? { firstError } : {}) };
}

/** QA rows of one system: overall, then one row per dataset. */
export function qaRows(system: string, questions: Question[], rankings: string[][]): QaRow[] {
  const strict = questions.map((q, i) => scoreOne(rankings[i] ?? [], new Set(q.relevantIds)));
  const lenient = questions.map((q, i) => scoreOne(rankings[i] ?? [], new Set(q.relevantIdsLenient)));
  const row = (scope: string, keep: (q: Question) => boolean): QaRow => {
    const idx = questions.map((q, i) => (keep(q) ? i : -1)).filter((i) => i >= 0);
    const pick = (list: QaScores[]) => idx.map((i) => list[i]!);
    return { system, scope, n: idx.length, strict: meanScores(pick(strict)), lenient: meanScores(pick(lenient)) };
  };
  const datasets = [...new Set(questions.map((q) => q.dataset))].sort();
  return [row('all', () => true), ...datasets.map((d) => row(d, (q) => q.dataset === d))];
}

/** Known-item tables (one per query kind) from each system's rankings of the same query list. */
export function knownTables(queries: KnownItemQuery[], bySystem: [string, string[][]][]): KnownTable[] {
  return QUERY_KINDS.map((kind) => ({
    kind,
    rows: ['clean', ...VARIANTS.map((v) => v.name)].map((variant) => {
      const idx = queries.map((q, i) => (q.kind === kind && q.variant === variant ? i : -1)).filter((i) => i >= 0);
      const targets = idx.map((i) => queries[i]!.target);
      return {
        variant,
        changed: idx.filter((i) => queries[i]!.changed).length,
        n: idx.length,
        cells: bySystem.map(([system, rankings]) => {
          const r = idx.map((i) => rankings[i] ?? []);
          return { system, s1: successAt(r, targets, 1), s10: successAt(r, targets, 10) };
        }),
      };
    }),
  }));
}

/** Whether each misspelled name finds the same top story as the name spelled right. */
export function personRow(system: string, typos: PersonTypo[], topOfName: Map<string, string | undefined>, typoRankings: string[][]): PersonRow {
  let agree = 0;
  const disagreements: string[] = [];
  typos.forEach((t, i) => {
    const want = topOfName.get(t.name);
    if (want !== undefined && typoRankings[i]?.[0] === want) agree++;
    else disagreements.push(`${t.typo} (${t.name})`);
  });
  return { system, agree, total: typos.length, disagreements };
}
