/**
 * The index format shared by the builder and the Worker: KV key names, the shape of each
 * value, and the constants both sides must agree on. Bump FORMAT_VERSION on any change.
 */
import { Buffer } from 'node:buffer';
import { deflateSync, inflateSync } from 'node:zlib';
import { VarintReader, VarintWriter } from './codec';
import { hashTerm } from './hash';

export const FORMAT_VERSION = 8;
/**
 * Formats this code reads: 8 (big terms, a large segment's shards and the manifest stored
 * deflated, see {@link sealValue}), 7 (packed posting codes, codec.ts; values sealed by their UTF-8 bytes) and
 * 6 (codes as they are; values sealed over UTF-16 code units), whose lists and seals each tell
 * themselves apart. It writes 8.
 */
export const READABLE_FORMATS: readonly number[] = [6, 7, 8];

/** The one index key that changes: the live archive (see manifest.ts). Writing it is the publish. */
export const MANIFEST_KEY = 'manifest';

/** Keys of the editor's settings (`settings/synonyms`, `settings/rules`): rewritten by each publish of them. */
export const SETTINGS_PREFIX = 'settings/';

/** True for a key whose value changes (the manifest, the settings): never cached at KV locations for long. */
export function isMutableKey(key: string): boolean {
  return key === MANIFEST_KEY || key.startsWith(SETTINGS_PREFIX);
}

/**
 * `s/<segment>/t/<n>` and big-term keys: term → [doc frequency, title postings, body postings,
 * attribute codes, title words, known spellings?].
 *
 * The attribute codes are those of the docs of the title postings then of the body postings,
 * in posting order, as fixed-width digits ({@link encodeFixed}, `attributeWidth` each): facets
 * and source/category filters learn their candidates' codes from the terms they loaded anyway,
 * and only when a query asks for them (decoding postings does not touch them).
 *
 * The title words are, for each title posting in order, how many distinct words (plain stems)
 * the doc's title has, as one digit (capped at {@link MAX_TITLE_WORDS}): the ranker tells a
 * query that names a doc's whole title (ما عاصمة سويسرا for the article سويسرا) without
 * reading the doc.
 *
 * The spellings list, for a plain stem, the words in the archive that stem to it, each as a
 * 4-character hash ({@link spellingCode}): a query word is known to be a real word at no extra
 * read, and only an unknown one costs a look into the typo lexicon. The spellings in use (found
 * in at least {@link spellingInUseDf} documents) come first, `inUse` of them (omitted: none):
 * a rare spelling of a word searched alone may be a typo the archive itself made (ماركون for
 * ماكرون), and is worth that look.
 */
export type TermEntry = [df: number, title: string, body: string, attributes: string, titleWords: string, spellings?: string, inUse?: number, rest?: TierRest];

/**
 * A big term's tier B (see build/tiers.ts): how many body postings it holds, all of one
 * occurrence in a body of at least `length` (a length code): what bounds their scores.
 * `titled`: none is of a doc whose title has the term (tier A holds all of such a doc's
 * postings; written since 2026-12-05, a third field `1`: an older tier B may hold them).
 */
export interface TierRest {
  postings: number;
  length: number;
  titled?: boolean;
}

/** Title word counts are stored as one digit: a longer title counts as this many words. */
export const MAX_TITLE_WORDS = 63;

/** 24-bit hash of a normalized word as 4 characters of {@link ATTR_ALPHABET}. */
export function spellingCode(norm: string): string {
  return encodeFixed([hashTerm(norm) & 0xffffff], SPELLING_CODE_LENGTH);
}

/** Characters of one spelling code. */
export const SPELLING_CODE_LENGTH = 4;

/**
 * Documents a spelling must be in to be "in use" (see TermEntry): 20, or one in 2,000 of a
 * larger archive's documents. A rarer one is checked for a far commoner reading when it is
 * searched alone.
 */
export function spellingInUseDf(docCount: number): number {
  return Math.max(20, Math.ceil(docCount / 2000));
}

/** True when a spellings string (concatenated codes) holds a word's code. */
export function hasSpelling(spellings: string | undefined, norm: string): boolean {
  return spellingRank(spellings, norm) >= 0;
}

