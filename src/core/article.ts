/** One news story, as ingested at build time and served by `GET /articles/:id`. */
export interface Article {
  /** Stable, URL-safe identifier (`[A-Za-z0-9._:-]`, at most 128 characters). */
  id: string;
  title: string;
  /** Body paragraphs in reading order; boilerplate removed, nothing of the story lost. */
  body: string[];
  /** Publication date as ISO 8601 (`2023-12-10` or a full timestamp), when the source states one. */
  date?: string;
  /** Outlet(s) or agencies credited for the story. */
  sources: string[];
  /** Dateline place ("موسكو", "بكين"), when the story opens with one. */
  place?: string;
  category?: string;
  tags: string[];
  /** Titles of related stories listed with it ("مقالات مشابهة"). */
  related: string[];
  /** Original URL, when known. */
  url?: string;
  /** File (and line, for JSONL) the article was read from. */
  origin: string;
}

/** Characters allowed in an article id; ids are used as URL path segments and KV key parts. */
export const ARTICLE_ID_PATTERN = /^[A-Za-z0-9._:~-]{1,128}$/;
