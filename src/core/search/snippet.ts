/**
 * Highlighting on the original text: the analyzer keeps every word's offsets, so a `<mark>`
 * wraps the word as written, harakat and clitics included (وبوتين whole for بوتين), and never
 * splits a letter from its diacritic. Text is escaped before marks go in.
 */
import { ALT_MARK, codesToString, compoundHead, scanWords, type WordVisitor } from '../analyzer/index';
import { HEADS, Matcher, signature } from './matcher';
import { planQuery } from './plan';
import { expansionWords } from './synonyms';
import type { SynonymTable } from '../settings/synonyms';

export { Matcher } from './matcher';

/** A highlighted piece of text: HTML with `<mark>`, the plain text, and the marks as offsets into it. */
export interface Highlighted {
  html: string;
  text: string;
  marks: [number, number][];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const NEEDS_ESCAPE = /[&<>"']/;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  // Most Arabic text has nothing to escape: tested first, it is returned as is.
  return NEEDS_ESCAPE.test(text) ? text.replace(/[&<>"']/g, (c) => ESCAPES[c]!) : text;
}

/** Marks in text order with overlaps joined (a compound name's mark holds its words' marks). */
function merged(marks: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [s, e] of marks) {
    const last = out[out.length - 1];
    if (last && s < last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function render(text: string, marks: [number, number][]): string {
  let html = '';
  let at = 0;
  for (const [s, e] of marks) {
    html += `${escapeHtml(text.slice(at, s))}<mark>${escapeHtml(text.slice(s, e))}</mark>`;
    at = e;
  }
  return html + escapeHtml(text.slice(at));
}

/**
 * What marks a query's words in a text without the index (an article's page opened from a
 * search): each word's plain stem, its hamza respellings, the stem behind a proclitic (وبوتين),
 * a compound name as one word, and with `synonyms` (the editor's and the archive's house styles)
 * what each word's entries expand to; phrase words too, excluded words not. Undefined: no word to mark.
 * (A search marks by the terms it searched, readings and corrections included: the caller passes
 * the query searched, its correction applied.)
 */
export function queryMatcher(q: string, synonyms?: SynonymTable): Matcher | undefined {
  const plan = planQuery({ q, limit: 1, offset: 0, sort: 'relevance', facets: false, recency: 0 });
  const words = plan.query.words;
  if (words.length === 0) return undefined;
  const also = synonyms ? expansionWords(plan, synonyms) : [];
  return new Matcher(words.map((w, i) => [...new Set([w.stems[0]!, ...w.respellings, ALT_MARK + w.stems[0]!, ...(w.compound?.stems ?? []), ...(also[i] ?? [])])]), ALT_MARK);
}

/** Highlights every matching word of a short text (a title). */
export function highlightAll(text: string | TextHits, matcher: Matcher): Highlighted {
  const found = typeof text === 'string' ? findHits(text, matcher) : text;
  const marks = merged(found.hits.map((h): [number, number] => [h.start, h.end]));
  return { html: render(found.text, marks), text: found.text, marks };
}

const ELLIPSIS = '…';
/** White space other than the plain space (a snippet shows paragraph breaks as spaces). */
const OTHER_SPACE = /[^\S ]/;
/** Words in a snippet. */
const SNIPPET_WORDS = 32;

/** A word of a text that matches the query. */
export interface WordHit {
  /** Index of the word in the text. */
  token: number;
  /** Index of the query word it matches. */
  word: number;
  /** Its offsets in the text. */
  start: number;
  end: number;
}

/**
 * What a text holds of the query: its matching words, and the snippet window, found while the
 * text was scanned (so no offsets of the other words are kept).
 */
export interface TextHits {
  text: string;
  /** Words read (up to `maxScan` characters, or the early stop). */
  count: number;
  /** Matching words in text order. */
  hits: WordHit[];
  /** The best snippet: words `first … last`, text `[from, to)`. */
  window: { first: number; last: number; from: number; to: number };
  truncated: boolean;
}

export interface FindOptions {
  /** Characters looked at (bounds the work on very long articles). */
  maxScan?: number;
  /**
   * Stop a snippet's length (32 words) after all `words` query words first stand within
   * `window` words of each other: the best snippet and full closeness are already found, and
   * the rest of a long article need not be read.
   */
  words?: number;
  window?: number;
}

/** Characters of a text looked at, by default. */
const MAX_SCAN = 20_000;

/**
 * A text's words, for reading it again under other queries: each word's offsets and a 32-bit
 * signature of its letter pairs. A query's stem can only be in a word whose signature holds the
 * stem's, so a query reads the few words that pass from the text again and skips the rest.
 * Built in the same pass a first query makes; kept with the article while it is cached.
 */
export interface WordIndex {
  text: string;
  /** Words within the first `maxScan` characters. */
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  signatures: Int32Array;
  /** The text goes on past what was indexed. */
  truncated: boolean;
}

/** Offsets and signatures of the words being scanned (scanning is synchronous: one set serves every call). */
let starts = new Int32Array(4096);
let ends = new Int32Array(4096);
let signatures = new Int32Array(4096);

/** Signatures of the compound heads: a word without all of one's letter pairs opens no compound. */
let headSignatures: Int32Array | undefined;

/** False when a word of this signature certainly opens no compound name (see compoundHead). */
function mayBeHead(sig: number): boolean {
  headSignatures ??= Int32Array.from(HEADS, (h) => signature(Array.from(h, (c) => c.charCodeAt(0)), h.length));
  for (let k = 0; k < headSignatures.length; k++) if ((sig & headSignatures[k]!) === headSignatures[k]) return true;
  return false;
}

/** Records the matches of one text and decides when a scan may stop (see {@link FindOptions}). */
class HitCollector {
  readonly hits: WordHit[] = [];
  private readonly last: number[] = [];
  private seen = 0;
  /** Once all words stood together, a snippet's worth of words more are read, then no more. */
  stopAt = Infinity;

  constructor(private readonly want: number, private readonly window: number) {}

  /** Adds a {@link Matcher.matchBoth} answer (one or two query words), if any. */
  addBoth(token: number, both: number, start: number, end: number): void {
    if (both < 0) return;
    this.add(token, both & 15, start, end);
    if (both >> 4) this.add(token, (both >> 4) - 1, start, end);
  }

  add(token: number, word: number, start: number, end: number): void {
    this.hits.push({ token, word, start, end });
    const last = this.last;
    if (last[word] === undefined) this.seen++;
    last[word] = token;
    if (this.seen >= this.want && this.stopAt === Infinity) {
      let min = token;
      for (const at of last) if (at !== undefined && at < min) min = at;
      if (token - min < this.window) this.stopAt = token + SNIPPET_WORDS;
    }
  }
}

/**
 * Finds the query's words in a text given as paragraphs (joined by `\n`), as one string, or as
 * the {@link WordIndex} of an earlier query. Only words whose letter-pair signature holds a
 * query stem's are made into strings and stemmed. With `index`, the text's word index is built in the
 * same pass (read to `maxScan`, with no early stop) and handed to it.
 */
export function findHits(body: string | string[] | WordIndex, matcher: Matcher, options: FindOptions = {}, index?: (built: WordIndex) => void): TextHits {
  if (typeof body === 'object' && !Array.isArray(body)) return findIndexed(body, matcher, options);
  const text = typeof body === 'string' ? body : body.join('\n');
  const to = Math.min(text.length, options.maxScan ?? MAX_SCAN);
  const found = new HitCollector(index ? Infinity : options.words ?? Infinity, options.window ?? 12);
  let count = 0;
  let stopped = false;
  /** The last word, when it may open a compound name (عبد): the next is tried with it. */
  let head: string | undefined;
  scanWords(
    text,
    (start, end, codes, length) => {
      if (count >= found.stopAt) return (stopped = true);
      if (count === starts.length) growOffsets();
      const i = count++;
      starts[i] = start;
      ends[i] = end;
      const sig = signature(codes, length);
      if (index) signatures[i] = sig;
      let norm: string | undefined;
      if (matcher.joins) {
        // A word that may open a compound is read, and the next with it (عبد الرزاق as عبدالرزاق).
        const opens = mayBeHead(sig);
        norm = head !== undefined || opens ? codesToString(codes, length) : undefined;
        if (head !== undefined && norm && /^\s+$/.test(text.slice(ends[i - 1]!, start))) found.addBoth(i - 1, matcher.matchBoth(head + norm), starts[i - 1]!, end);
        head = opens && compoundHead(norm!) ? norm : undefined;
      }
      if (!matcher.mayMatch(sig)) return;
      found.addBoth(i, matcher.matchBoth(norm ?? codesToString(codes, length)), start, end);
    },
    0,
    to,
  );
  const truncated = stopped || to < text.length;
  if (index) {
    index({ text, count, starts: starts.slice(0, count), ends: ends.slice(0, count), signatures: signatures.slice(0, count), truncated });
    // The index holds every word; the hits are cut where a scan would have stopped.
    const hits = new HitCollector(options.words ?? Infinity, options.window ?? 12);
    for (const h of found.hits) {
      if (h.token >= hits.stopAt) break;
      hits.add(h.token, h.word, h.start, h.end);
    }
    const read = Math.min(count, hits.stopAt);
    return result(text, hits.hits, read, starts, ends, truncated || read < count);
  }
  return result(text, found.hits, count, starts, ends, truncated);
}

/** {@link findHits} over a word index: only words whose signature may hold a stem are read again. */
function findIndexed(index: WordIndex, matcher: Matcher, options: FindOptions): TextHits {
  const { text, count, starts: s, ends: e, signatures: sig } = index;
  const found = new HitCollector(options.words ?? Infinity, options.window ?? 12);
  let norm = '';
  const visit: WordVisitor = (_start, _end, codes, length) => {
    norm = codesToString(codes, length);
  };
  const read1 = (i: number): string => {
    norm = '';
    scanWords(text, visit, s[i]!, e[i]!);
    return norm;
  };
  let head: string | undefined;
  let read = count;
  for (let i = 0; i < count; i++) {
    if (i >= found.stopAt) {
      read = i;
      break;
    }
    let next: string | undefined;
    if (matcher.joins) {
      // As findHits: a word that may open a compound is read, and the next with it.
      const opens = mayBeHead(sig[i]!);
      next = head !== undefined || opens ? read1(i) : undefined;
      if (head !== undefined && next && /^\s+$/.test(text.slice(e[i - 1]!, s[i]!))) found.addBoth(i - 1, matcher.matchBoth(head + next), s[i - 1]!, e[i]!);
      head = opens && compoundHead(next!) ? next : undefined;
    }
    if (!matcher.mayMatch(sig[i]!)) continue;
    found.addBoth(i, matcher.matchBoth(next ?? read1(i)), s[i]!, e[i]!);
  }
  return result(text, found.hits, read, s, e, index.truncated || read < count);
}

/** A text's hits and its snippet window, from the offsets of its first `count` words. */
function result(text: string, hits: WordHit[], count: number, s: Int32Array, e: Int32Array, truncated: boolean): TextHits {
  const [first, lastWord] = bestWindow(hits, count, SNIPPET_WORDS);
  const window = count > 0 ? { first, last: lastWord, from: first === 0 ? 0 : s[first]!, to: e[lastWord]! } : { first: 0, last: -1, from: 0, to: 0 };
  return { text, count, hits, window, truncated };
}

/**
 * A whole text's word index, made in one pass that hands each word to `visit` (its number,
 * signature and codes) as it goes; undefined for a text longer than a word index reads
 * (`maxScan`), which the caller then scans itself. The index is the one {@link findHits} makes.
 */
export function indexWords(body: string | string[], visit: (i: number, sig: number, codes: Uint16Array, length: number) => void, maxScan = MAX_SCAN): WordIndex | undefined {
  const text = typeof body === 'string' ? body : body.join('\n');
  if (text.length > maxScan) return undefined;
  let count = 0;
  scanWords(
    text,
    (start, end, codes, length) => {
      if (count === starts.length) growOffsets();
      const i = count++;
      starts[i] = start;
      ends[i] = end;
      const sig = signature(codes, length);
      signatures[i] = sig;
      visit(i, sig, codes, length);
    },
    0,
    text.length,
  );
  return { text, count, starts: starts.slice(0, count), ends: ends.slice(0, count), signatures: signatures.slice(0, count), truncated: false };
}

function growOffsets(): void {
  const grow = (a: Int32Array) => {
    const b = new Int32Array(a.length * 2);
    b.set(a);
    return b;
  };
  starts = grow(starts);
  ends = grow(ends);
  signatures = grow(signatures);
}

/**
 * The best window of `size` words for a snippet, as [first, last] word: the one with the most
 * distinct query words, then the most matches. Windows open at a match (a few words of lead-in
 * so the match is not the first word); one pass, the window's end only moves forward.
 */
function bestWindow(hits: WordHit[], count: number, size: number): [number, number] {
  let best = { start: 0, score: -1 };
  const perWord = new Map<number, number>();
  let r = 0;
  for (let h = 0; h < hits.length; h++) {
    const start = Math.max(0, hits[h]!.token - 4);
    const end = start + size;
    for (; r < hits.length && hits[r]!.token < end; r++) perWord.set(hits[r]!.word, (perWord.get(hits[r]!.word) ?? 0) + 1);
    const score = perWord.size * 100 + (r - h);
    if (score > best.score) best = { start, score };
    const w = hits[h]!.word;
    const left = perWord.get(w)! - 1;
    if (left === 0) perWord.delete(w);
    else perWord.set(w, left);
  }
  return [best.start, Math.min(count, best.start + size) - 1];
}

/**
 * The snippet of a body for the query: its best window (see {@link findHits}), cut at word
 * boundaries, with an ellipsis where text was cut.
 */
export function snippet(body: TextHits): Highlighted {
  const { text, count, hits, window, truncated } = body;
  if (count === 0) return { html: '', text: '', marks: [] };
  const { first, last, from } = window;
  let to = window.to;
  // keep punctuation that closes the last word (., ، ؟ ” »)
  while (to < text.length && /[.،؛؟!:”»")\]]/.test(text[to]!)) to++;
  const before = from > 0 ? ELLIPSIS : '';
  const after = last < count - 1 || truncated ? ELLIPSIS : '';
  // Paragraph breaks become spaces one for one, so offsets stay valid.
  let core = text.slice(from, to).replaceAll('\n', ' ');
  if (OTHER_SPACE.test(core)) core = core.replace(/\s/g, ' ');
  const shift = before.length - from;
  const spans: [number, number][] = [];
  for (const h of hits) if (h.token >= first && h.token <= last) spans.push([h.start + shift, Math.min(h.end, to) + shift]);
  const marks = merged(spans);
  const plain = before + core + after;
  return { html: render(plain, marks), text: plain, marks };
}
