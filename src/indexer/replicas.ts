/**
 * Replicas for scale benchmarks (`--replicate n`): an archive of n × the input from copies that
 * differ as a real archive's articles do, not copies that tie. Copy r ≥ 1 of an article is
 * dated r years earlier (25 copies make a 25-year archive, a copy far from its original in doc
 * order, as a real archive's years are) and leaves out about one body word in ten, chosen by a
 * hash of its id, so that no two copies score alike. With identical copies side by side, every
 * page was the copies of one or two articles, tied and broken by doc number, and any early
 * termination (tiers, doc ranges) was measured on that degenerate page.
 */
import type { Article } from '../core/article';

/** What the scheme is, recorded with a replicated build (a cached build under another scheme is stale). */
export const REPLICA_SCHEME = 'copy r dated r years earlier, a tenth of its body words left out (replicas.ts)';

/** One in this many body words is left out of each copy. */
const THIN = 10;

/** Copy `r` of an article (copy 0 is the article itself). */
export function replicaOf(a: Article, r: number): Article {
  if (r === 0) return a;
  const id = `${a.id}~${r}`;
  let h = seed(id);
  const thin = (paragraph: string) =>
    paragraph
      .split(' ')
      .filter(() => {
        // xorshift32: a stream of draws per copy, the same on every build.
        h ^= h << 13;
        h ^= h >>> 17;
        h ^= h << 5;
        return (h >>> 0) % THIN !== 0;
      })
      .join(' ');
  return { ...a, id, ...(a.date ? { date: yearsEarlier(a.date, r) } : {}), body: a.body.map(thin) };
}

/** FNV-1a of a string, never 0 (xorshift's fixed point). */
function seed(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h || 1;
}

/** An ISO 8601 date (or timestamp) `years` earlier, 29 February falling on the 28th in a common year. */
export function yearsEarlier(date: string, years: number): string {
  const m = /^(\d{4})(.*)$/.exec(date);
  if (!m) return date;
  const year = Number(m[1]) - years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const rest = m[2]!.startsWith('-02-29') && !leap ? `-02-28${m[2]!.slice(6)}` : m[2]!;
  return `${String(year).padStart(4, '0')}${rest}`;
}
