/**
 * One word in two house styles: ترامب and ترمب, أميركا and أمريكا. Each outlet writes its own,
 * so a reader who types one would miss the other's articles. A full build finds such pairs in
 * the archive and keeps them in the manifest, where every search reads them as synonyms
 * (docs/editor.md, "House styles"); `npm run house-styles` lists them with their evidence. A
 * pair is two stems one long vowel apart (ا, و or ي left out, or moved one letter), or with
 * words that are (بوتين, whose stem is بوت, and بوتن), both common, that
 * - outlets split between them: each form has outlets that write it at least 4 times in 5 of the
 *   two, and they hold most of its articles (two different words, a plural and its singular, a
 *   verb and its noun, are written by every outlet alike);
 * - are said of the same things: the words of the titles each is in are alike (cosine);
 * - seldom meet in one article.
 * A foreign name written with ج and with غ (غوغل, جوجل) is a pair too, by the context alone
 * (HouseStyleOptions.minLetterCosine): outlets do not split over it.
 *
 * Two passes over the archive, so that memory does not grow with its postings: the first counts
 * each stem's articles by outlet (what the split needs: 4 bytes an outlet and a stem, and the
 * stem of each distinct word); the second reads only the words of the pairs that passed it, for
 * the two other tests. An archive of one outlet has no vowel pair past the first (ج/غ names may
 * pass it), and no second pass when none passed.
 */
import { codesToString, isLexiconWord, isStop, normalize, scanWords, stems, tokenize } from '../core/analyzer/index';

export interface StyledArticle {
  title: string;
  body: string[];
  sources: string[];
}

export interface HouseStylePair {
  /** The two stems' commonest forms as written, the commoner stem's first. */
  forms: [string, string];
  stems: [string, string];
  /** Articles holding each. */
  df: [number, number];
  /** Articles holding both, over the rarer one's. */
  together: number;
  /**
   * How far apart the outlets' choices are: of each form's articles, the share in outlets that
   * write it at least 4 times in 5 of the two; the lesser of the two shares.
   */
  split: number;
  /** The outlets that write each form at least 4 times in 5 of the two. */
  outlets: [string[], string[]];
  /** Cosine of the stems of the titles each form is in. */
  cosine: number;
  /**
   * `letters`: the two are one name transliterated two ways, ج for غ (جوجل, غوغل: the /g/ of a
   * foreign name), passed by the context alone (see {@link HouseStyleOptions.minLetterCosine}).
   */
  kind?: 'letters';
  /**
   * The proclitic the evidence was found behind (وتشيلسي, وتشلسي), when the words without it
   * did not pass: the pair is then the words without it, which a query's proclitic is read off
   * to match, and the figures are those of the forms behind it.
   */
  behind?: string;
}

export interface HouseStyleOptions {
  /** Articles a stem must be in (default 20). */
  minDf: number;
  /** The most `together` a pair may have (default 0.3). */
  maxTogether: number;
  /** The least `split` (default 0.7). */
  minSplit: number;
  /** The least `cosine` (default 0.3). */
  minCosine: number;
  /**
   * An outlet is a form's home when this share or more of its articles with either form have
   * this one (default 0.8: 4 in 5). Lower, an outlet that writes both counts for the one it
   * writes more (نتنياهو/نتانياهو at 0.7), and pairs of different words pass too.
   */
  homeShare: number;
  /**
   * Stems that differ in ج for غ (a foreign name's /g/: سيرغي, سيرجي; الكونغرس, الكونجرس) are
   * one name written two ways, not two outlets' styles: such a pair passes on the context alone,
   * at this least cosine (default 0.3), whatever its split and however often the two meet (an
   * article may quote the other spelling), when their commonest written forms are one too
   * (letterVariants). Arabic words one such letter apart (إجراء, إغراء; تغلب, تجلب) are said of
   * other things. 0.3 was chosen on half the pairs the corpus offers (the least of 0.2, 0.25,
   * 0.3… passing no pair of two words there) and checked on the other half: docs/editor.md.
   */
  minLetterCosine: number;
  /** Articles the rarer of such a pair must be in (default 5): its readers are the ones who miss the other's. */
  minLetterDf: number;
}

