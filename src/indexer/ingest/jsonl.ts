/**
 * Streaming reader for JSONL article files (plain or gzip), validating every row at the edge so
 * the rest of the build can trust the `Article` type.
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ARTICLE_ID_PATTERN, type Article } from '../../core/article';
import { BahthError } from '../../core/errors';

export interface JsonlOptions {
  /** Skip invalid rows (reporting each to `onSkip`) instead of throwing on the first one. */
  skipInvalid?: boolean;
  onSkip?: (err: BahthError) => void;
  /** Ids already read, shared across files so a duplicate in a later file is caught too. */
  seenIds?: Set<string>;
  /** Called once per file for each field a row has that bahth does not read (a misspelt `autor`). */
  onIgnored?: (field: string, origin: string) => void;
}

/** The fields a row may have; any other is reported to `onIgnored` and left out. */
export const ARTICLE_FIELDS: readonly string[] = ['id', 'title', 'body', 'date', 'source', 'sources', 'category', 'dataset', 'url', 'tags', 'place', 'related'];
const KNOWN_FIELDS = new Set(ARTICLE_FIELDS);

/** A line longer than this is refused without being buffered whole. */
const MAX_LINE_BYTES = 2 * 1024 * 1024;
const MAX_BODY_CHARS = 1_000_000;
/** A headline, however long a site's: a longer "title" is a body in the wrong field (each of its words is a title word, read in every title query's postings). */
const MAX_TITLE_CHARS = 1_000;
/** ISO 8601 day or timestamp, as the corpus writes them ("2018-02-18T10:22:00+00:00"). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

interface RawLine {
  no: number;
  /** Undefined when the line was longer than MAX_LINE_BYTES. */
  bytes: Buffer | undefined;
}

/**
 * Streams the valid articles of a JSONL file, `.gz` or not; throws `INPUT_INVALID` for a bad
 * row (or skips it with `skipInvalid`) and `INPUT_UNREADABLE` for a file that cannot be read.
 *
 * @example for await (const article of readJsonl('corpus.jsonl.gz', { skipInvalid: true })) …
 */
export async function* readJsonl(file: string, options: JsonlOptions = {}): AsyncGenerator<Article> {
  const input = await openInput(file);
  const lineOfId = new Map<string, number>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rows = 0;
  const ignored = new Set<string>();
  try {
    for await (const raw of splitLines(input.stream)) {
      const row = readRow(raw, decoder, file);
      if (row === undefined) continue;
      rows++;
      if (!(row instanceof BahthError) && options.onIgnored) {
        for (const field of ignoredFieldsOf(row)) {
          if (ignored.has(field)) continue;
          ignored.add(field);
          options.onIgnored(field, `${file}:${raw.no}`);
        }
      }
      const article = row instanceof BahthError ? row : checkUnique(row, file, raw.no, lineOfId, options.seenIds);
      if (article instanceof BahthError) {
        if (!options.skipInvalid) throw article;
        options.onSkip?.(article);
        continue;
      }
      yield article;
    }
  } catch (err) {
    throw asReadError(err, file);
  } finally {
    input.close();
  }
  if (rows === 0) throw nothingToRead(file);
}

/** A file with nothing to read (no rows, no story): one bad input among many, which --skip-invalid skips (ingest/index.ts). */
export function nothingToRead(file: string, what = 'empty file (no articles)'): BahthError {
  return new BahthError('INPUT_UNREADABLE', `${file}: ${what}`, { file, skippable: true });
}

/** What a UTF-16 file is told (isUtf16). */
export const UTF16_TEXT = 'UTF-16 text (as some Windows tools save it): save it as UTF-8';

/** A byte-order mark of UTF-16, or the NUL bytes every other byte of Arabic or Latin UTF-16 has. */
export function isUtf16(bytes: Uint8Array): boolean {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) return true;
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 8) return false;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  // Latin text: every high byte NUL; Arabic (U+06xx): none NUL, but then its low bytes never are either.
  return Math.max(even, odd) > n / 4 && Math.min(even, odd) === 0;
}


