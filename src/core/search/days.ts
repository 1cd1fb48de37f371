/**
 * Publication days over global doc numbers: the segments' run-length tables joined. Sort by
 * date, date ranges, recency and the year facet read them per run, so nothing per document is
 * allocated or filled when an isolate starts.
 */
import { decodeDays } from '../format/layout';
import type { SegmentMeta } from '../format/manifest';

/** Publication days over global doc numbers, as runs: docs `[first[i], first[i + 1])` share `day[i]`. */
export interface DayRuns {
  first: Int32Array;
  day: Int32Array;
  count: number;
}

/** The segments' day tables as one run table over global doc numbers. */
export function globalRuns(segments: SegmentMeta[]): DayRuns {
  const first: number[] = [];
  const day: number[] = [];
  for (const s of segments) {
    for (const [d, local] of decodeDays(s.days)) {
      const doc = s.first + local;
      if (doc >= s.end) throw new RangeError(`segment ${s.id}'s days table runs past its docs`);
      if (day.length > 0 && day[day.length - 1] === d && first.length > 0) continue; // same day continues
      first.push(doc);
      day.push(d);
    }
  }
  if (first.length === 0 || first[0] !== 0) {
    first.unshift(0);
    day.unshift(-1);
  }
  return { first: Int32Array.from(first), day: Int32Array.from(day), count: first.length };
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

/** Per day run, the recency prior's factor 0.5^(age / half-life) against the newest day (0: undated). */
export function runRecency(runs: DayRuns, newestDay: number, halfLifeDays: number): Float32Array {
  const out = new Float32Array(runs.count);
  for (let r = 0; r < runs.count; r++) {
    const day = runs.day[r]!;
    out[r] = day < 0 ? 0 : 0.5 ** ((newestDay - day) / halfLifeDays);
  }
  return out;
}