export const HOUSE_STYLE_DEFAULTS: HouseStyleOptions = Object.freeze({ minDf: 20, maxTogether: 0.3, minSplit: 0.7, minCosine: 0.3, homeShare: 0.8, minLetterCosine: 0.3, minLetterDf: 5 });

const LONG_VOWELS = 'اوي';
const PROCLITICS = 'وفبلك';

/** Stems one long vowel apart from `s`: one left out, or moved one place (never the first letter). */
export function vowelNeighbours(s: string): string[] {
  const out = new Set<string>();
  for (let i = 1; i < s.length; i++) {
    if (!LONG_VOWELS.includes(s[i]!)) continue;
    out.add(s.slice(0, i) + s.slice(i + 1));
    if (i + 1 < s.length) out.add(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2));
    if (i > 1) out.add(s.slice(0, i - 1) + s[i] + s[i - 1] + s.slice(i + 1));
  }
  out.delete(s);
  return [...out];
}

/** Letters a foreign name's /g/ is written with, one for the other. */
const G_LETTERS: Record<string, string> = { ج: 'غ', غ: 'ج' };

/**
 * Two written words that are one with ج for غ (after the article ال, or وال, بال, لل, and
 * normalized): their stems alone could be two words' (غيرها and جيرانها share غير and جير).
 */
export function letterVariants(x: string, y: string): boolean {
  const bare = (w: string) => normalize(w).replace(/^(?:و?ال|بال|لل)/, '');
  const [a, b] = [bare(x), bare(y)];
  if (a.length !== b.length || a === b) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && G_LETTERS[a[i]!] !== b[i]) return false;
  return true;
}

/** Stems with one or more of `s`'s ج and غ written as the other (at most its first 3 such letters). */
export function letterNeighbours(s: string): string[] {
  const at: number[] = [];
  for (let i = 0; i < s.length && at.length < 3; i++) if (G_LETTERS[s[i]!]) at.push(i);
  const out: string[] = [];
  for (let mask = 1; mask < 1 << at.length; mask++) {
    const chars = [...s];
    at.forEach((i, k) => { if (mask & (1 << k)) chars[i] = G_LETTERS[chars[i]!]!; });
    out.push(chars.join(''));
  }
  return out;
}

function cosineOf(x: Map<string, number>, y: Map<string, number>): number {
  let dot = 0;
  let nx = 0;
  let ny = 0;
  for (const [k, v] of x) {
    nx += v * v;
    dot += v * (y.get(k) ?? 0);
  }
  for (const v of y.values()) ny += v * v;
  return nx && ny ? dot / Math.sqrt(nx * ny) : 0;
}

/** What the first pass leaves for a pair that passed the split. */
interface Candidate {
  stems: [string, string];
  df: [number, number];
  split: number;
  outlets: [string[], string[]];
  /** The two stems without the proclitic they both open with, when the archive has both. */
  bare?: [string, string];
  /** One name transliterated two ways (letterNeighbours): judged by its context alone. */
  letters?: boolean;
}

/**
 * The two passes. `count` each article's words once, in any order; then, if `needsSecondPass`,
 * `see` each article again; then `pairs()`.
 */
