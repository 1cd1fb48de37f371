/**
 * Search analytics on Workers Analytics Engine: one data point per search and per hit a reader
 * opened, in the layout docs/analytics.md documents (and `npm run analytics` queries). Nothing
 * that identifies a reader is written: no IP address, no user agent, no identifier, no time
 * finer than the platform's own timestamp. `ANALYTICS` switches it: `on` (the default when the
 * binding exists), `off`, or `log` (written and printed, for `wrangler dev`, whose binding keeps
 * nothing).
 */
import { tokenize } from '../core/analyzer/index';
import { queryPieces } from '../core/search/query-pieces';
import type { Bindings } from './context';
import { configOf } from './config';

/** The dataset's events (blob1). */
export type EventKind = 'search' | 'click';

/** How a search was answered (blob5): by the search core, the edge cache, or a 304. */
export type Served = 'fresh' | 'edge' | 'not-modified';

export interface SearchEvent {
  /** The query as the reader sent it (it is normalized before it is written). */
  q: string;
  /** Matches (`total`); -1 when not known (a 304 has no body). */
  results: number;
  /** The hits are those of a corrected query (`corrected` in the answer). */
  corrected: boolean;
  /** The correction offered or searched (`didYouMean`), if any. */
  correction?: string;
  /** The words no article holds that did-you-mean does not name (`unmatched` in the answer), if any. */
  unmatched?: string[];
  /**
   * The query searched in its place when its last word was still being typed and was completed
   * (`completed` in the answer, a `prefix` search): a keystroke of a box that searches as the
   * reader types, not a search the reader finished.
   */
  completed?: string;
  latencyMs: number;
  /** 1-based page of `limit` hits. */
  page: number;
  index: string;
  served: Served;
}

export interface ClickEvent {
  q: string;
  /** The article opened. */
  id: string;
  /** Its 1-based place among the hits shown. */
  position: number;
  page: number;
  index: string;
}

/** The longest index Analytics Engine takes, in UTF-8 bytes. */
export const MAX_INDEX_BYTES = 96;

/**
 * A query as the archive reads it: its words normalized (harakat, tatweel and letter variants
 * folded, Latin lower-cased), a phrase's quotes and an exclusion's minus kept (as `"` and `-`),
 * one space between words; read as the parser reads it (query-pieces.ts), so that the same
 * search typed two ways is one query: `NOT word` is `-word`, `|` is `OR`, `AND` is left out.
 *
 * @example normalizeQuery('  «بُوتين»   -الصّين ') // '"بوتين" -الصين'
 * @example normalizeQuery('الصين | روسيا NOT "البيت الأبيض"') // 'الصين OR روسيا -"البيت الابيض"'
 */
export function normalizeQuery(q: string): string {
  const out: string[] = [];
  for (const piece of queryPieces(q)) {
    if (piece.operator) continue;
    const words = tokenize(q.slice(piece.start, piece.end)).map((t) => t.norm).join(' ');
    if (!words) continue;
    // OR where it joins two words (elsewhere the parser reads it as nothing).
    if (piece.joined && out.length > 0) out.push('OR');
    out.push(`${piece.excluded ? '-' : ''}${piece.phrase ? `"${words}"` : words}`);
  }
  return out.join(' ');
}

/** The query as recorded: normalized, or as sent (trimmed) when it has no word to normalize. */
function keyOf(q: string): string {
  return normalizeQuery(q) || q.trim();
}

/** The first `max` UTF-8 bytes of a string, cut at a character boundary. */
export function utf8Prefix(text: string, max: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const n = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (bytes + n > max) break;
    bytes += n;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * The data point of a search. Layout (docs/analytics.md): index1 the normalized query (its
 * first 96 bytes: sampling keeps rare queries whole); blob1 `search`, blob2 the normalized
 * query, blob3 the index version, blob4 '' (the article of a click), blob5 how it was served,
 * blob6 the normalized correction, blob7 the words no article holds (normalized, space
 * between), blob8 the normalized query a word being typed was completed to ('' when none was);
 * double1 results, double2 corrected (0/1), double3 latency in ms, double4 page, double5 0 (the
 * position of a click).
 */
export function searchPoint(e: SearchEvent): AnalyticsEngineDataPoint {
  const q = keyOf(e.q);
  return {
    indexes: [utf8Prefix(q, MAX_INDEX_BYTES)],
    blobs: ['search', q, e.index, '', e.served, e.correction ? normalizeQuery(e.correction) : '', e.unmatched?.length ? normalizeQuery(e.unmatched.join(' ')) : '', e.completed ? normalizeQuery(e.completed) : ''],
    doubles: [e.results, e.corrected ? 1 : 0, Math.round(e.latencyMs * 100) / 100, e.page, 0],
  };
}

/** The data point of a hit opened: the same layout, blob1 `click`, blob4 the article, double5 its position. */
export function clickPoint(e: ClickEvent): AnalyticsEngineDataPoint {
  const q = keyOf(e.q);
  return {
    indexes: [utf8Prefix(q, MAX_INDEX_BYTES)],
    blobs: ['click', q, e.index, e.id, '', '', '', ''],
    doubles: [0, 0, 0, e.page, e.position],
  };
}

/** Whether this deployment records analytics (a binding, and `ANALYTICS` not `off`). */
export function analyticsOn(env: Bindings): boolean {
  return env.SEARCH_EVENTS !== undefined && configOf(env).analytics !== 'off';
}

/** Writes a data point where the deployment says (nowhere when analytics is off). Never throws. */
export function record(env: Bindings, point: () => AnalyticsEngineDataPoint): void {
  if (!analyticsOn(env)) return;
  try {
    const p = point();
    env.SEARCH_EVENTS!.writeDataPoint(p);
    if (configOf(env).analytics === 'log') console.log(`bahth analytics: ${JSON.stringify(p)}`);
  } catch (e) {
    // Analytics must never cost a reader an answer.
    console.warn(`bahth: analytics data point not written: ${(e as Error).message}`);
  }
}