/** Position of a word's code in a spellings string (in use first, see TermEntry), or -1. */
export function spellingRank(spellings: string | undefined, norm: string): number {
  if (!spellings) return -1;
  const code = spellingCode(norm);
  for (let i = 0; i < spellings.length; i += SPELLING_CODE_LENGTH) if (spellings.startsWith(code, i)) return i / SPELLING_CODE_LENGTH;
  return -1;
}
export type TermShard = Record<string, TermEntry>;

/**
 * A term shard as text: one line per term, its fields tab-separated (`term df title body
 * attributes titleWords [spellings [inUse]]`). A third smaller than the same as JSON, which
 * matters most where a cold query reads a shard for the two or three entries it needs.
 *
 * `asciiTerms` writes a term that is not ASCII as {@link ESCAPED_TERM} and its
 * `encodeURIComponent`, so that the whole value is ASCII: a big term's value (one line, its
 * postings ASCII already) then decodes from UTF-8 at a third of the cost of mixed text (a
 * deflated value is decoded by the reader, format 8), and makes a one-byte string.
 */
export function encodeShard(shard: TermShard, asciiTerms = false): string {
  let out = '';
  for (const [term, e] of Object.entries(shard)) {
    const name = asciiTerms && /[^\x00-\x7f]/.test(term) ? ESCAPED_TERM + encodeURIComponent(term) : term.replace(/[\t\n]/g, ' ');
    out += `${name}\t${e[0]}\t${e[1]}\t${e[2]}\t${e[3]}\t${e[4]}`;
    if (e[7]) out += `\t${e[5] ?? ''}\t${e[6] ?? 0}\t${e[7].postings},${e[7].length}${e[7].titled ? ',1' : ''}`;
    else if (e[5] !== undefined) out += `\t${e[5]}${e[6] ? `\t${e[6]}` : ''}`;
    out += '\n';
  }
  return out;
}

/** Marks a term written escaped (see {@link encodeShard}): a control character, which no analyzed word or tag holds. */
export const ESCAPED_TERM = '\u0001';

/** The term a shard line's first field names (unescaped when {@link encodeShard} escaped it); throws a RangeError on a broken escape. */
export function shardTerm(field: string): string {
  if (field.charCodeAt(0) !== 1) return field;
  try {
    return decodeURIComponent(field.slice(1));
  } catch {
    throw new RangeError('a shard line\'s escaped term is malformed');
  }
}

/** Reads what {@link encodeShard} wrote; throws a RangeError on a malformed line. */
export function decodeShard(text: string): TermShard {
  const out: TermShard = {};
  let at = 0;
  while (at < text.length) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const f = text.slice(at, end).split('\t');
    at = end + 1;
    if (f.length < 6 || f.length > 9) throw new RangeError(`a shard line has ${f.length} fields`);
    const term = shardTerm(f[0]!);
    const df = Number(f[1]);
    if (!Number.isInteger(df)) throw new RangeError(`term ${term} has a bad df`);
    const e: TermEntry = [df, f[2]!, f[3]!, f[4]!, f[5]!];
    if (f[6] !== undefined) e.push(f[6]);
    if (f[7] !== undefined) e.push(Number(f[7]));
    if (f[8] !== undefined) {
      const [postings, length, titled, ...more] = f[8].split(',').map(Number);
      if (!Number.isInteger(postings) || !Number.isInteger(length) || (titled !== undefined && titled !== 1) || more.length > 0) throw new RangeError(`term ${term} has a bad tier`);
      e.push(titled === 1 ? { postings: postings!, length: length!, titled: true } : { postings: postings!, length: length! });
    }
    out[term] = e;
  }
  return out;
}

/** Alphabet of fixed-width digits (base 64, URL-safe, JSON-safe). */
export const ATTR_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';

/** Digits a fixed-width value needs to hold values below `count`. */
export function fixedWidth(count: number): number {
  return Math.max(1, Math.ceil(Math.log2(Math.max(2, count)) / 6));
}

/** Writes small integers as fixed-width base-64 digits. */
export function encodeFixed(values: ArrayLike<number>, width: number): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    let v = values[i]!;
    let digits = '';
    for (let w = 0; w < width; w++) {
      digits = ATTR_ALPHABET[v & 63]! + digits;
      v >>= 6;
    }
    out += digits;
  }
  return out;
}

