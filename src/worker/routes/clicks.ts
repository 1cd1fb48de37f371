/**
 * `POST /clicks`: the widget's beacon for a hit a reader opened (docs/analytics.md). Rate-limited
 * per client and validated whole before anything is written: a bad body is a 400 and writes
 * nothing. The client's address keys the limiter in memory only; it is never written.
 */
import { Hono } from 'hono';
import { ARTICLE_ID_PATTERN } from '../../core/article';
import { BahthError } from '../../core/errors';
import { MAX_QUERY_LENGTH } from '../../core/search/query';
import { ReadStats } from '../../core/search/source';
import { analyticsOn, clickPoint, record } from '../analytics';
import { MAX_LIMIT, MAX_OFFSET } from '../api-schema';
import { readerFor, type AppEnv } from '../context';
import { withinLimit } from '../middleware/rate-limit';
import { bad, characters, typedText } from '../params';

/** Largest body accepted, in bytes (a click is well under 1 KB). */
export const MAX_CLICK_BYTES = 2048;

/** A hit opened, as the widget reports it. */
export interface Click {
  /** The query whose hits were shown. */
  q: string;
  /** The article opened. */
  id: string;
  /** Its 1-based place in the list shown. */
  position: number;
  /** The 1-based page of hits (1 unless given). */
  page: number;
}

const FIELDS = new Set(['q', 'id', 'position', 'page']);

/** Reads a click from a request body, or throws a BAD_PARAMETER naming what is wrong. */
export function parseClick(text: string): Click {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    bad('body', 'must be a JSON object {"q", "id", "position"}');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) bad('body', 'must be a JSON object {"q", "id", "position"}');
  const o = body as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !FIELDS.has(k));
  if (unknown !== undefined) bad(unknown.slice(0, 40), 'is not a field of a click (q, id, position, page)');
  if (typeof o.q !== 'string' || !o.q.trim()) bad('q', 'required: the query whose hits were shown');
  // As /search reads its q: UTF-8 text without control characters, counted without the spaces around it.
  typedText('q', o.q);
  if (characters(o.q.trim()) > MAX_QUERY_LENGTH) bad('q', `at most ${MAX_QUERY_LENGTH} characters`);
  if (typeof o.id !== 'string' || !ARTICLE_ID_PATTERN.test(o.id)) bad('id', 'required: the id of the article opened');
  const position = whole(o.position, 'position', 1, MAX_LIMIT, true);
  const page = whole(o.page, 'page', 1, MAX_OFFSET + 1, false);
  return { q: o.q, id: o.id, position, page };
}

function whole(v: unknown, name: string, min: number, max: number, required: boolean): number {
  if (v === undefined && !required) return 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(name, `must be a whole number from ${min} to ${max}`);
  return v;
}

/** The body as text, refusing more than `max` bytes (read no further than that). */
async function bodyText(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > max) bad('body', `at most ${max} bytes`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      bad('body', `at most ${max} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(all);
  } catch {
    return bad('body', 'must be UTF-8 text');
  }
}

export const clicksRoute = new Hono<AppEnv>().post('/', async (c) => {
  const limiter = c.env.CLICK_LIMITER;
  if (limiter && analyticsOn(c.env)) {
    const client = c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? 'anonymous';
    if (!(await withinLimit(limiter, `click:${client}`))) {
      throw new BahthError('RATE_LIMITED', 'too many clicks reported from this client; retry after the given seconds', { retryAfter: 60 });
    }
  }
  const click = parseClick(await bodyText(c.req.raw, MAX_CLICK_BYTES));
  if (analyticsOn(c.env)) {
    const stats = new ReadStats();
    const index = await readerFor(c.env).current(stats);
    // A click on no article of the archive did not happen: it is not counted.
    if ((await index.docOfId(click.id, stats)) === undefined) bad('id', `no article with id "${click.id}"`);
    record(c.env, () => clickPoint({ ...click, index: index.version }));
  }
  return c.body(null, 204, { 'cache-control': 'no-store' });
});