export class HouseStyleFinder {
  private readonly o: HouseStyleOptions;
  /** A word's stem id, or -1 for a word not counted (a stop word, not a word, a stem of 1–2 letters). */
  private readonly stemIdOf = new Map<string, number>();
  private readonly stemIds = new Map<string, number>();
  private readonly stemNames: string[] = [];
  private readonly outletIds = new Map<string, number>();
  /** Articles by outlet, then by stem id. */
  private readonly counts: Int32Array[] = [];
  /** The last article each stem was counted in (an article counts a stem once). */
  private lastDoc = new Int32Array(1 << 14).fill(-1);
  private docs = 0;
  private candidates?: Candidate[];
  /** Second pass: the stem each word of a candidate stands for, and those words' lengths and first letters. */
  private wanted?: Map<string, string>;
  private wantedLengths = new Set<number>();
  private wantedFirsts = new Set<number>();
  private readonly context = new Map<string, Map<string, number>>();
  private readonly written = new Map<string, Map<string, number>>();
  private readonly both = new Map<string, number>();

  constructor(options: Partial<HouseStyleOptions> = {}) {
    this.o = { ...HOUSE_STYLE_DEFAULTS, ...options };
  }

  private stemId(norm: string): number {
    let id = this.stemIdOf.get(norm);
    if (id !== undefined) return id;
    const s = isStop(norm) || !isLexiconWord(norm) ? '' : stems(norm, false)[0]!;
    if (s.length < 3) id = -1;
    else {
      id = this.stemIds.get(s);
      if (id === undefined) {
        this.stemIds.set(s, (id = this.stemNames.length));
        this.stemNames.push(s);
        if (id >= this.lastDoc.length) {
          const grown = new Int32Array(this.lastDoc.length * 2).fill(-1);
          grown.set(this.lastDoc);
          this.lastDoc = grown;
        }
      }
    }
    this.stemIdOf.set(norm, id);
    return id;
  }

  /** First pass: one article's normalized words (stop words and non-words are skipped here), and its outlet. */
  count(words: Iterable<string>, outlet: string): void {
    if (this.candidates) throw new Error('HouseStyleFinder.count after the first pass ended');
    let o = this.outletIds.get(outlet);
    if (o === undefined) this.outletIds.set(outlet, (o = this.outletIds.size));
    let c = (this.counts[o] ??= new Int32Array(1 << 14));
    const doc = this.docs++;
    for (const w of words) {
      const id = this.stemId(w);
      if (id < 0 || this.lastDoc[id] === doc) continue;
      this.lastDoc[id] = doc;
      if (id >= c.length) {
        const grown = new Int32Array(Math.max(c.length * 2, id + 1));
        grown.set(c);
        this.counts[o] = c = grown;
      }
      c[id]!++;
    }
  }

  /** Ends the first pass: true when some pair passed the split, so the articles must be seen again. */
  get needsSecondPass(): boolean {
    return this.firstPassDone().length > 0;
  }