const DIGIT_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ATTR_ALPHABET.length; i++) DIGIT_VALUE[ATTR_ALPHABET.charCodeAt(i)] = i;

/** Reads the value at position `at` of a fixed-width string ({@link encodeFixed}); -1 for a character outside the alphabet. */
export function readFixed(text: string, at: number, width: number): number {
  let v = 0;
  for (let w = 0; w < width; w++) {
    const d = DIGIT_VALUE[text.charCodeAt(at * width + w)] ?? -1;
    if (d < 0) return -1;
    v = (v << 6) | d;
  }
  return v;
}

/**
 * `s/<segment>/g/<two letters>`: completions as [normalized word, display spelling, titles using
 * it, and (since build revision 17, when any) the stems of the content words titles put right
 * before it, each with the titles that do, most first (the segment's {@link BEFORE_KEPT}
 * likeliest), as one string `stem titles stem titles …`: a reader looks one stem up in it, and
 * JSON.parse makes no array of each]. Counts are net (a delta's may be negative); a reader sums
 * them over the segments.
 */
export type SuggestEntry = [norm: string, display: string, count: number, before?: string];

/** Words before a completion kept in its entry, per segment (the likeliest; vocabulary.ts). */
export const BEFORE_KEPT = 8;

/** The titles an entry's words before (`stem titles …`) give a stem: 0 when it is not among them. */
export function titlesAfter(before: string | undefined, stem: string): number {
  if (!before) return 0;
  // Counts are digits (a minus before a delta's), and no stem is digits alone: ' stem ' is a stem.
  const at = ` ${before} `.indexOf(` ${stem} `);
  if (at < 0) return 0;
  const from = at + stem.length + 1;
  const end = before.indexOf(' ', from);
  return Number(before.slice(from, end < 0 ? undefined : end));
}

/** An entry's words before as pairs (`stem titles …` read). */
export function beforePairs(before: string | undefined): [string, number][] {
  if (!before) return [];
  const parts = before.split(' ');
  const out: [string, number][] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) out.push([parts[i]!, Number(parts[i + 1])]);
  return out;
}

/** Pairs written as an entry's words before: `stem titles …`. */
export function beforeText(pairs: Iterable<[string, number]>): string {
  return [...pairs].map(([b, n]) => `${b} ${n}`).join(' ');
}

/** A result card: what a list of articles shows without loading each one. */
export interface Card {
  id: string;
  title: string;
  date?: string;
  sources: string[];
  category?: string;
  lead: string;
}

/** A card's title line (keys.cardTitles): its id, title and date ('' for none). */
export type TitleLine = [id: string, title: string, date: string];

/**
 * Key names. Everything but `manifest`, the settings and `m/<archive>/left` (rewritten by each
 * switch that takes the archive out of service: src/indexer/prune.ts) is written once and never
 * changed: a segment's keys under `s/<segment>/`, an article under `a/<archive>/d/<doc>`, each
 * manifest published kept as `m/<archive>/<generation>` (for `--list` and `--rollback`).
 */
