/**
 * Tables of the eval as Markdown (printed and written to docs/relevance.md), and the headline
 * numbers of the previous run, read back from the file so a change shows as a delta.
 */
import type { QaScores } from './metrics';
import type { QueryKind } from './known-item';
import type { Interval } from './stats';

export interface QaRow {
  system: string;
  scope: string;
  n: number;
  strict: QaScores;
  lenient: QaScores;
}

export interface KnownCell {
  system: string;
  s1: number;
  s10: number;
  /** A rewriting's success@10 less the clean query's, paired over the same titles (absent for the clean row). */
  d10?: Interval;
}

export interface KnownRow {
  variant: string;
  /** Queries the variant actually rewrote (the rest equal the clean query). */
  changed: number;
  n: number;
  cells: KnownCell[];
}

export interface KnownTable {
  kind: QueryKind;
  rows: KnownRow[];
}

export interface PersonRow {
  system: string;
  agree: number;
  total: number;
  /** Misspellings whose top story differed from the correct name's. */
  disagreements: string[];
}

export interface TimingRow {
  system: string;
  indexSeconds?: number;
  qaMs?: number;
  knownMs?: number;
}

export interface GoalRow {
  goal: string;
  met: boolean;
  detail: string;
}

/** The numbers carried into the next run's "Previous run" section. */
export interface Headline {
  date: string;
  index: string;
  mrrStrict: Record<string, number>;
  r10Strict: Record<string, number>;
}

export interface Report {
  header: string[];
  qa: QaRow[];
  known: KnownTable[];
  knownNote: string;
  persons: PersonRow[];
  personNote: string;
  timings: TimingRow[];
  goals: GoalRow[];
  headline: Headline;
  previous?: Headline;
  notes: string[];
  /** Sections after the QA table (intervals, the ranking fit), and after the known-item tables (typos). */
  afterQa?: { title: string; body: string }[];
  afterKnown?: { title: string; body: string }[];
}

function sectionsMd(list: { title: string; body: string }[] | undefined): string[] {
  return (list ?? []).flatMap((x) => [`## ${x.title}`, '', x.body, '']);
}

const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => (100 * x).toFixed(1);