  private firstPassDone(): Candidate[] {
    if (this.candidates) return this.candidates;
    const outlets = [...this.outletIds.keys()];
    // Each stem's articles by outlet (the outlets that write it).
    const perStem = new Map<string, Map<number, number>>();
    for (let id = 0; id < this.stemNames.length; id++) {
      let m: Map<number, number> | undefined;
      this.counts.forEach((c, o) => {
        const n = c[id] ?? 0;
        if (n > 0) (m ??= new Map()).set(o, n);
      });
      if (m) perStem.set(this.stemNames[id]!, m);
    }
    this.counts.length = 0;
    this.lastDoc = new Int32Array(0);
    const dfOf = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    const dfs = new Map<string, number>();
    for (const [s, m] of perStem) dfs.set(s, dfOf(m));
    const common = (s: string) => (dfs.get(s) ?? 0) >= this.o.minDf;
    // Stems one long vowel apart, each long stem's neighbours (the shorter may be the commoner:
    // نتنياهو, نتانياهو); and stems of words one long vowel apart, where light stemming reads
    // the vowel as part of a suffix (بوتين: بوت, and بوتن).
    const near: [string, string][] = [];
    for (const x of perStem.keys()) if (common(x)) for (const y of vowelNeighbours(x)) if (common(y)) near.push([x, y]);
    for (const [word, id] of this.stemIdOf) {
      if (id < 0 || !common(this.stemNames[id]!)) continue;
      for (const v of vowelNeighbours(word)) {
        const j = this.stemIdOf.get(v);
        if (j !== undefined && j >= 0 && j !== id && common(this.stemNames[j]!)) near.push([this.stemNames[id]!, this.stemNames[j]!]);
      }
    }
    // Stems one ج/غ apart: the rarer need only be in a few articles.
    const letterNear = new Set<string>();
    for (const x of perStem.keys()) {
      if (!common(x)) continue;
      for (const y of letterNeighbours(x)) {
        if ((dfs.get(y) ?? 0) < this.o.minLetterDf || (common(y) && y < x)) continue;
        near.push([x, y]);
        letterNear.add(`${x} ${y}`);
      }
    }
    const out: Candidate[] = [];
    const tried = new Set<string>();
    for (const [x, y] of near) {
      const letters = letterNear.has(`${x} ${y}`);
      const key = x < y ? `${x} ${y}` : `${y} ${x}`;
      if (tried.has(key)) continue;
      tried.add(key);
      const dfx = dfs.get(x)!;
      const dfy = dfs.get(y)!;
      // The commoner first.
      const [a, dfa, b, dfb] = dfy > dfx || (dfy === dfx && y < x) ? [y, dfy, x, dfx] : [x, dfx, y, dfy];
      const ma = perStem.get(a)!;
      const mb = perStem.get(b)!;
      // Each form's home: the outlets that write it 4 times in 5 of the two (homeShare), and the
      // share of the form's articles they hold. A house style has a home on both sides.
      const home: [number, number] = [0, 0];
      const homes: [string[], string[]] = [[], []];
      for (const id of new Set([...ma.keys(), ...mb.keys()])) {
        const na = ma.get(id) ?? 0;
        const nb = mb.get(id) ?? 0;
        for (const [k, n] of [[0, na], [1, nb]] as const) {
          if (n === 0 || n < this.o.homeShare * (na + nb)) continue;
          home[k] += n;
          if (outlets[id]) homes[k].push(outlets[id]!);
        }
      }
      const split = Math.min(home[0] / dfa, home[1] / dfb);
      if (split < this.o.minSplit && !letters) continue;
      const c: Candidate = { stems: [a, b], df: [dfa, dfb], split, outlets: homes, ...(letters ? { letters } : {}) };
      const [ba, bb] = [a.slice(1), b.slice(1)];
      if (a[0] === b[0] && PROCLITICS.includes(a[0]!) && ba.length >= 3 && perStem.has(ba) && perStem.has(bb)) c.bare = [ba, bb];
      out.push(c);
    }
    this.candidates = out;
    const wantedStems = new Set(out.flatMap((c) => [...c.stems, ...(c.bare ?? [])]));
    this.wanted = new Map();
    for (const [word, id] of this.stemIdOf) if (id >= 0 && wantedStems.has(this.stemNames[id]!)) this.wanted.set(word, this.stemNames[id]!);
    for (const w of this.wanted.keys()) {
      this.wantedLengths.add(w.length);
      this.wantedFirsts.add(w.charCodeAt(0));
    }
    this.stemIdOf.clear();
    this.stemIds.clear();
    this.stemNames.length = 0;
    return out;
  }

