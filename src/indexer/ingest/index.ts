/**
 * Ingest: every input path (files or folders) → validated articles with ids unique across all
 * of them. Build time only; the Worker never imports this.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Article } from '../../core/article';
import { BahthError } from '../../core/errors';
import { isUtf16, nothingToRead, readJsonl, UTF16_TEXT } from './jsonl';
import { parseSeedPage } from './seed-page';

export { parseSeedPage } from './seed-page';
export { readJsonl, ARTICLE_FIELDS, type JsonlOptions } from './jsonl';
import { ARTICLE_FIELDS } from './jsonl';

export interface ReadArticlesOptions {
  /** Skip invalid rows, pages and duplicate ids (reporting each to `onSkip`) instead of throwing. */
  skipInvalid?: boolean;
  onSkip?: (err: BahthError) => void;
  /** Called before each file is read, e.g. to show progress. */
  onFile?: (file: string) => void;
  /** Called once per JSONL file for each field a row has that bahth does not read (see IgnoredFields). */
  onIgnored?: (field: string, origin: string) => void;
  /** Called for each file in an input folder that is not read (its type, or a link already followed). */
  onIgnoredFile?: (path: string, why: string) => void;
}

const SUPPORTED = ['.txt', '.jsonl', '.jsonl.gz'];

/**
 * Streams the articles of seed pages (`.txt`) and JSONL files (`.jsonl`, `.jsonl.gz`), folders
 * expanded recursively in name order.
 *
 * @example for await (const article of readArticles(['seeds', '../shared/corpus'])) …
 */
export async function* readArticles(paths: string[], options: ReadArticlesOptions = {}): AsyncGenerator<Article> {
  // Listing everything first makes a mistyped path fail before any work is done.
  const files = await listInputFiles(paths, options.onIgnoredFile);
  const originOfId = new Map<string, string>();
  for (const file of files) {
    options.onFile?.(file);
    try {
      for await (const article of readInputFile(file, options)) {
        const first = originOfId.get(article.id);
        if (first === undefined) {
          originOfId.set(article.id, article.origin);
          yield article;
        } else {
          skipOrThrow(duplicateId(article, first, file), options);
        }
      }
    } catch (err) {
      // A file with nothing to read (empty, only boilerplate) is one bad input among many.
      if (err instanceof BahthError && err.details.skippable === true) skipOrThrow(err, options);
      else throw err;
    }
  }
}

/**
 * The input files that `paths` name, in reading order. Folders are read recursively, links
 * followed (each folder and file once: a link loop ends); a file of another type in a folder is
 * passed to `onIgnored`, and so is a hidden one.
 */
export async function listInputFiles(paths: string[], onIgnored: (path: string, why: string) => void = () => {}): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch((err: unknown) => {
      const code = (err as NodeJS.ErrnoException).code;
      throw unreadable(path, code === 'ELOOP' ? 'a link that leads back to itself' : code === 'EACCES' ? 'no permission to read it' : 'no such file or directory', err);
    });
    if (info.isDirectory()) files.push(...(await listFolder(path, seen, onIgnored)));
    else if (isSupported(path)) files.push(path);
    else throw unreadable(path, `unsupported file type (expected ${SUPPORTED.join(', ')})`);
  }
  return files;
}

/** Supported files under `folder`, sorted by name at every level. */
async function listFolder(folder: string, seen: Set<string>, onIgnored: (path: string, why: string) => void): Promise<string[]> {
  const real = await realpath(folder);
  if (seen.has(real)) {
    onIgnored(folder, 'a folder already read (a link to it)');
    return [];
  }
  seen.add(real);
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.name.startsWith('.')) {
      onIgnored(path, 'hidden');
      continue;
    }
    // A link is what it leads to; a broken one or a loop is named.
    const info = entry.isSymbolicLink() ? await stat(path).catch(() => undefined) : entry;
    if (!info) onIgnored(path, 'a link that leads nowhere (or back to itself)');
    else if (info.isDirectory()) files.push(...(await listFolder(path, seen, onIgnored)));
    else if (!info.isFile()) onIgnored(path, 'not a file');
    else if (!isSupported(entry.name)) onIgnored(path, `not ${SUPPORTED.join(', ')}`);
    else {
      const file = await realpath(path);
      if (seen.has(file)) onIgnored(path, 'a file already read (a link to it)');
      else {
        seen.add(file);
        files.push(path);
      }
    }
  }
  return files;
}

/** The file types read, whatever their letters' case (.JSONL from Windows tools). */
function isSupported(path: string): boolean {
  const lower = path.toLowerCase();
  return SUPPORTED.some((ext) => lower.endsWith(ext));
}

async function* readInputFile(file: string, options: ReadArticlesOptions): AsyncGenerator<Article> {
  if (file.toLowerCase().endsWith('.txt')) yield* await readSeedFile(file, options);
  else yield* readJsonl(file, { skipInvalid: options.skipInvalid, onSkip: options.onSkip, onIgnored: options.onIgnored });
}