function table(head: string[], rows: string[][], align?: string[]): string {
  const sep = align ?? head.map((_, i) => (i === 0 ? '---' : '---:'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function qaTable(rows: QaRow[]): string {
  const head = ['system', 'questions', 'MRR@10', 'R@1', 'R@10', 'nDCG@10', 'MRR@10 (len.)', 'R@1 (len.)', 'R@10 (len.)', 'nDCG@10 (len.)'];
  const body = rows.map((r) => [
    `${r.system}${r.scope === 'all' ? '' : ` · ${r.scope}`}`,
    String(r.n),
    ...[r.strict, r.lenient].flatMap((s) => [f3(s.mrr), f3(s.r1), f3(s.r10), f3(s.ndcg)]),
  ]);
  return table(head, body, ['---', ...head.slice(1).map(() => '---:')]);
}

export function knownTableMd(t: KnownTable): string {
  const systems = t.rows[0]?.cells.map((c) => c.system) ?? [];
  const head = ['variant', 'rewritten', ...systems.flatMap((s) => [`${s} @1`, `${s} @10`])];
  const clean = new Map(t.rows.find((r) => r.variant === 'clean')?.cells.map((c) => [c.system, c.s10]) ?? []);
  const body = t.rows.map((r) => [
    r.variant,
    r.variant === 'clean' ? '–' : `${r.changed}/${r.n}`,
    ...r.cells.flatMap((c) => {
      const base = clean.get(c.system) ?? c.s10;
      // Mark a variant that loses more than 1 point of success@10 against the clean query.
      const flag = r.variant !== 'clean' && 100 * (base - c.s10) > 1 + 1e-9 ? ' ⚠' : '';
      return [pct(c.s1), `${pct(c.s10)}${flag}`];
    }),
  ]);
  return table(head, body);
}

export function personTableMd(rows: PersonRow[]): string {
  return table(['system', 'same top story', 'differs for'], rows.map((r) => [r.system, `${r.agree}/${r.total}`, r.disagreements.join(', ') || '–']), ['---', '---:', '---']);
}

export function timingTableMd(rows: TimingRow[]): string {
  const s = (x?: number, d = 1) => (x === undefined ? '–' : x.toFixed(d));
  return table(['system', 'index build (s)', 'QA ms/question', 'known-item ms/query'], rows.map((r) => [r.system, s(r.indexSeconds, 0), s(r.qaMs, 2), s(r.knownMs, 2)]));
}

export function goalsMd(rows: GoalRow[]): string {
  return table(['goal', 'met', 'measured'], rows.map((g) => [g.goal, g.met ? 'yes' : '**no**', g.detail]), ['---', '---', '---']);
}

function previousMd(prev: Headline, now: Headline): string {
  const systems = [...new Set([...Object.keys(now.mrrStrict), ...Object.keys(prev.mrrStrict)])];
  const delta = (a?: number, b?: number) => (a === undefined || b === undefined ? '–' : `${b - a >= 0 ? '+' : ''}${(b - a).toFixed(3)}`);
  const rows = systems.map((s) => [
    s,
    prev.mrrStrict[s] === undefined ? '–' : f3(prev.mrrStrict[s]!),
    now.mrrStrict[s] === undefined ? '–' : f3(now.mrrStrict[s]!),
    delta(prev.mrrStrict[s], now.mrrStrict[s]),
    prev.r10Strict[s] === undefined ? '–' : f3(prev.r10Strict[s]!),
    now.r10Strict[s] === undefined ? '–' : f3(now.r10Strict[s]!),
  ]);
  return [
    `Previous run: ${prev.date}, index ${prev.index}.`,
    '',
    table(['system', 'MRR@10 before', 'MRR@10 now', 'Δ', 'R@10 before', 'R@10 now'], rows),
  ].join('\n');
}

const HEADLINE_MARK = 'eval-headline';

/** The headline a previous docs/relevance.md carries in an HTML comment, if any. */
export function readHeadline(markdown: string): Headline | undefined {
  const m = new RegExp(`<!-- ${HEADLINE_MARK} (\\{.*?\\}) -->`).exec(markdown);
  if (!m) return undefined;
  try {
    const h = JSON.parse(m[1]!) as Partial<Headline>;
    if (typeof h.date !== 'string' || typeof h.mrrStrict !== 'object' || h.mrrStrict === null) return undefined;
    return { date: h.date, index: h.index ?? '?', mrrStrict: h.mrrStrict, r10Strict: h.r10Strict ?? {} };
  } catch {
    return undefined;
  }
}

export function renderReport(r: Report): string {
  const parts: string[] = [
    '# Relevance',
    '',
    'Written by `npm run eval` (scripts/eval.ts); do not edit by hand. Rerun it on every ranking change.',
    '',
    ...r.header.map((l) => `- ${l}`),
    '',
    '## Goals',
    '',
    goalsMd(r.goals),
    '',
    '## Question answering (Arabic Wikipedia passages among the news)',
    '',
    'Strict: the passage the question was written on. Lenient: also other passages of the same article that contain the answer verbatim.',
    '',
    qaTable(r.qa),
    '',
    ...sectionsMd(r.afterQa),
    '## Known-item search (news titles)',
    '',
    r.knownNote,
    '',
    ...r.known.flatMap((t) => [
      `### ${t.kind === 'title' ? 'Whole title as the query' : 'First four content words of the title'}`,
      '',
      'success@1 and success@10, in %; ⚠ marks a variant more than 1 point below the clean query at @10.',
      '',
      knownTableMd(t),
      '',
    ]),
    '### A person named with one typo',
    '',
    r.personNote,
    '',
    personTableMd(r.persons),
    '',
    ...sectionsMd(r.afterKnown),
    '## Timings',
    '',
    timingTableMd(r.timings),
    '',
  ];
  if (r.previous) parts.push('## Previous run', '', previousMd(r.previous, r.headline), '');
  if (r.notes.length) parts.push('## Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  parts.push(
    '## Data and citations',
    '',
    '- ANT corpus: Amina Chouigui, Oussama Ben Khiroun, Bilel Elayeb, "ANT Corpus: An Arabic News Text Collection for Textual Classification", AICCSA 2017. Apache-2.0.',
    '- ARCD: Hussein Mozannar, Karl El Hajal, Elie Maamary, Hazem Hajj, "Neural Arabic Question Answering", WANLP 2019. MIT licence.',
    '- XQuAD: Mikel Artetxe, Sebastian Ruder, Dani Yogatama, "On the Cross-lingual Transferability of Monolingual Representations", ACL 2020. CC BY-SA 4.0.',
    '',
    `<!-- ${HEADLINE_MARK} ${JSON.stringify(r.headline)} -->`,
    '',
  );
  return parts.join('\n');
}