async function openInput(file: string): Promise<{ stream: Readable; close: () => void }> {
  const handle = await open(file, 'r').catch((err: unknown) => {
    throw unreadable(file, describeFsError(err), undefined, err);
  });
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw unreadable(file, 'is a directory');
    if (stat.size === 0) throw nothingToRead(file);
    const head = Buffer.alloc(2);
    await handle.read(head, 0, 2, 0);
    if (isUtf16(head)) throw unreadable(file, UTF16_TEXT);
    const gzip = file.endsWith('.gz') || (head[0] === 0x1f && head[1] === 0x8b);
    const raw = handle.createReadStream({ start: 0 });
    if (!gzip) return { stream: raw, close: () => raw.destroy() };
    const gunzip = createGunzip();
    // pipe() does not forward errors: a read error must still end the iteration.
    raw.on('error', (err) => gunzip.destroy(err));
    raw.pipe(gunzip);
    const close = (): void => {
      raw.destroy();
      gunzip.destroy();
    };
    return { stream: gunzip, close };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * Splits a byte stream on "\n" before decoding, so a multi-byte character cut by a chunk
 * boundary is never decoded in halves, and an overlong line is dropped as it streams by.
 */
async function* splitLines(stream: AsyncIterable<Buffer>): AsyncGenerator<RawLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let overlong = false;
  let no = 0;
  const take = (piece: Buffer): void => {
    if (overlong || piece.length === 0) return;
    size += piece.length;
    if (size > MAX_LINE_BYTES) {
      overlong = true;
      parts = [];
    } else parts.push(piece);
  };
  const finish = (): RawLine => {
    const line: RawLine = { no: ++no, bytes: overlong ? undefined : Buffer.concat(parts, size) };
    parts = [];
    size = 0;
    overlong = false;
    return line;
  };
  for await (const chunk of stream) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      take(chunk.subarray(start, nl));
      yield finish();
      start = nl + 1;
    }
    take(chunk.subarray(start));
  }
  if (size > 0 || overlong) yield finish();
}

/** The article a line holds, the error that says what is wrong with it, or undefined if blank. */
function readRow(raw: RawLine, decoder: TextDecoder, file: string): Article | BahthError | undefined {
  if (raw.bytes === undefined) return invalid(file, raw.no, `line longer than ${MAX_LINE_BYTES} bytes`);
  let text: string;
  try {
    text = decodeLine(raw.bytes, raw.no, decoder, file);
  } catch (err) {
    if (err instanceof BahthError && err.code === 'INPUT_INVALID') return err;
    throw err;
  }
  return text.trim() === '' ? undefined : parseRow(text, file, raw.no);
}

/** Binary content is a wrong file, not a bad row: always thrown; a mis-encoded line is a bad row. */
function decodeLine(bytes: Buffer, no: number, decoder: TextDecoder, file: string): string {
  if (bytes.includes(0)) throw unreadable(file, 'binary content (NUL byte), not a JSONL text file', no);
  try {
    return decoder.decode(bytes).replace(/\r$/, '');
  } catch (err) {
    // One mis-encoded row in a scraped file is a bad row (skippable), not a wrong file.
    throw invalid(file, no, 'not valid UTF-8', err);
  }
}

function parseRow(text: string, file: string, no: number): Article | BahthError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return invalid(file, no, `invalid JSON (${err instanceof Error ? err.message : String(err)})`, err);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    return invalid(file, no, `expected a JSON object, got ${kind}`);
  }
  const row = value as Record<string, unknown>;
  const problem = findProblem(row);
  if (problem !== undefined) return invalid(file, no, problem);
  const article = toArticle(row, `${file}:${no}`);
  const unknown = Object.keys(row).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) IGNORED.set(article, unknown);
  return article;
}

/** Fields of an article's row that bahth does not read (kept off the Article type). */
const IGNORED = new WeakMap<Article, string[]>();
function ignoredFieldsOf(article: Article): string[] {
  return IGNORED.get(article) ?? [];
}

/** A JSON value's kind, for messages: "a number", "an array", "null". */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Body text: a string, or its paragraphs as an array of strings (the shape /articles/:id gives). */
function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (Array.isArray(body) && body.every((p) => typeof p === 'string')) return body.join('\n');
  return undefined;
}