async function readSeedFile(file: string, options: ReadArticlesOptions): Promise<Article[]> {
  const text = await readSeedText(file);
  let articles: Article[];
  try {
    articles = parseSeedPage(text, file);
  } catch (err) {
    // A page that does not parse is one bad input, like a bad JSONL row.
    if (!(err instanceof BahthError) || err.code !== 'INPUT_INVALID') throw err;
    skipOrThrow(err, options);
    return [];
  }
  if (articles.length === 0) throw nothingToRead(file, 'no story text (only boilerplate)');
  return articles;
}

/** A seed page's text; binary, mis-encoded or empty files are refused by name. */
async function readSeedText(file: string): Promise<string> {
  const bytes = await readFile(file).catch((err: unknown) => {
    throw unreadable(file, 'cannot be read', err);
  });
  if (isUtf16(bytes)) throw unreadable(file, UTF16_TEXT);
  if (bytes.includes(0)) throw unreadable(file, 'binary content (NUL byte), not a text page');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (err) {
    throw new BahthError('INPUT_UNREADABLE', `${file}:${lineOfBadUtf8(bytes)}: not valid UTF-8`, { file, line: lineOfBadUtf8(bytes) }, err);
  }
  if (text.trim() === '') throw nothingToRead(file);
  return text;
}

/** The line (1-based) of the first byte sequence that is not UTF-8. */
function lineOfBadUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    try {
      decoder.decode(bytes.subarray(start, i));
    } catch {
      return line;
    }
    line++;
    start = i + 1;
  }
  return line;
}

function unreadable(file: string, what: string, cause?: unknown): BahthError {
  return new BahthError('INPUT_UNREADABLE', `${file}: ${what}`, { file }, cause);
}

/** Names both places an id was read from; `origin` is "file:line" for JSONL rows. */
function duplicateId(article: Article, firstOrigin: string, file: string): BahthError {
  const line = Number(article.origin.slice(file.length + 1)) || undefined;
  const same = firstOrigin === article.origin;
  // A page's id is its file name: two folders with a page.txt each clash.
  const why = same ? ': the same file given twice?' : file.toLowerCase().endsWith('.txt') && firstOrigin.toLowerCase().endsWith('.txt') ? ': a page\'s id is its file name, so pages of one name in two folders clash; rename one' : '';
  const message = `${article.origin}: duplicate id "${article.id}" (first read from ${firstOrigin})${why}`;
  const details = { file, ...(line === undefined ? {} : { line }), id: article.id, firstOrigin };
  return new BahthError('INPUT_INVALID', message, details);
}

function skipOrThrow(err: BahthError, options: ReadArticlesOptions): void {
  if (!options.skipInvalid) throw err;
  options.onSkip?.(err);
}

/**
 * Counts articles dated after tomorrow (a typo in the year, 2081 for 2018, or an embargo) and
 * says so, naming the first: they sort first by date, and the recency prior counts them as the
 * newest (it measures age from the newest date up to the archive's publication).
 */
export class FutureDates {
  private readonly tomorrow = Date.now() + 86_400_000;
  private count = 0;
  private first = '';
  private old = 0;
  private firstOld = '';

  add(article: Pick<Article, 'date' | 'origin'>): void {
    if (!article.date) return;
    const t = Date.parse(article.date);
    // Days are counted from 1970 (layout.ts dayOf); one before is stored as undated.
    if (t < 0 && this.old++ === 0) this.firstOld = `${article.origin ?? '?'} (${article.date})`;
    if (!(t > this.tomorrow)) return;
    if (this.count++ === 0) this.first = `${article.origin ?? '?'} (${article.date})`;
  }

  /** The line to log, or undefined when no article is dated after tomorrow or before 1970. */
  message(): string | undefined {
    const lines: string[] = [];
    if (this.count) lines.push(`${this.count} article(s) dated after tomorrow, first ${this.first}: a typo in the year? They sort first by date, and the recency prior counts them as the newest (it measures age from the newest date up to the publication)`);
    if (this.old) lines.push(`${this.old} article(s) dated before 1970, first ${this.firstOld}: the index counts days from 1970, so they are searched as undated (no year facet, last by date, the recency prior's mean)`);
    return lines.length ? lines.join('\n') : undefined;
  }
}

/**
 * Collects the fields rows have that bahth does not read (a misspelt `autor`, a field of another
 * tool) and says so once, naming where each was first seen: a field dropped in silence is data
 * the reader expected to find.
 */
export class IgnoredFields {
  private readonly first = new Map<string, string>();

  readonly add = (field: string, origin: string): void => {
    if (!this.first.has(field)) this.first.set(field, origin);
  };

  /** The line to log, or undefined when every field was read. */
  message(): string | undefined {
    if (this.first.size === 0) return undefined;
    const named = [...this.first].slice(0, 8).map(([f, at]) => `${JSON.stringify(f)} (first at ${at})`);
    const more = this.first.size > 8 ? ` and ${this.first.size - 8} more` : '';
    return `ignored field(s) ${named.join(', ')}${more}: bahth reads ${ARTICLE_FIELDS.join(', ')}`;
  }
}
