/**
 * Publication days over global doc numbers: the segments' run-length tables joined. Sort by
 * date, date ranges, recency and the year facet read them per run, so nothing per document is
 * allocated or filled when an isolate starts.
 */
import { forEachDay } from '../format/layout';
import type { SegmentMeta } from '../format/manifest';

/** Publication days over global doc numbers, as runs: docs `[first[i], first[i + 1])` share `day[i]`. */
export interface DayRuns {
  first: Int32Array;
  day: Int32Array;
  count: number;
}

/** No runs: for a query with no doc to date. */
export const NO_RUNS: DayRuns = { first: new Int32Array(0), day: new Int32Array(0), count: 0 };

/** The segments' day tables as one run table over global doc numbers. */
export function globalRuns(segments: SegmentMeta[]): DayRuns {
  // Room for every run and an undated one before them (runs are few: a table costs 2–3 characters a run).
  const room = 1 + segments.reduce((n, s) => n + s.days.length, 0);
  let first = new Int32Array(room);
  let day = new Int32Array(room);
  let count = 1; // slot 0: docs before the first dated run, undated (dropped below if there are none)
  first[0] = 0;
  day[0] = -1;
  for (const s of segments) {
    forEachDay(s.days, (d, local) => {
      const doc = s.first + local;
      if (doc >= s.end) throw new RangeError(`segment ${s.id}'s days table runs past its docs`);
      if (count > 1 && day[count - 1] === d) return; // same day continues
      first[count] = doc;
      day[count] = d;
      count++;
    });
  }
  // The undated run 0 stays only when the first dated run does not start at doc 0.
  if (count > 1 && first[1] === 0) {
    first = first.subarray(1, count);
    day = day.subarray(1, count);
    count--;
  } else {
    first = first.subarray(0, count);
    day = day.subarray(0, count);
  }
  return { first, day, count };
}

/** Walks the day runs along ascending doc numbers (match and facets visit docs in order). */
export class RunCursor {
  private r = 0;
  private next: number;
  constructor(private readonly runs: DayRuns) {
    this.next = runs.count > 1 ? runs.first[1]! : Infinity;
  }

  /** The run of `doc`; docs must not decrease from one call to the next. */
  at(doc: number): number {
    while (doc >= this.next) {
      this.r++;
      this.next = this.r + 1 < this.runs.count ? this.runs.first[this.r + 1]! : Infinity;
    }
    return this.r;
  }
}

/**
 * The proleptic Gregorian year of a day counted from 1970-01-01 (negative before), by integer
 * arithmetic (H. Hinnant's civil_from_days): no Date object per run of a fresh isolate's table.
 */
export function yearOfDay(day: number): number {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

/** Per day run, its year (0: undated). */
export function runYears(runs: DayRuns): Uint16Array {
  const out = new Uint16Array(runs.count);
  for (let r = 0; r < runs.count; r++) {
    const day = runs.day[r]!;
    out[r] = day < 0 ? 0 : yearOfDay(day);
  }
  return out;
}

/**
 * Per day run, the recency prior's factor 0.5^(age / half-life) against the newest day. An
 * undated doc's age is unknown, so it gets the factor's expectation over the archive's dated
 * docs (their mean), not the oldest doc's 0: a page without a date (a reference page, a passage)
 * is neither favoured nor held back against the news around it. `docSpace` ends the last run.
 */
export function runRecency(runs: DayRuns, newestDay: number, halfLifeDays: number, docSpace: number): Float32Array {
  const out = new Float32Array(runs.count);
  let sum = 0;
  let dated = 0;
  for (let r = 0; r < runs.count; r++) {
    const day = runs.day[r]!;
    if (day < 0) continue;
    // A doc dated after the newest day counted (archive.ts: a date past the publication) gets its factor.
    const f = day >= newestDay ? 1 : 0.5 ** ((newestDay - day) / halfLifeDays);
    out[r] = f;
    const docs = (r + 1 < runs.count ? runs.first[r + 1]! : docSpace) - runs.first[r]!;
    sum += f * docs;
    dated += docs;
  }
  const unknown = dated > 0 ? sum / dated : 0;
  for (let r = 0; r < runs.count; r++) if (runs.day[r]! < 0) out[r] = unknown;
  return out;
}

/** Publication days, both ends included, as days since 1970-01-01 (UTC). */
export interface DayRange {
  from: number;
  to: number;
}

/** The days of a `from`/`to` pair of `YYYY-MM-DD` dates (either open), or undefined when both are absent. */
export function dayRange(from?: string, to?: string): DayRange | undefined {
  if (!from && !to) return undefined;
  return { from: from ? Math.floor(Date.parse(from) / 86_400_000) : -Infinity, to: to ? Math.floor(Date.parse(to) / 86_400_000) : Infinity };
}

/** Whether a run's day is in a range: an undated run (day -1) is in none. */
export function inRange(day: number, r: DayRange): boolean {
  return day >= 0 && day >= r.from && day <= r.to;
}