export const keys = {
  /** A copy of each manifest published. */
  manifestCopy: (archive: string, generation: number) => `m/${archive}/${generation}`,
  /** The article of a doc number (doc numbers are never reused). */
  doc: (archive: string, doc: number) => `a/${archive}/d/${doc}`,
  /** What every article key of an archive begins with. */
  docPrefix: (archive: string) => `a/${archive}/d/`,
  shard: (segment: string, n: number) => `s/${segment}/t/${n}`,
  bigTerm: (segment: string, term: string) => `s/${segment}/b/${hashTerm(term).toString(16).padStart(8, '0')}-${encodeURIComponent(term.slice(0, 24))}`,
  /** A big term's tier B (see TierRest). */
  bigRest: (segment: string, term: string) => `${keys.bigTerm(segment, term)}/2`,
  /**
   * A big term's title postings alone (SegmentMeta.bigTitles), for search as you type: a
   * twentieth of the big term's bytes at a million articles.
   */
  bigTitles: (segment: string, term: string) => `${keys.bigTerm(segment, term)}/t`,
  cards: (segment: string, block: number) => `s/${segment}/c/${block}`,
  /** The same block's titles alone (`[id, title, date]` or null a card, SegmentMeta.cardTitles), for search as you type. */
  cardTitles: (segment: string, block: number) => `s/${segment}/c/${block}/t`,
  /**
   * Each doc's attribute code (source × category, the manifest's `tables.attributes`), fixed
   * width, `SegmentMeta.attributeBlock` docs a key: what a filtered or faceted `/articles`
   * listing reads (a search learns its candidates' codes from their terms instead).
   */
  attributes: (segment: string, block: number) => `s/${segment}/a/${block}`,
  /** Typo lexicon of a large segment by first letter and length; `lexiconAll` for a small one. */
  lexicon: (segment: string, first: string, length: number) => `s/${segment}/x/${first}/${length}`,
  lexiconAll: (segment: string) => `s/${segment}/x`,
  /** Completions of a large segment by two-letter prefix; `suggestAll` for a small one. */
  suggest: (segment: string, prefix: string) => `s/${segment}/g/${prefix}`,
  suggestAll: (segment: string) => `s/${segment}/g`,
  /** Id → doc lookup shard of a large segment. */
  ids: (segment: string, n: number) => `s/${segment}/i/${n}`,
  /** A large segment's lexicon keys and completion prefixes (read by a merge, never by a query). */
  keyIndex: (segment: string) => `s/${segment}/k`,
  /**
   * A base's words seen in one doc only, by first letter and length: queries never read them;
   * a publish does, to count a word that a delta brings to two docs (see publish.ts).
   */
  singles: (segment: string, first: string, length: number) => `s/${segment}/y/${first}/${length}`,
};

/** The prefix of every key of a segment. */
export function segmentPrefix(segment: string): string {
  return `s/${segment}/`;
}

/** The prefix of every article of an archive. */
export function archivePrefix(archive: string): string {
  return `a/${archive}/`;
}

/** Id-lookup shard of an article id for `2 ** bits` shards. */
export function idShardOf(id: string, bits: number): number {
  return bits <= 0 ? 0 : hashTerm(id) >>> (32 - bits);
}

/** Filter terms live in the same postings as words, under prefixes no analyzed word can have. */
export const filterTerm = {
  tag: (normalizedTag: string) => `#tag:${normalizedTag}`,
};

/** FNV-1a 32 of a string, as 8 hex digits. */
export function fnv1a(text: string): string {
  return hashTerm(text).toString(16).padStart(8, '0');
}

/** The first character of a deflated value (see {@link sealValue}): no checksum's hex digit. */
const DEFLATED = '~';
/** Texts shorter than this (characters) are stored as they are even when deflating is asked: it saves little. */
export const DEFLATE_FROM = 256;
/** The most a deflated value may inflate to: four times KV's largest value (a corrupt or hostile one stops here). */
const MAX_INFLATED = 100 * 1024 * 1024;

/**
 * The value stored for a text, so that a truncated or corrupt value is caught on read:
 * `<8 hex digits>;<text>`, the digits {@link utf8Checksum} of the text; or, with `deflate` (and a
 * text of {@link DEFLATE_FROM} characters or more, when that is smaller), `~` and the base64 of
 * its zlib stream, whose structure and Adler-32 catch a changed or cut value. Values stay text
 * (platform.md: wrangler's local bulk put corrupts binary ones).
 *
 * Which values are deflated is the writers' choice (format 8): those every query reads and that
 * grow with the archive, whose bytes decide a cold query's at a million articles: big terms'
 * postings (ASCII, so cheap to decode), the term shards of a segment whose shard count is at its
 * cap (see {@link sealShard}), and the manifest. The rest (articles, typo lexicon, cards,
 * completions, the shards of a smaller segment: Arabic text, read whole for the line or two a
 * query uses) stay as they are: inflating and decoding them cost a cold query more CPU than their
 * bytes are worth (paired on the corpus: 1.24× for ordinary queries and 1.35× for hostile ones when
 * every value of 256 characters or more was deflated, for 46 KB read, not 57; 1.07–1.16× when its
 * shards of 16 KB or more were).
 */
