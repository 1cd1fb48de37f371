/**
 * Highlighting on the original text: the analyzer keeps every word's offsets, so a `<mark>`
 * wraps the word as written, harakat and clitics included (وبوتين whole for بوتين), and never
 * splits a letter from its diacritic. Text is escaped before marks go in.
 */
import { stems, tokenize, type Token } from '../analyzer/index';

/** A highlighted piece of text: HTML with `<mark>`, the plain text, and the marks as offsets into it. */
export interface Highlighted {
  html: string;
  text: string;
  marks: [number, number][];
}

/**
 * Decides whether a word of the text matches the query, the way the index does: a word's plain
 * stem against the query's plain terms, its proclitic-free readings against the query's marked
 * terms (`~بوت`), so highlighting never marks what the search did not match.
 */
export class Matcher {
  private readonly plain = new Map<string, number>();
  private readonly alt = new Map<string, number>();
  private readonly needles: string[];

  /** Number of query words. */
  readonly words: number;

  /** `groups[i]` are the index terms (plain, `mark`-prefixed readings, corrections) of query word i. */
  constructor(groups: string[][], mark = '~') {
    this.words = groups.length;
    groups.forEach((g, i) =>
      g.forEach((t) => {
        const map = t.startsWith(mark) ? this.alt : this.plain;
        const stem = t.startsWith(mark) ? t.slice(mark.length) : t;
        if (!map.has(stem)) map.set(stem, i);
      }),
    );
    this.needles = [...new Set([...this.plain.keys(), ...this.alt.keys()])];
  }

