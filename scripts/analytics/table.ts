/** Rows as a plain-text table: columns padded to their widest cell, numbers right-aligned. */
import type { COLUMNS, Report } from './queries';

type Column = (typeof COLUMNS)[Report][number];

/** A cell as shown: counts whole (the API may send 64-bit integers as strings), means to 1 decimal. */
export function cell(value: unknown, kind: Column['kind']): string {
  if (kind === 'text') return value === undefined || value === null || value === '' ? '—' : String(value);
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return '—';
  return kind === 'count' ? Math.round(n).toLocaleString('en') : n.toFixed(1);
}

/** Characters a cell takes on a terminal (combining marks take none). */
function width(text: string): number {
  return [...text.replace(/\p{M}/gu, '')].length;
}

export function table(columns: readonly Column[], rows: Record<string, unknown>[]): string {
  const cells = rows.map((r) => columns.map((c) => cell(r[c.name], c.kind)));
  const widths = columns.map((c, i) => Math.max(width(c.title), ...cells.map((row) => width(row[i]!))));
  const line = (values: string[]) => values.map((v, i) => {
    const pad = ' '.repeat(widths[i]! - width(v));
    return columns[i]!.kind === 'text' ? v + pad : pad + v;
  }).join('  ').trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