export function sealValue(text: string, deflate = false): string {
  if (deflate && text.length >= DEFLATE_FROM) {
    const bytes = utf8.encode(text);
    const z = deflateSync(bytes, { level: 6 });
    const packed = DEFLATED + Buffer.from(z.buffer, z.byteOffset, z.byteLength).toString('base64');
    if (packed.length < bytes.length + 9) return packed;
  }
  return `${utf8Checksum(text, 0).hash.toString(16).padStart(8, '0')};${text}`;
}

/**
 * A term shard's value: deflated when its segment's shard count is at its cap (2^16, segment-
 * writer.ts), where shards no longer stay near their target size but grow with the archive (about
 * 20 KB each at a million articles, 80 KB at ten million); a smaller segment's shards stay plain.
 */
export function sealShard(text: string, atCap: boolean): string {
  return sealValue(text, atCap);
}

/** Returns the JSON text of a sealed value, or `undefined` when it does not match its checksum. */
export function unsealValue(sealed: string): string | undefined {
  return checkSealed(sealed)?.json;
}

/**
 * {@link unsealValue}, and the value's UTF-8 size (what KV stores and a read transfers), in one
 * pass over it. Three forms are read: deflated (`~base64`, written since format 8), `hex;text`
 * ({@link utf8Checksum}, written since 2026-12-04) and `hex:text` (FNV-1a over UTF-16 code units,
 * {@link fnv1a}, which archives built before then hold). The hash runs over the sealed text from
 * its tenth character on, without copying it out first.
 */