/** What makes a row unusable, in words, or undefined when it is a valid article. */
function findProblem(row: Record<string, unknown>): string | undefined {
  const { id, title, body, date } = row;
  if (id != null && typeof id !== 'string') return `id must be a string, not ${kindOf(id)}`;
  if (typeof id !== 'string' || id === '') return 'missing id (a non-empty string)';
  if (!ARTICLE_ID_PATTERN.test(id)) return `id ${JSON.stringify(id)} is not URL-safe ([A-Za-z0-9._:~-], at most 128)`;
  if (title != null && typeof title !== 'string') return `title must be a string, not ${kindOf(title)}`;
  if (typeof title !== 'string' || title.trim() === '') return 'missing or empty title';
  if (title.length > MAX_TITLE_CHARS) return `title longer than ${MAX_TITLE_CHARS} characters (${title.length.toLocaleString('en')}): the body in the title field?`;
  const text = bodyText(body);
  if (body != null && text === undefined) return `body must be a string or an array of paragraphs (strings), not ${kindOf(body)}`;
  if (text === undefined || text.trim() === '') return 'missing or empty body';
  if (text.length > MAX_BODY_CHARS) return `body longer than ${MAX_BODY_CHARS} characters`;
  if (date != null && (typeof date !== 'string' || !isIsoDate(date))) return `date ${JSON.stringify(date)} is not a date: expected ISO 8601, a day (2024-05-01) or a time (2024-05-01T10:00, its zone Z or +03:00 after it)`;
  for (const key of ['source', 'category', 'dataset', 'url', 'place']) {
    if (row[key] != null && typeof row[key] !== 'string') return `${key} must be a string, not ${kindOf(row[key])}`;
  }
  for (const key of ['sources', 'related']) {
    const list = row[key];
    if (list != null && !(Array.isArray(list) && list.every((t) => typeof t === 'string'))) return `${key} must be an array of strings`;
  }
  if (typeof row.url === 'string' && row.url.trim() !== '' && !isWebUrl(row.url.trim())) {
    return `url ${JSON.stringify(row.url.slice(0, 80))} is not an http: or https: URL`;
  }
  const { tags } = row;
  if (tags != null && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) {
    return 'tags must be an array of strings';
  }
  return undefined;
}

/**
 * Only web links: the url is served as each hit's link, and a `javascript:` or `data:` one
 * would run or show whatever it holds in a client that follows it.
 */
function isWebUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m || Number.isNaN(Date.parse(value))) return false;
  // Date.parse rolls 2023-02-31 over to March; the calendar day must exist as written.
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Builds the article from a row `findProblem` accepted. */
function toArticle(row: Record<string, unknown>, origin: string): Article {
  const text = (key: string): string | undefined => {
    const value = row[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const date = text('date');
  const source = text('source');
  // The eval passages name their dataset where news names a category; both are facets.
  const category = text('category') ?? text('dataset');
  const url = text('url');
  const place = text('place');
  const strings = (key: string) => (Array.isArray(row[key]) ? (row[key] as string[]).map((t) => t.trim()).filter(Boolean) : []);
  const tags = strings('tags');
  // `source` is the outlet; `sources` (as /articles/:id gives them) the outlet and the agencies.
  const sources = [...new Set([...(source === undefined ? [] : [source]), ...strings('sources')])];
  return {
    id: row.id as string,
    title: (row.title as string).trim(),
    body: bodyText(row.body)!.split('\n').map((p) => p.trim()).filter(Boolean),
    ...(date === undefined ? {} : { date }),
    sources,
    ...(place === undefined ? {} : { place }),
    ...(category === undefined ? {} : { category }),
    tags: [...new Set(tags)],
    related: [...new Set(strings('related'))],
    ...(url === undefined ? {} : { url }),
    origin,
  };
}

function checkUnique(
  article: Article,
  file: string,
  no: number,
  lineOfId: Map<string, number>,
  seenIds: Set<string> | undefined,
): Article | BahthError {
  const earlier = lineOfId.get(article.id);
  if (earlier !== undefined) return invalid(file, no, `duplicate id "${article.id}" (first on line ${earlier})`);
  if (seenIds?.has(article.id)) return invalid(file, no, `duplicate id "${article.id}" (already read from another file)`);
  lineOfId.set(article.id, no);
  seenIds?.add(article.id);
  return article;
}

function invalid(file: string, line: number, what: string, cause?: unknown): BahthError {
  return new BahthError('INPUT_INVALID', `${file}:${line}: ${what}`, { file, line }, cause);
}

function unreadable(file: string, what: string, line?: number, cause?: unknown): BahthError {
  const where = line === undefined ? file : `${file}:${line}`;
  return new BahthError('INPUT_UNREADABLE', `${where}: ${what}`, line === undefined ? { file } : { file, line }, cause);
}

/** Any failure of the streams themselves, named after the file it happened in. */
function asReadError(err: unknown, file: string): BahthError {
  if (err instanceof BahthError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return unreadable(file, `truncated or corrupt gzip (${message})`, undefined, err);
  }
  return unreadable(file, `read failed (${message})`, undefined, err);
}

function describeFsError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return `cannot open (${err instanceof Error ? err.message : String(err)})`;
}
