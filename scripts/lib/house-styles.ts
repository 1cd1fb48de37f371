/**
 * One word in two house styles: ترامب and ترمب, أميركا and أمريكا. Each outlet writes its own,
 * so a reader who types one misses the other's articles; the editor's synonyms file joins them
 * (docs/editor.md). This finds candidates in an archive for an editor to judge: stems one long
 * vowel apart (ا, و or ي left out, or moved one letter), both common, that
 * - outlets split between them: each form has outlets that write it at least 4 times in 5 of the
 *   two, and they hold most of its articles (two different words, a plural and its singular, a
 *   verb and its noun, are written by every outlet alike);
 * - are said of the same things: the words of the titles each is in are alike (cosine);
 * - seldom meet in one article.
 * The thresholds are options (`npm run house-styles -- --help`); the editor decides.
 */
import { analyze, isLexiconWord } from '../../src/core/analyzer/index';

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
}

export const HOUSE_STYLE_DEFAULTS: HouseStyleOptions = { minDf: 20, maxTogether: 0.3, minSplit: 0.7, minCosine: 0.3 };

const LONG_VOWELS = 'اوي';
const PROCLITICS = 'وفبلك';
/** An outlet is a form's home when it writes that form this share of the two's articles or more. */
const HOME_SHARE = 0.8;

/** The stems of the titles of `docs`, with their counts, the pair's own left out. */
function contextOf(docs: number[], titleStems: Set<string>[], a: string, b: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of docs) for (const t of titleStems[d]!) if (t !== a && t !== b) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
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

/** The candidate pairs of an archive, the commonest first (by the rarer form's articles). */
export function houseStylePairs(articles: Iterable<StyledArticle>, options: Partial<HouseStyleOptions> = {}): HouseStylePair[] {
  const o = { ...HOUSE_STYLE_DEFAULTS, ...options };
  const docsOf = new Map<string, number[]>();
  const formsOf = new Map<string, Map<string, number>>();
  const sourceOf: string[] = [];
  const titleStems: Set<string>[] = [];
  let doc = 0;
  for (const a of articles) {
    const seen = new Set<string>();
    const text = [a.title, ...a.body].join('\n');
    for (const t of analyze(text, Infinity, false)) {
      const s = t.stems[0]!;
      if (s.length < 3 || !isLexiconWord(t.norm)) continue;
      let f = formsOf.get(s);
      if (!f) formsOf.set(s, (f = new Map()));
      const written = text.slice(t.start, t.end);
      f.set(written, (f.get(written) ?? 0) + 1);
      if (seen.has(s)) continue;
      seen.add(s);
      let d = docsOf.get(s);
      if (!d) docsOf.set(s, (d = []));
      d.push(doc);
    }
    sourceOf.push(a.sources[0] ?? '');
    titleStems.push(new Set(analyze(a.title, Infinity, false).map((t) => t.stems[0]!)));
    doc++;
  }
  const out: HouseStylePair[] = [];
  for (const [a, da] of docsOf) {
    if (da.length < o.minDf) continue;
    for (const b of vowelNeighbours(a)) {
      const db = docsOf.get(b);
      if (!db || db.length < o.minDf || db.length > da.length || (db.length === da.length && b < a)) continue;
      const inA = new Set(da);
      const both = db.filter((d) => inA.has(d)).length;
      const together = both / db.length;
      if (together > o.maxTogether) continue;
      const bySource = new Map<string, [number, number]>();
      for (const [k, list] of [[0, da], [1, db]] as const) {
        for (const d of list) {
          const src = sourceOf[d]!;
          let c = bySource.get(src);
          if (!c) bySource.set(src, (c = [0, 0]));
          c[k]++;
        }
      }
      // Each form's home: the outlets that write it 4 times in 5 of the two, and the share of the
      // form's articles they hold. A house style has a home on both sides.
      const home: [number, number] = [0, 0];
      const outlets: [string[], string[]] = [[], []];
      for (const [src, [x, y]] of bySource) {
        for (const [k, n] of [[0, x], [1, y]] as const) {
          if (n < HOME_SHARE * (x + y)) continue;
          home[k] += n;
          if (src) outlets[k].push(src);
        }
      }
      const split = Math.min(home[0] / da.length, home[1] / db.length);
      if (split < o.minSplit) continue;
      // Context: the stems of the titles each is in.
      const cosine = cosineOf(contextOf(da, titleStems, a, b), contextOf(db, titleStems, a, b));
      if (cosine < o.minCosine) continue;
      const form = (s: string) => [...formsOf.get(s)!].sort((p, q) => q[1] - p[1])[0]![0];
      out.push({ forms: [form(a), form(b)], stems: [a, b], df: [da.length, db.length], together, split, outlets, cosine });
    }
  }
  // A pair behind a proclitic (وأميركا, وأمريكا) says no more than the pair without it.
  const key = (stems: string[]) => [...stems].sort().join(' ');
  const found = new Set(out.map((p) => key(p.stems)));
  const kept = out.filter((p) => !(p.stems[0][0] === p.stems[1][0] && PROCLITICS.includes(p.stems[0][0]!) && found.has(key(p.stems.map((s) => s.slice(1))))));
  return kept.sort((p, q) => q.df[1] - p.df[1]);
}