export function checkSealed(sealed: string): { json: string; bytes: number } | undefined {
  if (sealed.charCodeAt(0) === 0x7e) return inflateValue(sealed);
  if (sealed.length < 9) return undefined;
  const mark = sealed.charCodeAt(8);
  if (mark !== 0x3b && mark !== 0x3a) return undefined;
  const hex = sealed.slice(0, 8);
  if (!/^[0-9a-f]{8}$/.test(hex)) return undefined;
  const want = Number.parseInt(hex, 16);
  if (mark === 0x3b) {
    const { hash, bytes } = utf8Checksum(sealed, 9);
    return hash === want ? { json: sealed.slice(9), bytes: bytes + 9 } : undefined;
  }
  let h = 0x811c9dc5;
  let bytes = sealed.length;
  for (let i = 9; i < sealed.length; i++) {
    const c = sealed.charCodeAt(i);
    h = Math.imul(h ^ c, 0x01000193);
    if (c >= 0x80) bytes += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return h >>> 0 === want ? { json: sealed.slice(9), bytes } : undefined;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A deflated value's text, or undefined when its zlib stream or its UTF-8 is broken. The base64
 * is decoded natively (Node and workerd skip a character outside the alphabet, which shifts every
 * bit after it: the stream's structure or its Adler-32 then fails).
 */
function inflateValue(sealed: string): { json: string; bytes: number } | undefined {
  try {
    return { json: utf8Strict.decode(inflateSync(Buffer.from(sealed.slice(1), 'base64'), { maxOutputLength: MAX_INFLATED })), bytes: sealed.length };
  } catch {
    return undefined;
  }
}

/** UTF-16 code units encoded per step of {@link utf8Checksum} (a pair of surrogates is never split). */
const CHECKSUM_CHUNK = 16_384;
const utf8 = new TextEncoder();
/** The bytes of one step: at most 3 per code unit. Little-endian words are read over them. */
const chunkBytes = new Uint8Array(3 * CHECKSUM_CHUNK + 4);
const chunkWords = new Int32Array(chunkBytes.buffer);
/** Whether this machine reads the words little-endian (every platform bahth runs on does). */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * The checksum of a value's seal, and its UTF-8 size: the text from `from` on, encoded to UTF-8
 * by the platform's TextEncoder in steps of 16,384 code units, each step's bytes taken as
 * little-endian 32-bit words (its last 0–3 bytes one by one) through FNV-1a's multiply and an
 * xorshift that folds the high bits down. Native encoding and a quarter of the steps made it
 * 3–5× quicker than FNV-1a over the code units (the `:` seal), which cost a cold query as much
 * as decoding what it read. Each step is a bijection of the state, so any one changed word
 * changes the sum.
 */
export function utf8Checksum(text: string, from: number): { hash: number; bytes: number } {
  let h = 0x811c9dc5;
  let bytes = 0;
  for (let at = from; at < text.length; ) {
    let end = Math.min(text.length, at + CHECKSUM_CHUNK);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    const { written } = utf8.encodeInto(at === 0 && end === text.length ? text : text.slice(at, end), chunkBytes);
    const words = written >> 2;
    if (LITTLE_ENDIAN) {
      for (let i = 0; i < words; i++) {
        h = Math.imul(h ^ chunkWords[i]!, 0x01000193);
        h ^= h >>> 13;
      }
    } else {
      for (let i = 0; i < words; i++) {
        const b = i << 2;
        h = Math.imul(h ^ (chunkBytes[b]! | (chunkBytes[b + 1]! << 8) | (chunkBytes[b + 2]! << 16) | (chunkBytes[b + 3]! << 24)), 0x01000193);
        h ^= h >>> 13;
      }
    }
    for (let i = words << 2; i < written; i++) {
      h = Math.imul(h ^ chunkBytes[i]!, 0x01000193);
      h ^= h >>> 13;
    }
    bytes += written;
    at = end;
  }
  h = Math.imul(h ^ bytes, 0x01000193);
  return { hash: (h ^ (h >>> 13)) >>> 0, bytes };
}

/** Days since 1970-01-01 of an ISO date, or -1. */
export function dayOf(isoDate: string | undefined): number {
  if (!isoDate) return -1;
  const t = Date.parse(isoDate);
  return Number.isNaN(t) ? -1 : Math.floor(t / 86_400_000);
}

/**
 * Writes the days table compactly (it is most of the meta, which every cold isolate reads):
 * the number of runs, then per run the change of day and of first doc from the run before, as
 * varints (the day's change zigzag-coded), so a run costs two or three characters, not 13.
 */
export function encodeDays(runs: [day: number, firstDoc: number][]): string {
  const w = new VarintWriter();
  w.write(runs.length);
  let day = 0;
  let doc = 0;
  for (const [d, first] of runs) {
    const change = d - day;
    w.write(change >= 0 ? 2 * change : -2 * change - 1);
    w.write(first - doc);
    day = d;
    doc = first;
  }
  return w.toString();
}

/** Reads what {@link encodeDays} wrote. */
export function decodeDays(text: string): [day: number, firstDoc: number][] {
  const runs: [number, number][] = [];
  forEachDay(text, (day, doc) => { runs.push([day, doc]); });
  return runs;
}

/** A days table's characters: the varint alphabet (codec.ts), nothing else. */
const DAYS_TEXT = /^[0-9A-Za-z_-]*$/;
/** A table ending in a varint's continuing character (digits 32–63): its last number is cut off. */
const ENDS_CONTINUING = /[W-Za-z_-]$/;

/**
 * What is wrong with a days table's shape, or undefined: found without decoding a run, by one
 * native regular-expression test and a few characters read, so that a fresh isolate refuses a
 * manifest whose table is not varint text, has no run count, has fewer characters than its
 * count of runs needs, or ends inside a number (and keeps serving the version it has), while
 * the runs themselves are decoded by the first query that needs dates. What only decoding finds
 * (characters after the last run, runs past the segment's docs) is found then, and called
 * corrupt too. (Counting the table's numbers by a global `replace` cost a fresh isolate 0.4-4 ms
 * at 1M articles: its regular expression runs interpreted the first time.)
 */
export function daysTableProblem(text: string): string | undefined {
  if (!DAYS_TEXT.test(text)) return 'a character outside the varint alphabet';
  let count: number;
  try {
    count = new VarintReader(text).read();
  } catch {
    return 'no run count';
  }
  // Each run is two numbers of one character at least.
  if (text.length < 1 + 2 * count) return `${text.length} characters, too few for ${count} runs`;
  if (ENDS_CONTINUING.test(text)) return 'cut off in its last number';
  return undefined;
}

/** Calls `f` with each run of a days table (as {@link decodeDays} reads them, without a pair per run); returns the number of runs. */
export function forEachDay(text: string, f: (day: number, firstDoc: number) => void): number {
  const r = new VarintReader(text);
  const count = r.read();
  let day = 0;
  let doc = 0;
  for (let i = 0; i < count; i++) {
    const z = r.read();
    day += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
    doc += r.read();
    f(day, doc);
  }
  if (!r.done) throw new RangeError('trailing characters after the days table');
  return count;
}
