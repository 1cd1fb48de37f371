/**
 * Content negotiation for resources with a page and a JSON form: a browser gets the page, an
 * API client (or a request that states no preference) gets JSON.
 */

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function ranges(accept: string): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of accept.split(',')) {
    const [range, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const [type, subtype] = (range ?? '').split('/');
    if (!type || !subtype) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    out.push({ type, subtype, q: Number.isFinite(q) ? Math.min(1, Math.max(0, q)) : 0 });
  }
  return out;
}

/** The quality an Accept header gives a media type: that of its most specific matching range (RFC 9110, 12.5.1). */
export function quality(accept: string, media: string): number {
  const [type, subtype] = media.split('/');
  let best = -1;
  let q = 0;
  for (const r of ranges(accept)) {
    const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1;
    if (specificity > best) {
      best = specificity;
      q = r.q;
    }
  }
  return q;
}

/**
 * True when the request prefers an HTML page to JSON: `text/html` ranks above
 * `application/json` in its Accept header. No header, `*\/*` and ties answer JSON.
 *
 * @example wantsHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*\/*;q=0.8') // true
 */
export function wantsHtml(accept: string | null | undefined): boolean {
  if (!accept) return false;
  return quality(accept, 'text/html') > quality(accept, 'application/json');
}
