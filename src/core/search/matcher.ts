/**
 * Which query word a word of a text is, decided the way the index decides it (plain stems
 * against plain terms, proclitic-free readings against marked terms), so highlighting and
 * re-ranking never mark what the search did not match.
 */
import { COMPOUND_HEADS, stems, withoutProclitics } from '../analyzer/index';

/** The first words of compound names (عبد, أبو …), normalized. */
export const HEADS = [...COMPOUND_HEADS];

/**
 * Decides whether a word of the text matches the query, the way the index does: a word's plain
 * stem against the query's plain terms, its proclitic-free readings against the query's marked
 * terms (`~بوت`), so highlighting never marks what the search did not match.
 */
export class Matcher {
  private readonly plain = new Map<string, number>();
  private readonly alt = new Map<string, number>();
  /** Plain stems of two query words (a compound name asked for apart, عبد الرزاق): the second. */
  private readonly second = new Map<string, number>();
  private readonly needles: string[];
  /** {@link signature} of each stem: a word can hold the stem only if its signature has these bits. */
  private readonly signatures: Int32Array;

  /** Answers of {@link matchBoth}, by word. */
  private readonly memo = new Map<string, number>();

  /** Number of query words. */
  readonly words: number;
  /**
   * Some stem may be a compound name's one-word stem (عبدالرزاق): a text's compound written
   * apart (عبد الرزاق) is also tried as one word.
   */
  readonly joins: boolean;

  /**
   * `groups[i]` are the index terms (plain, `mark`-prefixed readings, corrections) of query word
   * i. `prefix`: a word being typed, whose letters (normalized) also match any word they begin,
   * as query word `word` (a search as the reader types: the letters may begin a word other than
   * the completions searched).
   */
  constructor(groups: string[][], mark = '~', private readonly prefix?: { word: number; letters: string }) {
    this.words = groups.length;
    groups.forEach((g, i) =>
      g.forEach((t) => {
        const map = t.startsWith(mark) ? this.alt : this.plain;
        const stem = t.startsWith(mark) ? t.slice(mark.length) : t;
        const at = map.get(stem);
        if (at === undefined) map.set(stem, i);
        else if (at !== i && map === this.plain && !this.second.has(stem)) this.second.set(stem, i);
      }),
    );
    this.needles = [...new Set([...this.plain.keys(), ...this.alt.keys(), ...(prefix ? [prefix.letters] : [])])];
    this.signatures = Int32Array.from(this.needles, (n) => signature(Array.from(n, (c) => c.charCodeAt(0)), n.length));
    this.joins = [...this.plain.keys()].some((n) => HEADS.some((h) => n.length >= h.length + 2 && n.startsWith(h)));
  }

  /** Index of the query word a normalized text word matches, or -1. */
  match(norm: string): number {
    const both = this.matchBoth(norm);
    return both < 0 ? -1 : both & 15;
  }

  /**
   * The query words a normalized text word matches: -1 for none, else the first, plus the
   * second + 1 shifted left by 4 when it matches two (a compound's one-word stem).
   */
  matchBoth(norm: string): number {
    // The texts of one query repeat their words: each is stemmed once.
    const known = this.memo.get(norm);
    if (known !== undefined) return known;
    const w = this.matchOnce(norm);
    this.memo.set(norm, w);
    return w;
  }

  private matchOnce(norm: string): number {
    // Stems are substrings of the words they come from: skip the stemmer for most words.
    if (!this.needles.some((s) => norm.includes(s))) return -1;
    const s = stems(norm);
    const p = this.plain.get(s[0]!);
    if (p !== undefined) return p | ((this.second.get(s[0]!) ?? -1) + 1) << 4;
    for (let k = 1; k < s.length; k++) {
      const a = this.alt.get(s[k]!);
      if (a !== undefined) return a;
    }
    return this.prefix && this.begins(norm, this.prefix.letters) ? this.prefix.word : -1;
  }

  /** Whether the letters begin the word, or the word once its proclitics are read off (والخارجية for الخا). */
  private begins(norm: string, letters: string): boolean {
    return norm.startsWith(letters) || withoutProclitics(norm).some((w) => w.startsWith(letters));
  }

  /**
   * False when a word of this {@link signature} certainly matches no query word: no stem has all
   * its letter pairs in it, so no string need be made of the word. A one-letter stem has no
   * pairs, but it comes only from a one-letter word (every strip of the stemmer leaves two
   * letters, a proclitic's three: analyzer/stem.ts), and only a one-letter word has no pairs:
   * such a stem lets through words whose signature is empty, not every word (a query of stray
   * letters, `ب ة "ن ك"`, would otherwise stem every word of every text it reads).
   */
  mayMatch(sig: number): boolean {
    return mayHold(sig, this.signatures, this.needles);
  }

  /**
   * {@link mayMatch} for some query words only (a quoted phrase's): false when a word of this
   * signature certainly matches none of `words` ({@link match} names the first word a stem is
   * of, so only stems whose first word is one of them count).
   */
  mayMatchOf(words: ReadonlySet<number>): (sig: number) => boolean {
    const kept = this.needles.flatMap((n, k) => (words.has(this.plain.get(n) ?? -1) || words.has(this.alt.get(n) ?? -1) ? [k] : []));
    const needles = kept.map((k) => this.needles[k]!);
    const signatures = Int32Array.from(kept, (k) => this.signatures[k]!);
    return (sig) => mayHold(sig, signatures, needles);
  }
}

/** Whether a word of signature `sig` may hold one of the stems of these signatures (see Matcher.mayMatch). */
function mayHold(sig: number, wanted: Int32Array, needles: string[]): boolean {
  for (let k = 0; k < wanted.length; k++) {
    const w = wanted[k]!;
    if (w === 0 ? sig === 0 || needles[k]!.length > 1 : (sig & w) === w) return true;
  }
  return false;
}

/** The signature bit of a letter pair. */
function pairBit(a: number, b: number): number {
  return 1 << (Math.imul((a << 16) ^ b, 0x9e3779b1) >>> 27);
}

/** The signature of a word: one bit per letter pair. */
export function signature(codes: ArrayLike<number>, length: number): number {
  let sig = 0;
  for (let i = 0; i + 1 < length; i++) sig |= pairBit(codes[i]!, codes[i + 1]!);
  return sig;
}

