/** `Server-Timing` of one request: what it read from KV, its stages, its total time. */
import type { ReadStats } from '../core/search/source';

/**
 * The header value for a request that started at `started` (performance.now()); `cache`
 * names where a cached answer came from.
 *
 * @example serverTiming(stats, started) // 'kv;desc="3 reads, 12 keys, 40960 bytes", rank;dur=0.41, total;dur=2.30'
 */
export function serverTiming(stats: ReadStats, started: number, cache?: string): string {
  return [
    `kv;desc="${stats.reads} reads, ${stats.keys} keys, ${stats.bytes} bytes"`,
    ...(cache ? [`cache;desc="${cache}"`] : []),
    ...Object.entries(stats.stages).map(([stage, ms]) => `${stage};dur=${ms.toFixed(2)}`),
    `total;dur=${(performance.now() - started).toFixed(2)}`,
  ].join(', ');
}