  /** Second pass: one article again (each once). */
  see(a: StyledArticle): void {
    this.firstPassDone();
    const wanted = this.wanted!;
    if (wanted.size === 0) return;
    const text = [a.title, ...a.body].join('\n');
    const found = new Set<string>();
    // Most words cannot be one of the few wanted: no string is made for them.
    scanWords(text, (start, end, codes, length) => {
      if (!this.wantedLengths.has(length) || !this.wantedFirsts.has(codes[0]!)) return;
      const s = wanted.get(codesToString(codes, length));
      if (s === undefined) return;
      found.add(s);
      let f = this.written.get(s);
      if (!f) this.written.set(s, (f = new Map()));
      const form = text.slice(start, end);
      f.set(form, (f.get(form) ?? 0) + 1);
    });
    if (found.size === 0) return;
    const titleStems = new Set(tokenize(a.title).filter((t) => !isStop(t.norm)).map((t) => stems(t.norm, false)[0]!));
    for (const s of found) {
      let c = this.context.get(s);
      if (!c) this.context.set(s, (c = new Map()));
      for (const t of titleStems) c.set(t, (c.get(t) ?? 0) + 1);
    }
    for (const c of this.candidates!) {
      if (found.has(c.stems[0]) && found.has(c.stems[1])) {
        const key = c.stems.join(' ');
        this.both.set(key, (this.both.get(key) ?? 0) + 1);
      }
    }
  }

  /** The commonest written form of a stem seen in the second pass. */
  private form(s: string): string {
    return [...(this.written.get(s) ?? [[s, 0] as [string, number]])].sort((p, q) => q[1] - p[1])[0]![0];
  }

  /** The pairs that pass every test, the commonest first (by the rarer form's articles). */
  pairs(): HouseStylePair[] {
    const out: HouseStylePair[] = [];
    const bareOf = new Map<string, [string, string]>();
    for (const c of this.firstPassDone()) {
      const [a, b] = c.stems;
      const together = (this.both.get(c.stems.join(' ')) ?? 0) / c.df[1];
      if (together > this.o.maxTogether && !c.letters) continue;
      // Context: the stems of the titles each is in, the pair's own left out.
      const ctx = (s: string) => new Map([...(this.context.get(s) ?? [])].filter(([t]) => t !== a && t !== b));
      const cosine = cosineOf(ctx(a), ctx(b));
      if (cosine < (c.letters ? this.o.minLetterCosine : this.o.minCosine)) continue;
      if (c.letters && !letterVariants(this.form(a), this.form(b))) continue;
      out.push({ forms: [this.form(a), this.form(b)], stems: c.stems, df: c.df, together, split: c.split, outlets: c.outlets, cosine, ...(c.letters ? { kind: 'letters' as const } : {}) });
      if (c.bare) bareOf.set(c.stems.join(' '), c.bare);
    }
    // A pair behind a proclitic (وأميركا, وأمريكا) says no more than the pair without it; one
    // found only behind it (وتشيلسي, وتشلسي) is the pair without it, which queries with or
    // without the proclitic match.
    const key = (s: string[]) => [...s].sort().join(' ');
    const found = new Set(out.map((p) => key(p.stems)));
    const kept: HouseStylePair[] = [];
    for (const p of out) {
      const bare = bareOf.get(p.stems.join(' '));
      // Names one ج/غ apart are so without the letter too only when their words are (وأوروغواي:
      // أوروغواي; but بيرغ and بيرج, Berg, are no ب before يرغ and يرج).
      if (!bare || (p.kind && !letterVariants(this.form(bare[0]), this.form(bare[1])))) kept.push(p);
      else if (!found.has(key(bare))) kept.push({ ...p, forms: [this.form(bare[0]), this.form(bare[1])], stems: bare, behind: p.stems[0][0] });
    }
    return kept.sort((p, q) => q.df[1] - p.df[1] || (p.stems[0] < q.stems[0] ? -1 : 1));
  }
}

/** The pairs of an archive held in memory (both passes over `articles`). */
export function houseStylePairs(articles: Iterable<StyledArticle>, options: Partial<HouseStyleOptions> = {}): HouseStylePair[] {
  const finder = new HouseStyleFinder(options);
  const list = [...articles];
  for (const a of list) finder.count(tokenize([a.title, ...a.body].join('\n')).map((t) => t.norm), a.sources[0] ?? '');
  if (finder.needsSecondPass) for (const a of list) finder.see(a);
  return finder.pairs();
}
