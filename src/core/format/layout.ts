/**
 * The index format shared by the builder and the Worker: KV key names, the shape of each
 * value, and the constants both sides must agree on. Bump FORMAT_VERSION on any change.
 */
import { hashTerm } from './hash';

export const FORMAT_VERSION = 1;

/** The one unversioned key: which index version is live. Writing it is the deploy. */
export const MANIFEST_KEY = 'manifest';

/** What `manifest` holds. */
export interface LiveManifest {
  format: number;
  version: string;
  publishedAt: string;
}

/** BM25 parameters used for the impacts stored in the postings. */
export interface Bm25Params {
  k1: number;
  b: number;
}

/** `v/<version>/meta`: everything the Worker needs to know about one index version. */
export interface IndexMeta {
  format: number;
  version: string;
  builtAt: string;
  flexsearch: { version: string; options: Record<string, unknown> };
  analyzer: string;
  bm25: Bm25Params;
  counts: {
    articles: number;
    /** Distinct index terms (stems, alternatives and filter terms). */
    terms: number;
    shards: number;
    keys: number;
    bytes: number;
  };
  /** Term shards: `2 ** shardBits` keys, a term's shard is the top bits of its hash. */
  shardBits: number;
  /** Terms too large to share a shard; each has its own key (see {@link bigTermKey}). */
  bigTerms: string[];
  /** Documents are numbered newest first; `days[i] = [day, firstDoc]`: docs from `firstDoc` on were published on `day` (days since 1970) or earlier. Undated docs come last, day -1. */
  days: [number, number][];
  /** Value tables for the per-document attributes. */
  sources: string[];
  categories: string[];
  /** Docs per attribute block and per cards block. */
  attrBlockSize: number;
  cardsBlockSize: number;
  /** Lexicon keys present, as `<first letter>/<length>`, for typo tolerance. */
  lexicon: string[];
  /** Two-letter prefixes that have completions (`sug/<prefix>` keys). */
  suggest: string[];
  /** FNV-1a of every value is stored in front of it; see {@link sealValue}. */
  checksum: 'fnv1a32';
}

/** `v/<version>/t/<n>` and big-term keys: term → [doc frequency, title postings, body postings]. */
export type TermEntry = [df: number, title: string, body: string];
export type TermShard = Record<string, TermEntry>;

/** `v/<version>/attr/<n>`: per doc of the block, its source and category as indexes into the meta tables (-1: none). */
export interface AttrBlock {
  source: string;
  category: string;
}

/** `v/<version>/sug/<two letters>`: completions as [normalized word, display spelling, titles using it]. */
export type SuggestEntry = [norm: string, display: string, count: number];

/** A result card: what a list of articles shows without loading each one. */
export interface Card {
  id: string;
  title: string;
  date?: string;
  sources: string[];
  category?: string;
  lead: string;
}

/** Prefix of every key of one index version. */
export function versionPrefix(version: string): string {
  return `v/${version}/`;
}

export const keys = {
  meta: (v: string) => `v/${v}/meta`,
  shard: (v: string, n: number) => `v/${v}/t/${n}`,
  bigTerm: (v: string, term: string) => bigTermKey(v, term),
  doc: (v: string, n: number) => `v/${v}/doc/${n}`,
  article: (v: string, id: string) => `v/${v}/article/${id}`,
  cards: (v: string, block: number) => `v/${v}/cards/${block}`,
  attr: (v: string, block: number) => `v/${v}/attr/${block}`,
  lexicon: (v: string, first: string, length: number) => `v/${v}/lex/${first}/${length}`,
  suggest: (v: string, prefix: string) => `v/${v}/sug/${prefix}`,
};

function bigTermKey(version: string, term: string): string {
  // The term itself may be long or odd; its hash plus a short readable prefix is enough.
  return `v/${version}/big/${hashTerm(term).toString(16).padStart(8, '0')}-${encodeURIComponent(term.slice(0, 24))}`;
}

/** Filter terms live in the same postings as words, under prefixes no analyzed word can have. */
export const filterTerm = {
  tag: (normalizedTag: string) => `#tag:${normalizedTag}`,
};

/** FNV-1a 32 of a string, as 8 hex digits. */
export function fnv1a(text: string): string {
  return hashTerm(text).toString(16).padStart(8, '0');
}

/** Prefixes a value with its checksum so a truncated or corrupt value is caught on read. */
export function sealValue(json: string): string {
  return `${fnv1a(json)}:${json}`;
}

/** Returns the JSON text of a sealed value, or `undefined` when it does not match its checksum. */
export function unsealValue(sealed: string): string | undefined {
  const sep = sealed.indexOf(':');
  if (sep !== 8) return undefined;
  const json = sealed.slice(9);
  return fnv1a(json) === sealed.slice(0, 8) ? json : undefined;
}

/** Days since 1970-01-01 of an ISO date, or -1. */
export function dayOf(isoDate: string | undefined): number {
  if (!isoDate) return -1;
  const t = Date.parse(isoDate);
  return Number.isNaN(t) ? -1 : Math.floor(t / 86_400_000);
}
