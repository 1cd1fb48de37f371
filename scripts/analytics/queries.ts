/**
 * The SQL of `npm run analytics`, for the Workers Analytics Engine SQL API (docs/analytics.md has
 * the dataset's layout). Every count is a sum of `_sample_interval`: Analytics Engine samples
 * busy indexes (here: frequent queries), and each row kept stands for that many.
 */

/** The reports. */
export const REPORTS = ['top', 'zero', 'missing', 'clicks', 'typing'] as const;
export type Report = (typeof REPORTS)[number];

export interface QueryOptions {
  /** The dataset (a plain SQL identifier: it is written into the query). */
  dataset: string;
  /** Days back from now. */
  days: number;
  /** Rows at most. */
  limit: number;
}

/** What each report answers, for the help and the table's heading. */
export const DESCRIPTIONS: Record<Report, string> = {
  top: 'the most searched queries: searches, how many found nothing or were corrected, mean latency, hits opened',
  zero: 'queries that found nothing (stories the archive lacks, spellings it misses), with the correction offered',
  missing: 'words readers typed that no article holds (none corrected): stories the archive lacks, spellings it misses',
  clicks: 'the hits readers opened, by query: how often, at which place on average',
  typing: 'what a box that searches as the reader types completed their unfinished words to (those keystrokes are left out of the other reports)',
};

/**
 * A search the reader finished: not a keystroke whose last word, still being typed, was completed
 * (blob8 names the completion; points written before it was recorded have none).
 */
const FINISHED = "blob8 = ''";

/** A dataset name safe to write into SQL: letters, digits and underscores. */
export const DATASET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * The SQL of a report.
 *
 * @example sql('top', { dataset: 'bahth_search', days: 7, limit: 20 })
 */
export function sql(report: Report, o: QueryOptions): string {
  if (!DATASET_NAME.test(o.dataset)) throw new RangeError(`dataset ${JSON.stringify(o.dataset)} is not a plain name (letters, digits, _)`);
  if (!Number.isInteger(o.days) || o.days < 1) throw new RangeError(`days must be a whole number from 1, not ${o.days}`);
  if (!Number.isInteger(o.limit) || o.limit < 1) throw new RangeError(`limit must be a whole number from 1, not ${o.limit}`);
  const since = `timestamp > NOW() - INTERVAL '${o.days}' DAY`;
  switch (report) {
    case 'top':
      return `SELECT
  blob2 AS query,
  SUM(if(blob1 = 'search', _sample_interval, 0)) AS searches,
  SUM(if(blob1 = 'search' AND double1 = 0, _sample_interval, 0)) AS found_nothing,
  SUM(if(blob1 = 'search' AND double2 = 1, _sample_interval, 0)) AS corrected,
  SUM(if(blob1 = 'search', _sample_interval * double3, 0)) / SUM(if(blob1 = 'search', _sample_interval, 0)) AS mean_ms,
  SUM(if(blob1 = 'click', _sample_interval, 0)) AS opened
FROM ${o.dataset}
WHERE blob1 IN ('search', 'click') AND ${FINISHED} AND ${since}
GROUP BY query
HAVING searches > 0
ORDER BY searches DESC
LIMIT ${o.limit}
FORMAT JSON`;
    case 'zero':
      return `SELECT
  blob2 AS query,
  SUM(_sample_interval) AS searches,
  argMax(blob6, _sample_interval) AS offered
FROM ${o.dataset}
WHERE blob1 = 'search' AND double1 = 0 AND ${FINISHED} AND ${since}
GROUP BY query
ORDER BY searches DESC
LIMIT ${o.limit}
FORMAT JSON`;
    case 'missing':
      return `SELECT
  blob7 AS words,
  SUM(_sample_interval) AS searches,
  SUM(if(double1 > 0, _sample_interval, 0)) AS with_results,
  argMax(blob2, _sample_interval) AS query
FROM ${o.dataset}
WHERE blob1 = 'search' AND blob7 != '' AND ${FINISHED} AND ${since}
GROUP BY words
ORDER BY searches DESC
LIMIT ${o.limit}
FORMAT JSON`;
    case 'clicks':
      return `SELECT
  blob2 AS query,
  blob4 AS article,
  SUM(_sample_interval) AS opened,
  SUM(_sample_interval * double5) / SUM(_sample_interval) AS mean_position
FROM ${o.dataset}
WHERE blob1 = 'click' AND ${since}
GROUP BY query, article
ORDER BY opened DESC
LIMIT ${o.limit}
FORMAT JSON`;
    case 'typing':
      return `SELECT
  blob8 AS completed,
  SUM(_sample_interval) AS keystrokes,
  argMax(blob2, _sample_interval) AS typed
FROM ${o.dataset}
WHERE blob1 = 'search' AND blob8 != '' AND ${since}
GROUP BY completed
ORDER BY keystrokes DESC
LIMIT ${o.limit}
FORMAT JSON`;
  }
}

/** Columns of each report, in order, with how to show them. */
export const COLUMNS: Record<Report, { name: string; title: string; kind: 'text' | 'count' | 'mean' }[]> = {
  top: [
    { name: 'query', title: 'query', kind: 'text' },
    { name: 'searches', title: 'searches', kind: 'count' },
    { name: 'found_nothing', title: 'found nothing', kind: 'count' },
    { name: 'corrected', title: 'corrected', kind: 'count' },
    { name: 'mean_ms', title: 'mean ms', kind: 'mean' },
    { name: 'opened', title: 'hits opened', kind: 'count' },
  ],
  zero: [
    { name: 'query', title: 'query', kind: 'text' },
    { name: 'searches', title: 'searches', kind: 'count' },
    { name: 'offered', title: 'did you mean', kind: 'text' },
  ],
  missing: [
    { name: 'words', title: 'words', kind: 'text' },
    { name: 'searches', title: 'searches', kind: 'count' },
    { name: 'with_results', title: 'found something', kind: 'count' },
    { name: 'query', title: 'a query', kind: 'text' },
  ],
  clicks: [
    { name: 'query', title: 'query', kind: 'text' },
    { name: 'article', title: 'article', kind: 'text' },
    { name: 'opened', title: 'opened', kind: 'count' },
    { name: 'mean_position', title: 'mean place', kind: 'mean' },
  ],
  typing: [
    { name: 'completed', title: 'completed to', kind: 'text' },
    { name: 'keystrokes', title: 'keystrokes', kind: 'count' },
    { name: 'typed', title: 'typed, e.g.', kind: 'text' },
  ],
};