  /** Index of the query word a normalized text word matches, or -1. */
  match(norm: string): number {
    // Stems are substrings of the words they come from: skip the stemmer for most words.
    if (!this.needles.some((s) => norm.includes(s))) return -1;
    const s = stems(norm);
    const p = this.plain.get(s[0]!);
    if (p !== undefined) return p;
    for (let k = 1; k < s.length; k++) {
      const a = this.alt.get(s[k]!);
      if (a !== undefined) return a;
    }
    return -1;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
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

/** Highlights every matching word of a short text (a title). */
export function highlightAll(text: string | TextHits, matcher: Matcher): Highlighted {
  const found = typeof text === 'string' ? findHits(text, matcher) : text;
  const marks = found.hits.map(({ token }): [number, number] => [found.tokens[token]!.start, found.tokens[token]!.end]);
  return { html: render(found.text, marks), text: found.text, marks };
}

const ELLIPSIS = '…';
/** Words in a snippet. */
const SNIPPET_WORDS = 32;

/** The words of a text (up to `maxScan` characters) and which of them match the query. */
export interface TextHits {
  text: string;
  tokens: Token[];
  /** Matching tokens in text order: token index and the query word matched. */
  hits: { token: number; word: number }[];
  truncated: boolean;
}

export interface FindOptions {
  /** Characters looked at (bounds the work on very long articles). */
  maxScan?: number;
  /**
   * Stop after the paragraph in which all `words` query words first stand within `window`
   * words of each other: the best snippet and full closeness are already found, and the rest
   * of a long article need not be read.
   */
  words?: number;
  window?: number;
}

/** Finds the query's words in a text given as paragraphs (joined by `\n`), or as one string. */
export function findHits(body: string | string[], matcher: Matcher, options: FindOptions = {}): TextHits {
  const paragraphs = typeof body === 'string' ? [body] : body;
  const text = paragraphs.join('\n');
  const maxScan = options.maxScan ?? 20_000;
  const window = options.window ?? 12;
  const want = options.words ?? Infinity;
  const tokens: Token[] = [];
  const hits: { token: number; word: number }[] = [];
  const last: number[] = [];
  let seen = 0;
  // Once all words stood together, a snippet's worth of words more are read, then no more.
  let stopAt = Infinity;
  let cut = false;
  let offset = 0;
  for (const para of paragraphs) {
    if (offset >= maxScan || tokens.length >= stopAt) {
      cut = true;
      break;
    }
    const part = offset + para.length > maxScan ? para.slice(0, maxScan - offset) : para;
    if (part.length < para.length) cut = true;
    for (const t of tokenize(part)) {
      if (tokens.length >= stopAt) {
        cut = true;
        break;
      }
      t.start += offset;
      t.end += offset;
      const i = tokens.push(t) - 1;
      const w = matcher.match(t.norm);
      if (w < 0) continue;
      hits.push({ token: i, word: w });
      if (last[w] === undefined) seen++;
      last[w] = i;
      if (seen >= want && stopAt === Infinity) {
        let min = i;
        for (const at of last) if (at !== undefined && at < min) min = at;
        if (i - min < window) stopAt = i + SNIPPET_WORDS;
      }
    }
    offset += para.length + 1;
  }
  return { text, tokens, hits, truncated: cut };
}

/**
 * How close together a text holds the query's words: the largest weighted share of the
 * query's words that occur within `window` consecutive words (1: all of them, as in a
 * sentence that restates the question). `weights[i]` is query word i's weight (its idf).
 */
export function closeness(hits: TextHits['hits'], weights: number[], window: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0 || hits.length === 0) return 0;
  const count = new Array<number>(weights.length).fill(0);
  let inWindow = 0;
  let best = 0;
  for (let r = 0, l = 0; r < hits.length; r++) {
    const w = hits[r]!.word;
    if (count[w]!++ === 0) inWindow += weights[w]!;
    while (hits[r]!.token - hits[l]!.token >= window) {
      const lw = hits[l++]!.word;
      if (--count[lw]! === 0) inWindow -= weights[lw]!;
    }
    if (inWindow > best) best = inWindow;
  }
  return best / total;
}

/**
 * How much of the query a text holds in the query's own order: the weighted share of the
 * query's consecutive word pairs (i, i+1) that the text has within `gap` words, in that order.
 */
export function adjacency(hits: TextHits['hits'], weights: number[], gap = 2): number {
  let total = 0;
  for (let i = 0; i + 1 < weights.length; i++) total += Math.min(weights[i]!, weights[i + 1]!);
  if (total <= 0) return 0;
  const found = new Uint8Array(weights.length);
  for (let a = 0; a < hits.length; a++) {
    const wa = hits[a]!.word;
    for (let b = a + 1; b < hits.length && hits[b]!.token - hits[a]!.token <= gap; b++) {
      if (hits[b]!.word === wa + 1) found[wa] = 1;
    }
  }
  let share = 0;
  for (let i = 0; i + 1 < weights.length; i++) if (found[i]) share += Math.min(weights[i]!, weights[i + 1]!);
  return share / total;
}

/**
 * The best window of a body for the query: the one with the most distinct query words, then
 * the most matches; cut at word boundaries, with an ellipsis where text was cut.
 */
export function snippet(body: TextHits, size = SNIPPET_WORDS): Highlighted {
  const { text, tokens, hits, truncated } = body;
  if (tokens.length === 0) return { html: '', text: '', marks: [] };
  let best = { start: 0, score: -1 };
  // Windows that open at a match (a few words of lead-in so the match is not the first word),
  // scored by the matches from that one on: one pass, the window's end only moves forward.
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
  const first = best.start;
  const last = Math.min(tokens.length, first + size) - 1;
  return cut(text, tokens, first, last, hits.filter((h) => h.token >= first && h.token <= last).map((h) => tokens[h.token]!), truncated);
}

function cut(text: string, tokens: Token[], first: number, last: number, matched: Token[], truncated: boolean): Highlighted {
  const from = first === 0 ? 0 : tokens[first]!.start;
  let to = tokens[last]!.end;
  // keep punctuation that closes the last word (., ، ؟ ” »)
  while (to < text.length && /[.،؛؟!:”»")\]]/.test(text[to]!)) to++;
  const before = from > 0 ? ELLIPSIS : '';
  const after = last < tokens.length - 1 || truncated ? ELLIPSIS : '';
  // Paragraph breaks become spaces one for one, so offsets stay valid.
  const core = text.slice(from, to).replace(/\s/g, ' ');
  const marks = matched.map((t): [number, number] => [t.start - from + before.length, t.end - from + before.length]);
  const plain = before + core + after;
  return { html: render(plain, marks), text: plain, marks };
}
